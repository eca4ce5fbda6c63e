"""The strict Content-Security-Policy holds in a real browser: the PWA and the API docs page run under it
without a single violation (no inline script or style the policy would block)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard

pytestmark = pytest.mark.e2e

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__csp.push(`${event.violatedDirective}: ${event.blockedURI} (${event.sourceFile})`);
});
"""


def test_the_pwa_runs_under_its_csp_without_violations(context, page):
    context.add_init_script(COLLECT_VIOLATIONS)
    response = page.goto("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    onboard(page)
    for tab in ("Timeline", "Today"):
        page.get_by_role("navigation", name="Main").get_by_role("link", name=tab).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("window.__csp") == []


def test_the_docs_page_renders_swagger_ui_from_this_server(context, page, live_app):
    context.add_init_script(COLLECT_VIOLATIONS)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_app.url) else None)
    page.goto("/api/v1/docs")
    # Swagger UI's bundle is about 1.5 MB of script: give a busy CI machine time to run it.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ClearCourse API", timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert outside == []
    assert page.evaluate("window.__csp") == []
