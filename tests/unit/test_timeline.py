"""Projection, phases, milestones and the Today view (backend/course/timeline.py)."""

import time as clock
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest

from backend.course.dates import add_months, month_after
from backend.course.plan import parse_plan
from backend.course.timeline import (
    PHASE_KEYS,
    CourseInfo,
    LoggedDose,
    build_timeline,
    build_today,
    project,
)

S = date(2026, 1, 5)


def d(n: int) -> date:
    """Course day offset n (0 = start date)."""
    return S + timedelta(days=n)


def course(
    daily=70,
    cycle=None,
    times=("08:00",),
    weight=70.0,
    target=120.0,
    prevention=False,
    programme="none",
    product="standard",
    ended_on=None,
    segments=None,
    start=S,
    rule_set=None,
):
    raw = segments or [
        {
            "from_date": start.isoformat(),
            "daily_mg": None if cycle else daily,
            "cycle_mg": cycle,
            "doses_per_day": len(times),
            "dose_times": list(times),
        }
    ]
    return CourseInfo(
        start_date=start,
        weight_kg=weight,
        target_mg_per_kg=target,
        product=product,
        programme=programme,
        pregnancy_prevention=prevention,
        plan=parse_plan(raw),
        ended_on=ended_on,
        rule_set=rule_set,
    )


def taken(first: int, last: int, mg: float, slots=(1,)) -> list[LoggedDose]:
    return [LoggedDose(d(i), s, "taken", mg) for i in range(first, last + 1) for s in slots]


def kinds(milestones) -> list[str]:
    return [m["kind"] for m in milestones]


def one(milestones, kind):
    found = [m for m in milestones if m["kind"] == kind]
    assert len(found) == 1, kind
    return found[0]


# ---------------------------------------------------------------- DOSE-3 worked examples


def test_worked_example_70_mg_a_day_takes_120_days():
    p = project(course(daily=70), [], S)
    assert p.target_mg == 8400
    assert p.projected_last_dose_on == d(119)
    assert p.last_dose_estimated is True
    assert p.cumulative_mg == 0
    assert p.target_percent == 0


def test_worked_example_40_mg_a_day_takes_210_days():
    p = project(course(daily=40), [], S)
    assert p.projected_last_dose_on == d(209)
    today = build_today(course(daily=40), [], S)
    assert today["days_remaining"] == 210
    assert today["target_mg"] == 8400.0
    assert today["target_mg_per_kg"] == 120.0


def test_threshold_dates_for_70_mg_a_day():
    p = project(course(daily=70), [], S)
    assert p.threshold_dates == {25: d(29), 50: d(59), 75: d(89), 100: d(119)}
    assert all(p.threshold_estimated.values())


def test_alternating_40_80_cycle():
    c = course(cycle=[40, 80])
    assert c.plan[0].average_mg == 60
    p = project(c, [], S)
    # 8400 / 60 = 140 days; day 139 is an 80 mg day that lands exactly on 8400.
    assert p.projected_last_dose_on == d(139)


def test_dose_change_mid_course():
    c = course(
        segments=[
            {"from_date": S.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]},
            {"from_date": d(30).isoformat(), "daily_mg": 80, "doses_per_day": 1, "dose_times": ["08:00"]},
        ]
    )
    # 30 × 40 = 1200 mg, then 7200 mg at 80 mg/day = 90 more days.
    assert project(c, [], S).projected_last_dose_on == d(119)
    # Logged as planned through day 39: 1200 + 10 × 80 = 2000 mg.
    logs = taken(0, 29, 40) + taken(30, 39, 80)
    p = project(c, logs, d(40))
    assert p.cumulative_mg == 2000
    assert p.projected_last_dose_on == d(119)
    assert p.missing == []


# ---------------------------------------------------------------- logs move the end


