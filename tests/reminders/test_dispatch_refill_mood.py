"""Refill and mood check-in reminders through the dispatcher to the local push service."""

from __future__ import annotations

from datetime import timedelta

from tests.reminders.remhelp import API, subscribe, utc

# The default test course starts Mon 5 Jan 2026 in Berlin (08:00 and 20:00 capsules). The 2nd 30-day
# supply is needed on Wed 4 Feb, so the refill reminder is due 3 days before: Sun 1 Feb 18:00 CET.
BEFORE = utc(2026, 2, 1, 16, 30)
REFILL_DUE = utc(2026, 2, 1, 17, 0)
MOOD_DUE = utc(2026, 2, 1, 18, 0)  # Sunday 19:00 CET


def test_due_refill_reminder_is_delivered_once_with_its_text(
    patient, push_service, materialise, tick, occurrences
):
    course = patient.create_course()
    device = subscribe(patient, push_service)
    materialise(course["id"], BEFORE)
    [occ] = [o for o in occurrences("refill") if o["fires_at"] <= REFILL_DUE + timedelta(days=1)]
    assert occ["fires_at"] == REFILL_DUE and occ["key"] == "2026-02-04"
    assert occurrences("mood_checkin") == []  # opt-in: nothing until the patient turns it on

    assert tick(REFILL_DUE - timedelta(seconds=30)).claimed == 0
    stats = tick(REFILL_DUE + timedelta(seconds=30))
    assert stats.claimed == 1 and stats.sent == 1

    [payload] = push_service.received(device["push_sid"])
    assert payload["kind"] == "refill" and payload["title"] == "Time to arrange your next prescription"
    assert "Wed 04 Feb" in payload["body"] and "30-day" in payload["body"]
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
    course = patient.create_course()
    device = subscribe(patient, push_service)
    mood = next(r for r in patient.get(f"{API}/reminders").get_json() if r["kind"] == "mood_checkin")
    assert patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True}).status_code == 200
    materialise(course["id"], BEFORE)
    [occ] = [o for o in occurrences("mood_checkin") if o["key"] == "2026-W05"]
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
    course = patient.create_course()
    subscribe(patient, push_service)
    mood = next(r for r in patient.get(f"{API}/reminders").get_json() if r["kind"] == "mood_checkin")
    patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True})
    materialise(course["id"], BEFORE)
    tick(MOOD_DUE + timedelta(hours=3, minutes=1))  # 22:01 local: past its 3-hour grace
    assert "mood_checkin" not in [p["kind"] for p in push_service.received()]
    [occ] = [o for o in occurrences("mood_checkin") if o["key"] == "2026-W05"]
    assert occ["status"] == "missed"
