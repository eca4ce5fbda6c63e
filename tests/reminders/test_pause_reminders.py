"""A pause and the dose reminders already on their way: a snoozed repeat for a paused day is cancelled, and a
dose reminder of a paused day cannot be snoozed (stop means stop, even ten minutes later)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import ReminderOccurrence
from tests.reminders.remhelp import API, BERLIN, rule, running_course
from tests.reminders.test_snooze_api import fired, one_offs, snooze


def test_a_snoozed_capsule_reminder_is_cancelled_by_a_pause_and_none_can_be_snoozed_while_paused(
    patient, app
):
    course = running_course(patient)
    dose1 = rule(patient, "dose", 1)
    seen = fired(app, dose1["id"])
    assert snooze(patient, dose1["id"], occurrence_id=seen["id"]).status_code == 201
    [repeat] = one_offs(app, dose1["id"])
    assert repeat.status == "pending"

    today = datetime.now(BERLIN).date()
    started = min(today, date.fromisoformat(seen["data"]["date"]))
    response = patient.post(
        f"{API}/courses/{course['id']}/pauses", json={"started_on": started.isoformat(), "reason": "hives"}
    )
    assert response.status_code == 201, response.get_json()
    [repeat] = one_offs(app, dose1["id"])
    assert (repeat.status, repeat.last_error) == ("cancelled", "capsules paused")

    refused = snooze(patient, dose1["id"])  # the latest reminder is of a paused day
    assert refused.status_code == 409 and "paused" in refused.get_json()["message"]
    with app.app_context():
        pending = db.session.scalars(
            select(ReminderOccurrence).where(
                ReminderOccurrence.rule_id == dose1["id"], ReminderOccurrence.status == "pending"
            )
        ).all()
        assert all(date.fromisoformat(o.data["date"]) < started for o in pending)

    # After the restart a dose reminder can be snoozed again.
    pause = response.get_json()
    # The day after the reminder that fired (after 08:00 in Berlin that one is tomorrow's: a restart on its
    # day would find it sent, and the first pending one a day later).
    restart = max(today, date.fromisoformat(seen["data"]["date"])) + timedelta(days=1)
    patch = patient.patch(
        f"{API}/courses/{course['id']}/pauses/{pause['id']}", json={"resumed_on": restart.isoformat()}
    )
    assert patch.status_code == 200, patch.get_json()
    with app.app_context():
        first = db.session.scalars(
            select(ReminderOccurrence)
            .where(ReminderOccurrence.rule_id == dose1["id"], ReminderOccurrence.status == "pending")
            .order_by(ReminderOccurrence.fires_at)
        ).first()
        assert date.fromisoformat(first.data["date"]) == restart
        first.fires_at = datetime.now(UTC) - timedelta(minutes=5)
        first.expires_at = datetime.now(UTC) + timedelta(minutes=40)
        first.status = "sent"
        db.session.commit()
        first_id = first.id
        db.session.remove()
    assert snooze(patient, dose1["id"], occurrence_id=first_id).status_code == 201