def test_logged_as_planned_keeps_the_end():
    p = project(course(daily=70), taken(0, 49, 70), d(50))
    assert p.cumulative_mg == 3500
    assert p.cumulative_mg_per_kg == 50
    assert p.target_percent == pytest.approx(3500 / 8400 * 100)
    assert p.projected_last_dose_on == d(119)
    assert p.threshold_dates[25] == d(29)
    assert p.threshold_estimated[25] is False
    assert p.threshold_estimated[50] is True


def test_skipped_days_move_the_end_later_by_the_missed_mg():
    logs = taken(0, 9, 70)
    for i in (2, 5, 7):
        logs[i] = LoggedDose(d(i), 1, "skipped", 70)
    p = project(course(daily=70), logs, d(10))
    assert p.cumulative_mg == 7 * 70
    assert p.projected_last_dose_on == d(119 + 3)
    assert p.missing == []  # skipped is a log, not a gap


def test_twice_daily_half_dose_skipped_moves_end_one_day():
    c = course(daily=70, times=("08:00", "20:00"))
    logs = taken(0, 9, 35, slots=(1, 2))
    logs[3] = LoggedDose(d(1), 2, "skipped", 35)  # 35 mg short
    p = project(c, logs, d(10))
    assert p.cumulative_mg == 20 * 35 - 35
    assert p.projected_last_dose_on == d(120)
    # Three half doses short (105 mg) need two extra days at 70 mg/day.
    logs[5] = LoggedDose(d(2), 2, "skipped", 35)
    logs[7] = LoggedDose(d(3), 2, "skipped", 35)
    assert project(c, logs, d(10)).projected_last_dose_on == d(121)


def test_past_slot_without_log_counts_as_not_taken_and_is_missing():
    c = course(daily=70, times=("08:00", "20:00"))
    logs = taken(0, 0, 35, slots=(1, 2)) + taken(1, 1, 35, slots=(1,))
    p = project(c, logs, d(2))
    assert p.cumulative_mg == 105
    assert p.missing == [(d(1), 2)]
    assert p.projected_last_dose_on == d(120)
    today = build_today(c, logs, d(2))
    assert today["missing_logs"] == [{"date": d(1), "slot": 2, "mg": 35.0}]
    assert today["missing_logs_count"] == 1


def test_missing_logs_most_recent_first_and_capped():
    c = course(daily=70, times=("08:00", "20:00"))
    today = build_today(c, [], d(20))
    assert today["missing_logs_count"] == 40
    assert len(today["missing_logs"]) == 14
    assert today["missing_logs"][0] == {"date": d(19), "slot": 2, "mg": 35.0}
    assert today["missing_logs"][1] == {"date": d(19), "slot": 1, "mg": 35.0}
    assert today["missing_logs"][-1] == {"date": d(13), "slot": 1, "mg": 35.0}
    # Nothing logged for 20 days: the end moves 20 days later.
    assert today["projected_last_dose_on"] == d(139)


def test_todays_logged_and_pending_slots():
    c = course(daily=70, times=("08:00", "20:00"))
    at = datetime(2026, 1, 5, 7, 5, tzinfo=UTC)
    logs = [LoggedDose(S, 1, "taken", 35, id="abc", taken_at=at)]
    today = build_today(c, logs, S)
    assert today["cumulative_mg"] == 35
    assert today["doses"] == [
        {"slot": 1, "time": "08:00", "mg": 35, "status": "taken", "dose_id": "abc", "taken_at": at},
        {"slot": 2, "time": "20:00", "mg": 35.0, "status": "pending", "dose_id": None, "taken_at": None},
    ]
    assert today["missing_logs_count"] == 0
    assert today["projected_last_dose_on"] == d(119)


def test_todays_skipped_slot_counts_zero():
    c = course(daily=70, times=("08:00", "20:00"))
    logs = [LoggedDose(S, 1, "skipped", 35)]
    assert project(c, logs, S).projected_last_dose_on == d(120)
    assert build_today(c, logs, S)["doses"][0]["status"] == "skipped"


