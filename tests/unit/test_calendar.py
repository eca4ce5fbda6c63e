"""The calendar feed builder: capsule repeats for rest-day cycles, UTC UNTIL, milestones filtered."""

import random
from datetime import UTC, date, datetime, time

from icalendar import Calendar
from icalendar.parser.string import _foldline

from backend.course.plan import Segment
from backend.record.calendar import FeedCourse, FeedMilestone, build_feed, fold

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def feed(plan, last=date(2027, 1, 31), milestones=()) -> Calendar:
    course = FeedCourse("c1", "Europe/Berlin", "standard", plan, plan[0].from_date, last)
    return Calendar.from_ical(build_feed(course, [], milestones, True, date(2026, 11, 29), NOW))


def test_rest_day_cycle_repeats_every_other_day_from_a_capsule_day():
    plan = (Segment(date(2026, 11, 1), 1, (time(9),), cycle_mg=(0, 40)),)
    [event] = [e for e in feed(plan).walk("VEVENT")]
    assert event["rrule"]["INTERVAL"] == [2]
    assert event["dtstart"].dt.date() == date(2026, 11, 2)  # day 1 of the cycle is the 40 mg day
    until = event["rrule"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset().total_seconds() == 0


def test_finished_segments_add_no_capsules_and_only_post_course_milestones_appear():
    plan = (
        Segment(date(2026, 6, 1), 1, (time(8),), daily_mg=20),
        Segment(date(2026, 11, 1), 2, (time(8), time(20)), daily_mg=40),
    )
    milestones = [
        FeedMilestone("monthly_visit", date(2026, 12, 1), "Monthly visit", "d", False),
        FeedMilestone("blood_donation_ok", date(2027, 3, 1), "Giving blood", "d", True),
    ]
    events = feed(plan, milestones=milestones).walk("VEVENT")
    summaries = sorted(str(e["summary"]) for e in events)
    assert summaries == [
        "Capsules, 20 mg (dose 1 of 2)",
        "Capsules, 20 mg (dose 2 of 2)",
        "Estimated: Giving blood",
    ]


def test_per_dose_amounts_name_their_mg_and_estimated_is_said_once():
    plan = (Segment(date(2026, 11, 1), 2, (time(8), time(20)), daily_mg=60, dose_mg=(40, 20)),)
    milestones = [FeedMilestone("last_dose", date(2027, 1, 31), "Estimated last capsule", "d", True, True)]
    summaries = sorted(str(e["summary"]) for e in feed(plan, milestones=milestones).walk("VEVENT"))
    assert summaries == [
        "Capsules, 20 mg (dose 2 of 2)",
        "Capsules, 40 mg (dose 1 of 2)",
        "Estimated last capsule",
    ]


def test_fold_folds_every_line_as_icalendar_does():
    """The feed folds its lines itself (icalendar's folding was half the feed's cost): the same bytes for
    short and long lines, accents, emoji, and escapes that fall on a fold."""
    rng = random.Random(7)
    alphabet = "abcdefghij ,;:\\^áñüß–“”😀"
    lines = [
        "",
        "SUMMARY:short",
        "X" * 74,
        "X" * 75,
        "Y" * 148,
        "Y" * 149,
        "D" * 73 + "\\n" + "E" * 80,
        "D" * 72 + "ü" + "E" * 80,
        "D" * 73 + "ü" + "E" * 80,
        "D" * 72 + "😀" * 30,
    ]
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400))) for _ in range(2000)]
    for line in lines:
        assert fold(line) == _foldline(line), line
        assert all(len(piece.encode()) <= 75 for piece in fold(line).split("\r\n"))


def test_the_feed_is_the_bytes_icalendar_would_write():
    times = (time(8), time(20))
    plan = (Segment(from_date=date(2026, 1, 5), doses_per_day=2, dose_times=times, daily_mg=40.0),)
    course = FeedCourse("c1", "Europe/Berlin", "standard", plan, date(2026, 1, 5), None)
    title = "Último comprimido – “estimación”"
    milestone = FeedMilestone("last_dose", date(2026, 7, 1), title, "ü" * 200, True)
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    body = build_feed(course, [], [milestone], True, date(2026, 3, 1), now)
    assert body == Calendar.from_ical(body).to_ical()
