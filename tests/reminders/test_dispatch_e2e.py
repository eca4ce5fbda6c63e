"""Dispatcher end to end: claim → send to the local push service (VAPID-verified, decrypted) → record."""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.extensions import db
from backend.models import PushSubscription, ReminderDelivery, ReminderOccurrence
from backend.reminders import dispatch
from tests.reminders.remhelp import API, subscribe, utc

# The default test course: 40 mg/day as 2 × 20 mg at 08:00 and 20:00 Europe/Berlin, standard capsules.
MAR10 = utc(2026, 3, 10, 6, 0)  # 07:00 CET; the 08:00 dose is 07:00 UTC
DOSE_DUE = utc(2026, 3, 10, 7, 0)


def _dose_occurrence(occurrences, key: str, kind: str = "dose") -> dict:
    matches = [o for o in occurrences(kind) if o["key"] == key]
    assert len(matches) == 1, [o["key"] for o in occurrences(kind)]
    return matches[0]


def test_due_capsule_reaches_every_device_exactly_once_with_the_meal_text(
    patient, push_service, materialise, tick, occurrences, app
):
    course = patient.create_course()
    devices = [subscribe(patient, push_service) for _ in range(2)]
    materialise(course["id"], MAR10)
    occ = _dose_occurrence(occurrences, "2026-03-10:1")
    assert occ["fires_at"] == DOSE_DUE

    stats = tick(DOSE_DUE + timedelta(seconds=30))
    assert stats.sent == 1 and stats.claimed == 1

    for device in devices:
        received = push_service.received(device["push_sid"])
        assert len(received) == 1, received
        payload = received[0]
        assert payload["title"] == "Time for capsule 1 of 2 (20 mg)"
        assert "with a meal" in payload["body"]  # DOSE-5: standard capsules
        assert payload["tag"] == occ["id"] and payload["occurrence_id"] == occ["id"]
        assert payload["url"] == "/?dose=2026-03-10:1"
        assert payload["kind"] == "dose" and payload["date"] == "2026-03-10" and payload["slot"] == 1
        assert payload["course_id"] == course["id"] and payload["mg"] == 20
        assert [a["action"] for a in payload["actions"]] == ["taken", "snooze"]
        delivery = push_service.deliveries(device["push_sid"])[0]
        assert delivery.headers["Urgency"] == "high"
        assert 0 < int(delivery.headers["TTL"]) <= 45 * 60
        assert delivery.headers["Topic"] and len(delivery.headers["Topic"]) <= 32
        assert delivery.body_size < 2048
    assert push_service.failures == []

    # A second pass at the same moment sends nothing more.
    assert tick(DOSE_DUE + timedelta(seconds=40)).claimed == 0
    assert len(push_service.received()) == 2
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "sent"
    listed = patient.get(f"{API}/push/subscriptions").get_json()
    assert all(d["last_success_at"] and d["last_status"] == 201 for d in listed)
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(ReminderDelivery)
                .where(ReminderDelivery.status == "sent")
            )
            == 2
        )


def test_food_independent_product_does_not_say_with_a_meal(patient, push_service, materialise, tick):
    course = patient.create_course(product="food_independent")
    device = subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    tick(DOSE_DUE + timedelta(seconds=5))
    [payload] = push_service.received(device["push_sid"])
    assert "with a meal" not in payload["body"] and "with or without food" in payload["body"]


def test_gone_subscription_is_deleted(patient, push_service, materialise, tick, app, occurrences):
    course = patient.create_course()
    gone = subscribe(patient, push_service)
    alive = subscribe(patient, push_service)
    push_service.expire(gone["push_sid"])
    materialise(course["id"], MAR10)
    stats = tick(DOSE_DUE + timedelta(seconds=5))
    assert stats.gone == 1 and stats.sent == 1
    ids = [d["id"] for d in patient.get(f"{API}/push/subscriptions").get_json()]
    assert ids == [alive["id"]]
    with app.app_context():
        assert db.session.get(PushSubscription, gone["id"]) is None
    assert len(push_service.received(alive["push_sid"])) == 1
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "sent"


def test_only_device_gone_marks_the_reminder_failed(patient, push_service, materialise, tick, occurrences):
    course = patient.create_course()
    device = subscribe(patient, push_service)
    push_service.expire(device["push_sid"])
    materialise(course["id"], MAR10)
    tick(DOSE_DUE + timedelta(seconds=5))
    assert patient.get(f"{API}/push/subscriptions").get_json() == []
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "failed"


