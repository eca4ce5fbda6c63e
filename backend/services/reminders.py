"""Reminder rules and occurrences in the database: derive rules, materialise, recompute, snooze.

Reacts to the course services' events (`backend.events`, connected by `connect_events`), each
committing its own work:
- `course_changed(course)`: after a course is created or its plan / time zone / end / supply changes.
- `doses_logged(course, slots)`: doses were marked taken or skipped → cancel their reminders
  (`dose_logged(course, date, slot)` for one).
Called directly by the API: `appointments_changed(course)`, `settings_changed(patient_id)`.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter

from flask import current_app
from sqlalchemy import Row, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from backend import events
from backend.course.pauses import Pause, pause_on
from backend.course.timeline import Projection, project
from backend.extensions import db
from backend.models import (
    Appointment,
    Caregiver,
    Course,
    DoseLog,
    Patient,
    PushSubscription,
    ReminderOccurrence,
    ReminderRule,
    ReminderSettings,
)
from backend.models.reminders import CAREGIVERS_RULE
from backend.models.types import utcnow
from backend.reminders.live import CourseHead, live_course_ids
from backend.reminders.occurrences import (
    GRACE,
    AppointmentSnapshot,
    CourseSnapshot,
    OccurrenceSpec,
    RuleSnapshot,
    default_enabled,
    generate,
    rule_kinds_for,
)
from backend.reminders.schedule import QuietHours
from backend.services.columns import json_text, json_values
from backend.services.courses import course_info, course_pauses, local_today, logged_doses
from backend.services.record import supply_needed_on

log = logging.getLogger(__name__)

DEFAULT_HORIZON_DAYS = 3
ACTIVE = ("pending", "claimed")
# materialised_until of a course that is not live (`backend.reminders.live`): nothing to materialise,
# so the tick's top-up passes it by; a course change that makes it live again recomputes it.
DORMANT_UNTIL = datetime(2999, 12, 31, tzinfo=UTC)


def horizon() -> timedelta:
    return timedelta(days=current_app.config.get("REMINDER_HORIZON_DAYS", DEFAULT_HORIZON_DAYS))


# -- snapshots ---------------------------------------------------------------------------------------


def _last_capsule(course: Course, projected: Callable[[], Projection]) -> tuple[date | None, bool]:
    """ended_on when set, else the timeline's projected last dose (estimated) while the target is ahead.

    Once the logged total has reached the target and no end is confirmed, the capsules go on until the
    prescriber stops them (DOSE-13): the end is unknown, so refills and check-ins keep going.
    """
    if course.ended_on is not None:
        return course.ended_on, False
    try:
        projection = projected()
    except Exception:  # the projection is a nicety for post-course reminders; never block on it
        log.exception("could not project the last capsule of course %s", course.id)
        return None, True
    if projection.target_reached_on is not None:
        return None, True
    return projection.projected_last_dose_on, True


def caregiver_flags(course_id: str) -> tuple[bool, bool]:
    """(the course has caregivers, one of them gets the nudge: on, allowed and with a push subscription)."""
    rows = db.session.execute(
        select(Caregiver.nudge, Caregiver.nudge_allowed, PushSubscription.id)
        .outerjoin(PushSubscription, PushSubscription.caregiver_id == Caregiver.id)
        .where(Caregiver.course_id == course_id)
    ).all()
    return bool(rows), any(nudge and allowed and sub for nudge, allowed, sub in rows)


def course_snapshot(course: Course, now: datetime | None = None) -> CourseSnapshot:
    """The course as the occurrence generator reads it."""
    return course_and_appointments(course, now)[0]


def course_and_appointments(
    course: Course, now: datetime | None = None
) -> tuple[CourseSnapshot, list[AppointmentSnapshot]]:
    """The course as the occurrence generator reads it, and its booked appointments, soonest first, from
    the same read. The dose log is read and projected once, for the last capsule and the supply alike."""
    now = now or utcnow()
    info, logs = course_info(course), logged_doses(course.id, detail=False)
    made: list[Projection] = []

    def projected() -> Projection:
        if not made:
            made.append(project(info, logs, local_today(course, now), unlogged=False))
        return made[0]

    last, estimated = _last_capsule(course, projected)
    known = {"projected": made[0]} if made else {}  # an ended course's supply projects only if it needs to
    caregivers, caregiver_nudge = caregiver_flags(course.id)
    appointments = [
        AppointmentSnapshot(a.id, a.kind, a.starts_at_local, a.place, a.fasting)
        for a in sorted(info.appointments, key=attrgetter("starts_at_local"))
    ]
    snapshot = CourseSnapshot(
        id=course.id,
        timezone=course.timezone,
        product=course.product,
        programme=course.programme,
        pregnancy_prevention=bool(course.pregnancy_prevention),
        start_date=course.start_date,
        ended_on=course.ended_on,
        plan=info.plan,
        last_capsule=last,
        last_capsule_estimated=estimated,
        supply_needed_on=supply_needed_on(course, now, info=info, logs=logs, **known),
        rule_set=course.rule_set,
        pauses=info.pauses,
        caregivers=caregivers,
        caregiver_nudge=caregiver_nudge,
    )
    return snapshot, appointments


def rule_snapshot(rule: ReminderRule | Row) -> RuleSnapshot:
    return RuleSnapshot(
        rule.id, rule.kind, rule.slot, rule.enabled, rule.local_time, rule.offset_minutes, rule.weekday
    )


def get_settings(patient_id: str) -> ReminderSettings:
    settings = db.session.get(ReminderSettings, patient_id)
    if settings is None:
        settings = ReminderSettings(patient_id=patient_id)
        db.session.add(settings)
        db.session.flush()
    return settings


def quiet_hours(patient_id: str) -> QuietHours | None:
    settings = db.session.get(ReminderSettings, patient_id)
    if settings is None or settings.quiet_start is None or settings.quiet_end is None:
        return None
    return QuietHours(settings.quiet_start, settings.quiet_end)


# -- rules ---------------------------------------------------------------------------------------------


def ensure_rules(course: Course, snapshot: CourseSnapshot | None = None) -> list[ReminderRule]:
    """Create the rules the course should have (never deletes: a kind that stops applying yields nothing).

    A new rule starts enabled unless its kind is opt-in (`occurrences.default_enabled`: the mood
    check-in always, the refill reminder outside the iPLEDGE / PPP programmes).
    """
    snapshot = snapshot or course_snapshot(course)
    rules = list(db.session.scalars(select(ReminderRule).where(ReminderRule.course_id == course.id)))
    have = {(r.kind, r.slot) for r in rules}
    for kind, slot in rule_kinds_for(snapshot):
        if (kind, slot) not in have:
            rule = ReminderRule(
                patient_id=course.patient_id,
                course_id=course.id,
                kind=kind,
                slot=slot,
                enabled=default_enabled(kind, snapshot),
            )
            db.session.add(rule)
            rules.append(rule)
    db.session.flush()
    return rules


def caregivers_rule(course: Course) -> ReminderRule:
    """The course's hidden caregivers rule, created if missing (a concurrent creation is harmless)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(ReminderRule)
        .values(
            id=str(uuid.uuid4()),
            patient_id=course.patient_id,
            course_id=course.id,
            kind=CAREGIVERS_RULE,
            slot=0,
            enabled=True,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing()
    )
    return db.session.scalars(
        select(ReminderRule).where(ReminderRule.course_id == course.id, ReminderRule.kind == CAREGIVERS_RULE)
    ).one()