def test_future_logs_are_ignored():
    logs = [LoggedDose(d(5), 1, "taken", 70)]
    assert project(course(), logs, S).cumulative_mg == 0


def test_target_reached_in_log_without_ended_on_is_not_the_end():
    """DOSE-13: 60 kg at 40 mg/day reaches 120 mg/kg (7,200 mg) on day 180 and the capsules go on."""
    c = course(daily=40, weight=60.0, prevention=True, programme="us_ipledge")
    logs = taken(0, 189, 40)  # ten days past the target
    today_date = d(190)
    p = project(c, logs, today_date)
    assert p.cumulative_mg == 190 * 40
    assert p.target_reached_on == d(179)
    assert p.threshold_estimated[100] is False
    assert p.projected_last_dose_on == today_date and p.last_dose_estimated is True
    assert p.missing == []

    today = build_today(c, logs, today_date)
    assert today["status"] == "active"
    assert [x["status"] for x in today["doses"]] == ["pending"]  # today's capsule is still asked for
    assert today["phase"]["key"] == "final_stretch"
    assert "until your prescriber" in today["phase"]["summary"]
    assert today["target_reached"]["on"] == d(179)
    assert today["target_reached"]["facts"] == ["DOSE-13", "PRODUCT-1"]
    assert today["days_remaining"] is None
    assert today["target_percent"] > 100

    tl = build_timeline(c, logs, today_date)
    assert tl["current_phase"] == "final_stretch"
    after = next(ph for ph in tl["phases"] if ph["key"] == "after")
    assert after["current"] is False and after["estimated"] is True
    ms = tl["milestones"]
    for kind in (
        "last_dose",
        "final_pregnancy_test",
        "contraception_end",
        "blood_donation_ok",
        "procedures_ok",
    ):
        assert one(ms, kind)["estimated"] is True, kind
    assert one(ms, "contraception_end")["date"] == month_after(today_date)
    assert "estimate" in one(ms, "contraception_end")["description"]
    # Visits and tests go on past the target while the capsules do.
    assert max(m["date"] for m in ms if m["kind"] == "pregnancy_test") > d(179)

    # A missed day after the target is asked for like any other.
    gap = [x for x in logs if x.date != d(185)]
    assert (d(185), 1) in project(c, gap, today_date).missing


def test_before_target_not_finished_even_past_the_projected_day():
    """Not reached by the log: the projection moves later, the course never reads as finished."""
    c = course(daily=70)
    logs = taken(0, 99, 70)  # 7,000 of 8,400 mg, then nothing logged for 30 days
    today = build_today(c, logs, d(130))
    assert today["status"] == "active"
    assert today["doses"] and today["target_reached"] is None
    assert today["projected_last_dose_on"] >= d(130)


def test_ended_on_confirms_the_end_and_clearing_it_undoes_it():
    c = course(daily=40, weight=60.0, prevention=True, programme="eu_ppp")
    logs = taken(0, 189, 40)
    ended = course(daily=40, weight=60.0, prevention=True, programme="eu_ppp", ended_on=d(189))
    today = build_today(ended, logs, d(195))
    assert today["status"] == "finished" and today["doses"] == []
    assert today["phase"]["key"] == "after"
    assert today["target_reached"] is None
    ms = build_timeline(ended, logs, d(195))["milestones"]
    for kind in (
        "last_dose",
        "final_pregnancy_test",
        "contraception_end",
        "blood_donation_ok",
        "procedures_ok",
    ):
        assert one(ms, kind)["estimated"] is False, kind
    assert one(ms, "final_pregnancy_test")["date"] == month_after(d(189))
    assert build_today(c, logs, d(195))["status"] == "active"  # the same course without ended_on


def test_ended_on_today_still_shows_todays_capsules():
    c = course(daily=70, ended_on=d(10))
    today = build_today(c, taken(0, 9, 70), d(10))
    assert today["status"] == "active" and len(today["doses"]) == 1


