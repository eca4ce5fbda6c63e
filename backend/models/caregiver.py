"""Caregivers: someone a patient lets see their dose ticks, with a credential of its own.

A caregiver holds no name, email or phone number; its token is not a device token, so it opens none
of the patient's endpoints (backend.caregiver_auth). Deleting the patient or the course deletes the
caregiver (ON DELETE CASCADE), and with it the caregiver's push subscription (a `push_subscriptions` row
whose `caregiver_id` is this caregiver, ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import Boolean, ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.types import UTCDateTime, new_id, utcnow


class CaregiverInvite(db.Model):
    """A one-use code (24 h) that lets a caregiver join one course; only its hash is kept."""

    __tablename__ = "caregiver_invites"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Caregiver(db.Model):
    """One caregiver's phone, sharing one course of one patient."""

    __tablename__ = "caregivers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The patient's choices for this caregiver.
    show_appointments: Mapped[bool] = mapped_column(Boolean, default=False)
    nudge_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    # The caregiver's own choices: the one-hour nudge (off until they turn it on) and quiet hours,
    # wall-clock times in the course's time zone.
    nudge: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    # The language the caregiver's phone asks for (Accept-Language at joining and at each change of its
    # settings): the nudge is written in it.
    language: Mapped[str | None] = mapped_column(String(8))
