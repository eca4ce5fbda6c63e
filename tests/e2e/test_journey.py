"""A new patient sets up a course and finds today's capsules and the current phase."""

from __future__ import annotations

import functools
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import doses_on_server, onboard, session_of, wait_until

pytestmark = pytest.mark.e2e


def test_onboarding_leads_to_today_then_timeline(page, live_app):
    onboard(page, doses_per_day=2, daily_mg="40")

    doses = page.locator("ul.doses > li")
    expect(doses).to_have_count(2)
    expect(doses.nth(0)).to_contain_text("8:00 AM")
    expect(doses.nth(1)).to_contain_text("8:00 PM")
    expect(doses.nth(0)).to_contain_text("Take with a meal")
    expect(page.get_by_role("button", name=re.compile(r"^Taken — dose 1"))).to_be_visible()
    phase_title = page.locator("#phase-heading").inner_text()
    assert phase_title

    session = session_of(page)
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200
    assert course["weight_kg"] == 70
    assert course["product"] == "standard"
    assert course["pregnancy_prevention"] is False
    assert course["dose_plan"][0]["dose_times"] == ["08:00", "20:00"]

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    expect(page).to_have_url(re.compile(r"/timeline$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your timeline")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    current = page.locator('li[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current.get_by_role("heading", level=2)).to_have_text(phase_title)
    expect(current).to_contain_text("You are here")
    expect(page.get_by_role("link", name="Timeline")).to_have_attribute("aria-current", "page")


def test_taken_and_undo_reach_the_server(page, live_app):
    onboard(page)
    page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
    slot = page.locator('ul.doses > li[data-slot="1"]')
    expect(slot).to_have_attribute("data-status", "taken")
    expect(slot.locator(".badge-pending")).to_have_count(0)
    expect(slot).to_contain_text("Taken at")
    session = session_of(page)
    doses = functools.partial(doses_on_server, live_app, session)
    # The outbox sends after the screen has changed: wait for the outcome on the server.
    assert [d["status"] for d in wait_until(doses, lambda found: len(found) > 0)] == ["taken"]

    page.get_by_role("button", name=re.compile(r"^Undo — dose 1")).click()
    expect(slot).to_have_attribute("data-status", "pending")
    expect(page.get_by_role("button", name=re.compile(r"^Skipped — dose 1"))).to_be_enabled()
    assert wait_until(doses, lambda found: found == []) == []
    expect(slot.locator(".badge-pending")).to_have_count(0)


def test_deep_link_and_unknown_route(page):
    onboard(page)
    page.goto("/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_time_zone_suggestions_come_with_the_first_focus(page):
    """The set-up screen is built without its ~420 time-zone suggestions; focusing the field adds them."""
    page.goto("/")
    expect(page.get_by_role("button", name="Start my course")).to_be_visible()
    zone = page.get_by_label("Time zone")
    assert zone.get_attribute("list") is None
    assert page.locator("datalist option").count() == 0
    zone.focus()
    expect(zone).to_have_attribute("list", "timezone-options")
    assert page.locator("#timezone-options option").count() > 300
    expect(page.locator('#timezone-options option[value="Europe/London"]')).to_have_count(1)
