"""Pauses of a course: stored, checked by ``backend.course.pauses`` and announced as a course change, so
the reminders and every computed view follow at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.course.pauses import OTHER_REASONS, Pause, PauseProblem, pause_problems
from backend.extensions import db
from backend.models import Course, CoursePause
from backend.record.triage import stop_reasons
from backend.services.courses import local_today, reminders_course_changed, touch

# A pause may be entered ahead, e.g. a stop the prescriber set for a coming operation.
LATEST_START = timedelta(days=60)


def reasons() -> list[str]:
    """Why capsules may be paused: a red flag or effect rule of the check-in (a drop in night vision, a strong
    headache), the mood check, or the prescriber's call."""
    return [*stop_reasons(), *OTHER_REASONS]


class PauseRejected(ValueError):
    """The pause does not fit the course; ``problems`` name the fields."""

    def __init__(self, problems: list[PauseProblem]):
        super().__init__(problems[0].message)
        self.problems = problems


class PauseConflict(Exception):
    """The client-made id is already used by a different pause."""


@dataclass(frozen=True)
class PauseWrite:
    created: bool
    pause: CoursePause


def _domain(row: CoursePause) -> Pause:
    return Pause(row.started_on, row.resumed_on, row.reason, row.id)


def list_pauses(course: Course) -> list[CoursePause]:
    return list(
        db.session.scalars(
            select(CoursePause).where(CoursePause.course_id == course.id).order_by(CoursePause.started_on)
        )
    )


def get_pause(course: Course, pause_id: str) -> CoursePause | None:
    pause = db.session.get(CoursePause, pause_id)
    return pause if pause is not None and pause.course_id == course.id else None


def _check(course: Course, started_on: date, resumed_on: date | None, except_id: str | None) -> None:
    """Raise PauseRejected unless the pause fits the course and its other pauses. The course row is locked
    first (PostgreSQL), so two devices pausing at once cannot both add a pause that is still going on."""
    db.session.execute(select(Course.id).where(Course.id == course.id).with_for_update())
    others = [_domain(p) for p in list_pauses(course) if p.id != except_id]
    problems = pause_problems(
        started_on,
        resumed_on,
        others,
        course.start_date,
        course.ended_on,
        local_today(course) + LATEST_START,
    )
    if problems:
        raise PauseRejected(problems)


def _same(row: CoursePause, data: dict[str, Any]) -> bool:
    return (
        row.started_on == data["started_on"]
        and row.reason == data["reason"]
        and row.resumed_on == data.get("resumed_on")
    )


def create_pause(course: Course, data: dict[str, Any]) -> PauseWrite:
    """Store a pause; with a client-made ``id`` an identical replay returns the stored one (created False)
    and the same id with other content is a ``PauseConflict``."""
    pause_id = data.get("id")
    if pause_id is not None:
        existing = db.session.get(CoursePause, pause_id)
        if existing is not None:
            if existing.course_id != course.id or not _same(existing, data):
                raise PauseConflict(pause_id)
            return PauseWrite(False, existing)
    _check(course, data["started_on"], data.get("resumed_on"), None)
    row = CoursePause(
        course_id=course.id,
        started_on=data["started_on"],
        resumed_on=data.get("resumed_on"),
        reason=data["reason"],
        **({"id": pause_id} if pause_id else {}),
    )
    db.session.add(row)
    touch(course)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.get(CoursePause, pause_id) if pause_id else None
        if existing is not None and existing.course_id == course.id and _same(existing, data):
            return PauseWrite(False, existing)  # the same pause stored by a concurrent replay
        raise PauseConflict(pause_id) from None
    reminders_course_changed(course)
    return PauseWrite(True, row)


def change_pause(course: Course, pause: CoursePause, changes: dict[str, Any]) -> CoursePause:
    """End a pause (``resumed_on``: the first day with capsules again), or correct its start or reason.
    ``resumed_on`` null opens it again. Sending what is stored already changes nothing."""
    started_on = changes.get("started_on", pause.started_on)
    resumed_on = changes.get("resumed_on", pause.resumed_on) if "resumed_on" in changes else pause.resumed_on
    reason = changes.get("reason", pause.reason)
    if (started_on, resumed_on, reason) == (pause.started_on, pause.resumed_on, pause.reason):
        return pause
    _check(course, started_on, resumed_on, pause.id)
    pause.started_on, pause.resumed_on, pause.reason = started_on, resumed_on, reason
    touch(course)
    db.session.commit()
    reminders_course_changed(course)
    return pause


def delete_pause(course: Course, pause: CoursePause) -> None:
    """Remove a pause entered by mistake: its days become dose days again."""
    db.session.delete(pause)
    touch(course)
    db.session.commit()
    reminders_course_changed(course)
