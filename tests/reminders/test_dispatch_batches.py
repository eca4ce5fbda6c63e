"""Dispatcher batches at scale: bind-parameter limits when fanning out, chunked set-based recording."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, func, insert, select

from backend.extensions import db
from backend.models import (
    Course,
    Patient,
    PushSubscription,
    ReminderDelivery,
    ReminderOccurrence,
    ReminderRule,
)
from backend.reminders import dispatch
from tests.reminders.remhelp import API, subscribe, utc

NOW = utc(2026, 3, 10, 7, 0)
#: 111 occurrences x 100 devices = 11,100 deliveries; 6 columns each = 66,600 bind parameters in one
#: multi-VALUES INSERT, past PostgreSQL's 65,535 (and far past SQLite's common 32,766).
OCCURRENCES = 111
DEVICES = 100
SQLITE_COMMON_LIMIT = 32_766  # SQLITE_MAX_VARIABLE_NUMBER of stock SQLite >= 3.32 (Debian raises it)


@pytest.fixture
def common_sqlite_limit(app: Flask) -> Iterator[None]:
    """On SQLite, give every connection the stock 32,766 bind-variable limit for the test."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        yield
        return

    def lower(dbapi_connection, _record, _proxy) -> None:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, SQLITE_COMMON_LIMIT)

    event.listen(engine, "checkout", lower)
    try:
        yield
    finally:
        event.remove(engine, "checkout", lower)
        engine.dispose()  # drop the connections that carry the lowered limit


def _seed_one_patient_many_devices() -> list[str]:
    """One patient with DEVICES subscriptions and OCCURRENCES due dose reminders (bulk inserted)."""
    patient_id, course_id, rule_id = (str(uuid.uuid4()) for _ in range(3))
    db.session.execute(insert(Patient), [{"id": patient_id, "created_at": NOW}])
    plan = [{"from_date": "2026-01-05", "daily_mg": 20, "doses_per_day": 1, "dose_times": ["08:00"]}]
    db.session.execute(
        insert(Course),
        [
            {
                "id": course_id,
                "patient_id": patient_id,
                "start_date": date(2026, 1, 5),
                "weight_kg": 70.0,
                "target_mg_per_kg": 120.0,
                "timezone": "Europe/Berlin",
                "product": "standard",
                "programme": "eu_ppp",
                "pregnancy_prevention": False,
                "dose_plan": plan,
                "created_at": NOW,
                "updated_at": NOW,
            }
        ],
    )
    db.session.execute(
        insert(ReminderRule),
        [
            {
                "id": rule_id,
                "patient_id": patient_id,
                "course_id": course_id,
                "kind": "dose",
                "slot": 1,
                "enabled": True,
                "materialised_until": NOW + timedelta(days=30),
                "created_at": NOW,
                "updated_at": NOW,
            }
        ],
    )
    db.session.execute(
        insert(PushSubscription),
        [
            {
                "id": str(uuid.uuid4()),
                "patient_id": patient_id,
                "endpoint": f"https://push.example.org/send/{i}",
                "p256dh": "p" * 87,
                "auth": "a" * 22,
                "created_at": NOW,
                "last_seen_at": NOW,
                "failure_count": 0,
            }
            for i in range(DEVICES)
        ],
    )
    occurrence_ids = [str(uuid.uuid4()) for _ in range(OCCURRENCES)]
    db.session.execute(
        insert(ReminderOccurrence),
        [
            {
                "id": occ_id,
                "rule_id": rule_id,
                "patient_id": patient_id,
                "occurrence_key": f"bulk:{i}",
                "kind": "dose",
                "fires_at": NOW - timedelta(seconds=60 + i),
                "expires_at": NOW + timedelta(hours=1),
                "status": "pending",
                "attempts": 0,
                "data": {"course_id": course_id, "date": "2026-03-10", "slot": 1, "mg": 20},
                "one_off": False,
                "created_at": NOW,
            }
            for i, occ_id in enumerate(occurrence_ids)
        ],
    )
    db.session.commit()
    return occurrence_ids


def _delivery_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ReminderDelivery))


