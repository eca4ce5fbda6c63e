"""Caregivers: invites, joining, the patient's choices, removal, and the caregiver's view."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from backend.auth import hash_secret, new_token
from backend.caregiving.view import SharedCourse, caregiver_view
from backend.course.plan import parse_plan
from backend.extensions import db
from backend.models import Caregiver, CaregiverInvite, Course, DoseLog, PushSubscription
from backend.models.types import utcnow
from backend.reminders.caregiver_nudges import JOINED
from backend.reminders.occurrences import GRACE
from backend.services import reminders
from backend.services.accounts import CODE_ALPHABET, CODE_LENGTH, normalise_code
from backend.services.courses import booked_appointments, course_pauses, local_today

#: Changes after which the course's caregiver nudges are scheduled again (who gets one may change).
NUDGE_FIELDS = frozenset({"nudge", "nudge_allowed", "quiet_start", "quiet_end"})


class CaregiverLimitReached(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} caregivers")
        self.limit = limit


def held_caregivers(course_id: str) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(Caregiver).where(Caregiver.course_id == course_id))
        or 0
    )


def live_invites(course_id: str) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(CaregiverInvite)
            .where(
                CaregiverInvite.course_id == course_id,
                CaregiverInvite.used_at.is_(None),
                CaregiverInvite.expires_at >= utcnow(),
            )
        )
        or 0
    )


def create_invite(course: Course, ttl: timedelta) -> tuple[str, CaregiverInvite]:
    """A short one-use code for one course; only its hash is kept. Expired invites are swept."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = utcnow()
    db.session.execute(delete(CaregiverInvite).where(CaregiverInvite.expires_at < now))
    invite = CaregiverInvite(
        code_hash=hash_secret(raw), patient_id=course.patient_id, course_id=course.id, expires_at=now + ttl
    )
    db.session.add(invite)
    db.session.commit()
    return f"{raw[:4]}-{raw[4:]}", invite


def join(code: str, limit: int, language: str | None = None) -> tuple[Caregiver, str] | None:
    """Spend an invite atomically and return the new caregiver with its clear token (shown once).

    None when the code is unknown, used or expired; CaregiverLimitReached (code left unspent) when
    the course already has `limit` caregivers. The course row is locked first (PostgreSQL), so two
    invites redeemed at once cannot pass the cap together.
    """
    now = utcnow()
    spent = db.session.execute(
        CaregiverInvite.__table__.update()
        .where(
            CaregiverInvite.code_hash == hash_secret(normalise_code(code)),
            CaregiverInvite.used_at.is_(None),
            CaregiverInvite.expires_at >= now,
        )
        .values(used_at=now)
        .returning(CaregiverInvite.patient_id, CaregiverInvite.course_id)
    ).first()
    if spent is None:
        db.session.rollback()
        return None
    locked = db.session.execute(
        select(Course.id).where(Course.id == spent.course_id).with_for_update()
    ).first()
    if locked is None:
        db.session.rollback()
        return None
    if held_caregivers(spent.course_id) >= limit:
        db.session.rollback()
        raise CaregiverLimitReached(limit)
    token = new_token()
    caregiver = Caregiver(
        patient_id=spent.patient_id,
        course_id=spent.course_id,
        token_hash=hash_secret(token),
        language=language,
    )
    db.session.add(caregiver)
    db.session.flush()
    _announce_join(caregiver)
    db.session.commit()
    return caregiver, token


def _announce_join(caregiver: Caregiver) -> None:
    """Queue the patient's "a caregiver joined" push, once (key `joined:<caregiver id>`), in the
    caller's transaction: the dispatcher sends it to the patient's devices within a tick."""
    now = utcnow()
    rule = reminders.caregivers_rule(db.session.get(Course, caregiver.course_id))
    reminders.insert_occurrences(
        [
            {
                "id": str(uuid.uuid4()),
                "rule_id": rule.id,
                "patient_id": caregiver.patient_id,
                "occurrence_key": f"joined:{caregiver.id}",
                "kind": JOINED,
                "fires_at": now,
                "expires_at": now + GRACE[JOINED],
                "status": "pending",
                "attempts": 0,
                "data": {"course_id": caregiver.course_id, "caregiver_id": caregiver.id},
                "one_off": True,
                "created_at": now,
            }
        ]
    )


def nudges_changed(course_id: str) -> None:
    """Who gets the course's nudges may have changed: schedule them again (commits)."""
    course = db.session.get(Course, course_id)
    if course is not None:
        reminders.course_changed(course)


