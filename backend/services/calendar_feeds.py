"""Calendar feeds: secret, revocable subscription URLs serving the course as iCalendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from backend.auth import hash_secret, new_token
from backend.course.timeline import build_timeline
from backend.extensions import db
from backend.i18n import current_locale, use_locale
from backend.models import CalendarFeed, Course, Patient
from backend.models.types import utcnow
from backend.record import calendar
from backend.services.courses import course_info, local_today, logged_doses

FETCH_STAMP_GRANULARITY = timedelta(hours=1)


def create_feed(patient_id: str, course: Course, include_doses: bool) -> tuple[CalendarFeed, str]:
    """A new feed; the clear token is returned once, only its SHA-256 is stored."""
    token = new_token()
    feed = CalendarFeed(
        patient_id=patient_id, course_id=course.id, token_hash=hash_secret(token), include_doses=include_doses
    )
    db.session.add(feed)
    db.session.commit()
    return feed, token


def list_feeds(patient_id: str) -> list[CalendarFeed]:
    return list(
        db.session.scalars(
            select(CalendarFeed)
            .where(CalendarFeed.patient_id == patient_id)
            .order_by(CalendarFeed.created_at)
        )
    )


def get_feed(patient_id: str, feed_id: str) -> CalendarFeed | None:
    feed = db.session.get(CalendarFeed, feed_id)
    return feed if feed is not None and feed.patient_id == patient_id else None


def revoke_feed(feed: CalendarFeed) -> None:
    db.session.delete(feed)
    db.session.commit()


def feed_by_token(token: str) -> CalendarFeed | None:
    return db.session.scalars(
        select(CalendarFeed).where(CalendarFeed.token_hash == hash_secret(token))
    ).first()


def render_feed(feed: CalendarFeed, now: datetime | None = None) -> bytes:
    """The feed's iCalendar text, computed from the course at every fetch (so it follows every change), in
    the patient's stored language (a calendar app's Accept-Language when none is stored)."""
    language = db.session.get(Patient, feed.patient_id).language
    with use_locale(language or current_locale()):
        return _render_feed(feed, now)


def _render_feed(feed: CalendarFeed, now: datetime | None) -> bytes:
    now = now or utcnow()
    course = db.session.get(Course, feed.course_id)
    today = local_today(course, now)
    info = course_info(course)
    timeline = build_timeline(info, logged_doses(course.id, detail=False), today)
    body = calendar.build_feed(
        calendar.FeedCourse(
            id=course.id,
            timezone=course.timezone,
            product=course.product,
            plan=info.plan,
            start_date=course.start_date,
            # Only a recorded last capsule ends the daily capsule events: a projected one is an estimate and
            # reaching the target does not end a course by itself (DOSE-13).
            last_capsule=course.ended_on,
            pauses=info.pauses,
        ),
        [
            calendar.FeedAppointment(b.id, b.kind, b.starts_at_local, b.place, b.fasting)
            for b in info.appointments
        ],
        [
            calendar.FeedMilestone(
                m["kind"],
                m["date"],
                m["title"],
                m["description"],
                estimated=bool(m["estimated"]),
                title_says_estimate=m["title_says_estimate"],
            )
            for m in timeline["milestones"]
        ],
        feed.include_doses,
        today,
        now,
    )
    if feed.last_fetched_at is None or now - feed.last_fetched_at > FETCH_STAMP_GRANULARITY:
        db.session.execute(update(CalendarFeed).where(CalendarFeed.id == feed.id).values(last_fetched_at=now))
        db.session.commit()
    return body
