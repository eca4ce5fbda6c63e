"""Appointments of a course (visits, labs, pregnancy tests) and the suggested monitoring rhythm."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from backend.auth import SECURITY, auth_required, current_patient_id
from backend.course.dates import add_months, month_after
from backend.extensions import db
from backend.models import Appointment, Course
from backend.models.reminders import APPOINTMENT_KINDS
from backend.reminders import service

blp = Blueprint("appointments", __name__, description="Appointments and suggested monitoring")

COURSE_NOT_FOUND = "No such course."
NOT_FOUND = "No such appointment."
SUGGESTED_TIME = time(9, 0)


class LocalDateTime(fields.NaiveDateTime):
    """A local wall-clock date-time without offset, e.g. 2026-03-02T09:30 (the course's time zone)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and ("+" in value[10:] or value.endswith("Z") or value[10:].count("-")):
            raise ValidationError("Give the local date-time without an offset, e.g. 2026-03-02T09:30.")
        result = super()._deserialize(value, attr, data, **kwargs)
        if not date(2000, 1, 1) <= result.date() <= date(2100, 1, 1):
            raise ValidationError("The date is out of range.")
        return result.replace(second=0, microsecond=0)


class CourseAppointmentSchema(Schema):
    id = fields.String(dump_only=True)
    course_id = fields.String(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(APPOINTMENT_KINDS))
    starts_at = LocalDateTime(
        required=True,
        attribute="starts_at_local",
        metadata={"description": "local date-time in the course's time zone, no offset"},
    )
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    fasting = fields.Boolean(load_default=False)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class CourseAppointmentPatchSchema(CourseAppointmentSchema):
    """Any subset of the appointment's fields."""


class AppointmentSuggestionSchema(Schema):
    kind = fields.String()
    starts_at = fields.String(metadata={"description": "suggested local date-time (edit before saving)"})
    fasting = fields.Boolean()
    reason = fields.String()
    facts = fields.List(fields.String())
    pickup_window_ends = fields.String(allow_none=True)
    already_booked = fields.Boolean()


def _course_or_404(course_id: str) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or course.patient_id != current_patient_id():
        abort(404, message=COURSE_NOT_FOUND)
    return course


def _appointment_or_404(course: Course, appointment_id: str) -> Appointment:
    appt = db.session.get(Appointment, appointment_id)
    if appt is None or appt.course_id != course.id:
        abort(404, message=NOT_FOUND)
    return appt


@blp.route("/courses/<string:course_id>/appointments")
class Appointments(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(CourseAppointmentSchema)
    @blp.response(201, CourseAppointmentSchema)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def post(self, data: dict, course_id: str):
        """Add an appointment; its reminders (evening before, lead time, fasting) follow."""
        course = _course_or_404(course_id)
        appt = Appointment(course_id=course.id, **data)
        db.session.add(appt)
        db.session.flush()
        service.appointments_changed(course)
        return appt

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, CourseAppointmentSchema(many=True))
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, course_id: str):
        """The course's appointments, soonest first."""
        course = _course_or_404(course_id)
        return db.session.scalars(
            select(Appointment)
            .where(Appointment.course_id == course.id)
            .order_by(Appointment.starts_at_local)
        ).all()


@blp.route("/courses/<string:course_id>/appointments/suggested")
class Suggested(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, AppointmentSuggestionSchema(many=True))
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, course_id: str):
        """The programme's monitoring rhythm as suggestions to accept or edit (the prescriber decides)."""
        course = _course_or_404(course_id)
        booked = db.session.scalars(select(Appointment).where(Appointment.course_id == course.id)).all()
        return suggest(course, booked)


