"""The reminders part of `GET /api/v1/me/export` (registered in `services.accounts.EXPORT_SECTIONS`).

Everything stored about the patient, as plain JSON-ready data — except the secrets of a push
subscription: its endpoint URL is a capability (only its origin is exported) and its p256dh / auth
keys are never included.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from backend.extensions import db
from backend.models import (
    Appointment,
    Course,
    PushSubscription,
    ReminderRule,
    ReminderSettings,
    patient_devices,
)
from backend.models.reminders import CAREGIVERS_RULE


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _course_ids(patient_id: str):
    return select(Course.id).where(Course.patient_id == patient_id)


def appointments(patient_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Appointment)
        .where(Appointment.course_id.in_(_course_ids(patient_id)))
        .order_by(Appointment.starts_at_local, Appointment.id)
    )
    return [
        {
            "id": a.id,
            "course_id": a.course_id,
            "kind": a.kind,
            "starts_at": a.starts_at_local.isoformat(timespec="minutes"),  # local, the course's zone
            "place": a.place,
            "notes": a.notes,
            "fasting": bool(a.fasting),
            "created_at": _iso(a.created_at),
            "updated_at": _iso(a.updated_at),
        }
        for a in rows
    ]


def reminder_rules(patient_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(ReminderRule)
        .where(ReminderRule.patient_id == patient_id, ReminderRule.kind != CAREGIVERS_RULE)
        .order_by(ReminderRule.course_id, ReminderRule.kind, ReminderRule.slot)
    )
    return [
        {
            "id": r.id,
            "course_id": r.course_id,
            "kind": r.kind,
            "slot": r.slot or None,
            "enabled": bool(r.enabled),
            "time": _hhmm(r.local_time),  # null: the kind's default
            "offset_minutes": r.offset_minutes,  # lead / delay; refill: whole days in minutes
            "weekday": r.weekday,  # 0 = Monday … 6 = Sunday
            "created_at": _iso(r.created_at),
            "updated_at": _iso(r.updated_at),
        }
        for r in rows
    ]


def reminder_settings(patient_id: str) -> dict[str, Any] | None:
    settings = db.session.get(ReminderSettings, patient_id)
    if settings is None:
        return None
    return {
        "quiet_start": _hhmm(settings.quiet_start),
        "quiet_end": _hhmm(settings.quiet_end),
        "updated_at": _iso(settings.updated_at),
    }


def _origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def push_subscriptions(patient_id: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(PushSubscription)
        .where(PushSubscription.patient_id == patient_id, patient_devices())
        .order_by(PushSubscription.created_at, PushSubscription.id)
    )
    return [
        {
            "id": s.id,
            "device_id": s.device_id,
            "endpoint_origin": _origin(s.endpoint),
            "user_agent": s.user_agent,
            "created_at": _iso(s.created_at),
            "last_seen_at": _iso(s.last_seen_at),
            "last_success_at": _iso(s.last_success_at),
            "last_failure_at": _iso(s.last_failure_at),
            "last_status": s.last_status,
        }
        for s in rows
    ]


SECTIONS = {
    "appointments": appointments,
    "reminder_rules": reminder_rules,
    "reminder_settings": reminder_settings,
    "push_subscriptions": push_subscriptions,
}