def test_429_is_retried_after_the_delay(patient, push_service, materialise, tick, occurrences):
    course = patient.create_course()
    device = subscribe(patient, push_service)
    push_service.respond(429, retry_after=1)
    materialise(course["id"], MAR10)
    started = time.time()
    stats = tick(DOSE_DUE + timedelta(seconds=5))
    assert stats.sent == 1
    answers = push_service.answers(device["push_sid"])
    assert [a.status for a in answers] == [429, 201]
    assert answers[1].at - answers[0].at >= 0.95  # honoured Retry-After: 1
    assert time.time() - started >= 0.95
    assert len(push_service.received(device["push_sid"])) == 1
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "sent"


def test_dispatcher_killed_between_claim_and_send_still_delivers(
    patient, push_service, materialise, tick, occurrences, app
):
    course = patient.create_course()
    device = subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    now = DOSE_DUE + timedelta(seconds=5)
    lease = timedelta(seconds=app.config.get("REMINDER_LEASE_SECONDS", dispatch.DEFAULT_LEASE_SECONDS))
    with app.app_context():
        claimed = dispatch.claim_due(now, 100, lease, "dead-node")  # committed, then the process "dies"
        db.session.remove()
    assert len(claimed) == 1
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "claimed"

    # While the dead node's lease runs, nobody else takes the row.
    assert tick(now + timedelta(seconds=60)).claimed == 0
    assert push_service.received() == []
    # Once the lease has expired, the next pass takes it back and sends it.
    stats = tick(now + lease + timedelta(seconds=1))
    assert stats.claimed == 1 and stats.sent == 1
    assert len(push_service.received(device["push_sid"])) == 1
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "sent"


def test_late_beyond_grace_is_missed_not_sent(patient, push_service, materialise, tick, occurrences):
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    # The server was down: the first pass runs 46 minutes after the 08:00 capsule (grace: 45 min).
    stats = tick(DOSE_DUE + timedelta(minutes=46))
    assert stats.missed >= 1
    assert [p["kind"] for p in push_service.received()] == []  # the follow-up (08:00 UTC) is not due yet
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "missed"


def test_late_within_grace_is_still_sent(patient, push_service, materialise, tick):
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    tick(DOSE_DUE + timedelta(minutes=40))
    assert [p["kind"] for p in push_service.received()] == ["dose"]


def test_follow_up_is_sent_when_the_dose_is_not_logged(patient, push_service, materialise, tick, occurrences):
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    tick(DOSE_DUE + timedelta(seconds=5))
    follow = _dose_occurrence(occurrences, "2026-03-10:1", "dose_followup")
    assert follow["fires_at"] == DOSE_DUE + timedelta(minutes=60)
    tick(follow["fires_at"] + timedelta(seconds=5))
    kinds = [p["kind"] for p in push_service.received()]
    assert kinds == ["dose", "dose_followup"]
    payload = push_service.received()[1]
    assert "08:00" in payload["title"]
    assert "Never take two at once" in payload["body"]  # DOSE-8 under the course's EU/UK rule set
    assert "unless your next one is nearly due; then leave this one out" in payload["body"]


def test_no_follow_up_after_the_dose_is_logged(patient, push_service, materialise, tick, occurrences):
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    tick(DOSE_DUE + timedelta(seconds=5))
    response = patient.put(
        f"{API}/courses/{course['id']}/doses/{uuid.uuid4()}",
        json={
            "date": "2026-03-10",
            "slot": 1,
            "status": "taken",
            "mg": 20,
            "taken_at": "2026-03-10T08:10:00+01:00",
        },
    )
    assert response.status_code == 201, response.get_json()
    follow = _dose_occurrence(occurrences, "2026-03-10:1", "dose_followup")
    assert follow["status"] == "cancelled"  # the hook cancelled it at once
    tick(follow["fires_at"] + timedelta(seconds=5))
    assert [p["kind"] for p in push_service.received()] == ["dose"]


def test_follow_up_checks_the_log_at_send_time(patient, push_service, materialise, tick, occurrences, app):
    """Even when the hook did not run (e.g. the dose was written another way), nothing is sent."""
    from backend.models import DoseLog

    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    with app.app_context():
        from datetime import date

        db.session.add(
            DoseLog(
                id=str(uuid.uuid4()),
                course_id=course["id"],
                date=date(2026, 3, 10),
                slot=1,
                status="skipped",
                mg=20,
            )
        )
        db.session.commit()
    follow = _dose_occurrence(occurrences, "2026-03-10:1", "dose_followup")
    stats = tick(follow["fires_at"] + timedelta(seconds=5))
    assert push_service.received() == []
    assert stats.cancelled == 2  # the dose reminder and its follow-up
    assert _dose_occurrence(occurrences, "2026-03-10:1", "dose_followup")["status"] == "cancelled"


