"""Shared look-ups of the record blueprints: the caller's own course (else 404) and field-named 422s."""

from __future__ import annotations

from datetime import date
from typing import NoReturn

from flask_smorest import abort

from backend.auth import current_patient_id
from backend.models import Course
from backend.services import courses
from backend.services.record import RecordRejected

COURSE_NOT_FOUND = "No such course."


def course_or_404(course_id: str) -> Course:
    """The calling patient's course; another patient's answers exactly like a missing one."""
    course = courses.get_course(current_patient_id(), course_id)
    if course is None:
        abort(404, message=COURSE_NOT_FOUND)
    return course


def reject(err: RecordRejected) -> NoReturn:
    abort(422, message=err.reason, errors={err.location: {err.field: [err.reason]}})


def path_date(value: str, name: str = "date") -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or len(value) != 10 or not date(2000, 1, 1) <= day <= date(2100, 1, 1):
        reject(RecordRejected("path", name, "Use a date written YYYY-MM-DD."))
    return day
