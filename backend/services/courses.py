"""Courses and the dose log: storage rules around the pure course domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError

from backend import events
from backend.course import weights
from backend.course.helplines import country_for_zone
from backend.course.pauses import Pause
from backend.course.plan import parse_plan, plan_to_json, slots_for
from backend.course.rhythm import BookedAppointment
from backend.course.rules import default_rule_set
from backend.course.timeline import CourseInfo, LoggedDose, build_timeline, build_today
from backend.course.weights import WeightPoint
from backend.extensions import db
from backend.models import Appointment, Course, CoursePause, DoseLog, MilestoneAnswer, WeightRecord
from backend.models.types import utcnow
from backend.services.columns import as_date, as_datetime, as_utc, driver_rows

# A dose may be logged for the patient's "today" and, to cover time-zone edges, one day beyond.
FUTURE_LOG_SLACK = timedelta(days=1)


class DoseConflict(Exception):
    """The id or the slot is already used by a different dose record."""

    def __init__(self, message: str, existing_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.existing_id = existing_id


class DoseIdElsewhere(Exception):
    """The id belongs to another patient's dose: to this caller it is no dose at all."""


class DoseRejected(ValueError):
    """The dose does not fit the course (field name, reason)."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


class HasTimezone(Protocol):
    timezone: str


@dataclass(frozen=True)
class ZoneOf:
    """Anything with a time zone, for `local_today` before a course row exists or changes."""

    timezone: str


def local_today(course: HasTimezone, now: datetime | None = None) -> date:
    """What "today" is for the patient, in the course's time zone (the one place that decides it)."""
    moment = now or datetime.now(ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(course.timezone)).date()


@dataclass(frozen=True)
class CourseVersion:
    """What the computed views need to find a cached answer: the course's zone and version."""

    id: str
    timezone: str
    updated_at: datetime


def course_version(patient_id: str, course_id: str) -> CourseVersion | None:
    """One narrow query; None when the course is missing or belongs to someone else."""
    row = db.session.execute(
        select(Course.timezone, Course.updated_at).where(
            Course.id == course_id, Course.patient_id == patient_id
        )
    ).first()
    return None if row is None else CourseVersion(course_id, row.timezone, row.updated_at)


def _plan_json(segments: list[dict]) -> list[dict]:
    """Store the validated plan in its canonical JSON form."""
    raw = []
    for segment in segments:
        times = [t.strftime("%H:%M") if isinstance(t, time) else t for t in segment["dose_times"]]
        item = {
            "from_date": segment["from_date"].isoformat(),
            "daily_mg": segment.get("daily_mg"),
            "cycle_mg": segment.get("cycle_mg"),
            "doses_per_day": segment["doses_per_day"],
            "dose_times": times,
        }
        if segment.get("dose_mg") is not None:  # validated input
            item["doses"] = [{"time": t, "mg": mg} for t, mg in zip(times, segment["dose_mg"], strict=True)]
        elif segment.get("doses"):  # a stored segment kept by a plan change
            item["doses"] = segment["doses"]
        raw.append(item)
    return plan_to_json(parse_plan(raw))


def _record_weight(course: Course, weight_kg: float, rebased: bool) -> None:
    """Keep the weight with today's local date (a second change the same day replaces that day's)."""
    day = local_today(course)
    same_day = next((w for w in course.weights if w.recorded_on == day), None)
    if same_day is None:
        course.weights.append(WeightRecord(recorded_on=day, weight_kg=weight_kg, rebased=rebased))
    else:
        same_day.weight_kg = weight_kg
        same_day.rebased = rebased or same_day.rebased


def create_course(patient_id: str, data: dict[str, Any]) -> Course:
    fields = dict(data)
    fields["dose_plan"] = _plan_json(fields["dose_plan"])
    fields["rule_set"] = fields.get("rule_set") or default_rule_set(fields["programme"]).id
    if "country" not in fields:
        fields["country"] = country_for_zone(fields["timezone"])
    course = Course(patient_id=patient_id, **fields)
    _record_weight(course, course.weight_kg, rebased=False)
    db.session.add(course)
    db.session.commit()
    reminders_course_changed(course)
    return course