# ---------------------------------------------------------------- ended / low dose / guards


def test_ended_course():
    c = course(daily=70, ended_on=date(2026, 1, 31), prevention=True, programme="us_ipledge")
    logs = taken(0, 26, 70)  # day 26 is Jan 31
    today = build_today(c, logs, date(2026, 2, 10))
    assert today["status"] == "finished"
    assert today["phase"]["key"] == "after"
    assert today["phase"]["starts_on"] == date(2026, 2, 1)
    assert today["doses"] == []
    assert today["projected_last_dose_on"] == date(2026, 1, 31)
    assert today["cumulative_mg"] == 27 * 70
    assert today["missing_logs_count"] == 0

    tl = build_timeline(c, logs, date(2026, 2, 10))
    ms = tl["milestones"]
    last = one(ms, "last_dose")
    assert last["date"] == date(2026, 1, 31)
    assert last["estimated"] is False
    # One month after Jan 31 is never shorter than 30 days: 2 March, not 28 February. Six months is Jul 31.
    assert one(ms, "blood_donation_ok")["date"] == date(2026, 3, 2)
    assert one(ms, "final_pregnancy_test")["date"] == date(2026, 3, 2)
    assert one(ms, "contraception_end")["date"] == date(2026, 3, 2)
    assert one(ms, "procedures_ok")["date"] == date(2026, 7, 31)
    assert one(ms, "procedures_ok")["estimated"] is False
    # 27 × 70 = 1890 mg < 25 % of 8400: no cumulative milestone is reached or projected.
    assert not [k for k in kinds(ms) if k.startswith("cumulative_")]
    assert tl["current_phase"] == "after"


def test_ended_course_missing_stops_at_ended_on():
    c = course(daily=70, ended_on=d(4))
    p = project(c, taken(0, 2, 70), d(10))
    assert p.missing == [(d(3), 1), (d(4), 1)]
    assert p.projected_last_dose_on == d(4)


def test_ended_in_future_projects_only_until_ended_on():
    c = course(daily=70, ended_on=d(59))
    p = project(c, [], S)
    assert p.projected_last_dose_on == d(59)
    assert p.threshold_dates == {25: d(29), 50: d(59), 75: None, 100: None}


def test_low_dose_course_without_target():
    c = course(daily=20, target=None)
    today = build_today(c, taken(0, 299, 20), d(300))
    assert today["status"] == "active"
    assert today["projected_last_dose_on"] is None
    assert today["days_remaining"] is None
    assert today["target_percent"] is None
    assert today["target_mg"] is None
    assert today["cumulative_mg"] == 6000
    assert today["phase"]["key"] == "clearing"
    tl = build_timeline(c, [], d(300))
    assert not [k for k in kinds(tl["milestones"]) if k.startswith("cumulative_")]
    assert "last_dose" not in kinds(tl["milestones"])
    assert "procedures_ok" not in kinds(tl["milestones"])
    phases = {p["key"]: p for p in tl["phases"]}
    assert phases["final_stretch"]["starts_on"] is None and phases["after"]["ends_on"] is None
    assert phases["clearing"]["ends_on"] is None and phases["clearing"]["current"] is True


def test_zero_mg_plan_has_no_projection():
    assert project(course(daily=0), [], S).projected_last_dose_on is None
    c = course(
        segments=[
            {"from_date": S.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]},
            {"from_date": d(10).isoformat(), "daily_mg": 0, "doses_per_day": 1, "dose_times": ["08:00"]},
        ]
    )
    p = project(c, [], S)
    assert p.projected_last_dose_on is None
    assert p.threshold_dates[25] is None


def test_tiny_dose_stops_at_horizon():
    start = clock.perf_counter()
    assert project(course(daily=0.01), [], S).projected_last_dose_on is None
    assert clock.perf_counter() - start < 0.5


