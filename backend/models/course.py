"""A patient's isotretinoin course and its dose log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.course.rules import default_rule_set
from backend.extensions import db
from backend.models.types import UTCDateTime, new_id, utcnow


def _programme_default_rule_set(context) -> str:
    return default_rule_set(context.get_current_parameters()["programme"]).id


class Course(db.Model):
    """Course settings; the dose plan is a list of segments kept as JSON."""

    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    weight_kg: Mapped[float] = mapped_column(Float)
    target_mg_per_kg: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64))
    product: Mapped[str] = mapped_column(String(32))
    programme: Mapped[str] = mapped_column(String(32))
    # The programme's versioned rule set (backend/course/rulesets/<id>.json).
    rule_set: Mapped[str] = mapped_column(String(64), default=_programme_default_rule_set)
    # ISO 3166 alpha-2 code for the help numbers (HELP-1); None: a country without listed numbers.
    country: Mapped[str | None] = mapped_column(String(2))
    # The prescriber's clinic, so help is one tap away (HELP-2).
    clinic_phone: Mapped[str | None] = mapped_column(String(32))
    pregnancy_prevention: Mapped[bool] = mapped_column(Boolean, default=False)
    dose_plan: Mapped[list] = mapped_column(JSON)
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    doses: Mapped[list[DoseLog]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True
    )
    pauses: Mapped[list[CoursePause]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CoursePause.started_on",
    )
    weights: Mapped[list[WeightRecord]] = relationship(
        order_by="WeightRecord.recorded_on",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )


class WeightRecord(db.Model):
    """The weight on one local date (a change on the same day replaces it); the first is the start weight."""

    __tablename__ = "weight_records"
    __table_args__ = (UniqueConstraint("course_id", "recorded_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    weight_kg: Mapped[float] = mapped_column(Float)
    # The prescriber re-based the plan on this weight: mg/kg is counted by it from then on.
    rebased: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MilestoneAnswer(db.Model):
    """The patient's word on a past usual visit or test (e.g. the tests before joining mid-course)."""

    __tablename__ = "milestone_answers"
    __table_args__ = (UniqueConstraint("course_id", "kind", "on_date"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # monthly_visit | blood_test | pregnancy_test
    on_date: Mapped[date] = mapped_column(Date)
    answer: Mapped[str] = mapped_column(String(16))  # done | not_done | unknown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DoseLog(db.Model):
    """One dose slot marked taken or skipped; the id is made by the client."""

    __tablename__ = "dose_logs"
    __table_args__ = (UniqueConstraint("course_id", "date", "slot"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    slot: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    mg: Mapped[float] = mapped_column(Float)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship(back_populates="doses")


class CoursePause(db.Model):
    """Capsules stopped from `started_on` until the day before `resumed_on` (None: still stopped).

    The id may be made by the client, so a pause sent again from the outbox is stored once.
    """

    __tablename__ = "course_pauses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    resumed_on: Mapped[date | None] = mapped_column(Date)
    # A red flag key of backend/record/triage_rules.json, "mood_check" or "prescriber".
    reason: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="pauses")