# -- materialising ---------------------------------------------------------------------------------------


def insert_occurrences(rows: list[dict]) -> None:
    """INSERT … ON CONFLICT DO NOTHING on the (rule_id, occurrence_key) key, on either engine."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(ReminderOccurrence).values(rows).on_conflict_do_nothing()
    db.session.execute(stmt)


def _occurrence_row(rule: ReminderRule, spec: OccurrenceSpec, now: datetime) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "rule_id": rule.id,
        "patient_id": rule.patient_id,
        "occurrence_key": spec.key,
        "kind": spec.kind,
        "fires_at": spec.fires_at,
        "expires_at": spec.expires_at,
        "status": "pending",
        "attempts": 0,
        "data": spec.data,
        "one_off": False,
        "created_at": now,
    }


def sync_rule(rule: ReminderRule, specs: Sequence[OccurrenceSpec], now: datetime, until: datetime) -> None:
    """Make the rule's stored future occurrences match `specs` (idempotent).

    Pending rows move to their new instant (time-zone or time change), pending rows that no longer
    exist are cancelled, cancelled rows that exist again are revived, and new ones are inserted.
    Rows already claimed, sent or missed are never touched, so a change never causes a re-send.
    """
    wanted = {s.key: s for s in specs}
    existing = db.session.execute(
        select(
            ReminderOccurrence.id,
            ReminderOccurrence.occurrence_key,
            ReminderOccurrence.status,
            ReminderOccurrence.fires_at,
        ).where(
            ReminderOccurrence.rule_id == rule.id,
            ReminderOccurrence.one_off.is_(False),
            or_(
                ReminderOccurrence.status == "pending",
                and_(
                    ReminderOccurrence.status == "cancelled",
                    ReminderOccurrence.fires_at >= now - timedelta(days=1),
                ),
            ),
        )
    ).all()
    seen: set[str] = set()
    for occ_id, key, status, fires_at in existing:
        spec = wanted.get(key)
        if spec is not None:
            seen.add(key)
            db.session.execute(
                update(ReminderOccurrence)
                .where(ReminderOccurrence.id == occ_id, ReminderOccurrence.status == status)
                .values(status="pending", fires_at=spec.fires_at, expires_at=spec.expires_at, data=spec.data)
                .execution_options(synchronize_session=False)
            )
        elif status == "pending" and fires_at >= now:
            db.session.execute(
                update(ReminderOccurrence)
                .where(ReminderOccurrence.id == occ_id, ReminderOccurrence.status == "pending")
                .values(status="cancelled", last_error="no longer scheduled")
                .execution_options(synchronize_session=False)
            )
    insert_occurrences([_occurrence_row(rule, s, now) for k, s in wanted.items() if k not in seen])
    rule.materialised_until = until


# -- live courses ------------------------------------------------------------------------------------


def course_heads(patient_id: str) -> list[CourseHead]:
    """The patient's courses as `live` needs them: one query (each course's last appointment a
    subquery), no projection."""
    last_appointment = (
        select(func.max(Appointment.starts_at_local))
        .where(Appointment.course_id == Course.id)
        .correlate(Course)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Course.id, Course.created_at, Course.ended_on, Course.pregnancy_prevention, last_appointment
        ).where(Course.patient_id == patient_id)
    ).all()
    return [
        CourseHead(
            id=row[0],
            created_at=row[1],
            ended_on=row[2],
            pregnancy_prevention=bool(row[3]),
            last_appointment=row[4].date() if row[4] else None,
        )
        for row in rows
    ]


def live_courses(patient_id: str, now: datetime | None = None) -> set[str]:
    """Ids of the patient's courses that can still remind them (`backend.reminders.live`)."""
    return live_course_ids(course_heads(patient_id), (now or utcnow()).date())


