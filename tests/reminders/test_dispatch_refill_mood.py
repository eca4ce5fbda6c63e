"""Refill and mood check-in reminders through the dispatcher to the local push service."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.api.apihelp import course_from
from tests.reminders.remhelp import API, subscribe, utc


def _winter_monday() -> date:
    """The latest Monday from 1 Nov to 20 Feb with its first 30 days behind us: those days are all CET
    (Berlin's summer time starts on the last Sunday of March at the earliest on the 25th), they are past
    as they were for the fixed start this replaced, and the start is less than a year back, so the API
    takes it without confirm_start_date whatever the real date."""
    day = datetime.now(UTC).date() - timedelta(days=31)
    while not (day.weekday() == 0 and (day.month in (11, 12, 1) or (day.month == 2 and day.day <= 20))):
        day -= timedelta(days=1)
    return day


# The test course starts on a winter Monday in Berlin (08:00 and 20:00 capsules). The 2nd 30-day supply
# is needed on day 31, a Wednesday, so the refill reminder is due 3 days before: Sunday (day 28) 18:00 CET.
START = _winter_monday()
SUNDAY = START + timedelta(days=27)
NEXT_SUPPLY = START + timedelta(days=30)
BEFORE = utc(SUNDAY.year, SUNDAY.month, SUNDAY.day, 16, 30)
REFILL_DUE = utc(SUNDAY.year, SUNDAY.month, SUNDAY.day, 17, 0)
MOOD_DUE = utc(SUNDAY.year, SUNDAY.month, SUNDAY.day, 18, 0)  # Sunday 19:00 CET
MOOD_WEEK = "{}-W{:02d}".format(*SUNDAY.isocalendar()[:2])


def new_course(patient) -> dict:
    return patient.create_course(**course_from(START))


def test_due_refill_reminder_is_delivered_once_with_its_text(
    patient, push_service, materialise, tick, occurrences
):
    course = new_course(patient)
    device = subscribe(patient, push_service)
    materialise(course["id"], BEFORE)
    [occ] = [o for o in occurrences("refill") if o["fires_at"] <= REFILL_DUE + timedelta(days=1)]
    assert occ["fires_at"] == REFILL_DUE and occ["key"] == NEXT_SUPPLY.isoformat()
    assert occurrences("mood_checkin") == []  # opt-in: nothing until the patient turns it on

    assert tick(REFILL_DUE - timedelta(seconds=30)).claimed == 0
    stats = tick(REFILL_DUE + timedelta(seconds=30))
    assert stats.claimed == 1 and stats.sent == 1

    [payload] = push_service.received(device["push_sid"])
    assert payload["kind"] == "refill" and payload["title"] == "Time to arrange your next prescription"
    assert f"Wed {NEXT_SUPPLY:%d %b}" in payload["body"] and "30-day" in payload["body"]
    assert payload["url"] == "/reminders" and payload["course_id"] == course["id"]
    assert payload["tag"] == occ["id"] and payload["reminder_id"] == occ["rule_id"]
    assert "mg" not in payload and "slot" not in payload
    delivery = push_service.deliveries(device["push_sid"])[0]
    assert delivery.headers["Urgency"] == "normal"
    assert 0 < int(delivery.headers["TTL"]) <= 6 * 3600
    assert push_service.failures == []

    assert tick(REFILL_DUE + timedelta(minutes=5)).claimed == 0
    assert len(push_service.received()) == 1
    [after] = [o for o in occurrences("refill") if o["id"] == occ["id"]]
    assert after["status"] == "sent"


def test_enabled_mood_checkin_is_delivered_on_sunday_evening_and_opens_the_app(
    patient, push_service, materialise, tick, occurrences
):
    course = new_course(patient)
    device = subscribe(patient, push_service)
    mood = next(r for r in patient.get(f"{API}/reminders").get_json() if r["kind"] == "mood_checkin")
    assert patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True}).status_code == 200
    materialise(course["id"], BEFORE)
    [occ] = [o for o in occurrences("mood_checkin") if o["key"] == MOOD_WEEK]
    assert occ["fires_at"] == MOOD_DUE

    tick(REFILL_DUE + timedelta(seconds=30))  # the refill goes first
    stats = tick(MOOD_DUE + timedelta(seconds=30))
    assert stats.claimed == 1 and stats.sent == 1
    payload = push_service.received(device["push_sid"])[-1]
    assert payload["kind"] == "mood_checkin" and payload["url"] == "/?checkin=mood"
    assert payload["title"] == "How have you been feeling this week?"
    assert "crisis line" in payload["body"]
    assert 0 < int(push_service.deliveries(device["push_sid"])[-1].headers["TTL"]) <= 3 * 3600
    assert [p["kind"] for p in push_service.received()] == ["refill", "mood_checkin"]


def test_mood_checkin_too_late_is_missed_not_sent_at_night(
    patient, push_service, materialise, tick, occurrences
):
    course = new_course(patient)
    subscribe(patient, push_service)
    mood = next(r for r in patient.get(f"{API}/reminders").get_json() if r["kind"] == "mood_checkin")
    patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True})
    materialise(course["id"], BEFORE)
    tick(MOOD_DUE + timedelta(hours=3, minutes=1))  # 22:01 local: past its 3-hour grace
    assert "mood_checkin" not in [p["kind"] for p in push_service.received()]
    [occ] = [o for o in occurrences("mood_checkin") if o["key"] == MOOD_WEEK]
    assert occ["status"] == "missed"
