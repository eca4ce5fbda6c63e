"""Dose plan parsing and per-day maths (backend/course/plan.py)."""

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from backend.course.plan import (
    PlannedSlot,
    Segment,
    daily_mg,
    iter_plan_days,
    parse_plan,
    plan_to_json,
    segment_for,
    segment_in_force,
    slots_for,
)

S = date(2026, 1, 5)


def seg(from_date, daily=None, cycle=None, times=("08:00",)):
    return {
        "from_date": from_date.isoformat(),
        "daily_mg": daily,
        "cycle_mg": cycle,
        "doses_per_day": len(times),
        "dose_times": list(times),
    }


def test_parse_plan_sorts_segments_and_times():
    plan = parse_plan([seg(S + timedelta(days=30), daily=80, times=("20:00", "08:00")), seg(S, daily=40)])
    assert [s.from_date for s in plan] == [S, S + timedelta(days=30)]
    assert plan[0] == Segment(S, 1, (time(8, 0),), daily_mg=40.0)
    assert plan[1].dose_times == (time(8, 0), time(20, 0))
    assert plan[1].doses_per_day == 2


def test_plan_to_json_round_trips():
    raw = [
        seg(S, daily=40.0),
        seg(S + timedelta(days=14), cycle=[40.0, 80.0], times=("07:30", "19:15")),
    ]
    plan = parse_plan(raw)
    assert plan_to_json(plan) == raw
    assert parse_plan(plan_to_json(plan)) == plan


@pytest.mark.parametrize(
    "bad",
    [
        [seg(S, daily=40, times=("08:00", "08:00"))],  # duplicate time
        [{**seg(S, daily=40), "doses_per_day": 3}],
        [{**seg(S, daily=40), "doses_per_day": 2}],  # one time for two doses
        [seg(S)],  # no mg at all
        [seg(S, daily=40, cycle=[40, 80])],  # both
        [seg(S, cycle=[])],
        [seg(S, daily=-10)],
        [seg(S, daily="40")],
        [seg(S, daily=40), seg(S, daily=80)],  # same from_date twice
        [{**seg(S, daily=40), "from_date": "not-a-date"}],
        [{**seg(S, daily=40), "dose_times": ["8am"]}],
        "not a list",
    ],
)
def test_parse_plan_rejects_invalid(bad):
    with pytest.raises(ValueError):
        parse_plan(bad)


def test_segment_for_picks_latest_started_segment():
    plan = parse_plan([seg(S, daily=40), seg(S + timedelta(days=30), daily=80)])
    assert segment_for(plan, S - timedelta(days=1)) is None
    assert segment_for(plan, S).daily_mg == 40
    assert segment_for(plan, S + timedelta(days=29)).daily_mg == 40
    assert segment_for(plan, S + timedelta(days=30)).daily_mg == 80
    assert segment_for(plan, S + timedelta(days=400)).daily_mg == 80


def test_daily_mg_zero_before_first_segment_and_switches_mid_course():
    plan = parse_plan([seg(S, daily=40), seg(S + timedelta(days=30), daily=80)])
    assert daily_mg(plan, S - timedelta(days=1)) == 0
    assert daily_mg(plan, S + timedelta(days=29)) == 40
    assert daily_mg(plan, S + timedelta(days=30)) == 80
    assert daily_mg((), S) == 0


def test_alternating_cycle_counts_from_segment_start():
    later = S + timedelta(days=7)
    plan = parse_plan([seg(S, daily=20), seg(later, cycle=[40, 80])])
    assert [daily_mg(plan, later + timedelta(days=i)) for i in range(5)] == [40, 80, 40, 80, 40]
    assert daily_mg(plan, later - timedelta(days=1)) == 20
    assert plan[1].average_mg == 60


def test_twice_daily_split_evenly():
    plan = parse_plan([seg(S, daily=70, times=("08:00", "20:00"))])
    assert slots_for(plan, S) == [
        PlannedSlot(1, time(8, 0), 35.0),
        PlannedSlot(2, time(20, 0), 35.0),
    ]


PER_DOSE = {"from_date": S.isoformat(), "doses": [{"time": "20:00", "mg": 20}, {"time": "08:00", "mg": 40}]}


