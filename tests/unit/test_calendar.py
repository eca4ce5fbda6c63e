"""The calendar feed builder: capsule repeats for rest-day cycles, UTC UNTIL, milestones filtered."""

import random
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar
from icalendar.parser.string import _foldline

from backend.course.pauses import Pause
from backend.course.plan import Segment
from backend.i18n import use_locale
from backend.record.calendar import FeedAppointment, FeedCourse, FeedMilestone, build_feed, fold

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


ZONES = ["Europe/Berlin", "UTC", "Etc/UTC", "GMT", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
PLACES = [
    None,
    "",
    "Clinic",
    "Dr. Müller; Raum 3, 2. OG",
    "back\\slash \\N and\nnewline\r\nend",
    "😀" * 40,
    "a,b;c:d" * 20,
]


def _random_feed(rng: random.Random) -> tuple[FeedCourse, list[FeedAppointment], list[FeedMilestone], date]:
    start = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
    plan, day = [], start
    for _ in range(rng.randrange(1, 6)):
        times = tuple(
            sorted({time(rng.randrange(24), rng.choice([0, 15, 30])) for _ in range(rng.randrange(1, 3))})
        )
        shape = rng.random()
        if shape < 0.4:
            plan.append(Segment(day, len(times), times, daily_mg=rng.choice([0, 20, 40])))
        elif shape < 0.7:
            cycle = tuple(rng.choice([0, 20, 40]) for _ in range(rng.randrange(1, 15)))
            plan.append(Segment(day, len(times), times, cycle_mg=cycle))
        else:
            plan.append(Segment(day, len(times), times, daily_mg=60, dose_mg=(60 / len(times),) * len(times)))
        day += timedelta(days=rng.randrange(1, 120))
    pauses = ()
    if rng.random() < 0.5:
        paused = start + timedelta(days=rng.randrange(200))
        pauses = (
            Pause(paused, paused + timedelta(days=rng.randrange(1, 30)) if rng.random() < 0.7 else None),
        )
    last = start + timedelta(days=rng.randrange(100, 400)) if rng.random() < 0.4 else None
    product = rng.choice(["standard", "food_independent", "micronised"])
    course = FeedCourse("c", rng.choice(ZONES), product, tuple(plan), start, last, pauses)
    appointments = [
        FeedAppointment(
            f"a{i}",
            rng.choice(["blood_test", "dermatologist_visit", "pregnancy_test", "other"]),
            datetime.combine(start + timedelta(days=rng.randrange(-30, 500)), time(rng.randrange(24), 30)),
            rng.choice(PLACES),
            rng.random() < 0.3,
        )
        for i in range(rng.randrange(5))
    ]
    milestones = [
        FeedMilestone(
            kind,
            start + timedelta(days=rng.randrange(900)),
            rng.choice(["Title", "Tí,tle; x\\y"]),
            rng.choice(["d", "Long words " * 30, "x\ny"]),
            rng.random() < 0.5,
            rng.random() < 0.3,
        )
        for kind in ["last_dose", "blood_donation_ok", "contraception_end", "procedures_ok", "monthly_visit"]
    ]
    return course, appointments, milestones, start + timedelta(days=rng.randrange(400))


def test_every_kind_of_feed_is_written_as_icalendar_writes_it():
    """The feed writes its lines itself: for courses in every shape (cycles with rest days, per-dose amounts,
    pauses open and closed, a recorded last capsule), zones with and without daylight saving and UTC, places
    with every character iCalendar escapes, in each language, the bytes are those icalendar writes for the
    same calendar (it sorts properties and escapes text by itself, so a different order or escape fails)."""
    rng = random.Random(11)
    kinds = set()
    for _ in range(300):
        course, appointments, milestones, today = _random_feed(rng)
        now = datetime.combine(today, time(rng.randrange(24), 5, 7, 123456), tzinfo=UTC)
        with use_locale(rng.choice(["en", "es", "de"])):
            body = build_feed(course, appointments, milestones, rng.random() < 0.8, today, now)
        assert body == Calendar.from_ical(body).to_ical()
        text = body.decode()
        kinds |= {line.split(":")[0] for line in text.splitlines() if line.startswith(("DTSTART", "RRULE"))}
        kinds |= {line[:5] for line in text.splitlines() if line.startswith(("LOCATION:", "TZID:"))}
        kinds |= {"UNTIL"} if ";UNTIL=" in text else set()
        kinds |= {"INTERVAL"} if ";INTERVAL=" in text else set()
    # Every kind of line was written: zoned times, UTC times, dates, repeats with an end and an interval.
    assert {f"DTSTART;TZID={zone}" for zone in ZONES if zone not in ("UTC", "Etc/UTC", "GMT")} <= kinds
    assert {"DTSTART", "DTSTART;VALUE=DATE", "RRULE", "LOCAT", "TZID:", "UNTIL", "INTERVAL"} <= kinds
