"""Per-patient caps (config MAX_*_PER_PATIENT): a clear 409 instead of unbounded growth."""

from __future__ import annotations

from typing import NoReturn

from flask import current_app
from flask_smorest import abort
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Appointment, CalendarFeed, Course, CoursePause, LinkCode, SupplyPickup
from backend.models.types import utcnow
from backend.services.window_quota import QuotaSpent


def too_many(refused: QuotaSpent, what: str) -> NoReturn:
    """429 with Retry-After for a spent per-patient quota (`what`: "test notifications", "files")."""
    minutes = int(refused.window.total_seconds() // 60)
    abort(
        429,
        message=f"At most {refused.limit} {what} per {minutes} minutes; "
        f"try again in {refused.retry_after} seconds.",
        headers={"Retry-After": str(refused.retry_after)},
    )


def _refuse_at(held: int, setting: str, what: str) -> None:
    limit = current_app.config[setting]
    if held >= limit:
        abort(409, message=f"At most {limit} {what} per account; delete one you no longer need first.")


def check_course_cap(patient_id: str) -> None:
    """Beyond the cap, 409 saying to delete one (DELETE /courses/{id}, Settings → Delete this course)."""
    held = db.session.scalar(select(func.count()).select_from(Course).where(Course.patient_id == patient_id))
    _refuse_at(held or 0, "MAX_COURSES_PER_PATIENT", "courses")


def _held_over_courses(model: type[Appointment | CoursePause | SupplyPickup], patient_id: str) -> int:
    """How many rows of `model` (a child of a course) the patient holds over all their courses."""
    held = db.session.scalar(
        select(func.count())
        .select_from(model)
        .join(Course, Course.id == model.course_id)
        .where(Course.patient_id == patient_id)
    )
    return held or 0


def check_appointment_cap(patient_id: str) -> None:
    _refuse_at(_held_over_courses(Appointment, patient_id), "MAX_APPOINTMENTS_PER_PATIENT", "appointments")


def check_pause_cap(patient_id: str) -> None:
    _refuse_at(_held_over_courses(CoursePause, patient_id), "MAX_PAUSES_PER_PATIENT", "pauses")


def check_pickup_cap(patient_id: str) -> None:
    _refuse_at(_held_over_courses(SupplyPickup, patient_id), "MAX_PICKUPS_PER_PATIENT", "pick-ups")


def check_feed_cap(patient_id: str) -> None:
    held = db.session.scalar(
        select(func.count()).select_from(CalendarFeed).where(CalendarFeed.patient_id == patient_id)
    )
    _refuse_at(held or 0, "MAX_CALENDAR_FEEDS_PER_PATIENT", "calendar feeds")


def check_link_code_cap(patient_id: str) -> None:
    """Unused codes that have not expired yet: a code lives LINK_CODE_TTL_MINUTES."""
    held = db.session.scalar(
        select(func.count())
        .select_from(LinkCode)
        .where(LinkCode.patient_id == patient_id, LinkCode.used_at.is_(None), LinkCode.expires_at > utcnow())
    )
    limit = current_app.config["MAX_LINK_CODES_PER_PATIENT"]
    if (held or 0) >= limit:
        minutes = current_app.config["LINK_CODE_TTL_MINUTES"]
        abort(
            409,
            message=f"At most {limit} unused link codes at a time; use one, or wait until they expire "
            f"({minutes} minutes after they were made).",
        )
