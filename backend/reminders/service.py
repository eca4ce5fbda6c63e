"""Reminder rules and occurrences in the database: derive rules, materialise, recompute, snooze.

Hooks other modules call (each commits its own work):
- `course_changed(course)`: after a course is created or its plan / time zone / end changes.
- `dose_logged(course, date, slot)`: a dose was marked taken or skipped → cancel its reminders.
- `appointments_changed(course)`, `settings_changed(patient_id)`.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from backend.course.plan import parse_plan
from backend.extensions import db
from backend.models import Appointment, Course, ReminderOccurrence, ReminderRule, ReminderSettings
from backend.models.types import utcnow
from backend.reminders.occurrences import (
    DEFAULT_ENABLED,
    GRACE,
    AppointmentSnapshot,
    CourseSnapshot,
    OccurrenceSpec,
    RuleSnapshot,
    generate,
    rule_kinds_for,
)
from backend.reminders.schedule import QuietHours

log = logging.getLogger(__name__)

DEFAULT_HORIZON_DAYS = 3
ACTIVE = ("pending", "claimed")


def horizon() -> timedelta:
    return timedelta(days=current_app.config.get("REMINDER_HORIZON_DAYS", DEFAULT_HORIZON_DAYS))


# -- snapshots ---------------------------------------------------------------------------------------


def _last_capsule(course: Course, now: datetime) -> tuple[date | None, bool]:
    """ended_on when set, else the timeline's projected last dose (estimated)."""
    if course.ended_on is not None:
        return course.ended_on, False
    try:
        from backend.course.timeline import project
        from backend.services.courses import course_info, local_today, logged_doses

        projection = project(course_info(course), logged_doses(course.id), local_today(course, now))
    except Exception:  # the projection is a nicety for post-course reminders; never block on it
        log.exception("could not project the last capsule of course %s", course.id)
        return None, True
    return projection.projected_last_dose_on, True


def course_snapshot(course: Course, now: datetime | None = None) -> CourseSnapshot:
    last, estimated = _last_capsule(course, now or utcnow())
    return CourseSnapshot(
        id=course.id,
        timezone=course.timezone,
        product=course.product,
        programme=course.programme,
        pregnancy_prevention=bool(course.pregnancy_prevention),
        start_date=course.start_date,
        ended_on=course.ended_on,
        plan=parse_plan(course.dose_plan),
        last_capsule=last,
        last_capsule_estimated=estimated,
    )


def appointment_snapshots(course_id: str) -> list[AppointmentSnapshot]:
    rows = db.session.scalars(
        select(Appointment).where(Appointment.course_id == course_id).order_by(Appointment.starts_at_local)
    )
    return [AppointmentSnapshot(a.id, a.kind, a.starts_at_local, a.place, bool(a.fasting)) for a in rows]


def rule_snapshot(rule: ReminderRule) -> RuleSnapshot:
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

    A new rule starts enabled unless its kind is opt-in (`DEFAULT_ENABLED`, e.g. the mood check-in).
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
                enabled=DEFAULT_ENABLED.get(kind, True),
            )
            db.session.add(rule)
            rules.append(rule)
    db.session.flush()
    return rules


# -- materialising ---------------------------------------------------------------------------------------


def _insert_ignore(rows: list[dict]) -> None:
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
    _insert_ignore([_occurrence_row(rule, s, now) for k, s in wanted.items() if k not in seen])
    rule.materialised_until = until


def rematerialise_course(course: Course, now: datetime | None = None) -> None:
    """Ensure the course's rules and bring their occurrences up to now + horizon (no commit)."""
    now = now or utcnow()
    until = now + horizon()
    snapshot = course_snapshot(course, now)
    rules = ensure_rules(course, snapshot)
    appts = appointment_snapshots(course.id)
    quiet = quiet_hours(course.patient_id)
    for rule in rules:
        specs = generate(rule_snapshot(rule), snapshot, appts, quiet, now, until)
        sync_rule(rule, specs, now, until)
    db.session.flush()


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