def update_course(course: Course, changes: dict[str, Any]) -> Course:
    """Apply validated changes; a new programme without a rule set takes that programme's default."""
    changes = dict(changes)
    if "programme" in changes and "rule_set" not in changes and changes["programme"] != course.programme:
        changes["rule_set"] = default_rule_set(changes["programme"]).id
    rebased = changes.pop("weight_rebased", False)
    new_weight = changes.get("weight_kg", course.weight_kg)
    if new_weight != course.weight_kg or rebased:
        _record_weight(course, new_weight, rebased)
        touch(course)
    for key, value in changes.items():
        setattr(course, key, _plan_json(value) if key == "dose_plan" else value)
    db.session.commit()
    reminders_course_changed(course)
    return course


# A start date this far from the patient's today is more likely a typo than a fact: ask to confirm it.
START_CONFIRM_PAST = timedelta(days=365)
START_CONFIRM_FUTURE = timedelta(days=60)
# No course still being followed started earlier: this also bounds every view's and report's work.
START_EARLIEST = timedelta(days=730)


def start_bounds_problem(today: date, start: date, confirmed: bool) -> str | None:
    """Why a course cannot start on `start` seen from the patient's `today` (None if it can): never
    more than two years back, and a start over a year back or 60 days ahead only when confirmed."""
    if start < today - START_EARLIEST:
        earliest = (today - START_EARLIEST).isoformat()
        return f"A course followed here started at most 2 years ago (on or after {earliest})."
    if not confirmed and start < today - START_CONFIRM_PAST:
        return "This start date is more than a year ago; send confirm_start_date: true if it is right."
    if not confirmed and start > today + START_CONFIRM_FUTURE:
        return "This start date is more than 60 days ahead; send confirm_start_date: true if it is right."
    return None


def start_date_problem(course: Course, start: date, confirmed: bool) -> str | None:
    """Why the course cannot start on `start` (None if it can)."""
    problem = start_bounds_problem(local_today(course), start, confirmed)
    if problem:
        return problem
    earlier = db.session.scalar(
        select(func.count()).select_from(DoseLog).where(DoseLog.course_id == course.id, DoseLog.date < start)
    )
    if earlier:
        return f"{earlier} logged dose(s) are before this date; delete them first or pick an earlier start."
    paused = db.session.scalar(
        select(func.min(CoursePause.started_on)).where(
            CoursePause.course_id == course.id, CoursePause.started_on < start
        )
    )
    if paused is not None:
        return f"A pause starts on {paused.isoformat()}, before this date; move it or pick an earlier start."
    return None


def plan_with_change(course: Course, change: dict[str, Any]) -> list[dict[str, Any]]:
    """The course's plan with every segment from `change["from_date"]` on replaced by `change`."""
    kept = [
        {**segment, "from_date": date.fromisoformat(segment["from_date"])}
        for segment in course.dose_plan
        if date.fromisoformat(segment["from_date"]) < change["from_date"]
    ]
    return [*kept, change]


def delete_course(course: Course) -> None:
    """Delete the course and, through its foreign keys, everything of it: the dose log, reminders
    (rules, occurrences, deliveries), appointments, check-ins, mood answers, pick-ups, pauses and
    calendar feeds."""
    db.session.execute(delete(Course).where(Course.id == course.id))
    db.session.commit()


def list_courses(patient_id: str) -> list[Course]:
    return list(
        db.session.scalars(select(Course).where(Course.patient_id == patient_id).order_by(Course.start_date))
    )


def get_course(patient_id: str, course_id: str) -> Course | None:
    course = db.session.get(Course, course_id)
    return course if course is not None and course.patient_id == patient_id else None


@dataclass(frozen=True)
class DoseWrite:
    created: bool
    dose: DoseLog


def _same_content(dose: DoseLog, data: dict[str, Any]) -> bool:
    taken_at = data.get("taken_at")
    return (
        dose.date == data["date"]
        and dose.slot == data["slot"]
        and dose.status == data["status"]
        and abs(dose.mg - data["mg"]) < 1e-9
        and (dose.taken_at == taken_at if taken_at and dose.taken_at else dose.taken_at is taken_at is None)
    )


def _check_fits_course(course: Course, data: dict[str, Any]) -> None:
    day: date = data["date"]
    if day < course.start_date:
        raise DoseRejected("date", "This date is before the course started.")
    if course.ended_on is not None and day > course.ended_on:
        raise DoseRejected("date", "This date is after the course's last capsule.")
    if day > local_today(course) + FUTURE_LOG_SLACK:
        raise DoseRejected("date", "A dose cannot be logged for a future day.")
    slots = slots_for(parse_plan(course.dose_plan), day)
    if data["slot"] > len(slots):
        raise DoseRejected("slot", f"The plan has {len(slots)} dose(s) on this day.")