def make_dormant(course_ids: Iterable[str], now: datetime) -> None:
    """Cancel the future pending reminders of courses that are no longer live and mark their rules
    as having nothing to materialise (no commit). Sent and missed rows stay as they are."""
    course_ids = list(course_ids)
    if not course_ids:
        return
    rule_ids = select(ReminderRule.id).where(ReminderRule.course_id.in_(course_ids))
    db.session.execute(
        update(ReminderOccurrence)
        .where(
            ReminderOccurrence.rule_id.in_(rule_ids),
            ReminderOccurrence.status == "pending",
            ReminderOccurrence.one_off.is_(False),
            ReminderOccurrence.fires_at >= now,
        )
        .values(status="cancelled", last_error="course no longer current")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ReminderRule)
        .where(ReminderRule.course_id.in_(course_ids))
        .values(materialised_until=DORMANT_UNTIL)
        .execution_options(synchronize_session=False)
    )


def _dormant_courses(patient_id: str) -> set[str]:
    """Courses of the patient whose rules are all marked dormant."""
    rows = db.session.execute(
        select(ReminderRule.course_id, ReminderRule.materialised_until).where(
            ReminderRule.patient_id == patient_id
        )
    ).all()
    courses: dict[str, bool] = {}
    for course_id, until in rows:
        courses[course_id] = courses.get(course_id, True) and until is not None and until >= DORMANT_UNTIL
    return {course_id for course_id, dormant in courses.items() if dormant}


