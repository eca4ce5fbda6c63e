"""Reminders: rules, materialised occurrences, push subscriptions, deliveries, appointments.

Design (docs/ARCHITECTURE.md "Reminders"): a rule says *what* to remind (kind, local time, lead);
occurrences are the concrete UTC instants materialised a few days ahead. The dispatcher finds due
work through the (status, fires_at) index and claims it with a lease; one delivery row per
(occurrence, subscription) is the outbox.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.types import UTCDateTime, new_id, utcnow

RULE_KINDS = (
    "dose",
    "dose_followup",
    "appointment",
    "fasting",
    "pickup_window",
    "final_pregnancy_test",
    "contraception_end",
    "refill",
    "mood_checkin",
    "caregivers",  # hidden from the patient's reminders: caregiver nudges and the "a caregiver joined" notice
)
#: The hidden per-course rule that carries caregiver nudges and "a caregiver joined" notices.
CAREGIVERS_RULE = "caregivers"
OCCURRENCE_STATUSES = ("pending", "claimed", "sent", "failed", "missed", "cancelled")
APPOINTMENT_KINDS = ("dermatologist_visit", "blood_test", "pregnancy_test", "other")


class ReminderSettings(db.Model):
    """Per-patient reminder preferences (quiet hours in the course's local time)."""

    __tablename__ = "reminder_settings"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ReminderRule(db.Model):
    """One kind of reminder for one course (dose rules: one per dose slot of the day).

    `local_time` overrides the derived time (dose time, evening before…); `offset_minutes` is the
    lead before an appointment, a dose or the next 30-day supply (refill: whole days, in minutes) or
    the delay of a dose follow-up; `weekday` (0 = Monday … 6 = Sunday) is the day of a weekly kind
    (mood check-in). NULL means the kind's default.
    """

    __tablename__ = "reminder_rules"
    __table_args__ = (
        UniqueConstraint("course_id", "kind", "slot", name="uq_reminder_rules_course_kind_slot"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # 0 for kinds without a slot (a real value, so the unique key works on every database).
    slot: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    local_time: Mapped[time | None] = mapped_column(Time)
    offset_minutes: Mapped[int | None] = mapped_column(Integer)
    weekday: Mapped[int | None] = mapped_column(Integer)
    # Occurrences exist up to here; the dispatcher tops up rules whose horizon runs short.
    materialised_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ReminderOccurrence(db.Model):
    """One concrete firing of a rule, at a UTC instant; the unit the dispatcher claims."""

    __tablename__ = "reminder_occurrences"
    __table_args__ = (
        UniqueConstraint("rule_id", "occurrence_key", name="uq_reminder_occurrences_rule_key"),
        Index("ix_reminder_occurrences_status_fires_at", "status", "fires_at"),
        Index("ix_reminder_occurrences_status_claimed_until", "status", "claimed_until"),
        Index("ix_reminder_occurrences_patient_fires_at", "patient_id", "fires_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    rule_id: Mapped[str] = mapped_column(ForeignKey("reminder_rules.id", ondelete="CASCADE"))
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    # e.g. "2026-03-29:1" (dose date and slot), "<appointment id>:eve", "snooze:<uuid>".
    occurrence_key: Mapped[str] = mapped_column(String(96))
    kind: Mapped[str] = mapped_column(String(32))
    fires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # After this instant the reminder is useless: recorded as missed instead of sent.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    one_off: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PushSubscription(db.Model):
    """A browser's PushSubscription; the endpoint is unique across patients (upsert re-assigns).

    `device_id` is the device (bearer token) that registered it: unlinking that device deletes its
    subscriptions (ON DELETE CASCADE), so a removed phone stops getting reminders at once. NULL only
    for rows from before the column existed; the app re-registers at every start, which fills it.

    `caregiver_id` set: a caregiver's phone (its nudge), never one of the patient's devices — every
    patient-facing query filters `caregiver_id IS NULL` (`patient_devices`). Removing the caregiver
    deletes it (ON DELETE CASCADE); `patient_id` is then the patient whose course it follows.
    """

    __tablename__ = "push_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str | None] = mapped_column(
        ForeignKey("device_tokens.id", ondelete="CASCADE"), nullable=True, index=True
    )
    caregiver_id: Mapped[str | None] = mapped_column(
        ForeignKey("caregivers.id", ondelete="CASCADE"), nullable=True, index=True
    )
    endpoint: Mapped[str] = mapped_column(String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(255))
    failure_count: Mapped[int] = mapped_column(Integer, default=0)


def patient_devices():
    """The condition that keeps caregivers' phones out of a patient's subscriptions."""
    return PushSubscription.caregiver_id.is_(None)


class PushTest(db.Model):
    """A test notification the patient asked for: queued by the web request, sent by the reminder
    worker (never inside the request), its per-device results kept for the app to poll.

    queued → sending (claimed until `claimed_until`; a worker that died loses it back) → done.
    """

    __tablename__ = "push_tests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results: Mapped[list | None] = mapped_column(JSON)
    #: One device only (the "Test" button of that device); null: every device of the patient. No
    #: foreign key: a device retired by this very test (410) must not take the test row with it.
    subscription_id: Mapped[str | None] = mapped_column(String(36))


class ReminderDelivery(db.Model):
    """The outbox: one row per (occurrence, subscription), so a reminder reaches a device once."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "subscription_id", name="uq_reminder_deliveries_occurrence_sub"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    occurrence_id: Mapped[str] = mapped_column(ForeignKey("reminder_occurrences.id", ondelete="CASCADE"))
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="CASCADE"), index=True
    )
    # pending → sent | failed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Appointment(db.Model):
    """A visit, lab draw or test at a local wall-clock time in the course's time zone."""

    __tablename__ = "appointments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # Naive on purpose: a wall-clock time at the clinic, interpreted in the course's time zone.
    starts_at_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    place: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    fasting: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def local_date(self) -> date:
        return self.starts_at_local.date()