def test_before_start():
    today = build_today(course(daily=70), [], d(-3))
    assert today["status"] == "not_started"
    assert today["day_of_course"] is None and today["week_of_course"] is None
    assert today["phase"]["key"] == "before_start"
    assert today["phase"]["ends_on"] == d(-1)
    assert today["doses"] == []
    assert today["days_remaining"] == 120
    assert today["projected_last_dose_on"] == d(119)


def test_day_and_week_of_course():
    today = build_today(course(daily=70), taken(0, 6, 70), d(7))
    assert today["day_of_course"] == 8
    assert today["week_of_course"] == 2
    assert build_today(course(daily=70), [], S)["week_of_course"] == 1


# ---------------------------------------------------------------- phases


def _check_phases(phases, today):
    keys = [p["key"] for p in phases]
    assert keys == [k for k in PHASE_KEYS if k in keys]
    assert sum(p["current"] for p in phases) == 1
    dated = [p for p in phases if p["ends_on"] is not None or p["starts_on"] is not None]
    for a, b in pairwise(dated):
        assert a["ends_on"] is not None and b["starts_on"] == a["ends_on"] + timedelta(days=1)
    for p in dated:
        if p["starts_on"] and p["ends_on"]:
            assert p["starts_on"] <= p["ends_on"]
    cur = next(p for p in phases if p["current"])
    assert cur["starts_on"] is None or cur["starts_on"] <= today
    assert cur["ends_on"] is None or today <= cur["ends_on"]


def test_phases_long_course():
    tl = build_timeline(course(daily=40), taken(0, 99, 40), d(100))
    phases = {p["key"]: (p["starts_on"], p["ends_on"]) for p in tl["phases"]}
    assert phases == {
        "before_start": (None, d(-1)),
        "first_weeks": (d(0), d(55)),
        "improving": (d(56), d(83)),
        "clearing": (d(84), d(181)),
        "final_stretch": (d(182), d(209)),
        "after": (d(210), None),
    }
    assert tl["current_phase"] == "clearing"
    _check_phases(tl["phases"], d(100))
    # With nothing logged for 100 days the same course ends 100 days later.
    late = build_timeline(course(daily=40), [], d(100))
    assert late["projected_last_dose_on"] == d(309)


def test_phases_short_course_squeeze_out_middle_phases():
    c = course(daily=70, ended_on=d(19))
    tl = build_timeline(c, [], d(5))
    assert [p["key"] for p in tl["phases"]] == ["before_start", "final_stretch", "after"]
    assert tl["phases"][1]["starts_on"] == S and tl["phases"][1]["ends_on"] == d(19)
    assert tl["current_phase"] == "final_stretch"


def test_phases_medium_course_clamps_improving():
    c = course(daily=70, ended_on=d(69))
    tl = build_timeline(c, [], d(60))
    phases = {p["key"]: (p["starts_on"], p["ends_on"]) for p in tl["phases"]}
    assert phases["first_weeks"] == (d(0), d(41))
    assert "improving" not in phases and "clearing" not in phases
    assert phases["final_stretch"] == (d(42), d(69))
    _check_phases(tl["phases"], d(60))


@pytest.mark.parametrize("end", [0, 10, 30, 60, 90, 119, 200, None])
def test_exactly_one_current_phase_every_day(end):
    c = course(daily=70, target=None, ended_on=None if end is None else d(end))
    for offset in range(-5, (end or 150) + 40, 3):
        today = d(offset)
        tl = build_timeline(c, [], today)
        _check_phases(tl["phases"], today)
        assert build_today(c, [], today)["phase"]["key"] == tl["current_phase"]