def rematerialise_course(course: Course, now: datetime | None = None, live: set[str] | None = None) -> None:
    """Ensure the course's rules and bring their occurrences up to now + horizon (no commit).

    A course that is not live (`live`, computed when not given) is made dormant instead.
    """
    now = now or utcnow()
    if course.id not in (live if live is not None else live_courses(course.patient_id, now)):
        make_dormant([course.id], now)
        db.session.flush()
        return
    until = now + horizon()
    snapshot, appts = course_and_appointments(course, now)
    rules = ensure_rules(course, snapshot)
    quiet = quiet_hours(course.patient_id)
    for rule in rules:
        specs = generate(rule_snapshot(rule), snapshot, appts, quiet, now, until)
        sync_rule(rule, specs, now, until)
    cancel_paused_repeats(course.id, snapshot.pauses)
    db.session.flush()


def _on_paused_day(data: dict | None, pauses: Sequence[Pause]) -> bool:
    """Whether a dose reminder's data names a day on which the capsules are paused."""
    try:
        day = date.fromisoformat((data or {}).get("date") or "")
    except (TypeError, ValueError):
        return False
    return pause_on(pauses, day) is not None


def cancel_paused_repeats(course_id: str, pauses: Sequence[Pause]) -> None:
    """Cancel snoozed repeats of dose reminders for paused days (a snooze is a one-off the recompute of
    the rules leaves alone): a capsule stopped at once is never asked for ten minutes later."""
    if not pauses:
        return
    rule_ids = select(ReminderRule.id).where(
        ReminderRule.course_id == course_id, ReminderRule.kind.in_(DOSE_RULES)
    )
    rows = db.session.execute(
        select(ReminderOccurrence.id, ReminderOccurrence.data).where(
            ReminderOccurrence.rule_id.in_(rule_ids),
            ReminderOccurrence.status == "pending",
            ReminderOccurrence.one_off.is_(True),
        )
    ).all()
    ids = [row.id for row in rows if _on_paused_day(row.data, pauses)]
    if ids:
        db.session.execute(
            update(ReminderOccurrence)
            .where(ReminderOccurrence.id.in_(ids), ReminderOccurrence.status == "pending")
            .values(status="cancelled", last_error="capsules paused")
            .execution_options(synchronize_session=False)
        )


def top_up(now: datetime, limit_courses: int = 200) -> int:
    """Materialise ahead for courses whose horizon runs short (called by every tick). Returns courses done."""
    margin = horizon() - timedelta(days=1) if horizon() > timedelta(days=1) else horizon() / 2
    course_ids = list(
        db.session.scalars(
            select(ReminderRule.course_id)
            .where(
                ReminderRule.enabled.is_(True),
                or_(
                    ReminderRule.materialised_until.is_(None), ReminderRule.materialised_until < now + margin
                ),
            )
            .group_by(ReminderRule.course_id)
            .limit(limit_courses)
        )
    )
    for course_id in course_ids:
        course = db.session.get(Course, course_id)
        if course is not None:
            try:
                rematerialise_course(course, now)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("could not materialise reminders for course %s", course_id)
    return len(course_ids)


# -- hooks ------------------------------------------------------------------------------------------------


RECOMPUTE_ATTEMPTS = 3


def lock_patient(patient_id: str) -> None:
    """Serialise one patient's reminder recomputes (PostgreSQL: a row lock on the patient, held to the
    end of the transaction). Taken first, so the course list and quiet hours read next are those of
    any change that committed meanwhile. SQLite serialises writers itself; a recompute that lost the
    race there fails to write and is retried (course_changed)."""
    db.session.execute(select(Patient.id).where(Patient.id == patient_id).with_for_update())


def course_changed(course: Course, now: datetime | None = None) -> None:
    """A course was created or changed (plan, time zone, end, product…): recompute its reminders.

    The caller has committed its change. A recompute that collides with a concurrent one of the same
    patient (settings changed, another course saved) is rolled back and run again, up to
    RECOMPUTE_ATTEMPTS times; only then, or on any other error, are the rules marked for the next
    tick's top-up. It never breaks the caller's request.
    """
    course_id, patient_id = course.id, course.patient_id
    for attempt in range(1, RECOMPUTE_ATTEMPTS + 1):
        try:
            lock_patient(patient_id)
            _recompute_changed(course, now or utcnow())
            db.session.commit()
            return
        except (OperationalError, IntegrityError) as err:
            db.session.rollback()
            log.info(
                "reminder recompute of course %s collided (%s), attempt %d",
                course_id,
                type(err).__name__,
                attempt,
            )
        except Exception:
            db.session.rollback()
            log.exception("could not recompute reminders for course %s; the next tick retries", course_id)
            break
    else:
        log.error("reminder recompute of course %s kept colliding; the next tick retries", course_id)
    db.session.execute(
        update(ReminderRule).where(ReminderRule.course_id == course_id).values(materialised_until=None)
    )
    db.session.commit()