@blp.route("/courses/<string:course_id>/appointments/<string:appointment_id>")
class AppointmentById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, CourseAppointmentSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: str, appointment_id: str):
        """One appointment."""
        return _appointment_or_404(_course_or_404(course_id), appointment_id)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(CourseAppointmentPatchSchema(partial=True))
    @blp.response(200, CourseAppointmentSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def patch(self, changes: dict, course_id: str, appointment_id: str):
        """Change an appointment; its pending reminders move with it."""
        course = _course_or_404(course_id)
        appt = _appointment_or_404(course, appointment_id)
        for key, value in changes.items():
            setattr(appt, key, value)
        db.session.flush()
        service.appointments_changed(course)
        return appt

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description=NOT_FOUND)
    def delete(self, course_id: str, appointment_id: str):
        """Delete an appointment and its pending reminders."""
        course = _course_or_404(course_id)
        appt = _appointment_or_404(course, appointment_id)
        db.session.delete(appt)
        db.session.flush()
        service.appointments_changed(course)


# -- suggestions (programme rhythm: MON-1, MON-2, MON-4, PREG-3, PREG-6, PREG-7) ---------------------------


def suggest(course: Course, booked: list[Appointment], today: date | None = None) -> list[dict]:
    snapshot = service.course_snapshot(course)
    today = today or service_today(course)
    start = course.start_date
    last = snapshot.last_capsule
    months = _course_months(start, last)
    items: list[dict] = []

    def add(kind: str, day: date, reason: str, facts: list[str], fasting: bool = False) -> None:
        items.append({"kind": kind, "day": day, "reason": reason, "facts": facts, "fasting": fasting})

    # Monthly visits (MON-4), from month 1 to the end.
    for m in range(1, months + 1):
        add("dermatologist_visit", add_months(start, m), f"Monthly visit, month {m}", ["MON-4"])
    # Labs: baseline and month 1, then every 3 months (EU SmPC; US practices often more often) (MON-1/2/3).
    add(
        "blood_test",
        start - timedelta(days=7),
        "Baseline blood tests (liver, fasting lipids)",
        ["MON-1"],
        True,
    )
    add("blood_test", add_months(start, 1), "Blood tests 1 month after starting", ["MON-2"], True)
    for m in range(4, months + 1, 3):
        add(
            "blood_test",
            add_months(start, m),
            "Follow-up blood tests, per your prescriber's plan",
            ["MON-2"],
            True,
        )
    rules = snapshot.rules
    if course.pregnancy_prevention:
        for test in rules.tests_before_start:  # PREG-9: two for iPLEDGE
            add("pregnancy_test", start - timedelta(days=test.days_before), test.title, list(test.facts))
        day, n = start + timedelta(days=rules.test_interval_days), 1
        while day <= (last or add_months(start, months)):
            add("pregnancy_test", day, f"Pregnancy test, month {n}", list(rules.pregnancy_test["facts"]))
            day, n = day + timedelta(days=rules.test_interval_days), n + 1
        if last is not None:
            add(
                "pregnancy_test",
                month_after(last),
                "Final pregnancy test, a full month after the last capsule",
                ["PREG-6", "PREG-7"],
            )

    out = []
    for item in sorted(items, key=lambda i: (i["day"], i["kind"])):
        if item["day"] < today:
            continue
        pickup = None
        window = rules.pickup_window
        if (
            item["kind"] == "pregnancy_test"
            and window is not None
            and window.counts_from == "pregnancy_test"
            and "PREG-7" not in item["facts"]
        ):
            pickup = (item["day"] + timedelta(days=window.days - 1)).isoformat()  # PREG-3: day 1
        out.append(
            {
                "kind": item["kind"],
                "starts_at": datetime.combine(item["day"], SUGGESTED_TIME).isoformat(timespec="minutes"),
                "fasting": item["fasting"],
                "reason": item["reason"],
                "facts": item["facts"],
                "pickup_window_ends": pickup,
                "already_booked": any(
                    b.kind == item["kind"] and abs((b.starts_at_local.date() - item["day"]).days) <= 10
                    for b in booked
                ),
            }
        )
    return out


def _course_months(start: date, last: date | None) -> int:
    if last is None:
        return 6
    months = (last.year - start.year) * 12 + (last.month - start.month)
    return max(1, min(months + (last.day >= start.day), 24))


def service_today(course: Course) -> date:
    from backend.services.courses import local_today

    return local_today(course)
