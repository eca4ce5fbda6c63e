"""The dispatcher against each push service's rules (Apple, Mozilla autopush, FCM profiles).

Subscriptions are registered through the API with endpoints on each service's test host; the
dispatcher's sender reaches them over TLS through its pinned resolver (loopback only).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask

from backend.extensions import db
from backend.models import PushServiceAlert, PushSubscription, ReminderOccurrence
from backend.models.types import utcnow
from backend.push import PushSender
from backend.push.vapid import VapidKeys
from backend.reminders import dispatch, heartbeat
from tests.push._helpers import RecordingSleep
from tests.reminders.remhelp import API, utc
from tests.support.push_service import PROFILES, PushService

MAR10 = utc(2026, 3, 10, 6, 0)
DOSE_DUE = utc(2026, 3, 10, 7, 0)  # 08:00 Berlin, dose 1
EVENING_DUE = utc(2026, 3, 10, 19, 0)  # 20:00 Berlin, dose 2
SERVICES = tuple(PROFILES)


@pytest.fixture
def services(app: Flask, monkeypatch) -> Iterator[PushService]:
    monkeypatch.setitem(app.config, "PUSH_SERVICE_ALLOWLIST", [p.host for p in PROFILES.values()])
    with PushService(tls=True) as service:
        yield service


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def profile_sender(app: Flask, services: PushService, clock: Clock) -> PushSender:
    return PushSender(
        dispatch.get_vapid(app),
        ca_bundle=services.ca_path,
        resolve=services.resolve_map,
        timeout=5.0,
        backoff_base=0.01,
        backoff_cap=0.05,
        clock=clock,
        sleep=RecordingSleep(),
    )


def subscribe_on(patient, app: Flask, services: PushService, profile: str) -> dict:
    info = services.new_subscription(
        profile, application_server_key=dispatch.get_vapid(app).public_key_b64url
    )
    response = patient.post(f"{API}/push/subscriptions", json=info)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    body["push_sid"] = services.subscription_id(info)
    return body


def dose_occurrence(app: Flask, key: str) -> ReminderOccurrence:
    with app.app_context():
        [occ] = [
            o
            for o in db.session.scalars(
                db.select(ReminderOccurrence).where(ReminderOccurrence.kind == "dose")
            )
            if o.occurrence_key == key
        ]
        db.session.expunge(occ)
        return occ


def subscription(app: Flask, sub_id: str) -> PushSubscription | None:
    with app.app_context():
        sub = db.session.get(PushSubscription, sub_id)
        if sub is not None:
            db.session.expunge(sub)
        return sub


@pytest.mark.parametrize("profile", SERVICES)
def test_a_dose_reaches_each_service_with_high_urgency_and_a_topic(
    app, patient, services, profile_sender, materialise, profile
):
    course = patient.create_course()
    device = subscribe_on(patient, app, services, profile)
    materialise(course["id"], MAR10)
    stats = dispatch.run_tick(app, now=DOSE_DUE + timedelta(seconds=30), sender=profile_sender)
    assert stats.sent == 1
    [delivery] = services.deliveries(device["push_sid"])
    assert delivery.headers["Urgency"] == "high"
    assert len(delivery.headers["Topic"]) == 32
    assert delivery.payload["actions"][0]["action"] == "taken"
    assert services.failures == []
    assert subscription(app, device["id"]).last_success_at is not None


def test_urgency_is_high_for_doses_and_the_mood_check_in_only():
    assert [dispatch.urgency_for(k) for k in ("dose", "dose_followup", "mood_checkin")] == ["high"] * 3
    for kind in ("appointment", "fasting", "refill", "pickup_window", "final_pregnancy_test", "test"):
        assert dispatch.urgency_for(kind) == "normal"


@pytest.mark.parametrize(("profile", "status"), [(p, s) for p in SERVICES for s in (404, 410)])
def test_a_gone_subscription_is_retired_on_each_service(
    app, patient, services, profile_sender, materialise, profile, status
):
    course = patient.create_course()
    gone = subscribe_on(patient, app, services, profile)
    kept = subscribe_on(patient, app, services, "fcm" if profile != "fcm" else "apple")
    if status == 410:
        services.expire(gone["push_sid"])
    else:
        services._subscriptions.pop(gone["push_sid"])
    materialise(course["id"], MAR10)
    stats = dispatch.run_tick(app, now=DOSE_DUE + timedelta(seconds=30), sender=profile_sender)
    assert stats.gone == 1 and stats.sent == 1
    assert subscription(app, gone["id"]) is None
    assert subscription(app, kept["id"]) is not None
    assert [a.status for a in services.answers(gone["push_sid"])] == [status]  # not retried
    assert patient.get(f"{API}/push/subscriptions").get_json()[0]["id"] == kept["id"]


def test_apples_403_is_a_configuration_error_in_healthz_and_keeps_the_subscription(
    app, client, patient, services, materialise, clock
):
    course = patient.create_course()
    apple = subscribe_on(patient, app, services, "apple")
    mozilla = subscribe_on(patient, app, services, "mozilla")
    good_key = dispatch.get_vapid(app).private_key
    # The same key with a subject Apple refuses (a localhost address): Mozilla accepts it.
    misconfigured = PushSender(
        VapidKeys(good_key, "mailto:ops@localhost.localdomain"),
        ca_bundle=services.ca_path,
        resolve=services.resolve_map,
        sleep=RecordingSleep(),
    )
    materialise(course["id"], MAR10)
    with app.app_context():
        heartbeat.record_tick("host:1", utcnow())
    stats = dispatch.run_tick(app, now=DOSE_DUE + timedelta(seconds=30), sender=misconfigured)
    assert stats.gone == 0 and stats.sent == 1  # Mozilla took it; Apple's device is not "gone"
    kept = subscription(app, apple["id"])
    assert kept is not None and kept.last_status == 403 and "BadJwtToken" in kept.last_error
    assert len(services.received(mozilla["push_sid"])) == 1

    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded" and health["push"]["vapid_refused"] is True
    [alert] = health["push"]["refused_by"]
    assert alert["origin"] == services.profile_origin("apple") and alert["status_code"] == 403
    assert "BadJwtToken" in alert["reason"]

    # Fixed configuration: the evening dose reaches Apple and the alert is cleared.
    fixed = PushSender(dispatch.get_vapid(app), ca_bundle=services.ca_path, resolve=services.resolve_map)
    with app.app_context():
        heartbeat.record_tick("host:1", utcnow())
    dispatch.run_tick(app, now=EVENING_DUE + timedelta(seconds=30), sender=fixed)
    assert len(services.received(apple["push_sid"])) == 1
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["push"] == {"vapid_refused": False, "refused_by": []}
    with app.app_context():
        assert db.session.scalars(db.select(PushServiceAlert)).all() == []


def test_a_429_defers_that_services_delivery_and_not_the_others(
    app, patient, services, profile_sender, materialise, clock
):
    course = patient.create_course()
    mozilla = subscribe_on(patient, app, services, "mozilla")
    fcm = subscribe_on(patient, app, services, "fcm")
    materialise(course["id"], MAR10)
    services.throttle(300, profile="mozilla")
    first = DOSE_DUE + timedelta(seconds=30)
    stats = dispatch.run_tick(app, now=first, sender=profile_sender)
    assert stats.retry_later == 1 and stats.sent == 0
    assert len(services.received(fcm["push_sid"])) == 1  # FCM got it at once
    assert services.received(mozilla["push_sid"]) == []
    occ = dose_occurrence(app, "2026-03-10:1")
    assert occ.status == "claimed"  # kept, not dropped: its lease runs out when the wait is over
    assert first + timedelta(seconds=299) <= occ.claimed_until <= first + timedelta(seconds=300)
    assert subscription(app, mozilla["id"]).last_status == 429

    # Nothing is sent to Mozilla while it asked us to wait.
    dispatch.run_tick(app, now=first + timedelta(seconds=120), sender=profile_sender)
    assert [a.status for a in services.answers(mozilla["push_sid"])] == [429]

    clock.now += 301
    services.throttle(0, profile="mozilla")
    stats = dispatch.run_tick(app, now=first + timedelta(seconds=301), sender=profile_sender)
    assert stats.sent == 1
    assert len(services.received(mozilla["push_sid"])) == 1
    assert len(services.received(fcm["push_sid"])) == 1  # not sent twice
    assert dose_occurrence(app, "2026-03-10:1").status == "sent"


def test_a_deferred_message_does_not_count_against_the_subscription(app, patient, services, clock):
    """A message the sender held back (never sent) leaves the subscription's record untouched."""
    from backend.push import PushResult

    device = subscribe_on(patient, app, services, "mozilla")
    with app.app_context():
        sub = db.session.get(PushSubscription, device["id"])
        result = PushResult(
            device["id"], None, False, False, False, False, 200.0, 0, "deferred", deferred=True
        )
        assert dispatch.record_result(sub, result, utcnow()) == "pending"
        assert sub.failure_count == 0 and sub.last_failure_at is None and sub.last_error is None


def test_a_mismatched_vapid_key_is_refused_by_every_service_and_nothing_is_deleted(
    app, patient, services, materialise
):
    course = patient.create_course()
    devices = [subscribe_on(patient, app, services, p) for p in SERVICES]
    other = PushSender(
        VapidKeys(ec.generate_private_key(ec.SECP256R1()), "mailto:ops@clearcourse.example.org"),
        ca_bundle=services.ca_path,
        resolve=services.resolve_map,
    )
    materialise(course["id"], MAR10)
    stats = dispatch.run_tick(app, now=DOSE_DUE + timedelta(seconds=30), sender=other)
    assert stats.gone == 0
    statuses = {subscription(app, d["id"]).last_status for d in devices}
    assert statuses == {401, 403}  # autopush 401; Apple and FCM 403
    with app.app_context():
        assert {a.origin for a in db.session.scalars(db.select(PushServiceAlert))} == {
            services.profile_origin(p) for p in SERVICES
        }
