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
from backend.reminders.texts import render


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
    assert fast.data["when"] == "tomorrow"
    assert to_local(fast.expires_at, "Europe/Berlin").strftime("%m-%d %H:%M") == "03-30 01:00"  # MON-3


def test_quiet_hours_move_the_fasting_and_evening_reminders_earlier_never_onto_the_test_morning():
    appt = AppointmentSnapshot("a1", "blood_test", datetime(2026, 3, 30, 8, 30), "Lab", fasting=True)
    quiet = QuietHours(time(19, 0), time(7, 0))
    window = (utc(2026, 3, 28), utc(2026, 4, 1))
    [fast] = generate(RuleSnapshot("f", "fasting"), course(), [appt], quiet, *window)
    assert to_local(fast.fires_at, "Europe/Berlin").strftime("%m-%d %H:%M") == "03-29 18:59"
    assert fast.data["when"] == "tomorrow"
    eve = [
        s
        for s in generate(RuleSnapshot("r", "appointment"), course(), [appt], quiet, *window)
        if "eve" in s.key
    ]
    assert [to_local(s.fires_at, "Europe/Berlin").strftime("%m-%d %H:%M") for s in eve] == ["03-29 18:59"]


def test_fasting_reminder_comes_at_least_an_hour_before_the_fast_would_begin():
    # A 03:00 test: the fast would begin around 19:00, so the reminder comes at 18:00, not 20:00.
    appt = AppointmentSnapshot("a1", "blood_test", datetime(2026, 3, 30, 3, 0), "Lab", fasting=True)
    window = (utc(2026, 3, 27), utc(2026, 4, 1))
    [fast] = generate(RuleSnapshot("f", "fasting"), course(), [appt], None, *window)
    assert to_local(fast.fires_at, "Europe/Berlin").strftime("%m-%d %H:%M") == "03-29 18:00"
    assert to_local(fast.expires_at, "Europe/Berlin").strftime("%m-%d %H:%M") == "03-29 19:00"
    # Quiet hours from 17:00 move it earlier still.
    [quiet] = generate(
        RuleSnapshot("f", "fasting"), course(), [appt], QuietHours(time(17, 0), time(7, 0)), *window
    )
    assert to_local(quiet.fires_at, "Europe/Berlin").strftime("%m-%d %H:%M") == "03-29 16:59"


def test_follow_up_that_quiet_hours_would_push_past_the_next_dose_is_dropped():
    # A 21:00 dose, follow-up at 22:00 inside quiet hours 22:00-07:00 would move to 07:00, an hour before
    # the next 08:00 dose: dropped, not moved. The 08:00 dose's 09:00 follow-up stays.
    quiet = QuietHours(time(22, 0), time(7, 0))
    c = course(times=("08:00", "21:00"))
    specs = generate(RuleSnapshot("f", "dose_followup"), c, [], quiet, utc(2026, 5, 4), utc(2026, 5, 5))
    assert [(s.data["date"], s.data["slot"]) for s in specs] == [("2026-05-04", 1)]
    # Once a day at 21:00: the moved nudge at 07:00 still comes before the next 21:00 dose.
    once = course(times=("21:00",))
    [spec] = generate(
        RuleSnapshot("f", "dose_followup"), once, [], quiet, utc(2026, 5, 5, 4), utc(2026, 5, 5, 8)
    )
    assert to_local(spec.fires_at, "Europe/Berlin").strftime("%m-%d %H:%M") == "05-05 07:00"
    # Without quiet hours the 22:00 nudge comes well before the next dose.
    specs = generate(RuleSnapshot("f", "dose_followup"), c, [], None, utc(2026, 5, 4), utc(2026, 5, 5))
    assert [(s.data["date"], s.data["slot"]) for s in specs] == [("2026-05-04", 1), ("2026-05-04", 2)]
    assert all(s.data["rule_set"] == "eu_ppp" for s in specs)