def put_dose(course: Course, dose_id: str, data: dict[str, Any]) -> DoseWrite:
    """Idempotent create: a replay returns the stored dose; a different body is a conflict."""
    existing = db.session.get(DoseLog, dose_id)
    if existing is not None:
        if existing.course.patient_id != course.patient_id:
            raise DoseIdElsewhere(dose_id)
        if existing.course_id != course.id or not _same_content(existing, data):
            raise DoseConflict("This dose id is already used with different content.", existing.id)
        return DoseWrite(created=False, dose=existing)
    _check_fits_course(course, data)
    same_slot = db.session.scalars(
        select(DoseLog).where(
            DoseLog.course_id == course.id, DoseLog.date == data["date"], DoseLog.slot == data["slot"]
        )
    ).first()
    if same_slot is not None:
        if same_slot.id == dose_id:
            # The same id was stored by a concurrent request since our first look: a replay after all.
            return _resolve_race(course, dose_id, data)
        raise DoseConflict("This dose slot is already logged; delete it first to change it.", same_slot.id)
    dose = DoseLog(id=dose_id, course_id=course.id, **data)
    db.session.add(dose)
    touch(course)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _resolve_race(course, dose_id, data)
    after_dose_logged(course, dose)
    return DoseWrite(created=True, dose=dose)


class BatchItemError(Exception):
    """Item `index` of a batch cannot be stored: `status` 409 (conflict) or 422 (does not fit)."""

    def __init__(self, status: int, index: int, field: str, reason: str, existing_id: str | None = None):
        super().__init__(reason)
        self.status = status
        self.index = index
        self.field = field
        self.reason = reason
        self.existing_id = existing_id


def put_doses(course: Course, items: list[dict[str, Any]]) -> list[DoseWrite]:
    """Log many doses at once, all or nothing, each idempotent under its id exactly like `put_dose`.

    Every item is checked before anything is written; any item that does not fit the course (422) or
    clashes with a stored dose or another item (409) rejects the whole batch. Items already stored
    with the same content are replays (created=False).
    """
    ids = [item["id"] for item in items]
    stored = {dose.id: dose for dose in db.session.scalars(select(DoseLog).where(DoseLog.id.in_(set(ids))))}
    dates = [item["date"] for item in items]
    taken_slots = {
        (row.date, row.slot): row.id
        for row in db.session.execute(
            select(DoseLog.date, DoseLog.slot, DoseLog.id).where(
                DoseLog.course_id == course.id, DoseLog.date >= min(dates), DoseLog.date <= max(dates)
            )
        )
    }
    seen_ids: dict[str, int] = {}
    seen_slots: dict[tuple[date, int], int] = {}
    writes: list[DoseWrite] = []
    new_rows: list[DoseLog] = []
    for index, item in enumerate(items):
        dose_id = item["id"]
        data = {key: value for key, value in item.items() if key != "id"}
        if dose_id in seen_ids:
            raise BatchItemError(409, index, "id", f"This id is also used by item {seen_ids[dose_id]}.")
        seen_ids[dose_id] = index
        slot_key = (data["date"], data["slot"])
        if slot_key in seen_slots:
            raise BatchItemError(409, index, "slot", f"Item {seen_slots[slot_key]} logs the same slot.")
        seen_slots[slot_key] = index
        existing = stored.get(dose_id)
        if existing is not None:
            if existing.course_id != course.id or not _same_content(existing, data):
                raise BatchItemError(
                    409, index, "id", "This dose id is already used with different content.", existing.id
                )
            writes.append(DoseWrite(created=False, dose=existing))
            continue
        try:
            _check_fits_course(course, data)
        except DoseRejected as err:
            raise BatchItemError(422, index, err.field, err.reason) from err
        if slot_key in taken_slots:
            raise BatchItemError(
                409,
                index,
                "slot",
                "This dose slot is already logged; delete it first to change it.",
                taken_slots[slot_key],
            )
        dose = DoseLog(id=dose_id, course_id=course.id, **data)
        new_rows.append(dose)
        writes.append(DoseWrite(created=True, dose=dose))
    if new_rows:
        db.session.add_all(new_rows)
        touch(course)
        try:
            db.session.commit()
        except IntegrityError as err:
            db.session.rollback()
            raise BatchItemError(
                409, 0, "id", "Some of these doses were logged at the same moment by another request."
            ) from err
        events.doses_logged.send(course, slots=[(dose.date, dose.slot) for dose in new_rows])
    return writes


