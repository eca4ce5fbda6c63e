"""Reminder rules (list, edit, snooze), reminder settings (quiet hours) and the upcoming agenda."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from backend.api.blueprint import Blueprint
from backend.api.owned import course_or_404
from backend.api.schemas.common import BoundedDate, LocalTime, StrictInteger, plain_dumper
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.course.plan import segment_in_force
from backend.extensions import db
from backend.models import Course
from backend.models.types import utcnow
from backend.reminders import texts
from backend.reminders.occurrences import DEFAULT_OFFSET, DEFAULT_TIME, DEFAULT_WEEKDAY
from backend.services import reminders as service
from backend.services.columns import json_text, json_values
from backend.services.courses import local_today

blp = Blueprint("reminders", __name__, description="Reminder rules, quiet hours, snooze and the agenda")

NOT_FOUND = "No such reminder."
# The agenda is asked a month at a time (the PWA asks further months apart): this bounds a request's work.
MAX_WINDOW_DAYS = 31
LEAD_KINDS = ("dose", "appointment")  # offset = minutes before
DELAY_KINDS = ("dose_followup",)  # offset = minutes after the dose
LEAD_DAY_KINDS = ("refill",)  # offset = whole days before the next 30-day supply is needed
WEEKDAY_KINDS = ("mood_checkin",)  # weekly, on this weekday
TIME_KINDS = (
    "dose",
    "appointment",
    "fasting",
    "pickup_window",
    "final_pregnancy_test",
    "contraception_end",
    "refill",
    "mood_checkin",
)
MINUTES_PER_DAY = 24 * 60
MIN_LEAD_DAYS, MAX_LEAD_DAYS = 1, 14


# -- schemas -----------------------------------------------------------------------------------------


class LocalTextSchema(Schema):
    title = fields.String(metadata={"description": "the title with {name} placeholders (when it has any)"})
    body = fields.String(metadata={"description": "the body with {name} placeholders (when it has any)"})
    values = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "each placeholder's value: a wall-clock HH:MM or a date YYYY-MM-DD"},
    )


class ReminderOccurrenceSchema(Schema):
    occurrence_id = fields.String(allow_none=True, metadata={"description": "null until materialised"})
    reminder_id = fields.String()
    course_id = fields.String()
    kind = fields.String()
    status = fields.String(metadata={"description": "scheduled | pending | claimed | sent | failed | missed"})
    fires_at = fields.String(metadata={"description": "UTC instant, ISO 8601 with +00:00"})
    local_time = fields.String(metadata={"description": "the same instant with the course's offset"})
    timezone = fields.String()
    title = fields.String(metadata={"description": "English, times as HH:MM (see `local`)"})
    body = fields.String()
    local = fields.Nested(
        LocalTextSchema,
        allow_none=True,
        metadata={"description": "title/body templates for writing times and days in the phone's locale"},
    )
    date = fields.String(allow_none=True)
    slot = fields.Integer(allow_none=True)
    appointment_id = fields.String(allow_none=True)


# What ReminderOccurrenceSchema().dump(item) gives, written out once: a month of reminders spent most
# of their time in marshmallow's per-field work (issue 16); a test keeps the two equal.
dump_occurrence = plain_dumper(ReminderOccurrenceSchema)


class ReminderSchema(Schema):
    id = fields.String()
    course_id = fields.String()
    kind = fields.String()
    slot = fields.Integer(allow_none=True)
    enabled = fields.Boolean()
    time = fields.String(allow_none=True, metadata={"description": "HH:MM set by the patient, or null"})
    default_time = fields.String(
        allow_none=True,
        metadata={
            "description": "HH:MM used when `time` is null: for a dose, the slot's time in the dose "
            "plan segment in force today (course's zone); null where it is derived per occurrence"
        },
    )
    lead_minutes = fields.Integer(allow_none=True)
    delay_minutes = fields.Integer(allow_none=True)
    lead_days = fields.Integer(
        allow_none=True, metadata={"description": "refill: days before the next 30-day supply is needed"}
    )
    weekday = fields.Integer(
        allow_none=True, metadata={"description": "weekly kinds (mood_checkin): 0 = Monday … 6 = Sunday"}
    )
    timezone = fields.String()
    next = fields.Nested(ReminderOccurrenceSchema, allow_none=True)


dump_rule = plain_dumper(ReminderSchema)  # the same for the reminder list (a test keeps it equal)


class ReminderPatchSchema(Schema):
    enabled = fields.Boolean()
    time = LocalTime(allow_none=True, metadata={"description": "HH:MM local; null = back to the default"})
    lead_minutes = StrictInteger(allow_none=True, validate=validate.Range(min=0, max=7 * 24 * 60))
    delay_minutes = StrictInteger(allow_none=True, validate=validate.Range(min=5, max=240))
    lead_days = StrictInteger(
        allow_none=True,
        validate=validate.Range(min=MIN_LEAD_DAYS, max=MAX_LEAD_DAYS),
        metadata={"description": "refill only: 1–14 days before the next supply; null = default (3)"},
    )
    weekday = StrictInteger(
        allow_none=True,
        validate=validate.Range(min=0, max=6),
        metadata={"description": "mood_checkin only: 0 = Monday … 6 = Sunday; null = default (Sunday)"},
    )


class ReminderSnoozeSchema(Schema):
    minutes = StrictInteger(required=True, validate=validate.Range(min=5, max=60))
    occurrence_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "the occurrence whose notification was snoozed (the push payload's "
            "occurrence_id); makes the snooze idempotent. Omitted: the rule's latest reminder."
        },
    )


class ReminderSettingsSchema(Schema):
    quiet_start = LocalTime(allow_none=True, load_default=None, metadata={"example": "22:00"})
    quiet_end = LocalTime(allow_none=True, load_default=None, metadata={"example": "07:00"})

    @validates_schema
    def _both(self, data: dict, **kwargs) -> None:
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise ValidationError("Give both quiet_start and quiet_end, or neither.", "quiet_end")
        if start is not None and start == end:
            raise ValidationError("Quiet hours must not start and end at the same time.", "quiet_end")


class RemindersQuerySchema(Schema):
    course_id = fields.UUID(
        load_default=None,
        metadata={"description": "Only this course's reminders (the app asks for its current course's)."},
    )


class UpcomingRemindersQuerySchema(Schema):
    from_ = BoundedDate(data_key="from", load_default=None)
    to = BoundedDate(load_default=None)


# -- helpers ------------------------------------------------------------------------------------------


def _zone_of(course_id: str, cache: dict[str, str]) -> str:
    if course_id not in cache:
        course = db.session.get(Course, course_id)
        cache[course_id] = course.timezone if course is not None else "UTC"
    return cache[course_id]


def _occurrence_out(item: dict, zones: dict[str, str]) -> dict:
    rule = item["rule"]
    zone = _zone_of(rule.course_id, zones)
    fires_at: datetime = item["fires_at"].astimezone(UTC)
    data = item["data"] or {}
    title, body, local = texts.texts_with_local(item["kind"], data)
    occurrence = item["occurrence"]
    return {
        "occurrence_id": occurrence.id if occurrence is not None else None,
        "reminder_id": rule.id,
        "course_id": rule.course_id,
        "kind": item["kind"],
        "status": item["status"],
        "fires_at": fires_at.isoformat(),
        "local_time": fires_at.astimezone(ZoneInfo(zone)).isoformat(),
        "timezone": zone,
        "title": title,
        "body": body,
        "local": local,
        "date": data.get("date"),
        "slot": data.get("slot"),
        "appointment_id": data.get("appointment_id"),
    }


def _dose_times_today(course_id: str, cache: dict[str, tuple[time, ...]]) -> tuple[time, ...]:
    """The dose times of the plan segment in force today in the course's zone (the first segment
    before the course starts)."""
    if course_id not in cache:
        times: tuple[time, ...] = ()
        course = db.session.get(Course, course_id)
        if course is not None:
            segment = segment_in_force(course.dose_plan, local_today(course))
            times = segment.dose_times if segment is not None else ()
        cache[course_id] = times
    return cache[course_id]


def _zones_and_dose_times(
    patient_id: str, dosed: set[str]
) -> tuple[dict[str, str], dict[str, tuple[time, ...]]]:
    """Each course's zone, and for the courses in `dosed` the dose times in force today: read as three
    columns (not whole courses), each plan decoded in one parse and only its segment of today parsed."""
    c = Course
    rows = db.session.execute(
        select(c.id, c.timezone, json_text(c.dose_plan)).where(c.patient_id == patient_id)
    ).all()
    zones = {row.id: row.timezone for row in rows}
    wanted = [row for row in rows if row.id in dosed]
    dose_times: dict[str, tuple[time, ...]] = {}
    for row, plan in zip(wanted, json_values([row[2] for row in wanted]), strict=True):
        segment = segment_in_force(plan or [], local_today(row))
        dose_times[row.id] = segment.dose_times if segment is not None else ()
    return zones, dose_times


def _default_time(rule, dose_times: dict[str, tuple[time, ...]]) -> time | None:
    if rule.kind == "dose":
        times = _dose_times_today(rule.course_id, dose_times)
        return times[rule.slot - 1] if 1 <= rule.slot <= len(times) else None
    return DEFAULT_TIME.get(rule.kind)


def _rule_out(
    rule, next_item: dict | None, zones: dict[str, str], dose_times: dict[str, tuple[time, ...]] | None = None
) -> dict:
    default_time = _default_time(rule, {} if dose_times is None else dose_times)
    offset = rule.offset_minutes if rule.offset_minutes is not None else DEFAULT_OFFSET.get(rule.kind)
    lead_days = offset // MINUTES_PER_DAY if rule.kind in LEAD_DAY_KINDS and offset is not None else None
    weekday = None
    if rule.kind in WEEKDAY_KINDS:
        weekday = rule.weekday if rule.weekday is not None else DEFAULT_WEEKDAY.get(rule.kind)
    return {
        "id": rule.id,
        "course_id": rule.course_id,
        "kind": rule.kind,
        "slot": rule.slot or None,
        "enabled": rule.enabled,
        "time": rule.local_time.strftime("%H:%M") if rule.local_time else None,
        "default_time": default_time.strftime("%H:%M") if default_time else None,
        "lead_minutes": offset if rule.kind in LEAD_KINDS else None,
        "delay_minutes": offset if rule.kind in DELAY_KINDS else None,
        "lead_days": lead_days,
        "weekday": weekday,
        "timezone": _zone_of(rule.course_id, zones),
        "next": _occurrence_out(next_item, zones) if next_item else None,
    }


def _rule_or_404(rule_id: str):
    rule = service.get_rule(current_patient_id(), rule_id)
    if rule is None:
        abort(404, message=NOT_FOUND)
    return rule


def _course_zones(patient_id: str) -> tuple[str, dict[str, str]]:
    """The patient's zone (the newest course's, else UTC) and each course's, in one query."""
    rows = db.session.execute(
        select(Course.id, Course.timezone)
        .where(Course.patient_id == patient_id)
        .order_by(Course.start_date.desc())
    ).all()
    return (rows[0].timezone if rows else "UTC"), {row.id: row.timezone for row in rows}