def test_post_course_dates_need_prevention_and_a_confirmed_last_capsule():
    done = course(last_capsule=date(2026, 6, 30), ended_on=date(2026, 6, 30))
    window = (utc(2026, 7, 1), utc(2026, 8, 31))
    [final] = generate(RuleSnapshot("p", "final_pregnancy_test"), done, [], None, *window)
    assert final.key == "2026-07-30"
    projected = course(last_capsule=date(2026, 6, 30), last_capsule_estimated=True)
    for kind in ("final_pregnancy_test", "contraception_end"):
        assert generate(RuleSnapshot("p", kind), projected, [], None, *window) == [], kind
    # 31 January + a month is 2 March, never 28 February (at least 30 days).
    jan = course(last_capsule=date(2026, 1, 31), ended_on=date(2026, 1, 31))
    [end] = generate(RuleSnapshot("p", "contraception_end"), jan, [], None, utc(2026, 2, 1), utc(2026, 3, 31))
    assert end.key == "2026-03-02"
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
    assert spec.data["lockout_days"] is None  # a monthly test: no 19-day wait (PREG-13)
    first = AppointmentSnapshot("t0", "pregnancy_test", datetime(2026, 1, 2, 10, 0))
    early = (utc(2025, 12, 20), utc(2026, 1, 20))
    [before_start] = generate(
        RuleSnapshot("w", "pickup_window"), course(programme="us_ipledge"), [first], None, *early
    )
    assert before_start.data["lockout_days"] == 19  # the first prescription's window (PREG-13)
    assert "first prescription means a 19-day wait" in render("pickup_window", before_start.data)[1]
    assert "19-day" not in render("pickup_window", spec.data)[1]
    [modified] = generate(
        RuleSnapshot("w", "pickup_window"),
        course(programme="us_ipledge", rule_set="us_ipledge_2026"),
        [appt],
        None,
        *window,
    )
    assert modified.data["lockout_days"] is None  # PREG-4


def test_pickup_reminders_end_with_the_course():
    appt = AppointmentSnapshot("t1", "pregnancy_test", datetime(2026, 5, 4, 10, 0))
    window = (utc(2026, 5, 1), utc(2026, 5, 20))
    rule = RuleSnapshot("w", "pickup_window")
    stopped = course(programme="us_ipledge", ended_on=date(2026, 5, 4))
    assert generate(rule, stopped, [appt], None, *window) == []
    going_on = course(programme="us_ipledge", ended_on=date(2026, 5, 5))
    assert generate(rule, going_on, [appt], None, *window)


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


# -- refill and mood check-in (DOSE-10, MOOD-1) -------------------------------------------------------------


def berlin_local(spec) -> str:
    return to_local(spec.fires_at, "Europe/Berlin").strftime("%Y-%m-%d %H:%M")


def test_refill_fires_days_before_each_30_day_supply_until_the_last_capsule():
    """Start Mon 5 Jan 2026: supplies 2…5 are needed on 4 Feb, 6 Mar, 5 Apr, 5 May; last capsule 20 May."""
    done = course(ended_on=date(2026, 5, 20), last_capsule=date(2026, 5, 20))
    specs = generate(RuleSnapshot("r", "refill"), done, [], None, utc(2026, 1, 1), utc(2026, 8, 1))
    assert [s.key for s in specs] == ["2026-02-04", "2026-03-06", "2026-04-05", "2026-05-05"]
    assert [berlin_local(s) for s in specs] == [
        "2026-02-01 18:00",
        "2026-03-03 18:00",
        "2026-04-02 18:00",  # CEST: still 18:00 on the wall clock
        "2026-05-02 18:00",
    ]
    assert [s.fires_at.hour for s in specs] == [17, 17, 16, 16]
    assert [s.data["supply_number"] for s in specs] == [2, 3, 4, 5]
    assert all(s.expires_at - s.fires_at == timedelta(hours=6) for s in specs)
    assert all(s.kind == "refill" and "slot" not in s.data for s in specs)


def test_refill_lead_days_and_time_are_the_patients():
    rule = RuleSnapshot("r", "refill", local_time=time(8, 15), offset_minutes=7 * 24 * 60)
    specs = generate(rule, course(), [], None, utc(2026, 1, 1), utc(2026, 3, 10))
    assert [(s.key, berlin_local(s)) for s in specs] == [
        ("2026-02-04", "2026-01-28 08:15"),
        ("2026-03-06", "2026-02-27 08:15"),
    ]
    assert specs[0].data["lead_days"] == 7


@pytest.mark.parametrize(
    ("last", "keys"),
    [
        (date(2026, 3, 5), ["2026-02-04"]),  # the 2nd supply lasts to the end: no reminder for a 3rd
        (date(2026, 3, 6), ["2026-02-04", "2026-03-06"]),  # one capsule left to take from the 3rd
        (date(2026, 2, 3), []),
        (None, ["2026-02-04", "2026-03-06", "2026-04-05", "2026-05-05"]),  # no known end: keep going
    ],
)
def test_no_refill_reminder_after_the_confirmed_last_capsule(last, keys):
    c = course(last_capsule=last, ended_on=last, last_capsule_estimated=False)
    specs = generate(RuleSnapshot("r", "refill"), c, [], None, utc(2026, 1, 1), utc(2026, 5, 10))
    assert [s.key for s in specs] == keys