def test_phase_items_carry_facts_and_drop_pregnancy_items():
    off = build_timeline(course(prevention=False), [], S)
    on = build_timeline(course(prevention=True, programme="us_ipledge"), [], S)

    def facts(tl):
        return {
            f
            for p in tl["phases"]
            for part in ("expectations", "tips", "report_now")
            for item in p[part]
            for f in item["facts"]
        }

    assert not {f for f in facts(off) if f.startswith("PREG")}
    assert {"PREG-2", "PREG-9", "PREG-8", "PREG-11"} <= facts(on)
    assert "RED-10" not in {f for i in off["report_now"] for f in i["facts"]}
    # Red flags carry their level (RED-13), emergencies first; pregnancy items only with prevention.
    levels = [i["level"] for i in on["report_now"]]
    assert levels == sorted(levels, key=("emergency", "urgent", "today").index)
    assert levels.count("emergency") == 5 and levels.count("today") == 1
    assert len(on["report_now"]) == len(off["report_now"]) + 2
    assert any("emergency contraception" in i["text"] for i in on["report_now"])
    for p in on["phases"]:
        for part in ("expectations", "tips", "report_now"):
            for item in p[part]:
                assert (
                    set(item) in ({"text", "facts"}, {"text", "facts", "level"})
                    and item["text"]
                    and item["facts"]
                )
    first = next(p for p in on["phases"] if p["key"] == "first_weeks")
    assert "EXP-3" in {f for i in first["expectations"] for f in i["facts"]}
    assert "EXP-4" in {f for i in first["report_now"] for f in i["facts"]}


# ---------------------------------------------------------------- milestones


def test_milestones_for_projected_course_with_us_pregnancy_prevention():
    c = course(daily=70, prevention=True, programme="us_ipledge")
    ms = build_timeline(c, [], S)["milestones"]
    assert ms == sorted(ms, key=lambda m: m["date"])
    assert one(ms, "course_start")["date"] == S
    last = one(ms, "last_dose")
    assert last["date"] == d(119) and last["estimated"] is True
    assert [one(ms, f"cumulative_{p}")["date"] for p in (25, 50, 75, 100)] == [d(29), d(59), d(89), d(119)]
    # PREG-9: two tests before the first prescription, then one every month.
    assert [m["date"] for m in ms if m["kind"] == "pregnancy_test"] == [d(-30), d(-3), d(30), d(60), d(90)]
    screening, confirmation = (m for m in ms if m["kind"] == "pregnancy_test" and m["date"] < S)
    assert "screening" in screening["title"] and "PREG-9" in screening["facts"]
    assert "confirmation" in confirmation["title"]
    us_test = next(m for m in ms if m["kind"] == "pregnancy_test" and m["date"] > S)
    assert "7 days" in us_test["description"] and "day 1" in us_test["description"]
    assert one(ms, "final_pregnancy_test")["date"] == month_after(d(119))
    assert one(ms, "contraception_end")["date"] == month_after(d(119))
    assert one(ms, "contraception_end")["estimated"] is True
    assert one(ms, "blood_donation_ok")["estimated"] is True
    assert one(ms, "procedures_ok")["date"] == add_months(d(119), 6)
    assert [m["date"] for m in ms if m["kind"] == "monthly_visit"] == [d(30), d(60), d(90)]
    assert [m["date"] for m in ms if m["kind"] == "blood_test"] == [S, add_months(S, 1)]
    assert max(m["date"] for m in ms) == add_months(d(119), 6)
    for m in ms:
        assert m["title"] and m["description"] and m["facts"]


def test_eu_ppp_pregnancy_tests_every_28_days():
    c = course(daily=70, prevention=True, programme="eu_ppp")
    ms = build_timeline(c, [], S)["milestones"]
    assert [m["date"] for m in ms if m["kind"] == "pregnancy_test"] == [d(-3), d(28), d(56), d(84), d(112)]
    assert one(ms, "final_pregnancy_test")["facts"]