def course_changed(course: Course, now: datetime | None = None) -> None:
    """A course was created or changed (plan, time zone, end, product…): recompute its reminders.

    Never breaks the caller's request: on an error the rules are marked for the next tick's top-up.
    """
    try:
        rematerialise_course(course, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not recompute reminders for course %s; the next tick retries", course.id)
        db.session.execute(
            update(ReminderRule).where(ReminderRule.course_id == course.id).values(materialised_until=None)
        )
        db.session.commit()


def appointments_changed(course: Course, now: datetime | None = None) -> None:
    course_changed(course, now)


def settings_changed(patient_id: str, now: datetime | None = None) -> None:
    for course in db.session.scalars(select(Course).where(Course.patient_id == patient_id)):
        rematerialise_course(course, now)
    db.session.commit()


def dose_logged(course: Course, day: date, slot: int) -> int:
    """The dose (day, slot) was marked taken or skipped: cancel its pending reminder and follow-up."""
    rule_ids = select(ReminderRule.id).where(
        ReminderRule.course_id == course.id, ReminderRule.kind.in_(("dose", "dose_followup"))
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


# -- reading --------------------------------------------------------------------------------------------


def rules_for_patient(patient_id: str) -> list[ReminderRule]:
    return list(
        db.session.scalars(
            select(ReminderRule)
            .where(ReminderRule.patient_id == patient_id)
            .order_by(ReminderRule.course_id, ReminderRule.kind, ReminderRule.slot)
        )
    )


def get_rule(patient_id: str, rule_id: str) -> ReminderRule | None:
    rule = db.session.get(ReminderRule, rule_id)
    return rule if rule is not None and rule.patient_id == patient_id else None


def occurrences_between(
    patient_id: str,
    start: datetime,
    end: datetime,
    now: datetime,
    rules: Iterable[ReminderRule] | None = None,
) -> list[dict]:
    """Stored occurrences in [start, end) plus computed ones beyond the materialised horizon.

    Each item: rule, occurrence (row or None), kind, fires_at, data, status.
    """
    rules = list(rules if rules is not None else rules_for_patient(patient_id))
    by_id = {r.id: r for r in rules}
    rows = db.session.scalars(
        select(ReminderOccurrence).where(
            ReminderOccurrence.patient_id == patient_id,
            ReminderOccurrence.fires_at >= start,
            ReminderOccurrence.fires_at < end,
            ReminderOccurrence.status != "cancelled",
        )
    ).all()
    items: dict[tuple[str, str], dict] = {}
    for row in rows:
        if row.rule_id in by_id:
            items[(row.rule_id, row.occurrence_key)] = {
                "rule": by_id[row.rule_id],
                "occurrence": row,
                "kind": row.kind,
                "fires_at": row.fires_at,
                "data": row.data or {},
                "status": row.status,
            }
    cancelled = {
        (r, k)
        for r, k in db.session.execute(
            select(ReminderOccurrence.rule_id, ReminderOccurrence.occurrence_key).where(
                ReminderOccurrence.patient_id == patient_id,
                ReminderOccurrence.fires_at >= start,
                ReminderOccurrence.fires_at < end,
                ReminderOccurrence.status == "cancelled",
            )
        )
    }
    future_start = max(start, now)
    if future_start < end:
        courses: dict[str, list[ReminderRule]] = defaultdict(list)
        for rule in rules:
            courses[rule.course_id].append(rule)
        quiet = quiet_hours(patient_id)
        for course_id, course_rules in courses.items():
            course = db.session.get(Course, course_id)
            if course is None:
                continue
            snapshot = course_snapshot(course, now)
            appts = appointment_snapshots(course_id)
            for rule in course_rules:
                for spec in generate(rule_snapshot(rule), snapshot, appts, quiet, future_start, end):
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


def next_occurrences(patient_id: str, now: datetime, look_ahead: timedelta = timedelta(days=62)) -> dict:
    """rule id → the first pending/scheduled occurrence after now (None when there is none)."""
    nxt: dict[str, dict] = {}
    for item in occurrences_between(patient_id, now, now + look_ahead, now):
        if item["status"] in ("pending", "scheduled") and item["rule"].enabled:
            nxt.setdefault(item["rule"].id, item)
    return nxt


# -- one-offs ------------------------------------------------------------------------------------------


def snooze(rule: ReminderRule, minutes: int, now: datetime | None = None) -> ReminderOccurrence:
    """Schedule a one-off repeat of the rule's latest reminder `minutes` from now."""
    now = now or utcnow()
    latest = db.session.scalars(
        select(ReminderOccurrence)
        .where(ReminderOccurrence.rule_id == rule.id, ReminderOccurrence.fires_at <= now)
        .order_by(ReminderOccurrence.fires_at.desc())
        .limit(1)
    ).first()
    data = dict(latest.data or {}) if latest is not None else {"course_id": rule.course_id}
    if latest is not None:
        data.setdefault("snoozed_from", latest.id)  # a snooze of a snooze keeps the first tag
    fires = now + timedelta(minutes=minutes)
    occurrence = ReminderOccurrence(
        rule_id=rule.id,
        patient_id=rule.patient_id,
        occurrence_key=f"snooze:{uuid.uuid4()}",
        kind=rule.kind,
        fires_at=fires,
        expires_at=fires + GRACE["snooze"],
        status="pending",
        data=data,
        one_off=True,
    )
    db.session.add(occurrence)
    db.session.commit()
    return occurrence


def local_window(zone_name: str, first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last+1 00:00) local, as aware UTC instants."""
    from backend.reminders.schedule import resolve_local

    start = resolve_local(datetime.combine(first, time(0, 0)), zone_name)
    end = resolve_local(datetime.combine(last + timedelta(days=1), time(0, 0)), zone_name)
    return start.astimezone(UTC), end.astimezone(UTC)
