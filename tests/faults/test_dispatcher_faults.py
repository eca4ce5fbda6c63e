"""The dispatcher as a real process (`flask reminders run`) under faults.

* kill -9 in the middle of a batch: a second dispatcher takes the dead one's leases back and every
  reminder is delivered; only the messages that were on the wire at the kill can reach the push
  service twice, and those carry the same Topic and payload (the push service and the phone keep
  one). Every occurrence ends `sent` with exactly one delivery row.
* PostgreSQL restarted during a dispatch (a private cluster, not the shared server): the same
  process carries on by itself, and each reminder reaches the push service exactly once (results
  of batches already sent are recorded once the database is back, not re-sent).
* a push service answering 500s and timing out: retried with back-off, each reminder accepted once.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.faults.conftest import (
    FLASK,
    delivery_rows,
    kill9,
    make_app,
    migrate,
    occurrence_rows,
    process_env,
    seed_due,
    start,
    stop,
    vapid_pem,
    wait_for,
)
from tests.support.push_service import PushService

pytestmark = pytest.mark.faults

DISPATCHER = [FLASK, "--app", "wsgi", "reminders", "run"]


def _dispatcher_env(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    settings = {
        "VAPID_PRIVATE_KEY": vapid_pem(),
        "SCHEDULER_TICK_SECONDS": "1",
        "REMINDER_BATCH_SIZE": "50",
        "REMINDER_LEASE_SECONDS": "4",
        "PUSH_CONCURRENCY": "20",
        "PUSH_TIMEOUT_SECONDS": "1",
    }
    return process_env(url, tmp_path / "instance", **{**settings, **extra})


def _all_sent(app, count: int) -> bool:
    rows = occurrence_rows(app)
    return len(rows) == count and all(status == "sent" for status, _ in rows.values())


def _assert_one_sent_delivery_each(app, count: int) -> None:
    rows = delivery_rows(app)
    per_occurrence = Counter(occ for occ, _ in rows)
    assert len(per_occurrence) == count
    assert set(per_occurrence.values()) == {1}
    assert {status for _, status in rows} == {"sent"}


def _check_payloads(service: PushService, expected: dict[str, dict]) -> Counter:
    """Every subscription got its reminder (>= once), always with the same payload and Topic."""
    assert service.failures == []
    deliveries = service.deliveries()
    for d in deliveries:
        assert d.payload == expected[d.subscription_id]["payload"]
        assert d.headers["Topic"] == expected[d.subscription_id]["headers"]["Topic"]
    counts = Counter(d.subscription_id for d in deliveries)
    assert set(counts) == set(expected), f"{len(set(expected) - set(counts))} reminders never delivered"
    return counts


def test_dispatcher_killed_mid_batch_loses_nothing_and_repeats_only_what_was_on_the_wire(tmp_path):
    url = f"sqlite:///{tmp_path / 'faults.db'}"
    env = _dispatcher_env(url, tmp_path)
    app = make_app(url, tmp_path / "instance")
    migrate(app)
    with PushService(delay=0.4) as service:
        expected = seed_due(app, service.new_subscriptions(200))
        by_sub = {sid: e["payload"]["occurrence_id"] for sid, e in expected.items()}

        first = start(DISPATCHER, env, tmp_path / "first.log")
        wait_for(lambda: len(service.deliveries()) >= 40, 60, "the first dispatcher to be mid-dispatch")
        kill9(first)
        at_kill = occurrence_rows(app)
        on_the_wire = {occ for occ, (status, _) in at_kill.items() if status == "claimed"}
        assert on_the_wire, "the kill should land while a batch is claimed and unrecorded"
        assert not _all_sent(app, 200)

        second = start(DISPATCHER, env, tmp_path / "second.log")
        try:
            wait_for(lambda: _all_sent(app, 200), 90, "every reminder to be sent after the kill")
            assert second.poll() is None
        finally:
            assert stop(second) == 0, (tmp_path / "second.log").read_text()[-3000:]

        counts = _check_payloads(service, expected)
    twice = {by_sub[sid] for sid, n in counts.items() if n > 1}
    assert max(counts.values()) <= 2
    assert twice <= on_the_wire  # nothing recorded as sent before the kill was sent again
    _assert_one_sent_delivery_each(app, 200)


def test_postgres_restart_during_a_dispatch_is_ridden_out_without_repeats(pg_cluster, tmp_path):
    url = pg_cluster.create_database(f"faults_{uuid.uuid4().hex[:8]}")
    env = _dispatcher_env(url, tmp_path, REMINDER_LEASE_SECONDS="30")
    app = make_app(url, tmp_path / "instance")
    migrate(app)
    with PushService(delay=0.4) as service:
        expected = seed_due(app, service.new_subscriptions(200))
        dispatcher = start(DISPATCHER, env, tmp_path / "dispatcher.log")
        try:
            wait_for(lambda: len(service.deliveries()) >= 30, 60, "the dispatcher to be mid-dispatch")
            pg_cluster.restart("fast")  # every connection is dropped; the server is gone for a moment
            wait_for(lambda: _all_sent(app, 200), 120, "every reminder to be sent after the restart")
            assert dispatcher.poll() is None, "the dispatcher must survive the restart by itself"
        finally:
            code = stop(dispatcher)
        log = (tmp_path / "dispatcher.log").read_text()
        assert code == 0, log[-3000:]
        counts = _check_payloads(service, expected)
    assert set(counts.values()) == {1}, f"{sum(n > 1 for n in counts.values())} reminders sent twice"
    _assert_one_sent_delivery_each(app, 200)
    with app.app_context():
        from backend.extensions import db

        db.engine.dispose()


def test_push_service_errors_and_timeouts_are_retried_until_accepted_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'faults.db'}"
    env = _dispatcher_env(url, tmp_path)
    app = make_app(url, tmp_path / "instance")
    migrate(app)
    with PushService() as service:
        expected = seed_due(app, service.new_subscriptions(60))
        service.respond(500, times=20)  # the first 20 answers: internal server error
        service.hang(2.0, times=10)  # the next 10: no answer within PUSH_TIMEOUT_SECONDS (1 s)
        dispatcher = start(DISPATCHER, env, tmp_path / "dispatcher.log")
        try:
            wait_for(lambda: _all_sent(app, 60), 90, "every reminder to be sent through the errors")
            assert dispatcher.poll() is None
        finally:
            assert stop(dispatcher) == 0, (tmp_path / "dispatcher.log").read_text()[-3000:]
        # A hung request is answered (and logged) 2 s after it arrived, whatever the client did: the
        # dispatcher, retrying after its 1 s timeout, may have sent everything before that.
        wait_for(
            lambda: Counter(a.status for a in service.answers())[504] >= 10, 10, "the hung requests' answers"
        )
        statuses = Counter(a.status for a in service.answers())
        counts = _check_payloads(service, expected)
    assert statuses[500] == 20 and statuses[504] == 10, statuses
    assert set(counts.values()) == {1}
    _assert_one_sent_delivery_each(app, 60)
