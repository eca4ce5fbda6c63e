"""A caregiver on a second phone: joins by the patient's invite link, sees the doses update, nothing else."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"
# Words of the patient's screens that the caregiver's must never show.
NEVER_SHOWN = re.compile(r"mood|check-in|pregnan|weight|note|photo|report|mg\b|journal|red flag", re.I)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0


def test_caregiver_sees_a_tick_and_nothing_else_and_can_be_removed(page, browser, live_app, axe_source):
    onboard(page, doses_per_day=2)
    page.goto("/settings")
    page.get_by_role("button", name="Invite a caregiver").click()
    code = page.locator(".link-code .code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    link = page.locator(".code-link").inner_text()
    assert link == f"{live_app.url}/care#code={code}"

    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    errors: list[str] = []
    try:
        carer = other.new_page()
        carer.on("pageerror", lambda error: errors.append(str(error)))
        carer.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        carer.goto(link)
        expect(carer.get_by_label("Caregiver code")).to_have_value(code)
        carer.get_by_role("button", name="Join as a caregiver").click()
        doses = carer.locator("ul.caregiver-doses > li")
        expect(doses).to_have_count(2)
        expect(doses.nth(0)).to_have_attribute("data-status", "pending")
        expect(doses.nth(0)).to_contain_text("Not ticked yet")
        expect(carer.locator("ol.caregiver-days > li")).to_have_count(14)
        assert not NEVER_SHOWN.search(carer.locator("main").inner_text())
        # The code left the address bar once used.
        assert carer.url.endswith("/care")

        # The patient is told a caregiver joined, and ticks dose 1.
        page.reload()
        expect(page.locator("ul.caregivers > li")).to_have_count(1)
        expect(page.locator("ul.caregivers > li")).to_contain_text("Joined")
        page.goto("/")
        page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
        expect(page.locator('ul.doses > li[data-slot="1"]')).to_have_attribute("data-status", "taken")

        # The caregiver's screen follows by itself (it refreshes every 15 s and when shown again).
        expect(doses.nth(0)).to_have_attribute("data-status", "taken", timeout=25_000)
        expect(doses.nth(0)).to_contain_text("Taken")
        expect(doses.nth(1)).to_have_attribute("data-status", "pending")
        assert not NEVER_SHOWN.search(carer.locator("main").inner_text())
        carer.screenshot(path=f"{SHOTS}/caregiver-390.png", full_page=True)
        _no_sideways_scroll(carer)
        assert axe_violations(carer, axe_source) == []
        carer.set_viewport_size({"width": 320, "height": 640})
        _no_sideways_scroll(carer)
        carer.screenshot(path=f"{SHOTS}/caregiver-320.png", full_page=True)
        assert axe_violations(carer, axe_source) == []

        # The patient's preview shows the same.
        page.goto("/settings")
        page.get_by_role("button", name="Preview as your caregiver").click()
        preview = page.locator(".caregiver-preview ul.caregiver-doses > li")
        expect(preview).to_have_count(2)
        expect(preview.nth(0)).to_have_attribute("data-status", "taken")
        page.locator(".caregiver-preview").screenshot(path=f"{SHOTS}/caregiver-preview.png")
        assert axe_violations(page, axe_source) == []

        assert errors == []
        # One tap removes them: the caregiver's phone says so at its next look (the browser logs that 401).
        page.get_by_role("button", name="Remove", exact=True).click()
        expect(page.get_by_text("No caregiver has joined.")).to_be_visible()
        carer.reload()
        expect(carer.get_by_role("button", name="Join as a caregiver")).to_be_visible()
        expect(carer.locator("ul.caregiver-doses")).to_have_count(0)
        expect(carer.get_by_role("alert")).to_contain_text("no longer a caregiver")
        assert [e for e in errors if "401" not in e] == []
    finally:
        other.close()
