"""The patient's own record: daily check-ins, weekly mood checks, capsule pick-ups, calendar feeds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.types import UTCDateTime, new_id, utcnow


class CheckIn(db.Model):
    """One check-in per local date: skin 0–10, common effects 0–3, red flags ticked, an optional note.

    Skin and each effect are ``None`` when the patient left the question unanswered (never a default).
    """

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("course_id", "date"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    skin: Mapped[int | None] = mapped_column(Integer)
    effects: Mapped[dict] = mapped_column(JSON)
    red_flags: Mapped[list] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MoodCheck(db.Model):
    """The weekly mood check of one ISO week: answers in words, never a score (MOOD-1, PRODUCT-1)."""

    __tablename__ = "mood_checks"
    __table_args__ = (UniqueConstraint("course_id", "week"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))  # ISO week, e.g. 2026-W13
    answered_on: Mapped[date] = mapped_column(Date)
    interest: Mapped[str] = mapped_column(String(24))
    low_mood: Mapped[str] = mapped_column(String(24))
    self_harm_thoughts: Mapped[bool] = mapped_column(Boolean)
    sexual_function: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SupplyPickup(db.Model):
    """Capsules collected from the pharmacy: how many, of which strength, on which local date."""

    __tablename__ = "supply_pickups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    picked_up_on: Mapped[date] = mapped_column(Date)
    capsules: Mapped[int] = mapped_column(Integer)
    strength_mg: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarFeed(db.Model):
    """A secret, revocable calendar subscription URL; only the SHA-256 of its token is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    include_doses: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