def list_caregivers(patient_id: str) -> list[Caregiver]:
    return list(
        db.session.scalars(
            select(Caregiver).where(Caregiver.patient_id == patient_id).order_by(Caregiver.created_at)
        )
    )


def get_caregiver(patient_id: str, caregiver_id: str) -> Caregiver | None:
    caregiver = db.session.get(Caregiver, caregiver_id)
    return caregiver if caregiver is not None and caregiver.patient_id == patient_id else None


def remove(caregiver_id: str) -> None:
    """The token stops working at once; its push subscription goes with it (ON DELETE CASCADE, and
    deleted here too for engines that do not enforce foreign keys)."""
    course_id = db.session.scalar(select(Caregiver.course_id).where(Caregiver.id == caregiver_id))
    db.session.execute(delete(PushSubscription).where(PushSubscription.caregiver_id == caregiver_id))
    db.session.execute(delete(Caregiver).where(Caregiver.id == caregiver_id))
    db.session.commit()
    if course_id is not None:
        nudges_changed(course_id)


def remove_all(patient_id: str) -> int:
    course_ids = set(
        db.session.scalars(select(Caregiver.course_id).where(Caregiver.patient_id == patient_id))
    )
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.caregiver_id.in_(select(Caregiver.id).where(Caregiver.patient_id == patient_id))
        )
    )
    removed = db.session.execute(delete(Caregiver).where(Caregiver.patient_id == patient_id)).rowcount
    db.session.execute(delete(CaregiverInvite).where(CaregiverInvite.patient_id == patient_id))
    db.session.commit()
    for course_id in course_ids:
        nudges_changed(course_id)
    return removed or 0


def update(caregiver: Caregiver, changes: dict[str, Any]) -> Caregiver:
    for key, value in changes.items():
        setattr(caregiver, key, value)
    db.session.commit()
    if NUDGE_FIELDS & changes.keys():
        nudges_changed(caregiver.course_id)
    return caregiver


def push_subscription(caregiver_id: str) -> PushSubscription | None:
    return db.session.scalars(
        select(PushSubscription).where(PushSubscription.caregiver_id == caregiver_id)
    ).first()


class EndpointTaken(Exception):
    """The endpoint is a patient device's or another caregiver's."""


def set_push_subscription(caregiver: Caregiver, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Register this caregiver phone's one subscription (a new one replaces the old) and commit."""
    other = db.session.scalars(select(PushSubscription).where(PushSubscription.endpoint == endpoint)).first()
    if other is not None and other.caregiver_id != caregiver.id:
        raise EndpointTaken(endpoint)
    now = utcnow()
    sub = other or push_subscription(caregiver.id)
    if sub is None:
        sub = PushSubscription(
            patient_id=caregiver.patient_id, caregiver_id=caregiver.id, created_at=now, endpoint=endpoint
        )
        db.session.add(sub)
    sub.endpoint, sub.p256dh, sub.auth, sub.last_seen_at = endpoint, p256dh, auth, now
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.caregiver_id == caregiver.id, PushSubscription.endpoint != endpoint
        )
    )
    db.session.commit()
    nudges_changed(caregiver.course_id)
    return sub


def forget_push_subscription(caregiver: Caregiver) -> None:
    db.session.execute(delete(PushSubscription).where(PushSubscription.caregiver_id == caregiver.id))
    db.session.commit()
    nudges_changed(caregiver.course_id)


def view_for(caregiver: Caregiver, now: datetime | None = None) -> dict[str, Any]:
    """Exactly what this caregiver sees (the patient's preview calls the same function)."""
    course = db.session.get(Course, caregiver.course_id)
    moment = now or utcnow()
    today = local_today(course, moment)
    shared = SharedCourse(
        id=course.id,
        start_date=course.start_date,
        ended_on=course.ended_on,
        plan=parse_plan(course.dose_plan),
        pauses=course_pauses(course.id),
    )
    first = today - timedelta(days=14)
    logs = db.session.execute(
        select(DoseLog.date, DoseLog.slot, DoseLog.status).where(
            DoseLog.course_id == course.id, DoseLog.date >= first, DoseLog.date <= today
        )
    ).all()
    appointments = booked_appointments(course.id) if caregiver.show_appointments else None
    now_local = moment.astimezone(ZoneInfo(course.timezone)).replace(tzinfo=None)
    return caregiver_view(shared, [tuple(r) for r in logs], today, appointments, now_local)
