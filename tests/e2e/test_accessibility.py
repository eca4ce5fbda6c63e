"""axe-core finds no WCAG 2.2 AA violations, and narrow (200 % zoom) screens do not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard

pytestmark = pytest.mark.e2e

VIEWS = [
    ("/", "Day 1 · week 1"),
    ("/timeline", "Your timeline"),
    ("/reminders", "Reminders"),
    ("/appointments", "Appointments"),
    ("/settings", "Settings"),
]


def open_all_details(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")


def test_no_axe_violations_on_any_view(page, axe_source):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    assert axe_violations(page, axe_source) == []

    page.get_by_role("button", name="Start my course").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert axe_violations(page, axe_source) == [], "onboarding with errors shown"

    onboard(page)
    for path, heading in VIEWS:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        page.wait_for_load_state("networkidle")
        open_all_details(page)
        assert axe_violations(page, axe_source) == [], path


@pytest.mark.parametrize("width", [320, 375])
def test_narrow_screen_has_no_horizontal_scroll(context, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 640})
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    views = [("/onboarding", "Set up your course")]
    onboard(page, doses_per_day=2)
    views += VIEWS
    for path, heading in views:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            heading if path != "/onboarding" else "Day 1 · week 1"
        )
        open_all_details(page)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def test_reduced_motion_is_respected(browser, live_app):
    ctx = browser.new_context(base_url=live_app.url, reduced_motion="reduce")
    try:
        page = ctx.new_page()
        page.goto("/")
        expect(page.get_by_role("button", name="Start my course")).to_be_visible()
        transition = page.evaluate(
            "() => getComputedStyle(document.querySelector('.button')).transitionDuration"
        )
        assert transition in ("0s", ""), transition
    finally:
        ctx.close()
