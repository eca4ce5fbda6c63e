"""The patient's own record: storage rules around the pure ``backend.record`` modules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, select
from sqlalchemy.exc import IntegrityError

from backend import events
from backend.course.timeline import CourseInfo, LoggedDose, Projection, project
from backend.extensions import db
from backend.models import (
    CalendarFeed,
    CheckIn,
    Course,
    MilestoneAnswer,
    MoodCheck,
    SupplyPickup,
)
from backend.record import mood, report, supply, triage
from backend.services.columns import as_date, driver_rows, json_text, json_values
from backend.services.courses import course_info, local_today, logged_doses, weight_history

STREAK_LOOKBACK = timedelta(days=14)


class RecordRejected(ValueError):
    """The entry does not fit the course (location, field name, reason)."""

    def __init__(self, location: str, field: str, reason: str):
        super().__init__(reason)
        self.location = location
        self.field = field
        self.reason = reason


# ---------------------------------------------------------------- check-ins


def _effect_history(course_id: str, first: date, last: date) -> dict[date, dict[str, int | None]]:
    rows = db.session.execute(
        select(CheckIn.date, CheckIn.effects).where(
            CheckIn.course_id == course_id, CheckIn.date >= first, CheckIn.date <= last
        )
    )
    return {row[0]: dict(row[1] or {}) for row in rows}


def triage_of(checkin: CheckIn, history: dict[date, dict[str, int]]) -> dict[str, Any]:
    return triage.triage(checkin.date, checkin.effects or {}, checkin.red_flags or [], history)


def with_triage(checkin: CheckIn, history: dict[date, dict[str, int]] | None = None) -> dict[str, Any]:
    if history is None:
        history = _effect_history(checkin.course_id, checkin.date - STREAK_LOOKBACK, checkin.date)
    return {
        **{
            c: getattr(checkin, c)
            for c in ("id", "course_id", "date", "skin", "effects", "red_flags", "note")
        },
        "created_at": checkin.created_at,
        "updated_at": checkin.updated_at,
        "triage": triage_of(checkin, history),
    }


def _check_day(course: Course, day: date) -> None:
    if day > local_today(course):
        raise RecordRejected(
            "path", "date", "A check-in cannot be for a future day (the course's time zone)."
        )
    if day < course.start_date - timedelta(days=30):
        raise RecordRejected("path", "date", "This date is long before the course started.")


def put_checkin(course: Course, day: date, data: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Store the day's check-in, replacing an earlier one of the same date; (created, check-in + triage)."""
    _check_day(course, day)
    pregnancy = set(triage.pregnancy_flag_keys()) & set(data["red_flags"])
    if pregnancy and not course.pregnancy_prevention:
        raise RecordRejected(
            "json",
            "red_flags",
            f"{', '.join(sorted(pregnancy))}: only for a course with pregnancy prevention, which this course "
            "does not have.",
        )
    values = {
        "skin": data["skin"],
        "effects": {key: data["effects"].get(key) for key in triage.effect_keys()},
        "red_flags": [k for k in triage.red_flag_keys() if k in set(data["red_flags"])],
        "note": (data.get("note") or "").strip() or None,
    }
    existing = _checkin_on(course.id, day)
    created = existing is None
    if existing is None:
        existing = CheckIn(course_id=course.id, date=day, **values)
        db.session.add(existing)
        try:
            db.session.commit()
        except IntegrityError:  # the same date stored by a concurrent request: replace it instead
            db.session.rollback()
            existing, created = _checkin_on(course.id, day), False
    if not created:
        for key, value in values.items():
            setattr(existing, key, value)
        db.session.commit()
    return created, with_triage(existing)


def _checkin_on(course_id: str, day: date) -> CheckIn | None:
    return db.session.scalars(
        select(CheckIn).where(CheckIn.course_id == course_id, CheckIn.date == day)
    ).first()