def test_refill_reminders_go_on_past_a_projected_end_saying_it_may_be_the_last_supply():
    """An estimate adds words, never removes a reminder: prescribers often go on past the total (DOSE-13)."""
    c = course(last_capsule=date(2026, 3, 5), last_capsule_estimated=True)
    specs = generate(RuleSnapshot("r", "refill"), c, [], None, utc(2026, 1, 1), utc(2026, 5, 10))
    assert [s.key for s in specs] == ["2026-02-04", "2026-03-06", "2026-04-05", "2026-05-05"]
    assert [s.data["past_projected_end"] for s in specs] == [False, True, True, True]
    assert "last supply" not in render("refill", specs[0].data)[1]
    assert "This may be your last supply: ask your prescriber." in render("refill", specs[1].data)[1]


def test_refill_respects_quiet_hours():
    quiet = QuietHours(time(17, 0), time(19, 30))
    [spec] = generate(RuleSnapshot("r", "refill"), course(), [], quiet, utc(2026, 1, 25), utc(2026, 2, 5))
    assert berlin_local(spec) == "2026-02-01 19:30"


def test_weekly_mood_checkin_keeps_sunday_19_00_across_both_dst_changes():
    rule = RuleSnapshot("m", "mood_checkin")
    spring = generate(rule, course(), [], None, utc(2026, 3, 16), utc(2026, 4, 6))
    assert [(s.key, berlin_local(s)) for s in spring] == [
        ("2026-W12", "2026-03-22 19:00"),
        ("2026-W13", "2026-03-29 19:00"),  # the day the clocks go forward
        ("2026-W14", "2026-04-05 19:00"),
    ]
    assert [s.fires_at for s in spring] == [utc(2026, 3, 22, 18), utc(2026, 3, 29, 17), utc(2026, 4, 5, 17)]
    autumn = generate(rule, course(), [], None, utc(2026, 10, 12), utc(2026, 10, 26))
    assert [s.fires_at for s in autumn] == [utc(2026, 10, 18, 17), utc(2026, 10, 25, 18)]
    assert all(s.expires_at - s.fires_at == timedelta(hours=3) for s in spring + autumn)


def test_mood_checkin_on_the_chosen_weekday_and_time():
    rule = RuleSnapshot("m", "mood_checkin", local_time=time(17, 30), weekday=2)  # Wednesday
    specs = generate(rule, course(), [], None, utc(2026, 3, 20), utc(2026, 4, 10))
    assert [berlin_local(s) for s in specs] == ["2026-03-25 17:30", "2026-04-01 17:30", "2026-04-08 17:30"]
    assert {date.fromisoformat(s.data["date"]).weekday() for s in specs} == {2}


def test_mood_checkin_starts_after_day_one_and_stops_four_weeks_after_the_last_capsule():
    monday = RuleSnapshot("m", "mood_checkin", weekday=0)
    first = generate(monday, course(), [], None, utc(2026, 1, 1), utc(2026, 1, 15))
    assert [s.data["date"] for s in first] == ["2026-01-12"]  # not on the first day (Mon 5 Jan)
    done = course(ended_on=date(2026, 3, 1), last_capsule=date(2026, 3, 1))
    specs = generate(RuleSnapshot("m", "mood_checkin"), done, [], None, utc(2026, 2, 20), utc(2026, 5, 1))
    assert [s.data["date"] for s in specs] == [
        "2026-02-22",
        "2026-03-01",
        "2026-03-08",
        "2026-03-15",
        "2026-03-22",
        "2026-03-29",  # last capsule + 28 days
    ]
    assert [s.data["after_course"] for s in specs] == [False, False, True, True, True, True]


def test_mood_checkin_respects_quiet_hours():
    quiet = QuietHours(time(18, 0), time(20, 0))
    [spec] = generate(
        RuleSnapshot("m", "mood_checkin"), course(), [], quiet, utc(2026, 5, 1), utc(2026, 5, 8)
    )
    assert berlin_local(spec) == "2026-05-03 20:00"


def test_every_course_gets_refill_and_an_opt_in_mood_checkin():
    from backend.reminders.occurrences import default_enabled, rule_kinds_for

    for c in (course(), course(pregnancy_prevention=False, programme="none")):
        assert {("refill", 0), ("mood_checkin", 0)} <= set(rule_kinds_for(c))
        assert default_enabled("mood_checkin", c) is False
        assert default_enabled("dose", c) is True


@pytest.mark.parametrize(("programme", "on"), [("us_ipledge", True), ("eu_ppp", True), ("none", False)])
def test_refill_starts_on_only_under_a_30_day_supply_programme(programme, on):
    """DOSE-10 is an iPLEDGE / PPP rule: elsewhere the refill reminder is opt-in."""
    from backend.reminders.occurrences import default_enabled

    assert default_enabled("refill", course(programme=programme, pregnancy_prevention=False)) is on