def test_per_dose_amounts_as_prescribed():
    """40 mg in the morning and 20 mg in the evening stay 40 + 20, never 30 + 30 (issue 14)."""
    [segment] = parse_plan([PER_DOSE])
    assert segment.daily_mg == 60 and segment.dose_mg == (40.0, 20.0) and not segment.even_split
    assert slots_for((segment,), S + timedelta(days=3)) == [
        PlannedSlot(1, time(8, 0), 40.0),
        PlannedSlot(2, time(20, 0), 20.0),
    ]
    assert daily_mg((segment,), S) == 60
    stored = plan_to_json((segment,))
    assert stored[0]["doses"] == [{"time": "08:00", "mg": 40.0}, {"time": "20:00", "mg": 20.0}]
    assert stored[0]["daily_mg"] == 60 and stored[0]["dose_times"] == ["08:00", "20:00"]
    assert parse_plan(stored) == (segment,)


def test_the_even_split_stays_the_shorthand():
    [segment] = parse_plan([seg(S, daily=60, times=("08:00", "20:00"))])
    assert segment.dose_mg is None and segment.slot_mg(S) == (30.0, 30.0)
    assert "doses" not in plan_to_json((segment,))[0]


@pytest.mark.parametrize(
    "dose_mg,cycle,daily",
    [
        ((40.0,), None, 40.0),  # one amount for two doses
        ((40.0, 0.0), None, 40.0),  # a dose of nothing
        ((40.0, 20.0), (40.0, 80.0), None),  # with a cycle
        ((40.0, 20.0), None, 50.0),  # a day's total that is not their sum
    ],
)
def test_per_dose_amounts_must_fit_the_segment(dose_mg, cycle, daily):
    with pytest.raises(ValueError):
        Segment(S, 2, (time(8), time(20)), daily_mg=daily, cycle_mg=cycle, dose_mg=dose_mg)


def test_twice_daily_cycle_split_follows_day():
    plan = parse_plan([seg(S, cycle=[40, 80], times=("08:00", "20:00"))])
    assert [s.mg for s in slots_for(plan, S)] == [20.0, 20.0]
    assert [s.mg for s in slots_for(plan, S + timedelta(days=1))] == [40.0, 40.0]


def test_no_slots_before_start_or_on_zero_mg_day():
    plan = parse_plan([seg(S, cycle=[0, 40])])
    assert slots_for(plan, S - timedelta(days=1)) == []
    assert slots_for(plan, S) == []
    assert slots_for(plan, S + timedelta(days=1)) == [PlannedSlot(1, time(8, 0), 40.0)]


def test_iter_plan_days_switches_segments():
    plan = parse_plan([seg(S, daily=40), seg(S + timedelta(days=2), daily=80)])
    days = list(iter_plan_days(plan, S - timedelta(days=1), S + timedelta(days=3)))
    assert [d for d, _ in days] == [S + timedelta(days=i) for i in range(-1, 4)]
    assert [None if s is None else s.daily_mg for _, s in days] == [None, 40, 40, 80, 80]
    assert list(iter_plan_days(plan, S, S - timedelta(days=1))) == []


def test_course_package_is_pure():
    root = Path(__file__).resolve().parents[2] / "backend" / "course"
    sources = list(root.rglob("*.py"))
    assert {p.name for p in sources} >= {"__init__.py", "plan.py", "timeline.py", "content.py"}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(flask|sqlalchemy|flask_\w+)\b", text, re.M), path


def test_segment_in_force_parses_only_the_segment_of_the_day():
    """Equal to parsing the whole plan and picking the day's segment (the first before the plan starts)."""
    raw = [
        {"from_date": "2026-03-01", "daily_mg": 60, "doses_per_day": 2, "dose_times": ["09:00", "21:00"]},
        {"from_date": "2026-01-05", "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]},
        {"from_date": "2026-02-01", "cycle_mg": [20, 40], "doses_per_day": 1, "dose_times": ["07:30"]},
    ]
    plan = parse_plan(raw)
    for day in (date(2025, 12, 1), date(2026, 1, 5), date(2026, 2, 14), date(2026, 3, 1), date(2027, 1, 1)):
        assert segment_in_force(raw, day) == (segment_for(plan, day) or plan[0]), day
    assert segment_in_force([], date(2026, 1, 1)) is None
