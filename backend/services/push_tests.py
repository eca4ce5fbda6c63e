"""Test notifications: queued by the web request, sent by the reminder worker, read back by the app.

A web request never talks to a push service (a slow or hanging one would hold a worker thread):
`queue_test` only writes a row, `backend.reminders.push_tests` sends it. Per patient, one test is in
flight at a time (asking again returns it) and at most `limit` are queued per `window`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from backend.extensions import db
from backend.models import PushTest
from backend.services.window_quota import check_quota

IN_FLIGHT = ("queued", "sending")


def queue_test(
    patient_id: str, now: datetime, limit: int, window: timedelta, subscription_id: str | None = None
) -> tuple[PushTest, bool]:
    """The patient's test in flight that covers the same devices (every device, or `subscription_id`),
    or a new queued one (True); QuotaSpent beyond the limit."""
    in_flight = db.session.scalars(
        select(PushTest)
        .where(
            PushTest.patient_id == patient_id,
            PushTest.status.in_(IN_FLIGHT),
            or_(PushTest.subscription_id.is_(None), PushTest.subscription_id == subscription_id),
        )
        .order_by(PushTest.created_at.desc())
    ).first()
    if in_flight is not None:
        return in_flight, False
    recent = list(
        db.session.scalars(
            select(PushTest.created_at)
            .where(PushTest.patient_id == patient_id, PushTest.created_at > now - window)
            .order_by(PushTest.created_at)
        )
    )
    check_quota(recent, now, limit, window)
    test = PushTest(patient_id=patient_id, status="queued", created_at=now, subscription_id=subscription_id)
    db.session.add(test)
    db.session.commit()
    return test, True


def get_test(patient_id: str, test_id: str) -> PushTest | None:
    test = db.session.get(PushTest, test_id)
    return test if test is not None and test.patient_id == patient_id else None
