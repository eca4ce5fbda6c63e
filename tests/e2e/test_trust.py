"""Issue 14 on a phone: doses as prescribed (40 mg + 20 mg), the report a clinician reads in 30 seconds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard, session_of

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"


def test_each_dose_keeps_its_prescribed_amount(page, live_app):
    onboard(page, per_dose=("40", "20"))
    expect(page.locator('ul.doses > li[data-slot="1"] .dose-title')).to_contain_text("8:00 AM · 40 mg")
    expect(page.locator('ul.doses > li[data-slot="2"] .dose-title')).to_contain_text("8:00 PM · 20 mg")
    session = session_of(page)
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200 and course["dose_plan"][0]["doses"] == [
        {"time": "08:00", "mg": 40.0},
        {"time": "20:00", "mg": 20.0},
    ]
    page.goto("/settings")
    expect(page.get_by_text("40 mg at 8:00 AM and 20 mg at 8:00 PM (60 mg a day)")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/h5-settings-per-dose.png", full_page=True)


def test_the_weight_mg_per_kg_is_counted_by_is_said_on_today_and_in_settings(page, live_app):
    """A change on the day the course was set up corrects the start weight (the API tests cover a later
    change, kept beside the start weight, and a re-based one)."""
    onboard(page)
    progress = page.locator("section[aria-labelledby=progress-heading]")
    expect(progress).to_contain_text("by your start weight (70 kg)")
    page.goto("/settings")
    expect(page.get_by_text("Your mg/kg is counted by your start weight (70 kg).")).to_be_visible()
    page.locator("#edit-weight").fill("80")
    rebased = page.get_by_label("My prescriber has based my plan on this new weight")
    expect(rebased).not_to_be_checked()
    page.screenshot(path=f"{SHOTS}/h5-settings-weight.png")
    page.get_by_role("button", name="Save course details").click()
    expect(page.get_by_text("Your mg/kg is counted by your start weight (80 kg).")).to_be_visible()
    expect(rebased).to_have_count(0)
    session = session_of(page)
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200 and course["weight_kg"] == 80
    assert [(w["weight_kg"], w["rebased"]) for w in course["weights"]] == [(80, False)]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(progress).to_contain_text("by your start weight (80 kg)")


def test_absorica_ld_is_its_own_choice_and_the_2026_rules_say_verify(page, live_app):
    onboard(page)
    session = session_of(page)
    status, body = live_app.api(
        "PATCH", f"/courses/{session['courseId']}", session["token"], {"programme": "us_ipledge"}
    )
    assert status == 200, body
    page.goto("/settings")
    page.get_by_label("Absorica LD").check()
    page.get_by_role("button", name="Save course details").click()
    expect(page.get_by_text("Course details saved.")).to_be_attached()
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert course["product"] == "micronised"
    rules = page.locator(".rule-status")
    expect(rules).to_contain_text("may have been postponed")
    expect(rules.locator(".badge-verify")).to_have_text("Verify")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_text("Your capsules are Absorica LD")).to_be_visible()