def test_dst_spring_forward_dose_keeps_its_local_time(patient, push_service, materialise, tick, occurrences):
    """Berlin: 08:00 is 07:00 UTC on Sat 28 March 2026 and 06:00 UTC on Sun 29 March (CEST)."""
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], utc(2026, 3, 27, 12, 0))
    sat = _dose_occurrence(occurrences, "2026-03-28:1")
    sun = _dose_occurrence(occurrences, "2026-03-29:1")
    assert sat["fires_at"] == utc(2026, 3, 28, 7, 0)
    assert sun["fires_at"] == utc(2026, 3, 29, 6, 0)
    tick(utc(2026, 3, 29, 6, 0, 10))
    dose_dates = [p["date"] for p in push_service.received() if p["kind"] == "dose"]
    assert dose_dates[-1] == "2026-03-29"
    assert _dose_occurrence(occurrences, "2026-03-29:1")["status"] == "sent"
    # Nothing fires at 07:00 UTC on Sunday (that would be 09:00 local) except the 60-min follow-up.
    before = len(push_service.received())
    tick(utc(2026, 3, 29, 7, 0, 10))
    assert [p["kind"] for p in push_service.received()[before:]] == ["dose_followup"]


def test_dst_fall_back_fires_once(patient, push_service, materialise, tick, occurrences):
    """New York, 1 Nov 2026: 01:30 happens twice; a 01:30 dose fires once, at the first (EDT)."""
    course = patient.create_course(
        timezone="America/New_York",
        dose_plan=[{"from_date": "2026-01-05", "daily_mg": 40, "doses_per_day": 1, "dose_times": ["01:30"]}],
    )
    subscribe(patient, push_service)
    materialise(course["id"], utc(2026, 10, 31, 12, 0))
    sunday = _dose_occurrence(occurrences, "2026-11-01:1")
    assert sunday["fires_at"] == utc(2026, 11, 1, 5, 30)  # 01:30 EDT (UTC-4)
    tick(utc(2026, 11, 1, 5, 30, 5))
    tick(utc(2026, 11, 1, 6, 30, 5))  # 01:30 EST, the repeated wall-clock time
    doses = [p for p in push_service.received() if p["kind"] == "dose"]
    assert [p["date"] for p in doses] == ["2026-11-01"]


def test_time_zone_change_recomputes_pending_occurrences(patient, push_service, occurrences):
    course = patient.create_course()
    before = {o["key"]: o for o in occurrences("dose") if o["status"] == "pending"}
    assert before, "creating a course materialises its next days"
    response = patient.patch(f"{API}/courses/{course['id']}", json={"timezone": "America/New_York"})
    assert response.status_code == 200, response.get_json()
    after = [o for o in occurrences("dose") if o["status"] == "pending"]
    assert after
    ny = ZoneInfo("America/New_York")
    for occ in after:
        local = occ["fires_at"].astimezone(ny)
        assert local.strftime("%H:%M") in ("08:00", "20:00"), occ
        assert local.date().isoformat() == occ["key"].split(":")[0]
    moved = [o for o in after if o["key"] in before and before[o["key"]]["fires_at"] != o["fires_at"]]
    assert moved, "the pending rows moved to New York time"


def test_disabled_reminder_is_cancelled_not_sent(patient, push_service, materialise, tick, occurrences, app):
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    rules = patient.get(f"{API}/reminders").get_json()
    dose1 = next(r for r in rules if r["kind"] == "dose" and r["slot"] == 1)
    # Turn it off directly (the API recomputes from the real clock; here we test the send-time check).
    with app.app_context():
        from backend.models import ReminderRule

        db.session.get(ReminderRule, dose1["id"]).enabled = False
        db.session.commit()
    stats = tick(DOSE_DUE + timedelta(seconds=5))
    assert stats.cancelled == 1 and push_service.received() == []
    with app.app_context():
        status = db.session.scalar(
            db.select(ReminderOccurrence.status).where(
                ReminderOccurrence.rule_id == dose1["id"], ReminderOccurrence.occurrence_key == "2026-03-10:1"
            )
        )
    assert status == "cancelled"


def test_a_claim_takes_at_most_the_batch_size(patient, push_service, materialise, tick, app, occurrences):
    """Regression: on PostgreSQL an IN (subquery LIMIT n FOR UPDATE SKIP LOCKED) claimed every due row."""
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], utc(2026, 3, 7, 6, 0))
    now = utc(2026, 3, 10, 7, 10)  # several days of due (and some expired) reminders
    due = [o for o in occurrences() if o["fires_at"] <= now]
    assert len(due) > 5
    lease = timedelta(minutes=5)
    with app.app_context():
        first = dispatch.claim_due(now, 2, lease, "a")
        second = dispatch.claim_due(now, 3, lease, "b")
        db.session.remove()
    assert len(first) == 2 and len(second) == 3 and not set(first) & set(second)
    assert sum(o["status"] == "claimed" for o in occurrences()) == 5
    stats = tick(now, batch_size=2, max_batches=1)
    assert stats.claimed == 2