def list_checkins(
    course: Course, start: date | None, end: date | None, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """The first `limit` check-ins from `start` to `end` (inclusive, oldest first) with their triage, and
    whether more follow."""
    query = select(CheckIn).where(CheckIn.course_id == course.id)
    if start is not None:
        query = query.where(CheckIn.date >= start)
    if end is not None:
        query = query.where(CheckIn.date <= end)
    rows = list(db.session.scalars(query.order_by(CheckIn.date).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return [], False
    history = _effect_history(course.id, rows[0].date - STREAK_LOOKBACK, rows[-1].date)
    return [with_triage(row, history) for row in rows], more


def get_checkin(course: Course, day: date) -> CheckIn | None:
    return _checkin_on(course.id, day)


def delete_checkin(checkin: CheckIn) -> None:
    db.session.delete(checkin)
    db.session.commit()


# ---------------------------------------------------------------- mood


def with_follow_up(check: MoodCheck) -> dict[str, Any]:
    fields = ("id", "course_id", "week", "answered_on", "interest", "low_mood", "self_harm_thoughts")
    return {
        **{c: getattr(check, c) for c in fields},
        "sexual_function": check.sexual_function,
        "created_at": check.created_at,
        "updated_at": check.updated_at,
        "follow_up": mood.follow_up(check.interest, check.low_mood, bool(check.self_harm_thoughts)),
    }


def put_mood(course: Course, week: str, data: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    try:
        monday = mood.parse_week(week)
    except ValueError as err:
        raise RecordRejected("path", "week", str(err)) from err
    today = local_today(course)
    if monday > today:
        raise RecordRejected("path", "week", "This week has not started yet (the course's time zone).")
    values = {**data, "answered_on": min(today, monday + timedelta(days=6))}
    existing = db.session.scalars(
        select(MoodCheck).where(MoodCheck.course_id == course.id, MoodCheck.week == week)
    ).first()
    created = existing is None
    if existing is None:
        existing = MoodCheck(course_id=course.id, week=week, **values)
        db.session.add(existing)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            created = False
            existing = db.session.scalars(
                select(MoodCheck).where(MoodCheck.course_id == course.id, MoodCheck.week == week)
            ).one()
    if not created:
        for key, value in values.items():
            setattr(existing, key, value)
        db.session.commit()
    return created, with_follow_up(existing)


def list_mood(course: Course, start: str | None = None, end: str | None = None) -> list[dict[str, Any]]:
    query = select(MoodCheck).where(MoodCheck.course_id == course.id)
    for name, value in (("from", start), ("to", end)):
        if value is None:
            continue
        try:
            mood.parse_week(value)
        except ValueError as err:
            raise RecordRejected("query", name, str(err)) from err
    if start is not None:
        query = query.where(MoodCheck.week >= start)
    if end is not None:
        query = query.where(MoodCheck.week <= end)
    return [with_follow_up(m) for m in db.session.scalars(query.order_by(MoodCheck.week))]


# ---------------------------------------------------------------- supply


def list_pickups(course_id: str) -> list[SupplyPickup]:
    return list(
        db.session.scalars(
            select(SupplyPickup)
            .where(SupplyPickup.course_id == course_id)
            .order_by(SupplyPickup.picked_up_on, SupplyPickup.created_at)
        )
    )


def add_pickup(course: Course, data: dict[str, Any]) -> SupplyPickup:
    if data["picked_up_on"] > local_today(course):
        raise RecordRejected("json", "picked_up_on", "A pick-up cannot be in the future.")
    if data["picked_up_on"] < course.start_date - timedelta(days=60):
        raise RecordRejected("json", "picked_up_on", "This date is long before the course started.")
    pickup = SupplyPickup(course_id=course.id, **data)
    db.session.add(pickup)
    db.session.commit()
    _supply_changed(course)
    return pickup


def get_pickup(course: Course, pickup_id: str) -> SupplyPickup | None:
    pickup = db.session.get(SupplyPickup, pickup_id)
    return pickup if pickup is not None and pickup.course_id == course.id else None


def delete_pickup(course: Course, pickup: SupplyPickup) -> None:
    db.session.delete(pickup)
    db.session.commit()
    _supply_changed(course)


def _supply_changed(course: Course) -> None:
    events.course_changed.send(course)


@dataclass(frozen=True)
class SupplyState:
    supply: supply.Supply | None
    today: date


def supply_state(
    course: Course,
    today: date | None = None,
    info: CourseInfo | None = None,
    logs: list[LoggedDose] | None = None,
    projected: Projection | None = None,
) -> SupplyState:
    """Capsules left and the day they run out at the current plan (None without pick-ups). A caller
    that already holds the course's `info`, dose `logs` and their `projected` today passes them."""
    today = today or local_today(course)
    p = SupplyPickup
    pickups = [
        supply.Pickup(*row)
        for row in db.session.execute(
            select(p.picked_up_on, p.capsules, p.strength_mg)
            .where(p.course_id == course.id)
            .order_by(p.picked_up_on, p.created_at)
        )
    ]
    if not pickups:
        return SupplyState(None, today)
    logs = logged_doses(course.id, detail=False) if logs is None else logs
    info = course_info(course) if info is None else info
    projected = (
        project(info, logs, today, unlogged=False) if projected is None else projected
    ).projected_last_dose_on
    taken = [supply.TakenDose(d.date, d.slot, d.mg) for d in logs if d.status == "taken" and d.date <= today]
    state = supply.supply(
        pickups,
        taken,
        info.plan,
        today,
        last_capsule=course.ended_on,  # an estimated end never stops the count (DOSE-13)
        prescription_limit=course.programme in ("us_ipledge", "eu_ppp"),
        pauses=info.pauses,
        projected_last=None if course.ended_on else projected,
    )
    return SupplyState(state, today)


def supply_view(course: Course) -> dict[str, Any]:
    state = supply_state(course)
    if state.supply is not None:
        numbers = asdict(state.supply)
    else:
        numbers = {f.name: None for f in fields(supply.Supply)}
        numbers.update(mixed_strengths=False, covers_to_last_capsule=False, may_be_last_supply=False)
    return {
        "pickups": list_pickups(course.id),
        **numbers,
        "runs_out_estimated": True,  # a prediction from the current plan, never a fact
        "today": state.today,
    }


def supply_needed_on(course: Course, now: datetime | None = None, **known: Any) -> date | None:
    """For the refill reminder: the day the next supply is needed, when pick-ups are recorded (`known`:
    what `supply_state` may reuse)."""
    state = supply_state(course, local_today(course, now), **known)
    return state.supply.next_supply_needed_on if state.supply is not None else None


# ---------------------------------------------------------------- export


def _course_ids(patient_id: str):
    return select(Course.id).where(Course.patient_id == patient_id)


def export_checkins(patient_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(CheckIn).where(CheckIn.course_id.in_(_course_ids(patient_id))).order_by(CheckIn.date)
    )
    return [
        {
            "id": c.id,
            "course_id": c.course_id,
            "date": c.date.isoformat(),
            "skin": c.skin,
            "effects": c.effects,
            "red_flags": c.red_flags,
            "note": c.note,
            "created_at": c.created_at.isoformat(),
            "updated_at": c.updated_at.isoformat(),
        }
        for c in rows
    ]


def export_mood(patient_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(MoodCheck).where(MoodCheck.course_id.in_(_course_ids(patient_id))).order_by(MoodCheck.week)
    )
    return [
        {
            "id": m.id,
            "course_id": m.course_id,
            "week": m.week,
            "answered_on": m.answered_on.isoformat(),
            "interest": m.interest,
            "low_mood": m.low_mood,
            "self_harm_thoughts": m.self_harm_thoughts,
            "sexual_function": m.sexual_function,
            "created_at": m.created_at.isoformat(),
            "updated_at": m.updated_at.isoformat(),
        }
        for m in rows
    ]


def export_pickups(patient_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(SupplyPickup)
        .where(SupplyPickup.course_id.in_(_course_ids(patient_id)))
        .order_by(SupplyPickup.picked_up_on)
    )
    return [
        {
            "id": p.id,
            "course_id": p.course_id,
            "picked_up_on": p.picked_up_on.isoformat(),
            "capsules": p.capsules,
            "strength_mg": p.strength_mg,
            "created_at": p.created_at.isoformat(),
        }
        for p in rows
    ]


def export_feeds(patient_id: str) -> list[dict[str, Any]]:
    """Calendar feeds without their secret (only its hash is stored anyway)."""
    rows = db.session.scalars(
        select(CalendarFeed).where(CalendarFeed.patient_id == patient_id).order_by(CalendarFeed.created_at)
    )
    return [
        {
            "id": f.id,
            "course_id": f.course_id,
            "include_doses": f.include_doses,
            "created_at": f.created_at.isoformat(),
            "last_fetched_at": f.last_fetched_at.isoformat() if f.last_fetched_at else None,
        }
        for f in rows
    ]


def export_milestone_answers(patient_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(MilestoneAnswer)
        .where(MilestoneAnswer.course_id.in_(_course_ids(patient_id)))
        .order_by(MilestoneAnswer.on_date)
    )
    return [
        {"course_id": a.course_id, "kind": a.kind, "date": a.on_date.isoformat(), "answer": a.answer}
        for a in rows
    ]


EXPORT_SECTIONS = {
    "milestone_answers": export_milestone_answers,
    "checkins": export_checkins,
    "mood_checks": export_mood,
    "supply_pickups": export_pickups,
    "calendar_feeds": export_feeds,
}


# ---------------------------------------------------------------- doctor report


# One report covers at most this many days: more than a year of visits, and bounded work per request.
MAX_REPORT_DAYS = 400


def report_period(course: Course, start: date | None, end: date | None) -> tuple[date, date]:
    """[start, end] of a report: `end` defaults to the patient's today, `start` to the course's start
    or, for a longer course, the first of the MAX_REPORT_DAYS days up to `end`. May be longer than
    MAX_REPORT_DAYS when both were asked for (the caller refuses that)."""
    end = end or local_today(course)
    return start or max(course.start_date, end - timedelta(days=MAX_REPORT_DAYS - 1)), end


# The check-in columns the report reads (not the notes: it never shows them).
_REPORT_CHECKINS = select(
    CheckIn.date, CheckIn.skin, json_text(CheckIn.effects), json_text(CheckIn.red_flags)
).where(
    CheckIn.course_id == bindparam("course_id"),
    CheckIn.date >= bindparam("start", type_=Date),
    CheckIn.date <= bindparam("end", type_=Date),
)


def report_data(course: Course, start: date | None, end: date | None) -> dict[str, Any]:
    """The report of [start, end] (see `report_period` for the defaults)."""
    today = local_today(course)
    start, end = report_period(course, start, end)
    checkins = driver_rows(_REPORT_CHECKINS, course_id=course.id, start=start, end=end)
    effects_of = json_values([row[2] for row in checkins])
    flags_of = json_values([row[3] for row in checkins])
    m = MoodCheck
    moods = db.session.execute(
        select(m.week, m.interest, m.low_mood, m.self_harm_thoughts, m.sexual_function).where(
            m.course_id == course.id
        )
    )
    info = course_info(course)
    return report.build_report(
        info,
        logged_doses(course.id, detail=False),
        [
            report.CheckInRow(as_date(day), skin, dict(effects or {}), list(flags or []))
            for (day, skin, _, _), effects, flags in zip(checkins, effects_of, flags_of, strict=True)
        ],
        [
            report.MoodRow(week, interest, low_mood, bool(self_harm), sexual)
            for week, interest, low_mood, self_harm, sexual in moods
        ],
        [report.AppointmentRow(b.kind, b.starts_at_local, b.place, b.fasting) for b in info.appointments],
        start,
        end,
        today,
        weight_history(course),
    )
