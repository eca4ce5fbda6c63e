"""Fixtures for reminder API and dispatcher tests: a local push service and time-pinned helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask

from backend.extensions import db
from backend.models import Course, ReminderOccurrence
from backend.push import PushSender
from backend.reminders import dispatch
from backend.services import reminders as service
from tests.support.push_service import PushService


@pytest.fixture
def push_service() -> Iterator[PushService]:
    with PushService() as svc:
        yield svc


@pytest.fixture
def sender(app: Flask) -> PushSender:
    """A sender with short back-off so retry tests stay fast (Retry-After is still honoured)."""
    return PushSender(dispatch.get_vapid(app), timeout=5.0, backoff_base=0.05, backoff_cap=0.2)


@pytest.fixture
def materialise(app: Flask):
    """Materialise a course's occurrences as if it were `now` (a fixed instant)."""

    def run(course_id: str, now: datetime) -> None:
        with app.app_context():
            course = db.session.get(Course, course_id)
            service.rematerialise_course(course, now)
            db.session.commit()

    return run


@pytest.fixture
def tick(app: Flask, sender: PushSender):
    """One dispatcher pass as if it were `now`."""

    def run(now: datetime, **kwargs) -> dispatch.TickStats:
        return dispatch.run_tick(app, now=now, sender=kwargs.pop("sender", sender), **kwargs)

    return run


@pytest.fixture
def occurrences(app: Flask):
    """Rows of reminder_occurrences as plain dicts, optionally filtered by kind, ordered by time."""

    def rows(kind: str | None = None) -> list[dict]:
        with app.app_context():
            query = db.select(ReminderOccurrence).order_by(ReminderOccurrence.fires_at)
            if kind:
                query = query.where(ReminderOccurrence.kind == kind)
            return [
                {
                    "id": o.id,
                    "key": o.occurrence_key,
                    "kind": o.kind,
                    "status": o.status,
                    "fires_at": o.fires_at,
                    "expires_at": o.expires_at,
                    "data": o.data,
                    "rule_id": o.rule_id,
                }
                for o in db.session.scalars(query)
            ]

    return rows
