"""The reminder worker's side of test notifications (`backend.services.push_tests` queues them).

`run_push_tests` claims queued tests (and tests whose claim ran out: a worker died mid-send) with a
lease, sends one message per device of each patient through the process's `PushSender` (each
message done within PUSH_DEADLINE_SECONDS), records every device's outcome like a reminder's
(`dispatch.record_result`: a gone subscription is deleted) and stores the per-device results for
the app to read. The worker runs it every PUSH_TEST_POLL_SECONDS beside the reminder tick. Tests
older than a day are deleted.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import delete, or_, select, update

from backend.extensions import db
from backend.i18n import use_locale
from backend.models import Patient, PushSubscription, PushTest, patient_devices
from backend.models.types import utcnow
from backend.push import PushMessage, PushSender, PushTarget, make_topic
from backend.reminders import push_alerts, texts
from backend.reminders.dispatch import get_sender, record_result

log = logging.getLogger(__name__)

CLAIM_LIMIT = 50
KEEP_FOR = timedelta(days=1)
TTL_SECONDS = 600


def _lease(app: Flask) -> timedelta:
    return timedelta(seconds=2 * float(app.config.get("PUSH_DEADLINE_SECONDS", 30.0)) + 30)


def claim_tests(now: datetime, lease: timedelta) -> list[PushTest]:
    """Queued tests and tests whose claim expired, marked `sending` until now + lease (committed)."""
    ids = list(
        db.session.scalars(
            select(PushTest.id)
            .where(
                or_(
                    PushTest.status == "queued",
                    (PushTest.status == "sending") & (PushTest.claimed_until < now),
                )
            )
            .order_by(PushTest.created_at)
            .limit(CLAIM_LIMIT)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        db.session.execute(
            update(PushTest).where(PushTest.id.in_(ids)).values(status="sending", claimed_until=now + lease)
        )
    db.session.commit()
    return list(db.session.scalars(select(PushTest).where(PushTest.id.in_(ids)))) if ids else []


def _messages(tests: list[PushTest]) -> tuple[list[PushMessage], dict[str, list[str]]]:
    """One message per device a claimed test covers (every device of its patient, or the one it
    names), and which tests each device's result belongs to.

    Tests of one patient claimed together (asked at the same instant) send each device once and
    share that device's result.
    """
    tests_of: dict[str, list[PushTest]] = {}
    for test in tests:
        tests_of.setdefault(test.patient_id, []).append(test)
    subs = db.session.execute(
        select(PushSubscription, Patient.language)
        .join(Patient, Patient.id == PushSubscription.patient_id)
        .where(PushSubscription.patient_id.in_(list(tests_of)), patient_devices())
    )
    messages, tests_for_sub = [], {}
    for sub, language in subs:
        covering = [t for t in tests_of[sub.patient_id] if t.subscription_id in (None, sub.id)]
        if not covering:
            continue
        tests_for_sub[sub.id] = [t.id for t in covering]
        with use_locale(language):  # the patient's language
            payload = texts.payload(kind="test", data={}, occurrence_id=covering[0].id, reminder_id=None)
        messages.append(
            PushMessage(
                target=PushTarget(sub.id, sub.endpoint, sub.p256dh, sub.auth),
                payload=payload,
                ttl=TTL_SECONDS,
                urgency="normal",
                topic=make_topic(covering[0].id),
            )
        )
    return messages, tests_for_sub


def run_push_tests(app: Flask, sender: PushSender | None = None, now: datetime | None = None) -> int:
    """One pass: send every claimable test; returns how many tests were finished."""
    with app.app_context():
        now = now or utcnow()
        db.session.execute(delete(PushTest).where(PushTest.created_at < now - KEEP_FOR))
        tests = claim_tests(now, _lease(app))
        if not tests:
            return 0
        messages, tests_for_sub = _messages(tests)
        db.session.commit()  # no transaction stays open while the messages are on the wire
        results = (sender or get_sender(app)).send_many(messages) if messages else []
        finished = utcnow()
        subs = {
            sub.id: sub
            for sub in db.session.scalars(
                select(PushSubscription).where(PushSubscription.id.in_([r.subscription_id for r in results]))
            )
        }
        push_alerts.record(messages, results, finished)
        outcomes: dict[str, list[dict]] = {test.id: [] for test in tests}
        for result in results:
            record_result(subs.get(result.subscription_id), result, finished)
            outcome = {
                "subscription_id": result.subscription_id,
                "status_code": result.status_code,
                "ok": result.ok,
                "gone": result.gone,
                "error": result.error,
            }
            for test_id in tests_for_sub[result.subscription_id]:
                outcomes[test_id].append(outcome)
        claimed = [test.id for test in tests]
        for test in db.session.scalars(select(PushTest).where(PushTest.id.in_(claimed))):
            test.status, test.finished_at, test.results = "done", finished, outcomes[test.id]
            test.claimed_until = None
        db.session.commit()
        log.info("sent %d test notification(s) to %d device(s)", len(outcomes), len(results))
        return len(claimed)
