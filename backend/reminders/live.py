"""Which of a patient's courses can still remind them (pure: no Flask, no database).

Reminder work (materialising, the upcoming list, a quiet-hours change) is done for these courses
only, so its cost follows the course the patient is on, not every course they ever created:

- the current course: the newest one without a confirmed end (the one the app shows);
- an ended course until its last reminder is behind it: mood check-ins run four weeks past the last
  capsule (MOOD-1), the final pregnancy test and the end of contraception come a full month after it
  (PREG-1/6/7), and a booked appointment (with its pick-up window) keeps the course live until it is past.

An older course left open when a newer one was started is superseded: the app shows the newer one,
so the older one's reminders would be about a course the patient can no longer see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backend.course.dates import month_after
from backend.reminders.occurrences import MOOD_AFTER_DAYS

# A booked appointment's reminders end with it, or with the pick-up window that follows a pregnancy
# test (PREG-3: at most 30 days in any rule set); a month covers both.
AFTER_APPOINTMENT = timedelta(days=31)
# Local dates vs the UTC day the caller passes: a day either side covers every time zone.
ZONE_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class CourseHead:
    """What liveness depends on: a few columns and the last booked appointment's local date."""

    id: str
    created_at: datetime
    ended_on: date | None
    pregnancy_prevention: bool
    last_appointment: date | None = None


def last_reminder_day(course: CourseHead) -> date | None:
    """The last local day the course can remind about (None: no confirmed end, so no last day)."""
    if course.ended_on is None:
        return None
    days = [course.ended_on + timedelta(days=MOOD_AFTER_DAYS)]
    if course.pregnancy_prevention:
        days.append(month_after(course.ended_on))
    if course.last_appointment is not None:
        days.append(course.last_appointment + AFTER_APPOINTMENT)
    return max(days)


def current_course(courses: Iterable[CourseHead]) -> CourseHead | None:
    """The newest course without a confirmed end (None when every course has ended)."""
    open_courses = [c for c in courses if c.ended_on is None]
    return max(open_courses, key=lambda c: (c.created_at, c.id), default=None)


def live_course_ids(courses: Iterable[CourseHead], today: date) -> set[str]:
    """The courses whose reminders still matter on `today` (a UTC date; local dates may differ by a day)."""
    courses = list(courses)
    live = set()
    current = current_course(courses)
    if current is not None:
        live.add(current.id)
    for course in courses:
        last = last_reminder_day(course)
        if last is not None and last >= today - ZONE_MARGIN:
            live.add(course.id)
    return live
