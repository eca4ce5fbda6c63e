"""The Reminders screen edits what the server reminds of: per-kind switches, times and quiet hours."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard, session_of

pytestmark = pytest.mark.e2e


def rules_by_kind(live_app, session: dict) -> dict[str, dict]:
    status, rules = live_app.api("GET", "/reminders", session["token"])
    assert status == 200, rules
    return {rule["kind"]: rule for rule in rules}


def eventually(check, timeout: float = 10.0) -> None:
    """Polls `check` until it is true (the switch updates on screen before the server answers)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_switches_times_and_quiet_hours_are_saved(page, live_app):
    onboard(page)
    session = session_of(page)
    page.goto("/reminders")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")

    dose = page.locator('ul.rules > li[data-kind="dose"]')
    dose.get_by_text("Change timing").click()
    dose.get_by_label("Time").fill("07:30")
    dose.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(dose).to_contain_text(re.compile(r"Next: .* at 7:30\sAM"))
    assert rules_by_kind(live_app, session)["dose"]["time"] == "07:30"

    dose.get_by_role("button", name=re.compile(r"^Use the usual time")).click()
    expect(dose.get_by_role("button", name=re.compile(r"^Use the usual time"))).to_have_count(0)
    expect(dose.locator(".saved-note")).to_have_text("Saved")
    assert rules_by_kind(live_app, session)["dose"]["time"] is None

    followup = page.locator('ul.rules > li[data-kind="dose_followup"]')
    followup.get_by_text("Change timing").click()
    followup.get_by_label("Minutes after the dose time").fill("300")
    followup.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(followup.locator(".error-summary")).to_be_focused()
    expect(followup.get_by_label("Minutes after the dose time")).to_have_attribute("aria-invalid", "true")
    followup.get_by_label("Minutes after the dose time").fill("30")
    followup.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(followup.locator(".saved-note")).to_have_text("Saved")
    expect(followup.locator(".error-summary")).to_have_count(0)
    assert rules_by_kind(live_app, session)["dose_followup"]["delay_minutes"] == 30

    dose.get_by_role("checkbox").uncheck()
    expect(dose).to_contain_text("Off")
    eventually(lambda: rules_by_kind(live_app, session)["dose"]["enabled"] is False)
    page.reload()
    expect(page.locator('ul.rules > li[data-kind="dose"]').get_by_role("checkbox")).not_to_be_checked()

    page.get_by_label("Pause reminders at night").check()
    page.get_by_label("From").fill("23:00")
    page.get_by_label("Until").fill("23:00")
    page.get_by_role("button", name="Save quiet hours").click()
    expect(page.locator("#quiet-errors")).to_be_focused()
    page.get_by_label("Until").fill("06:30")
    page.get_by_role("button", name="Save quiet hours").click()
    expect(page.locator(".saved-note")).to_have_text("Saved")
    expect(page.locator("#quiet-errors")).to_have_count(0)
    status, settings = live_app.api("GET", "/reminders/settings", session["token"])
    assert (status, settings) == (200, {"quiet_start": "23:00", "quiet_end": "06:30"})

    agenda = page.locator("ol.agenda")
    expect(agenda).not_to_contain_text("Time for your capsule")


def book_blood_test(page, live_app, *, days_ahead: int, at: str) -> None:
    """Books a blood test `days_ahead` days from today in the course's zone, at the local time `at`."""
    session = session_of(page)
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200, course
    day = page.evaluate(
        "([zone, days]) => new Intl.DateTimeFormat('en-CA', {timeZone: zone})"
        ".format(Date.now() + days * 86400000)",
        [course["timezone"], days_ahead],
    )
    body = {"kind": "blood_test", "starts_at": f"{day}T{at}", "place": "City Lab"}
    status, appointment = live_app.api(
        "POST", f"/courses/{session['courseId']}/appointments", session["token"], body
    )
    assert status == 201, appointment


def test_the_agenda_writes_reminder_times_and_days_like_the_rest_of_the_app(page, live_app):
    """The server's texts say 21:30; this phone (en-US) writes 9:30 PM everywhere, agenda titles included."""
    onboard(page)
    book_blood_test(page, live_app, days_ahead=3, at="21:30")
    page.goto("/reminders")
    agenda = page.locator("ol.agenda")
    expect(agenda.locator('[data-kind="appointment"]').first).to_contain_text(
        re.compile(r"blood test at 9:30\sPM")
    )
    expect(agenda).not_to_contain_text("21:30")


def test_the_next_two_months_are_asked_a_month_at_a_time_and_shown_in_order(page, live_app):
    """The server answers at most 31 days at a time: "Show the next 2 months" asks month by month and shows
    a blood test 45 days away after the weeks before it, each day once."""
    onboard(page)
    book_blood_test(page, live_app, days_ahead=45, at="09:30")
    page.goto("/reminders")
    agenda = page.locator("ol.agenda")
    expect(agenda.locator(".agenda-day").first).to_be_visible()
    expect(agenda.locator('[data-kind="appointment"]')).to_have_count(0)  # the first week only
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/reminders/upcoming" in r.url else None)
    page.get_by_role("button", name="Show the next 2 months").click()
    expect(agenda.locator('[data-kind="appointment"]').first).to_contain_text("blood test")
    days = [d.get_attribute("datetime") or d.inner_text() for d in agenda.locator(".agenda-day").all()]
    assert len(days) == len(set(days)) and len(days) > 45
    stamps = [t.get_attribute("datetime") for t in agenda.locator("time").all()]
    assert stamps == sorted(stamps, key=lambda s: s[:16])  # local times, in order across the months
    assert len(asked) == 2, asked
