"""Pure schedule: local wall-clock → UTC across DST changes, quiet hours, occurrence generation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from backend.course.plan import parse_plan
from backend.reminders.occurrences import AppointmentSnapshot, CourseSnapshot, RuleSnapshot, generate
from backend.reminders.schedule import (
    QuietHours,
    add_months,
    is_ambiguous,
    is_nonexistent,
    next_daily,
    resolve_local,
    schedule_local,
    to_local,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "local", "expected_utc"),
    [
        # Europe/Berlin: 29 Mar 2026 02:00 CET → 03:00 CEST. 02:30 does not exist → 03:00 CEST = 01:00 UTC.
        ("Europe/Berlin", datetime(2026, 3, 29, 2, 30), utc(2026, 3, 29, 1, 0)),
        ("Europe/Berlin", datetime(2026, 3, 29, 2, 0), utc(2026, 3, 29, 1, 0)),
        ("Europe/Berlin", datetime(2026, 3, 29, 1, 59), utc(2026, 3, 29, 0, 59)),
        ("Europe/Berlin", datetime(2026, 3, 29, 3, 0), utc(2026, 3, 29, 1, 0)),
        ("Europe/Berlin", datetime(2026, 3, 29, 8, 0), utc(2026, 3, 29, 6, 0)),
        ("Europe/Berlin", datetime(2026, 3, 28, 8, 0), utc(2026, 3, 28, 7, 0)),
        # America/New_York: 8 Mar 2026 02:00 EST → 03:00 EDT.
        ("America/New_York", datetime(2026, 3, 8, 2, 30), utc(2026, 3, 8, 7, 0)),
        ("America/New_York", datetime(2026, 3, 8, 8, 0), utc(2026, 3, 8, 12, 0)),
        ("America/New_York", datetime(2026, 3, 7, 8, 0), utc(2026, 3, 7, 13, 0)),
        # Australia/Lord_Howe: 4 Oct 2026 02:00 (+10:30) → 02:30 (+11), a 30-minute jump.
        ("Australia/Lord_Howe", datetime(2026, 10, 4, 2, 15), utc(2026, 10, 3, 15, 30)),
        ("Australia/Lord_Howe", datetime(2026, 10, 4, 2, 0), utc(2026, 10, 3, 15, 30)),
        ("Australia/Lord_Howe", datetime(2026, 10, 4, 2, 30), utc(2026, 10, 3, 15, 30)),
        ("Australia/Lord_Howe", datetime(2026, 10, 4, 8, 0), utc(2026, 10, 3, 21, 0)),
        # A zone without DST.
        ("Asia/Tokyo", datetime(2026, 3, 29, 2, 30), utc(2026, 3, 28, 17, 30)),
        ("Asia/Tokyo", datetime(2026, 10, 25, 2, 30), utc(2026, 10, 24, 17, 30)),
    ],
)
def test_resolve_local_spring_forward_goes_to_the_first_valid_instant(zone, local, expected_utc):
    assert resolve_local(local, zone) == expected_utc


@pytest.mark.parametrize(
    ("zone", "local", "first_utc"),
    [
        # Berlin 25 Oct 2026: 03:00 CEST → 02:00 CET; 02:30 happens twice. Fire at the first (CEST).
        ("Europe/Berlin", datetime(2026, 10, 25, 2, 30), utc(2026, 10, 25, 0, 30)),
        # New York 1 Nov 2026: 01:30 happens twice (EDT then EST).
        ("America/New_York", datetime(2026, 11, 1, 1, 30), utc(2026, 11, 1, 5, 30)),
        # Lord Howe 5 Apr 2026: 02:00 (+11) → 01:30 (+10:30); 01:45 happens twice.
        ("Australia/Lord_Howe", datetime(2026, 4, 5, 1, 45), utc(2026, 4, 4, 14, 45)),
    ],
)
def test_resolve_local_fall_back_fires_once_at_the_first(zone, local, first_utc):
    assert is_ambiguous(local, zone)
    assert resolve_local(local, zone) == first_utc
    second = local.replace(tzinfo=to_local(first_utc, zone).tzinfo, fold=1).astimezone(UTC)
    assert second > first_utc  # the repeat exists, and we did not pick it


def test_nonexistent_and_ambiguous_detection():
    assert is_nonexistent(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")
    assert not is_nonexistent(datetime(2026, 3, 29, 3, 30), "Europe/Berlin")
    assert is_nonexistent(datetime(2026, 10, 4, 2, 15), "Australia/Lord_Howe")
    assert not is_nonexistent(datetime(2026, 10, 4, 2, 45), "Australia/Lord_Howe")
    assert not is_ambiguous(datetime(2026, 10, 25, 3, 30), "Europe/Berlin")
    assert not is_ambiguous(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")
    assert not is_nonexistent(datetime(2026, 3, 29, 2, 30), "Asia/Tokyo")


def test_daily_time_keeps_its_wall_clock_across_both_changes():
    for zone, days in {
        "Europe/Berlin": (date(2026, 3, 27), date(2026, 3, 31), date(2026, 10, 23), date(2026, 10, 27)),
        "America/New_York": (date(2026, 3, 6), date(2026, 3, 10), date(2026, 10, 30), date(2026, 11, 3)),
        "Australia/Lord_Howe": (date(2026, 4, 3), date(2026, 4, 7), date(2026, 10, 2), date(2026, 10, 6)),
    }.items():
        for first, last in (days[:2], days[2:]):
            day = first
            offsets = set()
            while day <= last:
                instant = schedule_local(day, time(8, 0), zone)
                local = to_local(instant, zone)
                assert (local.date(), local.time()) == (day, time(8, 0)), (zone, day)
                offsets.add(local.utcoffset())
                day += timedelta(days=1)
            assert len(offsets) == 2, (zone, first)  # the change happened inside the range


def test_next_daily_skips_to_the_next_day_and_handles_the_gap():
    assert next_daily(time(8, 0), "Europe/Berlin", utc(2026, 3, 28, 7, 0)) == utc(2026, 3, 29, 6, 0)
    assert next_daily(time(2, 30), "Europe/Berlin", utc(2026, 3, 28, 12, 0)) == utc(2026, 3, 29, 1, 0)
    assert next_daily(time(8, 0), "Europe/Berlin", utc(2026, 3, 28, 6, 59)) == utc(2026, 3, 28, 7, 0)


@pytest.mark.parametrize(
    ("quiet", "local", "expected"),
    [
        ((time(22, 0), time(7, 0)), datetime(2026, 5, 1, 6, 0), datetime(2026, 5, 1, 7, 0)),
        ((time(22, 0), time(7, 0)), datetime(2026, 5, 1, 23, 30), datetime(2026, 5, 2, 7, 0)),
        ((time(22, 0), time(7, 0)), datetime(2026, 5, 1, 7, 0), datetime(2026, 5, 1, 7, 0)),
        ((time(22, 0), time(7, 0)), datetime(2026, 5, 1, 21, 59), datetime(2026, 5, 1, 21, 59)),
        ((time(13, 0), time(14, 0)), datetime(2026, 5, 1, 13, 30), datetime(2026, 5, 1, 14, 0)),
        ((time(13, 0), time(14, 0)), datetime(2026, 5, 1, 14, 30), datetime(2026, 5, 1, 14, 30)),
    ],
)
def test_quiet_hours_shift_to_the_end_of_the_window(quiet, local, expected):
    assert QuietHours(*quiet).shift(local) == expected


def test_quiet_hours_ending_in_a_dst_gap_fire_at_the_jump():
    quiet = QuietHours(time(22, 0), time(2, 30))
    assert schedule_local(date(2026, 3, 29), time(1, 0), "Europe/Berlin", quiet) == utc(2026, 3, 29, 1, 0)


def test_add_months_clamps():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


# -- occurrence generation --------------------------------------------------------------------------------


def course(zone="Europe/Berlin", times=("08:00", "20:00"), **kw) -> CourseSnapshot:
    plan = parse_plan(
        [{"from_date": "2026-01-05", "daily_mg": 40, "doses_per_day": len(times), "dose_times": list(times)}]
    )
    base = dict(
        id="c1",
        timezone=zone,
        product="standard",
        programme="eu_ppp",
        pregnancy_prevention=True,
        start_date=date(2026, 1, 5),
        ended_on=None,
        plan=plan,
    )
    base.update(kw)
    return CourseSnapshot(**base)


def test_dose_rule_generates_one_occurrence_per_day_at_local_time_across_dst():
    specs = generate(
        RuleSnapshot("r1", "dose", slot=1), course(), [], None, utc(2026, 3, 27, 0, 0), utc(2026, 3, 31, 0, 0)
    )
    assert [s.key for s in specs] == [f"2026-03-{d}:1" for d in (27, 28, 29, 30)]
    assert [s.fires_at.hour for s in specs] == [7, 7, 6, 6]
    assert all(s.data["with_meal"] and s.data["mg"] == 20 for s in specs)
    assert all(s.expires_at - s.fires_at == timedelta(minutes=45) for s in specs)


def test_dose_in_the_gap_is_generated_once_at_the_jump():
    specs = generate(
        RuleSnapshot("r1", "dose", slot=1),
        course(times=("02:30",)),
        [],
        None,
        utc(2026, 3, 28, 12, 0),
        utc(2026, 3, 30, 12, 0),
    )
    assert [(s.key, s.fires_at) for s in specs] == [
        ("2026-03-29:1", utc(2026, 3, 29, 1, 0)),  # 03:00 CEST
        ("2026-03-30:1", utc(2026, 3, 30, 0, 30)),  # 02:30 CEST
    ]


def test_dose_on_the_repeated_hour_is_generated_once():
    specs = generate(
        RuleSnapshot("r1", "dose", slot=1),
        course("America/New_York", times=("01:30",)),
        [],
        None,
        utc(2026, 11, 1, 0, 0),
        utc(2026, 11, 2, 0, 0),
    )
    assert [(s.key, s.fires_at) for s in specs] == [("2026-11-01:1", utc(2026, 11, 1, 5, 30))]


def test_no_dose_reminders_before_the_start_or_after_the_end():
    c = course(ended_on=date(2026, 3, 10))
    specs = generate(RuleSnapshot("r1", "dose", slot=1), c, [], None, utc(2026, 1, 3), utc(2026, 3, 15))
    dates = [s.data["date"] for s in specs]
    assert dates[0] == "2026-01-05" and dates[-1] == "2026-03-10"


def test_follow_up_is_skipped_when_the_next_dose_is_due_by_then():
    c = course(times=("08:00", "08:30"))
    specs = generate(RuleSnapshot("f", "dose_followup"), c, [], None, utc(2026, 5, 1), utc(2026, 5, 2))
    assert [s.data["slot"] for s in specs] == [2]  # slot 1's nudge would come after slot 2 is due (DOSE-8)


def test_travel_changes_instants_not_wall_clock():
    rule = RuleSnapshot("r1", "dose", slot=1)
    window = (utc(2026, 5, 1), utc(2026, 5, 2))
    berlin = generate(rule, course("Europe/Berlin"), [], None, *window)
    tokyo = generate(rule, course("Asia/Tokyo"), [], None, *window)
    assert [s.fires_at for s in berlin] == [utc(2026, 5, 1, 6, 0)]
    assert utc(2026, 5, 1, 23, 0) in [s.fires_at for s in tokyo]  # 08:00 JST on 2 May


def test_appointment_rules_evening_before_lead_and_fasting():
    appt = AppointmentSnapshot("a1", "blood_test", datetime(2026, 3, 30, 9, 0), "Lab", fasting=True)
    c = course()
    window = (utc(2026, 3, 28), utc(2026, 4, 1))
    reminders = generate(RuleSnapshot("r", "appointment"), c, [appt], None, *window)
    assert [(s.key, to_local(s.fires_at, "Europe/Berlin").strftime("%m-%d %H:%M")) for s in reminders] == [
        ("a1:eve", "03-29 19:00"),
        ("a1:lead", "03-30 07:00"),
    ]
    assert all(s.expires_at == utc(2026, 3, 30, 7, 0) for s in reminders)
    [fast] = generate(RuleSnapshot("f", "fasting"), c, [appt], None, *window)
    assert to_local(fast.fires_at, "Europe/Berlin").strftime("%m-%d %H:%M") == "03-29 20:00"
    assert fast.data["fast_from"] == "01:00"


def test_post_course_dates_need_prevention_and_a_last_capsule():
    done = course(last_capsule=date(2026, 6, 30), ended_on=date(2026, 6, 30))
    window = (utc(2026, 7, 1), utc(2026, 8, 31))
    [final] = generate(RuleSnapshot("p", "final_pregnancy_test"), done, [], None, *window)
    assert final.key == "2026-07-30"
    assert to_local(final.fires_at, "Europe/Berlin").strftime("%H:%M") == "09:00"
    no_prevention = course(last_capsule=date(2026, 6, 30), pregnancy_prevention=False)
    assert generate(RuleSnapshot("p", "contraception_end"), no_prevention, [], None, *window) == []


def test_pickup_window_only_for_ipledge():
    appt = AppointmentSnapshot("t1", "pregnancy_test", datetime(2026, 5, 4, 10, 0))
    window = (utc(2026, 5, 1), utc(2026, 5, 20))
    assert generate(RuleSnapshot("w", "pickup_window"), course(), [appt], None, *window) == []
    [spec] = generate(
        RuleSnapshot("w", "pickup_window"), course(programme="us_ipledge"), [appt], None, *window
    )
    assert spec.data["window_ends"] == "2026-05-10"  # PREG-3: test date is day 1
    assert to_local(spec.fires_at, "Europe/Berlin").date() == date(2026, 5, 9)


def test_disabled_rule_generates_nothing():
    assert (
        generate(
            RuleSnapshot("r", "dose", slot=1, enabled=False),
            course(),
            [],
            None,
            utc(2026, 5, 1),
            utc(2026, 5, 5),
        )
        == []
    )
