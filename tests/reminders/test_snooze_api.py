"""Snooze: keyed on the occurrence the patient saw (idempotent), refusals, and never a 500."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from backend.extensions import db
from backend.models import ReminderOccurrence
from backend.services.reminders import SNOOZE_STALE_AFTER
from tests.reminders.remhelp import API, rule, running_course

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def fired(app, rule_id: str, ago: timedelta = timedelta(minutes=5), status: str = "sent") -> dict:
    """Turn the rule's first materialised occurrence into one that went out `ago` (real clock)."""
    now = datetime.now(UTC)
    with app.app_context():
        occ = db.session.scalars(
            select(ReminderOccurrence)
            .where(ReminderOccurrence.rule_id == rule_id, ReminderOccurrence.one_off.is_(False))
            .order_by(ReminderOccurrence.fires_at)
        ).first()
        assert occ is not None
        grace = occ.expires_at - occ.fires_at
        occ.fires_at = now - ago
        occ.expires_at = now - ago + grace
        occ.status = status
        db.session.commit()
        out = {"id": occ.id, "data": dict(occ.data), "expires_at": occ.expires_at}
        db.session.remove()
    return out


def one_offs(app, rule_id: str) -> list[ReminderOccurrence]:
    with app.app_context():
        rows = db.session.scalars(
            select(ReminderOccurrence).where(
                ReminderOccurrence.rule_id == rule_id, ReminderOccurrence.one_off.is_(True)
            )
        ).all()
        db.session.expunge_all()
        return list(rows)


def snooze(patient, rule_id: str, **body):
    return patient.post(f"{API}/reminders/{rule_id}/snooze", json={"minutes": 10, **body})


def test_snoozing_an_occurrence_twice_makes_one_repeat(patient, app):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    seen = fired(app, dose1["id"])
    before = datetime.now(UTC)

    first = snooze(patient, dose1["id"], occurrence_id=seen["id"])
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["reminder_id"] == dose1["id"] and body["status"] == "pending"
    assert body["date"] == seen["data"]["date"] and body["slot"] == 1  # the dose the patient saw
    assert timedelta(minutes=9) < datetime.fromisoformat(body["fires_at"]) - before < timedelta(minutes=11)

    replay = snooze(patient, dose1["id"], occurrence_id=seen["id"])  # a double tap / outbox replay
    assert replay.status_code == 200, replay.get_json()
    assert replay.get_json()["occurrence_id"] == body["occurrence_id"]
    assert replay.get_json()["fires_at"] == body["fires_at"]

    [repeat] = one_offs(app, dose1["id"])
    assert repeat.id == body["occurrence_id"]
    assert repeat.occurrence_key == f"snooze:{seen['id']}"
    assert repeat.data["snoozed_from"] == seen["id"]  # the notification keeps the original's tag