@pytest.mark.parametrize(
    "wanted",
    [["a", "d"], ["b,c"], [""], ["a", ""], ['q"uote'], [], ["missing"], [f"id-{i}" for i in range(1500)]],
)
def test_id_list_as_one_parameter_matches_exactly_the_given_ids(app: Flask, wanted: list[str]) -> None:
    """`_among` (one array / JSON parameter instead of an expanding IN) on this test run's engine."""
    stored = ["a", "b,c", "", "d", 'q"uote', *(f"id-{i}" for i in range(0, 3000, 2))]
    with app.app_context():
        db.session.execute(insert(Patient), [{"id": i, "created_at": NOW} for i in stored])
        pg = db.session.get_bind().dialect.name == "postgresql"
        found = db.session.scalars(select(Patient.id).where(dispatch._among(Patient.id, wanted, pg))).all()
        assert sorted(found) == sorted(set(wanted) & set(stored))
        db.session.rollback()


def test_prepare_fans_out_a_batch_past_the_bind_parameter_limit(app: Flask, common_sqlite_limit) -> None:
    with app.app_context():
        seeded = _seed_one_patient_many_devices()
        ids = dispatch.claim_due(NOW, OCCURRENCES, timedelta(minutes=5), "test-node")
        assert sorted(ids) == sorted(seeded)

        stats = dispatch.TickStats()
        batch = dispatch._prepare(ids, NOW, stats)

        assert sorted(batch.occurrence_ids) == sorted(seeded)
        assert len(batch.messages) == len(batch.keys) == OCCURRENCES * DEVICES
        assert _delivery_count() == OCCURRENCES * DEVICES  # 11,100 x 6 > 65,535 parameters
        pairs = db.session.execute(select(ReminderDelivery.occurrence_id, ReminderDelivery.subscription_id))
        assert len(set(pairs)) == OCCURRENCES * DEVICES

        # Preparing the same claim again (a retried pass) adds nothing: unique (occurrence, subscription),
        # and the still-pending deliveries are sent under their existing ids.
        again = dispatch._prepare(ids, NOW, stats)
        assert sorted(again.occurrence_ids) == sorted(seeded)
        assert sorted(again.keys) == sorted(batch.keys)
        assert _delivery_count() == OCCURRENCES * DEVICES
        db.session.remove()


def test_record_step_in_chunks_keeps_per_device_outcomes(
    patient, push_service, materialise, tick, app, monkeypatch
) -> None:
    """One id per UPDATE chunk: successes set-based, a 400 and a 410 through the ORM, as before."""
    monkeypatch.setattr(dispatch, "ID_CHUNK", 1)
    course = patient.create_course()
    ok = [subscribe(patient, push_service) for _ in range(3)]
    refused = subscribe(patient, push_service)
    gone = subscribe(patient, push_service)
    push_service.expire(gone["push_sid"])
    push_service.respond(400, subscription_id=refused["push_sid"], body="bad request")
    materialise(course["id"], utc(2026, 3, 10, 6, 0))

    stats = tick(NOW + timedelta(seconds=30))

    assert (stats.sent, stats.gone, stats.failed, stats.retry_later) == (1, 1, 0, 0)
    with app.app_context():
        assert db.session.get(PushSubscription, gone["id"]) is None
        for device in ok:
            sub = db.session.get(PushSubscription, device["id"])
            assert (sub.last_status, sub.failure_count, sub.last_error) == (201, 0, None)
            assert sub.last_success_at is not None and sub.last_failure_at is None
        bad = db.session.get(PushSubscription, refused["id"])
        assert (bad.last_status, bad.failure_count, bad.last_success_at) == (400, 1, None)
        assert bad.last_error and bad.last_failure_at is not None
        deliveries = {
            d.subscription_id: d for d in db.session.scalars(select(ReminderDelivery))
        }  # the gone device's row went with its subscription
        assert set(deliveries) == {d["id"] for d in [*ok, refused]}
        assert all(deliveries[d["id"]].status == "sent" for d in ok)
        assert all(deliveries[d["id"]].sent_at is not None for d in ok)
        assert (deliveries[refused["id"]].status, deliveries[refused["id"]].status_code) == ("failed", 400)
        [occ] = db.session.scalars(
            select(ReminderOccurrence).where(
                ReminderOccurrence.kind == "dose", ReminderOccurrence.occurrence_key == "2026-03-10:1"
            )
        )
        assert (occ.status, occ.claimed_until, occ.last_error) == ("sent", None, None)
        assert occ.sent_at is not None
    listed = patient.get(f"{API}/push/subscriptions").get_json()
    assert len(listed) == 4