def test_snooze_sends_a_one_off_with_the_original_tag(
    patient, push_service, materialise, tick, occurrences, app
):
    from backend.models import ReminderRule
    from backend.services import reminders as service

    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    tick(DOSE_DUE + timedelta(seconds=5))
    [original] = push_service.received()
    with app.app_context():
        rule = db.session.get(ReminderRule, original["reminder_id"])
        snoozed, created = service.snooze(
            rule, 10, now=DOSE_DUE + timedelta(minutes=1), occurrence_id=original["occurrence_id"]
        )
        snooze_id = snoozed.id
        assert created and snoozed.occurrence_key == f"snooze:{original['occurrence_id']}"
        db.session.remove()
    tick(DOSE_DUE + timedelta(minutes=10))
    assert len(push_service.received()) == 1  # not due yet
    tick(DOSE_DUE + timedelta(minutes=11, seconds=5))
    [_, repeat] = push_service.received()
    assert repeat["occurrence_id"] == snooze_id and repeat["tag"] == original["tag"]
    assert repeat["title"] == original["title"] and repeat["url"] == original["url"]


def test_appointment_reminder_is_sent_the_evening_before(patient, push_service, tick, app, occurrences):
    from backend.models import Course
    from backend.services import reminders as service

    course = patient.create_course()
    device = subscribe(patient, push_service)
    response = patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": "dermatologist_visit", "starts_at": "2026-04-02T10:15", "place": "Clinic A"},
    )
    assert response.status_code == 201
    with app.app_context():
        service.rematerialise_course(db.session.get(Course, course["id"]), utc(2026, 3, 31, 12, 0))
        db.session.commit()
    eve = next(o for o in occurrences("appointment") if o["key"].endswith(":eve"))
    assert eve["fires_at"] == utc(2026, 4, 1, 17, 0)  # 19:00 CEST
    tick(eve["fires_at"] + timedelta(seconds=5))
    payloads = [p for p in push_service.received(device["push_sid"]) if p["kind"] == "appointment"]
    assert len(payloads) == 1
    assert payloads[0]["title"] == "Tomorrow: dermatologist visit at 10:15"
    assert "Clinic A" in payloads[0]["body"]
    assert push_service.deliveries(device["push_sid"])[-1].headers["Urgency"] == "normal"


def test_erasing_the_patient_removes_subscriptions_and_reminders(patient, push_service, app):
    from backend.models import ReminderRule

    patient.create_course()
    subscribe(patient, push_service)
    assert patient.delete(f"{API}/me").status_code in (200, 204)
    with app.app_context():
        for model in (PushSubscription, ReminderRule, ReminderOccurrence):
            assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0, model


def test_the_configured_sender_process_delivers_and_records(
    patient, push_service, materialise, app, occurrences
):
    """PUSH_SENDER_PROCESS (the default outside tests): run_tick sends through a child process of its own."""
    from backend.push.sender_process import SenderProcess

    app.config["PUSH_SENDER_PROCESS"] = True
    course = patient.create_course()
    alive = [subscribe(patient, push_service) for _ in range(2)]
    gone = subscribe(patient, push_service)
    push_service.expire(gone["push_sid"])
    materialise(course["id"], MAR10)
    try:
        stats = dispatch.run_tick(app, now=DOSE_DUE + timedelta(seconds=5))
        with app.app_context():
            sender = dispatch.get_dispatch_sender()
            assert isinstance(sender, SenderProcess)
            child = sender.pid
        assert child is not None and child != os.getpid()
    finally:
        dispatch.close_sender(app)
    assert (stats.sent, stats.gone) == (1, 1)
    for device in alive:
        [payload] = push_service.received(device["push_sid"])
        assert payload["title"] == "Time for capsule 1 of 2 (20 mg)"
    assert push_service.failures == []
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "sent"
    ids = {d["id"] for d in patient.get(f"{API}/push/subscriptions").get_json()}
    assert ids == {d["id"] for d in alive}
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # closed and reaped


def test_a_sender_process_that_cannot_start_does_not_stop_the_reminders(
    patient, push_service, materialise, app, occurrences, monkeypatch
):
    app.config["PUSH_SENDER_PROCESS"] = True
    course = patient.create_course()
    device = subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the child exits before it is ready
    try:
        stats = dispatch.run_tick(app, now=DOSE_DUE + timedelta(seconds=5))
    finally:
        dispatch.close_sender(app)
    assert stats.sent == 1
    assert len(push_service.received(device["push_sid"])) == 1
    assert _dose_occurrence(occurrences, "2026-03-10:1")["status"] == "sent"
