"""Appointments of a course (visits, labs, pregnancy tests) and the suggested monitoring rhythm."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from backend.api.blueprint import Blueprint
from backend.api.limits import check_appointment_cap
from backend.api.paging import LINK_HEADER, limit_field, link_next
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.course.rules import rule_set
from backend.extensions import db
from backend.models import Appointment, Course
from backend.models.reminders import APPOINTMENT_KINDS
from backend.services import reminders as service
from backend.services.courses import timeline_view, touch

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


LOCAL_DATE_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"


class CourseAppointmentSchema(Schema):
    id = fields.String(dump_only=True)
    course_id = fields.String(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(APPOINTMENT_KINDS))
    starts_at = LocalDateTime(
        required=True,
        attribute="starts_at_local",
        metadata={
            "description": "local wall-clock date-time in the course's time zone, no offset "
            "(YYYY-MM-DDTHH:MM), from 2000-01-01 to 2100-01-01",
            "pattern": LOCAL_DATE_TIME_PATTERN,
            "example": "2026-03-02T09:30",
        },
    )
    starts_at_zoned = fields.Method(
        "_zoned",
        dump_only=True,
        metadata={
            "type": "string",
            "format": "date-time",
            "description": "the same instant with the course zone's UTC offset (ISO 8601)",
        },
    )
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    fasting = fields.Boolean(load_default=False)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    def _zoned(self, appt: Appointment) -> str:
        zones: dict[str, ZoneInfo] = g.setdefault("appointment_zones", {})  # one course lookup a request
        zone = zones.get(appt.course_id)
        if zone is None:
            course = db.session.get(Course, appt.course_id)
            zone = zones[appt.course_id] = ZoneInfo(course.timezone if course is not None else "UTC")
        return appt.starts_at_local.replace(tzinfo=zone).isoformat()


AFTER_UNKNOWN = "Not one of this course's appointments (use the Link header's next page)."


class AppointmentListQuerySchema(Schema):
    after = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=36),
        metadata={"description": "Continue after this appointment (as the `Link` header's next page does)."},
    )
    limit = limit_field("appointments")


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
    @blp.alt_response(409, description="The account already holds MAX_APPOINTMENTS_PER_PATIENT appointments.")
    def post(self, data: dict, course_id: str):
        """Add an appointment; its reminders (evening before, lead time, fasting) follow."""
        course = _course_or_404(course_id)
        check_appointment_cap(course.patient_id)
        appt = Appointment(course_id=course.id, **data)
        db.session.add(appt)
        touch(course)  # Today and the Timeline show booked appointments
        db.session.commit()  # stored before the recompute, which may roll back and retry
        service.appointments_changed(course)
        return appt

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(AppointmentListQuerySchema, location="query")
    @blp.response(200, CourseAppointmentSchema(many=True), headers=LINK_HEADER)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    @blp.alt_response(422, description="`after` is not one of this course's appointments.")
    def get(self, query: dict, course_id: str):
        """The course's appointments, soonest first; at most `limit` (100) a page, the next page named
        by the `Link` header (`after` the page's last appointment)."""
        course = _course_or_404(course_id)
        listed = select(Appointment).where(Appointment.course_id == course.id)
        if query.get("after"):
            anchor = db.session.get(Appointment, query["after"])
            if anchor is None or anchor.course_id != course.id:
                abort(422, message=AFTER_UNKNOWN, errors={"query": {"after": [AFTER_UNKNOWN]}})
            listed = listed.where(
                (Appointment.starts_at_local > anchor.starts_at_local)
                | ((Appointment.starts_at_local == anchor.starts_at_local) & (Appointment.id > anchor.id))
            )
        limit = query["limit"]
        rows = list(
            db.session.scalars(listed.order_by(Appointment.starts_at_local, Appointment.id).limit(limit + 1))
        )
        page = rows[:limit]
        following = {"after": page[-1].id, "limit": limit} if len(rows) > limit else None
        response = current_app.json.response(CourseAppointmentSchema(many=True).dump(page))
        return link_next(response, following)


@blp.route("/courses/<string:course_id>/appointments/suggested")
class Suggested(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, AppointmentSuggestionSchema(many=True))
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, course_id: str):
        """The programme's monitoring rhythm as suggestions to accept or edit (the prescriber decides)."""
        return suggest(_course_or_404(course_id))


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
        touch(course)  # Today and the Timeline show booked appointments
        db.session.commit()  # stored before the recompute, which may roll back and retry
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
        touch(course)  # Today and the Timeline show booked appointments
        db.session.commit()  # stored before the recompute, which may roll back and retry
        service.appointments_changed(course)


# -- suggestions (programme rhythm: MON-1, MON-2, MON-4, PREG-3, PREG-6, PREG-7) ---------------------------


def suggest(course: Course, today: date | None = None) -> list[dict]:
    """The timeline's own visits and tests from tomorrow on (one rhythm: `backend.course.rhythm`), and the
    final pregnancy test once the last capsule is recorded (never from a projection: the prescriber may go
    on past the total, DOSE-13). Nothing recurring falls after the projected last capsule.
    """
    today = today or service_today(course)
    rules = rule_set(course.rule_set, course.programme)  # (not the reminder snapshot: it reads the dose log)
    items: list[dict] = []
    for m in timeline_view(course, today)["milestones"]:
        if m["date"] <= today:  # from tomorrow: a suggested time today may already have passed
            continue
        if m["appointment_kind"] is not None:
            items.append({**m, "kind": m["appointment_kind"], "reason": m["title"]})
        elif m["kind"] == "final_pregnancy_test" and course.pregnancy_prevention and course.ended_on:
            # the milestone's own title, in the patient's language (its description says "a full month after")
            items.append({**m, "kind": "pregnancy_test", "reason": m["title"], "facts": ["PREG-6", "PREG-7"]})
    out = []
    for item in items:
        pickup = None
        window = rules.pickup_window
        if (
            item["kind"] == "pregnancy_test"
            and window is not None
            and window.counts_from == "pregnancy_test"
            and "PREG-7" not in item["facts"]
        ):
            pickup = (item["date"] + timedelta(days=window.days - 1)).isoformat()  # PREG-3: day 1
        out.append(
            {
                "kind": item["kind"],
                "starts_at": datetime.combine(item["date"], SUGGESTED_TIME).isoformat(timespec="minutes"),
                "fasting": item["kind"] == "blood_test",
                "reason": item["reason"],
                "facts": list(item["facts"]),
                "pickup_window_ends": pickup,
                "already_booked": item.get("booked") is not None,
            }
        )
    return out


def service_today(course: Course) -> date:
    from backend.services.courses import local_today

    return local_today(course)
