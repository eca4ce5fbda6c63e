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


def check_appointment_cap(patient_id: str) -> None:
    held = db.session.scalar(
        select(func.count())
        .select_from(Appointment)
        .join(Course, Course.id == Appointment.course_id)
        .where(Course.patient_id == patient_id)
    )
    _refuse_at(held or 0, "MAX_APPOINTMENTS_PER_PATIENT", "appointments")


def check_pause_cap(patient_id: str) -> None:
    held = db.session.scalar(
        select(func.count())
        .select_from(CoursePause)
        .join(Course, Course.id == CoursePause.course_id)
        .where(Course.patient_id == patient_id)
    )
    _refuse_at(held or 0, "MAX_PAUSES_PER_PATIENT", "pauses")