def _field_error(field: str, message: str):
    abort(422, message=message, errors={"json": {field: [message]}})


# -- routes -------------------------------------------------------------------------------------------


@blp.route("/reminders")
class Reminders(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(RemindersQuerySchema, location="query")
    @blp.response(200, ReminderSchema(many=True))
    @blp.alt_response(404, description="`course_id` is not one of the caller's courses.")
    def get(self, query: dict):
        """Every reminder rule (or one course's) with its next occurrence (UTC and local time)."""
        patient_id = current_patient_id()
        course_id = str(query["course_id"]) if query.get("course_id") else None
        if course_id is not None:
            course_or_404(course_id)
        now = utcnow()
        rules = service.rules_for_patient(patient_id, course_id)
        nxt = service.next_occurrences(patient_id, now, rules=rules)
        dosed = {rule.course_id for rule in rules if rule.kind == "dose"}
        zones, dose_times = _zones_and_dose_times(patient_id, dosed)
        out = [dump_rule(_rule_out(rule, nxt.get(rule.id), zones, dose_times)) for rule in rules]
        return current_app.json.response(out)


@blp.route("/reminders/settings")
class ReminderSettingsView(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, ReminderSettingsSchema)
    def get(self):
        """Reminder settings: quiet hours (local time; reminders inside move to their end)."""
        settings = service.get_settings(current_patient_id())
        db.session.commit()
        return settings

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(ReminderSettingsSchema)
    @blp.response(200, ReminderSettingsSchema)
    def put(self, data: dict):
        """Replace the reminder settings; pending reminders are recomputed."""
        patient_id = current_patient_id()
        service.lock_patient(patient_id)  # before the change: a concurrent course recompute waits for it
        settings = service.get_settings(patient_id)
        wanted = (data.get("quiet_start"), data.get("quiet_end"))
        if (settings.quiet_start, settings.quiet_end) == wanted:
            db.session.commit()  # the same hours again (a retried save): nothing to recompute
            return settings
        settings.quiet_start, settings.quiet_end = wanted
        db.session.flush()
        service.settings_changed(patient_id)
        return settings


@blp.route("/reminders/upcoming")
class Upcoming(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(UpcomingRemindersQuerySchema, location="query")
    @blp.response(200, ReminderOccurrenceSchema(many=True))
    def get(self, query: dict):
        """Occurrences between `from` and `to` (local dates, inclusive, at most 31 days apart)."""
        patient_id = current_patient_id()
        now = utcnow()
        zone, zones = _course_zones(patient_id)
        today = now.astimezone(ZoneInfo(zone)).date()
        first = query.get("from_") or today
        last = query.get("to") or (first + timedelta(days=13))
        if last < first:
            abort(422, message="`to` must not be before `from`.", errors={"query": {"to": ["Before from."]}})
        if (last - first).days > MAX_WINDOW_DAYS:
            abort(
                422,
                message=f"The window may span at most {MAX_WINDOW_DAYS} days.",
                errors={"query": {"to": [f"At most {MAX_WINDOW_DAYS} days after from."]}},
            )
        start, end = service.local_window(zone, first, last)
        items = service.occurrences_between(patient_id, start, end, now)
        return current_app.json.response([dump_occurrence(_occurrence_out(i, zones)) for i in items])


@blp.route("/reminders/<string:reminder_id>")
class ReminderById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(ReminderPatchSchema)
    @blp.response(200, ReminderSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def patch(self, changes: dict, reminder_id: str):
        """Turn a reminder on/off, change its local time, its lead / delay in minutes, a refill's lead in
        days or a mood check-in's weekday."""
        rule = _rule_or_404(reminder_id)
        if "time" in changes:
            if rule.kind not in TIME_KINDS:
                _field_error("time", f"A {rule.kind} reminder has no time of its own.")
            rule.local_time = changes["time"]
        if "lead_minutes" in changes:
            if rule.kind not in LEAD_KINDS:
                _field_error("lead_minutes", f"A {rule.kind} reminder has no lead time.")
            rule.offset_minutes = changes["lead_minutes"]
        if "delay_minutes" in changes:
            if rule.kind not in DELAY_KINDS:
                _field_error("delay_minutes", f"A {rule.kind} reminder has no delay.")
            rule.offset_minutes = changes["delay_minutes"]
        if "lead_days" in changes:
            if rule.kind not in LEAD_DAY_KINDS:
                _field_error("lead_days", f"A {rule.kind} reminder has no lead in days.")
            days = changes["lead_days"]
            rule.offset_minutes = None if days is None else days * MINUTES_PER_DAY
        if "weekday" in changes:
            if rule.kind not in WEEKDAY_KINDS:
                _field_error("weekday", f"A {rule.kind} reminder has no weekday.")
            rule.weekday = changes["weekday"]
        if "enabled" in changes:
            rule.enabled = changes["enabled"]
        rule.materialised_until = None
        db.session.commit()  # stored before the recompute, which may roll back and retry
        course = db.session.get(Course, rule.course_id)
        service.course_changed(course)
        now = utcnow()
        nxt = service.next_occurrences(rule.patient_id, now, rules=[rule]).get(rule.id)
        return _rule_out(rule, nxt, {})


@blp.route("/reminders/<string:reminder_id>/snooze")
class Snooze(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(ReminderSnoozeSchema)
    @blp.response(201, ReminderOccurrenceSchema)
    @blp.alt_response(200, schema=ReminderOccurrenceSchema, description="A replay: the existing repeat.")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(
        409,
        description="Switched off, the dose is already logged, the occurrence was cancelled or has not "
        "gone out yet, or (without occurrence_id) nothing has gone out yet for a kind that needs it.",
    )
    @blp.alt_response(422, description="Bad minutes / occurrence_id, or the occurrence is too old.")
    def post(self, data: dict, reminder_id: str):
        """Repeat this reminder once, `minutes` (5–60) from now.

        With `occurrence_id` the repeat is keyed on that occurrence: the first call answers 201, a
        replay 200 with the same repeat. It is refused when the dose is already logged (409) or the
        occurrence's grace window ended more than an hour ago (422).
        """
        rule = _rule_or_404(reminder_id)
        occurrence_id = data.get("occurrence_id")
        try:
            occurrence, created = service.snooze(
                rule, data["minutes"], occurrence_id=str(occurrence_id) if occurrence_id else None
            )
        except service.SnoozeRefused as refused:
            if refused.status == 422 and refused.field:
                _field_error(refused.field, refused.message)
            abort(refused.status, message=refused.message)
        item = {
            "rule": rule,
            "occurrence": occurrence,
            "kind": occurrence.kind,
            "fires_at": occurrence.fires_at,
            "data": occurrence.data,
            "status": occurrence.status,
        }
        return _occurrence_out(item, {}), (201 if created else 200)
