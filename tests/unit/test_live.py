"""Which courses can still remind a patient (backend.reminders.live)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from backend.reminders.live import CourseHead, current_course, last_reminder_day, live_course_ids


def head(
    cid: str, created: int, ended_on: date | None = None, prevention: bool = False, appt: date | None = None
) -> CourseHead:
    return CourseHead(cid, datetime(2026, 1, created, tzinfo=UTC), ended_on, prevention, appt)


def test_an_open_course_has_no_last_day_and_the_newest_open_one_is_current():
    old, new = head("old", 1), head("new", 2)
    assert last_reminder_day(old) is None
    assert current_course([new, old]) == new
    assert live_course_ids([old, new], date(2026, 6, 1)) == {"new"}  # the older open course is superseded


def test_an_ended_newest_course_leaves_an_older_open_one_current():
    old, new = head("old", 1), head("new", 2, ended_on=date(2025, 1, 1))
    assert current_course([old, new]) == old
    assert live_course_ids([old, new], date(2026, 6, 1)) == {"old"}


def test_mood_check_ins_keep_an_ended_course_live_for_four_weeks():
    ended = head("a", 1, ended_on=date(2026, 3, 1))
    assert last_reminder_day(ended) == date(2026, 3, 29)
    assert live_course_ids([ended], date(2026, 3, 30)) == {"a"}  # a day's margin for time zones
    assert live_course_ids([ended], date(2026, 3, 31)) == set()


def test_pregnancy_prevention_keeps_it_live_until_a_full_month_after_the_last_capsule():
    # 31 January + a month is 2 March (at least 30 days), later than the mood check-ins' 28 days.
    ended = head("a", 1, ended_on=date(2026, 1, 31), prevention=True)
    assert last_reminder_day(ended) == date(2026, 3, 2)
    assert live_course_ids([ended], date(2026, 3, 3)) == {"a"}
    assert live_course_ids([ended], date(2026, 3, 4)) == set()


def test_a_booked_appointment_keeps_an_ended_course_live_past_it():
    ended = head("a", 1, ended_on=date(2026, 1, 1), appt=date(2026, 5, 10))
    assert last_reminder_day(ended) == date(2026, 6, 10)
    assert live_course_ids([ended], date(2026, 6, 1)) == {"a"}


def test_no_courses_none_live():
    assert live_course_ids([], date(2026, 6, 1)) == set()
    assert current_course([]) is None