def _recompute_changed(course: Course, now: datetime) -> None:
    """Recompute the changed course, and any other course of the patient whose liveness it changed:
    a new course supersedes an open older one (made dormant); an end or an appointment can wake one."""
    live = live_courses(course.patient_id, now)
    rematerialise_course(course, now, live)
    dormant = _dormant_courses(course.patient_id)
    others = db.session.scalars(
        select(Course).where(Course.patient_id == course.patient_id, Course.id != course.id)
    ).all()
    make_dormant([c.id for c in others if c.id not in live and c.id not in dormant], now)
    for other in others:
        if other.id in live and other.id in dormant:
            rematerialise_course(other, now, live)


def appointments_changed(course: Course, now: datetime | None = None) -> None:
    course_changed(course, now)


def settings_changed(patient_id: str, now: datetime | None = None) -> None:
    """Quiet hours changed: recompute the patient's live courses (the others are dormant and hold no
    pending reminders) in the caller's transaction (which took `lock_patient` before changing the
    settings) and commit."""
    lock_patient(patient_id)
    now = now or utcnow()
    live = live_courses(patient_id, now)
    for course in db.session.scalars(select(Course).where(Course.id.in_(live))):
        rematerialise_course(course, now, live)
    db.session.commit()


def dose_logged(course: Course, day: date, slot: int) -> int:
    """The dose (day, slot) was marked taken or skipped: cancel its pending reminder and follow-up."""
    rule_ids = select(ReminderRule.id).where(
        ReminderRule.course_id == course.id, ReminderRule.kind.in_(DOSE_RULES)
    )
    result = db.session.execute(
        update(ReminderOccurrence)
        .where(
            ReminderOccurrence.rule_id.in_(rule_ids),
            ReminderOccurrence.status == "pending",
            ReminderOccurrence.data["date"].as_string() == day.isoformat(),
            ReminderOccurrence.data["slot"].as_integer() == slot,
        )
        .values(status="cancelled", last_error="dose already logged")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def doses_logged(course: Course, slots: Iterable[tuple[date, int]]) -> int:
    """Many doses (day, slot) were logged at once: cancel their pending reminders in one update."""
    wanted = {(day.isoformat(), slot) for day, slot in slots}
    if not wanted:
        return 0
    rule_ids = select(ReminderRule.id).where(
        ReminderRule.course_id == course.id, ReminderRule.kind.in_(DOSE_RULES)
    )
    pending = db.session.execute(
        select(ReminderOccurrence.id, ReminderOccurrence.data).where(
            ReminderOccurrence.rule_id.in_(rule_ids), ReminderOccurrence.status == "pending"
        )
    ).all()
    ids = [row.id for row in pending if (row.data.get("date"), row.data.get("slot")) in wanted]
    if ids:
        db.session.execute(
            update(ReminderOccurrence)
            .where(ReminderOccurrence.id.in_(ids))
            .values(status="cancelled", last_error="dose already logged")
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return len(ids)


# -- reading --------------------------------------------------------------------------------------------


def rules_for_patient(patient_id: str, course_id: str | None = None) -> list[Row]:
    """The patient's rules (only `course_id`'s when given); the hidden caregivers rule is not one of them.

    For reading only: rows with every column of a rule as an attribute (``rule.kind``, ``rule.local_time``
    …), not ORM objects, which cost several times more for the 90 rules of ten courses."""
    query = select(*ReminderRule.__table__.columns).where(
        ReminderRule.patient_id == patient_id, ReminderRule.kind != CAREGIVERS_RULE
    )
    if course_id is not None:
        query = query.where(ReminderRule.course_id == course_id)
    query = query.order_by(ReminderRule.course_id, ReminderRule.kind, ReminderRule.slot)
    return list(db.session.execute(query))


def get_rule(patient_id: str, rule_id: str) -> ReminderRule | None:
    rule = db.session.get(ReminderRule, rule_id)
    if rule is None or rule.patient_id != patient_id or rule.kind == CAREGIVERS_RULE:
        return None
    return rule


def occurrences_between(
    patient_id: str,
    start: datetime,
    end: datetime,
    now: datetime,
    rules: Iterable[ReminderRule | Row] | None = None,
    snapshots: dict[str, tuple[CourseSnapshot, list[AppointmentSnapshot]]] | None = None,
    live: set[str] | None = None,
    quiet: list[QuietHours | None] | None = None,
) -> list[dict]:
    """Stored occurrences in [start, end) plus computed ones beyond the materialised horizon.

    Each item: rule, occurrence (the stored row's columns, ``id`` among them, or None), kind, fires_at, data,
    status. ``snapshots`` (course id → course and appointment snapshots, taken at ``now``), ``live`` (the
    live course ids at ``now``) and ``quiet`` (a list holding the quiet hours once read) let several calls
    in one request read and project each course once.
    """
    rules = list(rules if rules is not None else rules_for_patient(patient_id))
    by_id = {r.id: r for r in rules}
    o = ReminderOccurrence
    rows = db.session.execute(  # columns, not ORM objects: a month's window holds hundreds
        select(o.id, o.rule_id, o.occurrence_key, o.kind, o.fires_at, json_text(o.data), o.status).where(
            o.patient_id == patient_id, o.fires_at >= start, o.fires_at < end
        )
    ).all()
    datas = json_values([row[5] for row in rows])  # one parse for the window, not one per occurrence
    items: dict[tuple[str, str], dict] = {}
    cancelled: set[tuple[str, str]] = set()
    for row, data in zip(rows, datas, strict=True):
        if row.status == "cancelled":
            cancelled.add((row.rule_id, row.occurrence_key))
        elif row.rule_id in by_id:
            items[(row.rule_id, row.occurrence_key)] = {
                "rule": by_id[row.rule_id],
                "occurrence": row,
                "kind": row.kind,
                "fires_at": row.fires_at,
                "data": data or {},
                "status": row.status,
            }
    future_start = max(start, now)
    if future_start < end:
        live = live if live is not None else live_courses(patient_id, now)
        courses: dict[str, list[ReminderRule | Row]] = defaultdict(list)
        for rule in rules:
            if rule.course_id in live:
                courses[rule.course_id].append(rule)
        quiet = quiet if quiet is not None else []
        if not quiet:
            quiet.append(quiet_hours(patient_id))
        held = snapshots if snapshots is not None else {}
        for course_id, course_rules in courses.items():
            if course_id not in held:
                course = db.session.get(Course, course_id)
                if course is None:
                    continue
                held[course_id] = course_and_appointments(course, now)
            snapshot, appts = held[course_id]
            for rule in course_rules:
                for spec in generate(rule_snapshot(rule), snapshot, appts, quiet[0], future_start, end):
                    key = (rule.id, spec.key)
                    if key in items or key in cancelled:
                        continue
                    items[key] = {
                        "rule": rule,
                        "occurrence": None,
                        "kind": spec.kind,
                        "fires_at": spec.fires_at,
                        "data": spec.data,
                        "status": "scheduled",
                    }
    return sorted(items.values(), key=lambda i: (i["fires_at"], i["kind"]))


#: How far ahead a reminder's next occurrence is looked for first: far enough for the daily and weekly ones,
#: so only the rarer ones (tests, visits, refills) are generated over the whole look-ahead.
NEAR_LOOK_AHEAD = timedelta(days=8)


def next_occurrences(
    patient_id: str,
    now: datetime,
    look_ahead: timedelta = timedelta(days=62),
    rules: Iterable[ReminderRule | Row] | None = None,
) -> dict:
    """rule id → the first pending/scheduled occurrence after now (None when there is none): looked for in
    the next days first, then over the whole look-ahead for the rules still without one."""
    rules = rules if rules is not None else rules_for_patient(patient_id)
    wanted = [rule for rule in rules if rule.enabled]
    nxt: dict[str, dict] = {}
    snapshots: dict[str, tuple[CourseSnapshot, list[AppointmentSnapshot]]] = {}
    live = live_courses(patient_id, now)
    quiet: list[QuietHours | None] = []
    for horizon in (min(NEAR_LOOK_AHEAD, look_ahead), look_ahead):
        for item in occurrences_between(patient_id, now, now + horizon, now, wanted, snapshots, live, quiet):
            if item["status"] in ("pending", "scheduled"):
                nxt.setdefault(item["rule"].id, item)
        wanted = [rule for rule in wanted if rule.id not in nxt]
        if not wanted:
            break
    return nxt


# -- one-offs ------------------------------------------------------------------------------------------


# Kinds whose text and actions need an occurrence's data (the dose's date, slot and mg; the
# appointment's time; the test date of a pick-up window): without a stored or computable occurrence
# there is nothing to repeat (409). The other kinds' texts read fine from the course alone.
NEEDS_OCCURRENCE = frozenset({"dose", "dose_followup", "appointment", "fasting", "pickup_window"})
# Without occurrence_id and with nothing sent yet, the occurrence is computed within this window.
SNOOZE_LOOKAROUND = timedelta(days=1)
DOSE_KINDS = ("dose", "dose_followup")
#: Rules whose occurrences are about one dose (data: date, slot): logging the dose or pausing its day
#: cancels them — the caregivers' nudges too.
DOSE_RULES = (*DOSE_KINDS, CAREGIVERS_RULE)
PAUSED_SNOOZE = "Your capsules are paused on that day; there is nothing to remind you of."
# A reminder can be snoozed until an hour after its grace window ended; later it is of no use (422).
SNOOZE_STALE_AFTER = timedelta(hours=1)


class SnoozeRefused(Exception):
    """A snooze that cannot be done: `status` is the HTTP status, `field` the request field to name."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def _dose_logged(course_id: str | None, day: str | None, slot: int | None) -> bool:
    if not course_id or not day or slot is None:
        return False
    try:
        when = date.fromisoformat(day)
    except (TypeError, ValueError):
        return False
    return (
        db.session.scalar(
            select(DoseLog.id).where(
                DoseLog.course_id == course_id, DoseLog.date == when, DoseLog.slot == slot
            )
        )
        is not None
    )


def _one_off(rule: ReminderRule, key: str, data: dict, minutes: int, now: datetime) -> dict:
    fires = now + timedelta(minutes=minutes)
    return {
        "id": str(uuid.uuid4()),
        "rule_id": rule.id,
        "patient_id": rule.patient_id,
        "occurrence_key": key,
        "kind": rule.kind,
        "fires_at": fires,
        "expires_at": fires + GRACE["snooze"],
        "status": "pending",
        "attempts": 0,
        "data": data,
        "one_off": True,
        "created_at": now,
    }


def _by_key(rule_id: str, key: str) -> ReminderOccurrence | None:
    return db.session.scalars(
        select(ReminderOccurrence).where(
            ReminderOccurrence.rule_id == rule_id, ReminderOccurrence.occurrence_key == key
        )
    ).first()


def snooze(
    rule: ReminderRule, minutes: int, now: datetime | None = None, occurrence_id: str | None = None
) -> tuple[ReminderOccurrence, bool]:
    """Schedule a one-off repeat `minutes` from now; returns (the repeat, created).

    With `occurrence_id` (the occurrence the patient saw) the repeat's key is `snooze:<occurrence_id>`,
    so the unique (rule_id, occurrence_key) makes a double tap or an outbox replay return the first
    repeat (created = False) instead of adding another. Refused (`SnoozeRefused`): an occurrence of
    another rule (404); a switched-off rule, a dose slot already logged, an occurrence that has not
    gone out yet or was cancelled (409); one whose grace window ended more than SNOOZE_STALE_AFTER ago
    (422). Without it the rule's latest reminder is repeated (a new key each time); when none has gone
    out yet its data is computed (the occurrence due nearest now), and a kind in NEEDS_OCCURRENCE
    with none around now is a 409 (its text needs an occurrence's data). A switched-off rule: 409.
    """
    now = now or utcnow()
    if occurrence_id is not None:
        return _snooze_occurrence(rule, minutes, now, occurrence_id)
    if not rule.enabled:
        raise SnoozeRefused(409, "This reminder is switched off; turn it on before snoozing it.")
    latest = db.session.scalars(
        select(ReminderOccurrence)
        .where(ReminderOccurrence.rule_id == rule.id, ReminderOccurrence.fires_at <= now)
        .order_by(ReminderOccurrence.fires_at.desc())
        .limit(1)
    ).first()
    if latest is not None:
        data = dict(latest.data or {})
        data.setdefault("snoozed_from", latest.id)  # a snooze of a snooze keeps the first tag
    else:
        computed = _computed_data(rule, now)
        if computed is None and rule.kind in NEEDS_OCCURRENCE:
            raise SnoozeRefused(
                409,
                f"Nothing to snooze: no {rule.kind.replace('_', ' ')} reminder is due around now, "
                "so there is no notification to repeat.",
            )
        data = computed or {"course_id": rule.course_id}
    if rule.kind in DOSE_KINDS and _on_paused_day(data, course_pauses(rule.course_id)):
        raise SnoozeRefused(409, PAUSED_SNOOZE)
    row = _one_off(rule, f"snooze:{uuid.uuid4()}", data, minutes, now)
    insert_occurrences([row])
    db.session.commit()
    return db.session.get(ReminderOccurrence, row["id"]), True


def _computed_data(rule: ReminderRule, now: datetime) -> dict | None:
    """The data of the rule's occurrence nearest now when none was stored yet: the latest one due in
    the last day, else the next one in the coming day (None when there is neither)."""
    course = db.session.get(Course, rule.course_id)
    if course is None:
        return None
    snapshot, appointments = course_and_appointments(course, now)
    specs = generate(
        rule_snapshot(rule),
        snapshot,
        appointments,
        quiet_hours(rule.patient_id),
        now - SNOOZE_LOOKAROUND,
        now + SNOOZE_LOOKAROUND,
    )
    past = [s for s in specs if s.fires_at <= now]
    spec = past[-1] if past else (specs[0] if specs else None)
    return dict(spec.data) if spec is not None else None


def _snooze_occurrence(
    rule: ReminderRule, minutes: int, now: datetime, occurrence_id: str
) -> tuple[ReminderOccurrence, bool]:
    origin = db.session.get(ReminderOccurrence, occurrence_id)
    if origin is None or origin.rule_id != rule.id or origin.patient_id != rule.patient_id:
        raise SnoozeRefused(404, "No such occurrence of this reminder.", "occurrence_id")
    key = f"snooze:{origin.id}"
    existing = _by_key(rule.id, key)
    if existing is not None:
        return existing, False  # a replay: the repeat already exists
    if not rule.enabled:
        raise SnoozeRefused(409, "This reminder is switched off; turn it on before snoozing it.")
    data = dict(origin.data or {})
    if rule.kind in DOSE_KINDS and _dose_logged(data.get("course_id"), data.get("date"), data.get("slot")):
        raise SnoozeRefused(409, "This dose is already logged; there is nothing to remind you of.")
    if rule.kind in DOSE_KINDS and _on_paused_day(data, course_pauses(rule.course_id)):
        raise SnoozeRefused(409, PAUSED_SNOOZE)
    if origin.status == "cancelled":
        raise SnoozeRefused(409, "This reminder was cancelled, so it cannot be snoozed.")
    if origin.fires_at > now:
        raise SnoozeRefused(409, "This reminder has not gone out yet, so it cannot be snoozed.")
    if now > origin.expires_at + SNOOZE_STALE_AFTER:
        raise SnoozeRefused(422, "This reminder is too old to snooze: its time has passed.", "occurrence_id")
    data.setdefault("snoozed_from", origin.id)  # a snooze of a snooze keeps the first tag
    row = _one_off(rule, key, data, minutes, now)
    insert_occurrences([row])  # ON CONFLICT DO NOTHING: a concurrent replay inserts nothing
    db.session.commit()
    occurrence = _by_key(rule.id, key)
    return occurrence, occurrence.id == row["id"]


def local_window(zone_name: str, first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last+1 00:00) local, as aware UTC instants."""
    from backend.reminders.schedule import resolve_local

    start = resolve_local(datetime.combine(first, time(0, 0)), zone_name)
    end = resolve_local(datetime.combine(last + timedelta(days=1), time(0, 0)), zone_name)
    return start.astimezone(UTC), end.astimezone(UTC)


# -- events ----------------------------------------------------------------------------------------------


def connect_events() -> None:
    """Listen to `backend.events` (the app factory calls this; connecting twice is a no-op)."""
    events.course_changed.connect(_on_course_changed, weak=False)
    events.doses_logged.connect(_on_doses_logged, weak=False)


def _on_course_changed(course: Course, **_: object) -> None:
    course_changed(course)


def _on_doses_logged(course: Course, *, slots: Sequence[tuple[date, int]], **_: object) -> None:
    if len(slots) == 1:
        dose_logged(course, *slots[0])
    else:
        doses_logged(course, slots)
