"""Charts a person reads: the capsule calendar with weekdays, dates and honest states ("Not logged", not
"Missed"), counts in words that agree with their number, and a table beside every chart."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import daily_doses, onboard, session_of

pytestmark = pytest.mark.e2e


def test_capsule_calendar_has_weekdays_dates_and_counted_days(page, live_app):
    onboard(page)
    session = session_of(page)
    course_id, token = session["courseId"], session["token"]
    _, course = live_app.api("GET", f"/courses/{course_id}", token)
    today = datetime.now(ZoneInfo(course["timezone"])).date()
    start = today - timedelta(days=9)
    plan = [{"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}]
    status, body = live_app.api(
        "PATCH", f"/courses/{course_id}", token, {"start_date": start.isoformat(), "dose_plan": plan}
    )
    assert status == 200, body
    doses = daily_doses(start, 9, missing={5}, skipped={3})  # day 6 has no entry, day 4 was skipped
    status, body = live_app.api("POST", f"/courses/{course_id}/doses/batch", token, {"doses": doses})
    assert status in (200, 201), body

    page.goto("/charts")
    card = page.locator("section", has=page.get_by_role("heading", name="Capsules by day"))
    expect(card.locator("p").first).to_have_text(
        "Taken: 7 days · Partly taken: 0 days · Skipped: 1 day · Not logged: 1 day · Paused: 0 days"
    )
    calendar = card.locator(".adherence-calendar")
    expect(calendar.locator(".cal-weekday")).to_have_count(7)
    weekdays = calendar.locator(".cal-weekday").all_inner_texts()
    assert len(set(weekdays[:5])) >= 4 and all(len(w) <= 2 for w in weekdays), weekdays  # S M T W T F S
    days = calendar.locator(".cal-day:not(.cal-empty)")
    expect(days).to_have_count(10)
    expect(days.first).to_have_text(str(start.day))
    expect(days.first).to_have_class(re.compile(r"\bday-taken\b"))
    expect(days.nth(3)).to_have_class(re.compile(r"\bday-skipped\b"))
    expect(days.nth(5)).to_have_class(re.compile(r"\bday-missed\b"))
    expect(days.last).to_have_text(str(today.day))
    expect(calendar.locator(".cal-month").first).to_have_text(re.compile(r"^[A-Z][a-z]{2}"))
    expect(card.locator(".chart-legend")).to_contain_text("Not logged")

    card.get_by_text("Capsules by day as a table").click()
    table = card.get_by_role("region", name="Capsules by day table")
    not_logged = start + timedelta(days=5)
    row = table.locator("tr", has_text="Not logged")
    expect(row).to_have_count(1)
    weekday_date = re.compile(rf"^[A-Z][a-z]{{2}}, [A-Z][a-z]{{2}} {not_logged.day}$")  # "Tue, Dec 1"
    expect(row.locator("th")).to_have_text(weekday_date)