def test_snoozing_the_repeat_keeps_the_first_tag(patient, app):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    seen = fired(app, dose1["id"])
    repeat_id = snooze(patient, dose1["id"], occurrence_id=seen["id"]).get_json()["occurrence_id"]
    with app.app_context():  # the repeat went out
        db.session.execute(
            update(ReminderOccurrence)
            .where(ReminderOccurrence.id == repeat_id)
            .values(status="sent", fires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        db.session.commit()
    again = snooze(patient, dose1["id"], occurrence_id=repeat_id)
    assert again.status_code == 201, again.get_json()
    rows = {o.occurrence_key: o for o in one_offs(app, dose1["id"])}
    assert set(rows) == {f"snooze:{seen['id']}", f"snooze:{repeat_id}"}
    assert rows[f"snooze:{repeat_id}"].data["snoozed_from"] == seen["id"]


@pytest.mark.parametrize("value", ["nope", "12345", 42, "not-a-uuid-0000-0000-000000000000"])
def test_occurrence_id_must_be_a_uuid(patient, value):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    response = snooze(patient, dose1["id"], occurrence_id=value)
    body = response.get_json()
    assert response.status_code == 422, body
    assert set(body["errors"]["json"]) == {"occurrence_id"}


def test_an_occurrence_of_another_rule_or_patient_is_404(make_patient, app):
    alice, bob = make_patient(), make_patient()
    running_course(alice)
    running_course(bob)
    dose1, dose2 = rule(alice, "dose", 1), rule(alice, "dose", 2)
    other_slot = fired(app, dose2["id"])
    bobs = fired(app, rule(bob, "dose", 1)["id"])
    for occurrence_id in (other_slot["id"], bobs["id"], str(uuid.uuid4())):
        response = snooze(alice, dose1["id"], occurrence_id=occurrence_id)
        assert response.status_code == 404, response.get_json()
        assert response.get_json()["message"] == "No such occurrence of this reminder."
    assert one_offs(app, dose1["id"]) == []


def test_a_logged_dose_cannot_be_snoozed(patient, app):
    course = running_course(patient)
    dose1 = rule(patient, "dose", 1)
    seen = fired(app, dose1["id"])
    logged = patient.put(
        f"{API}/courses/{course['id']}/doses/{uuid.uuid4()}",
        json={"date": seen["data"]["date"], "slot": 1, "status": "skipped", "mg": 20},
    )
    assert logged.status_code == 201, logged.get_json()
    response = snooze(patient, dose1["id"], occurrence_id=seen["id"])
    assert response.status_code == 409, response.get_json()
    assert "already logged" in response.get_json()["message"]
    assert one_offs(app, dose1["id"]) == []


def test_an_occurrence_too_old_to_be_useful_is_422(patient, app):
    running_course(patient)
    dose1, dose2 = rule(patient, "dose", 1), rule(patient, "dose", 2)
    # Dose grace is 45 min: ended 2 h 15 min ago, more than SNOOZE_STALE_AFTER (1 h) → too old.
    stale = fired(app, dose1["id"], ago=timedelta(hours=3))
    response = snooze(patient, dose1["id"], occurrence_id=stale["id"])
    body = response.get_json()
    assert response.status_code == 422, body
    assert set(body["errors"]["json"]) == {"occurrence_id"} and "too old" in body["message"]
    # Grace ended 30 min ago: still within the hour → snoozed.
    recent = fired(app, dose2["id"], ago=timedelta(minutes=75))
    assert recent["expires_at"] + SNOOZE_STALE_AFTER > datetime.now(UTC)
    assert snooze(patient, dose2["id"], occurrence_id=recent["id"]).status_code == 201


def test_an_occurrence_not_yet_sent_or_cancelled_is_409(patient, app):
    running_course(patient)
    dose1, dose2 = rule(patient, "dose", 1), rule(patient, "dose", 2)
    with app.app_context():
        future = db.session.scalars(
            select(ReminderOccurrence.id).where(
                ReminderOccurrence.rule_id == dose1["id"], ReminderOccurrence.fires_at > datetime.now(UTC)
            )
        ).first()
    response = snooze(patient, dose1["id"], occurrence_id=future)
    assert response.status_code == 409 and "not gone out" in response.get_json()["message"]
    cancelled = fired(app, dose2["id"], status="cancelled")
    response = snooze(patient, dose2["id"], occurrence_id=cancelled["id"])
    assert response.status_code == 409 and "cancelled" in response.get_json()["message"]


def test_a_switched_off_reminder_cannot_be_snoozed(patient, app):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    seen = fired(app, dose1["id"])
    assert patient.patch(f"{API}/reminders/{dose1['id']}", json={"enabled": False}).status_code == 200
    for body in ({"occurrence_id": seen["id"]}, {}):
        response = snooze(patient, dose1["id"], **body)
        assert response.status_code == 409, response.get_json()
        assert "switched off" in response.get_json()["message"]
    assert one_offs(app, dose1["id"]) == []


def test_without_occurrence_id_each_call_repeats_the_latest_reminder(patient, app):
    running_course(patient)
    dose2 = rule(patient, "dose", 2)
    seen = fired(app, dose2["id"])
    first, second = snooze(patient, dose2["id"]), snooze(patient, dose2["id"])
    assert first.status_code == second.status_code == 201
    assert first.get_json()["occurrence_id"] != second.get_json()["occurrence_id"]  # as before
    assert {o.data["snoozed_from"] for o in one_offs(app, dose2["id"])} == {seen["id"]}
    assert first.get_json()["date"] == seen["data"]["date"] and first.get_json()["slot"] == 2


def test_a_dose_snoozed_before_any_reminder_went_out_gets_the_slots_data(patient, app):
    """Nothing sent yet: the dose due nearest now is computed, so the repeat has its date, slot and mg."""
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    response = snooze(patient, dose1["id"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["slot"] == 1 and body["date"] and body["title"] == "Time for capsule 1 of 2 (20 mg)"
    [repeat] = one_offs(app, dose1["id"])
    assert repeat.data["mg"] == 20 and repeat.data["date"] == body["date"]


def appointment_in(patient, course: dict, days: int, kind: str = "blood_test", zone=BERLIN) -> dict:
    day = datetime.now(zone).date() + timedelta(days=days)
    response = patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": kind, "starts_at": f"{day}T10:00", "fasting": kind == "blood_test"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("kind", ["appointment", "fasting"])
def test_appointment_kinds_with_nothing_around_now_are_409_not_500(patient, kind):
    running_course(patient)
    target = rule(patient, kind)
    response = snooze(patient, target["id"])  # no appointment at all
    assert response.status_code == 409, response.get_json()
    assert "Nothing to snooze" in response.get_json()["message"]


def test_pickup_window_with_nothing_around_now_is_409_not_500(patient):
    course = running_course(patient, programme="us_ipledge", timezone="America/New_York")
    appointment_in(patient, course, days=20, kind="pregnancy_test", zone=NEW_YORK)  # window far ahead
    target = rule(patient, "pickup_window")
    response = snooze(patient, target["id"])
    assert response.status_code == 409, response.get_json()
    assert "Nothing to snooze" in response.get_json()["message"]


def test_an_appointment_reminder_due_around_now_is_snoozed_with_its_text(patient):
    course = running_course(patient)
    appt = appointment_in(patient, course, days=1)  # tomorrow 10:00: today 19:00, then 08:00 tomorrow
    target = rule(patient, "appointment")
    response = snooze(patient, target["id"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["appointment_id"] == appt["id"] and "blood test at 10:00" in body["title"]