def correct_dose(course: Course, dose: DoseLog, changes: dict[str, Any]) -> DoseLog:
    """Change a logged dose's taken_at, status or mg; the result must be a valid dose (as for PUT)."""
    status = changes.get("status", dose.status)
    taken_at = changes.get("taken_at", None if status == "skipped" else dose.taken_at)
    if status == "taken" and taken_at is None:
        raise DoseRejected("taken_at", "Say when the dose was taken (ISO 8601 with an offset).")
    if status == "skipped" and taken_at is not None:
        raise DoseRejected("taken_at", "A skipped dose has no taken_at.")
    dose.status, dose.taken_at = status, taken_at
    if "mg" in changes:
        dose.mg = changes["mg"]
    touch(course)
    db.session.commit()
    return dose


def _resolve_race(course: Course, dose_id: str, data: dict[str, Any]) -> DoseWrite:
    """Another request stored the same id or slot between our check and our insert."""
    existing = db.session.get(DoseLog, dose_id)
    if existing is not None and existing.course.patient_id != course.patient_id:
        raise DoseIdElsewhere(dose_id)
    if existing is not None and existing.course_id == course.id and _same_content(existing, data):
        return DoseWrite(created=False, dose=existing)
    other = db.session.scalars(
        select(DoseLog).where(
            DoseLog.course_id == course.id, DoseLog.date == data["date"], DoseLog.slot == data["slot"]
        )
    ).first()
    raise DoseConflict(
        "This dose was logged at the same moment by another request.", other.id if other else None
    )


def after_dose_logged(course: Course, dose: DoseLog) -> None:
    """Announce a logged dose (the reminders service cancels its reminder and follow-up)."""
    events.doses_logged.send(course, slots=[(dose.date, dose.slot)])


def reminders_course_changed(course: Course) -> None:
    """Announce a changed course (the reminders service derives its rules and recomputes them)."""
    events.course_changed.send(course)


def touch(course: Course) -> None:
    """Mark the course changed: its computed views (and their ETags) depend on the dose log too."""
    course.updated_at = utcnow()


def list_doses(
    course: Course, start: date | None, end: date | None, days: int
) -> tuple[list[DoseLog], date | None]:
    """The doses of the first `days` days with a logged dose from `start` to `end` (inclusive, oldest
    first, whole days), and the first day of the next page (None: no more)."""
    dated = select(DoseLog.date).where(DoseLog.course_id == course.id)
    if start is not None:
        dated = dated.where(DoseLog.date >= start)
    if end is not None:
        dated = dated.where(DoseLog.date <= end)
    dates = list(db.session.scalars(dated.distinct().order_by(DoseLog.date).limit(days + 1)))
    if not dates:
        return [], None
    following = dates[days] if len(dates) > days else None
    last = dates[min(days, len(dates)) - 1]
    rows = db.session.scalars(
        select(DoseLog)
        .where(DoseLog.course_id == course.id, DoseLog.date >= dates[0], DoseLog.date <= last)
        .order_by(DoseLog.date, DoseLog.slot)
    )
    return list(rows), following


def get_dose(course: Course, dose_id: str) -> DoseLog | None:
    dose = db.session.get(DoseLog, dose_id)
    return dose if dose is not None and dose.course_id == course.id else None


def delete_dose(dose: DoseLog) -> None:
    touch(dose.course)
    db.session.delete(dose)
    db.session.commit()


def weight_history(course: Course) -> list[WeightPoint]:
    return [WeightPoint(w.recorded_on, w.weight_kg, bool(w.rebased)) for w in course.weights]


def mg_per_kg_basis(course: Course) -> dict[str, Any]:
    """The weight the course's mg/kg is counted by: the start weight unless the plan was re-based."""
    found = weights.basis(weight_history(course))
    if found is None:  # a course stored before weights were kept and not yet migrated
        return {"weight_kg": course.weight_kg, "recorded_on": None, "basis": "start"}
    point, kind = found
    return {"weight_kg": point.weight_kg, "recorded_on": point.recorded_on, "basis": kind}


