"""Per-patient caps (config MAX_*_PER_PATIENT): a clear 409 instead of unbounded growth."""

from __future__ import annotations

from flask import current_app
from flask_smorest import abort
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Appointment, Course, CoursePause


def _refuse_at(held: int, setting: str, what: str) -> None:
    limit = current_app.config[setting]
    if held >= limit:
        abort(409, message=f"At most {limit} {what} per account; delete one you no longer need first.")


def check_course_cap(patient_id: str) -> None:
    held = db.session.scalar(select(func.count()).select_from(Course).where(Course.patient_id == patient_id))
    _refuse_at(held or 0, "MAX_COURSES_PER_PATIENT", "courses")


def _held_over_courses(model: type[Appointment] | type[CoursePause], patient_id: str) -> int:
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