def test_no_programme_pregnancy_reminders_monthly():
    c = course(
        daily=70,
        prevention=True,
        programme="none",
        start=date(2026, 1, 31),
        segments=[{"from_date": "2026-01-31", "daily_mg": 70, "doses_per_day": 1, "dose_times": ["08:00"]}],
    )
    ms = build_timeline(c, [], date(2026, 1, 31))["milestones"]
    dates = [m["date"] for m in ms if m["kind"] == "pregnancy_test"]
    assert dates == [date(2026, 1, 28), date(2026, 3, 2), date(2026, 4, 1), date(2026, 5, 1)]
    assert "prescriber arranges" in next(m for m in ms if m["kind"] == "pregnancy_test")["description"]


def test_no_pregnancy_milestones_without_prevention():
    for programme in ("us_ipledge", "eu_ppp", "none"):
        ms = build_timeline(course(daily=70, programme=programme), [], S)["milestones"]
        assert not {"pregnancy_test", "final_pregnancy_test", "contraception_end"} & set(kinds(ms))
        assert {"blood_donation_ok", "procedures_ok", "last_dose", "monthly_visit"} <= set(kinds(ms))


def test_next_milestones_are_the_next_three():
    c = course(daily=70, prevention=True, programme="us_ipledge")
    today = build_today(c, taken(0, 44, 70), d(45))
    nxt = today["next_milestones"]
    assert [(m["kind"], m["date"]) for m in nxt] == [
        ("cumulative_50", d(59)),
        ("pregnancy_test", d(60)),
        ("monthly_visit", d(60)),
    ]


def test_dose_guidance_follows_product_and_prevention():
    std = build_today(course(product="standard"), [], S)
    free = build_today(course(product="food_independent", prevention=True), [], S)
    assert std["with_food"] is True and free["with_food"] is False
    std_facts = [f for i in std["dose_guidance"] for f in i["facts"]]
    assert {"DOSE-5", "DOSE-7", "DOSE-8"} <= set(std_facts) and "PREG-8" not in std_facts
    assert "PREG-8" in {f for i in free["dose_guidance"] for f in i["facts"]}
    assert "meal" in std["dose_guidance"][0]["text"]
    assert "without food" in free["dose_guidance"][0]["text"]
    assert "dermatologist" in std["disclaimer"]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 31), 13, date(2027, 2, 28)),
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
    ],
)
def test_add_months_clamps_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_locale_fallback_gives_english():
    assert (
        build_timeline(course(), [], S, locale="xx")["disclaimer"]
        == build_timeline(course(), [], S)["disclaimer"]
    )


def test_a_projection_without_the_unlogged_walk_has_every_date_of_the_full_one():
    """`unlogged=False` (the reminders and the supply) skips only the list of past slots with no log: for
    random courses, logs, pauses and days, every other field equals the full projection's."""
    import random

    from backend.course.pauses import Pause

    rng = random.Random(11)
    for _ in range(300):
        times = ("08:00",) if rng.random() < 0.5 else ("08:00", "20:00")
        info = course(
            daily=rng.choice([20, 40, 60, 0]),
            cycle=[rng.choice([0, 20, 40]) for _ in range(7)] if rng.random() < 0.3 else None,
            times=times,
            target=rng.choice([120.0, 150.0, None]),
            ended_on=d(rng.randrange(30, 300)) if rng.random() < 0.2 else None,
        )
        pauses = tuple(
            Pause(d(start), d(start + rng.randrange(1, 20)) if rng.random() < 0.8 else None)
            for start in sorted(rng.sample(range(0, 200), rng.randrange(0, 4)))
        )
        info = info.__class__(**{**vars(info), "pauses": pauses})
        today = d(rng.randrange(-5, 400))
        logs = [
            LoggedDose(d(n), slot, "taken" if rng.random() < 0.8 else "skipped", 20.0)
            for n in range(0, 400)
            for slot in range(1, len(times) + 1)
            if rng.random() < 0.7
        ]
        full, lean = project(info, logs, today), project(info, logs, today, unlogged=False)
        assert (lean.missing, lean.paused) == ([], [])
        assert {**vars(lean), "missing": full.missing, "paused": full.paused} == vars(full)