def milestone_answers(course_id: str) -> tuple[tuple[str, date, str], ...]:
    rows = db.session.execute(
        select(MilestoneAnswer.kind, MilestoneAnswer.on_date, MilestoneAnswer.answer).where(
            MilestoneAnswer.course_id == course_id
        )
    )
    return tuple((r[0], r[1], r[2]) for r in rows)


def answer_milestones(course: Course, items: list[tuple[str, date]], answer: str) -> None:
    """Store the patient's answer for past usual visits/tests (replacing an earlier one); views follow."""
    stored = {
        (a.kind, a.on_date): a
        for a in db.session.scalars(select(MilestoneAnswer).where(MilestoneAnswer.course_id == course.id))
    }
    for kind, day in items:
        row = stored.get((kind, day))
        if row is None:
            db.session.add(MilestoneAnswer(course_id=course.id, kind=kind, on_date=day, answer=answer))
        else:
            row.answer = answer
    touch(course)
    db.session.commit()


def course_info(course: Course) -> CourseInfo:
    return CourseInfo(
        start_date=course.start_date,
        weight_kg=mg_per_kg_basis(course)["weight_kg"],
        target_mg_per_kg=course.target_mg_per_kg,
        product=course.product,
        programme=course.programme,
        pregnancy_prevention=course.pregnancy_prevention,
        plan=parse_plan(course.dose_plan),
        ended_on=course.ended_on,
        rule_set=course.rule_set,
        appointments=booked_appointments(course.id),
        answers=milestone_answers(course.id),
        pauses=course_pauses(course.id),
    )


_PAUSES = (
    select(CoursePause.started_on, CoursePause.resumed_on, CoursePause.reason, CoursePause.id)
    .where(CoursePause.course_id == bindparam("course_id"))
    .order_by(CoursePause.started_on)
)
_APPOINTMENTS = select(
    Appointment.id, Appointment.kind, Appointment.starts_at_local, Appointment.place, Appointment.fasting
).where(Appointment.course_id == bindparam("course_id"))


def course_pauses(course_id: str) -> tuple[Pause, ...]:
    """The course's pauses, oldest first, as the pure domain reads them."""
    return tuple(
        Pause(as_date(started), None if resumed is None else as_date(resumed), reason, pause_id)
        for started, resumed, reason, pause_id in driver_rows(_PAUSES, course_id=course_id)
    )


def booked_appointments(course_id: str) -> tuple[BookedAppointment, ...]:
    return tuple(
        BookedAppointment(appointment_id, kind, as_datetime(at), place, bool(fasting))
        for appointment_id, kind, at, place, fasting in driver_rows(_APPOINTMENTS, course_id=course_id)
    )


_DOSE_LOG = select(DoseLog.date, DoseLog.slot, DoseLog.status, DoseLog.mg).where(
    DoseLog.course_id == bindparam("course_id")
)
_DOSE_LOG_DETAIL = select(
    DoseLog.date, DoseLog.slot, DoseLog.status, DoseLog.mg, DoseLog.id, DoseLog.taken_at
).where(DoseLog.course_id == bindparam("course_id"))


def logged_doses(course_id: str, *, detail: bool = True) -> list[LoggedDose]:
    """The dose log as plain tuples (no ORM objects: this is on the hot path of today/timeline).

    Read as the driver hands the rows (`driver_rows`) and converted here: SQLAlchemy's per-row processing
    of SQLite's date strings was half of reading a long log, and its result rows a fifth of the rest
    (bench/RESULTS.md §10d, §10g). Without `detail` the dose ids and times taken are not read (None):
    only Today shows them, and reading them is about a third of the cost of a long log.
    """
    if not detail:
        return [
            LoggedDose(as_date(day), slot, status, mg)
            for day, slot, status, mg in driver_rows(_DOSE_LOG, course_id=course_id)
        ]
    return [
        LoggedDose(as_date(day), slot, status, mg, dose_id, as_utc(taken_at))
        for day, slot, status, mg, dose_id, taken_at in driver_rows(_DOSE_LOG_DETAIL, course_id=course_id)
    ]


def today_view(course: Course, day: date) -> dict[str, Any]:
    view = build_today(course_info(course), logged_doses(course.id), day)
    return {"course_id": course.id, **view, "mg_per_kg_weight": mg_per_kg_basis(course)}


def timeline_view(course: Course, day: date) -> dict[str, Any]:
    view = build_timeline(course_info(course), logged_doses(course.id, detail=False), day)
    return {"course_id": course.id, **view, "mg_per_kg_weight": mg_per_kg_basis(course)}
