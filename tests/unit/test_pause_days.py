"""Pauses of the capsules (backend/course/pauses.py) and how the projection, Today, reminders and the
calendar feed treat paused days: neither taken nor missed, no dose reminders, no capsule events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from backend.course.pauses import (
    Pause,
    for_projection,
    pause_lookup,
    pause_on,
    pause_problems,
    paused_days,
    unpaused_runs,
)
from backend.course.plan import parse_plan
from backend.course.timeline import CourseInfo, LoggedDose, build_timeline, build_today, project
from backend.record.calendar import FeedCourse, build_feed
from backend.record.report import build_report, pause_reason_label
from backend.record.triage import load_rules
from backend.reminders.occurrences import CourseSnapshot, RuleSnapshot, generate

S = date(2026, 1, 5)
FLAG_LABELS = {f["key"]: f["label"] for f in load_rules()["red_flags"]}


def d(n: int) -> date:
    return S + timedelta(days=n)


def info(*pauses: Pause, ended_on: date | None = None, times=("08:00",), daily=70) -> CourseInfo:
    return CourseInfo(
        start_date=S,
        weight_kg=70.0,
        target_mg_per_kg=120.0,
        product="standard",
        programme="none",
        pregnancy_prevention=False,
        plan=parse_plan(
            [
                {
                    "from_date": S.isoformat(),
                    "daily_mg": daily,
                    "doses_per_day": len(times),
                    "dose_times": list(times),
                }
            ]
        ),
        ended_on=ended_on,
        pauses=tuple(pauses),
    )


def taken(first: int, last: int, mg: float = 70) -> list[LoggedDose]:
    return [LoggedDose(d(n), 1, "taken", mg) for n in range(first, last + 1)]


# ---------------------------------------------------------------- the arithmetic


def test_a_pause_covers_its_start_up_to_the_day_before_the_restart():
    closed = Pause(d(3), d(6), "chest_pain")
    assert [closed.covers(d(n)) for n in range(2, 8)] == [False, True, True, True, False, False]
    still = Pause(d(3), None, "prescriber")
    assert still.covers(d(300)) and not still.covers(d(2))
    assert pause_on([closed, Pause(d(10), None)], d(12)).started_on == d(10)
    assert pause_on([closed], d(6)) is None


def test_paused_days_count_only_the_days_inside_the_window():
    pauses = [Pause(d(3), d(6)), Pause(d(10), None)]
    assert paused_days(pauses, d(0), d(20)) == 3 + 11
    assert paused_days(pauses, d(4), d(11)) == 2 + 2
    assert paused_days([Pause(d(3), d(3))], d(0), d(20)) == 0  # restarted the day it began


def test_unpaused_runs_split_the_days_around_each_pause():
    pauses = [Pause(d(3), d(6)), Pause(d(10), None)]
    assert unpaused_runs(d(0), d(20), pauses) == [(d(0), d(2)), (d(6), d(9))]
    assert unpaused_runs(d(0), None, [Pause(d(3), d(6))]) == [(d(0), d(2)), (d(6), None)]
    assert unpaused_runs(d(0), d(2), [Pause(d(3), d(6))]) == [(d(0), d(2))]
    assert unpaused_runs(d(4), d(8), [Pause(d(3), d(6))]) == [(d(6), d(8))]
    assert unpaused_runs(d(0), None, []) == [(d(0), None)]


def test_a_pause_still_going_on_is_projected_to_end_today():
    assert for_projection([Pause(d(3), None, "x", "id")], d(8)) == (Pause(d(3), d(9), "x", "id"),)
    assert for_projection([Pause(d(9), None)], d(8)) == (Pause(d(9), d(10)),)
    assert for_projection([Pause(d(3), d(5))], d(8)) == (Pause(d(3), d(5)),)


def fields_of(problems) -> list[str]:
    return [p.field for p in problems]


@pytest.mark.parametrize(
    ("started", "resumed", "ended", "field"),
    [
        (d(-1), None, None, "started_on"),  # before the course
        (d(30), None, d(20), "started_on"),  # after the last capsule
        (d(70), None, None, "started_on"),  # beyond the latest start
        (d(5), d(4), None, "resumed_on"),  # the restart before the start
        (d(5), d(25), d(20), "resumed_on"),  # a restart after the last capsule
    ],
)
def test_a_pause_outside_the_course_names_the_field(started, resumed, ended, field):
    assert fields_of(pause_problems(started, resumed, [], S, ended, d(60))) == [field]


def test_overlaps_and_a_second_open_pause_are_refused():
    others = [Pause(d(10), d(15))]
    assert fields_of(pause_problems(d(12), None, others, S, None, d(60))) == ["started_on"]
    assert fields_of(pause_problems(d(5), d(11), others, S, None, d(60))) == ["resumed_on"]
    assert fields_of(pause_problems(d(5), None, others, S, None, d(60))) == ["started_on"]
    assert fields_of(pause_problems(d(11), d(13), others, S, None, d(60))) == ["started_on"]
    assert pause_problems(d(5), d(10), others, S, None, d(60)) == []  # restarts the day the next begins
    assert pause_problems(d(15), None, others, S, None, d(60)) == []
    assert pause_problems(d(5), d(5), others, S, None, d(60)) == []
    open_one = [Pause(d(20), None)]
    problems = pause_problems(d(30), None, open_one, S, None, d(60))
    assert fields_of(problems) == ["started_on"] and "still going on" in problems[0].message


# ---------------------------------------------------------------- projection and Today


def test_paused_days_are_neither_missed_nor_dose_days_and_the_end_moves_by_them():
    plain = project(info(), taken(0, 9), d(10))
    paused = project(info(Pause(d(10), d(15), "chest_pain")), taken(0, 9), d(20))
    # 8,400 mg at 70 mg/day is 120 days: without a pause the last capsule is day 119.
    assert plain.projected_last_dose_on == d(119)
    # Days 10–14 paused; days 15–19 not logged: missed, and the target still needs them.
    assert paused.paused == [(d(n), 1) for n in range(10, 15)]
    assert paused.missing == [(d(n), 1) for n in range(15, 20)]
    assert paused.projected_last_dose_on == d(119 + 5 + 5)


def test_an_open_pause_moves_the_estimate_by_a_day_for_every_day_it_lasts():
    course = info(Pause(d(10), None, "prescriber"))
    logs = taken(0, 9)
    assert project(course, logs, d(12)).projected_last_dose_on == d(119 + 3)
    later = project(course, logs, d(20))
    assert later.projected_last_dose_on == d(119 + 11)
    assert later.missing == [] and len(later.paused) == 10


def test_today_while_paused_shows_the_pause_and_no_capsule_to_tick():
    course = info(Pause(d(10), None, "chest_pain", "p1"), times=("08:00", "20:00"))
    logs = [*taken(0, 9, 35), *[LoggedDose(d(n), 2, "taken", 35) for n in range(10)]]
    view = build_today(course, [*logs, LoggedDose(d(12), 1, "taken", 35)], d(12))
    assert view["pause"]["started_on"] == d(10) and view["pause"]["reason"] == "chest_pain"
    assert view["pause"]["id"] == "p1" and "RED-11" in view["pause"]["facts"]
    assert [x["status"] for x in view["doses"]] == [
        "taken",
        "paused",
    ]  # a capsule taken before stopping stays
    assert view["missing_logs_count"] == 0 and view["paused_days"] == 3
    assert "Keep going" not in view["phase"]["summary"] and "prescriber" in view["phase"]["summary"]
    timeline = build_timeline(course, logs, d(12))
    current = next(p for p in timeline["phases"] if p["current"])
    assert current["summary"] == view["phase"]["summary"] and timeline["pause"]["reason"] == "chest_pain"

    after = build_today(info(Pause(d(10), d(12), "chest_pain"), times=("08:00", "20:00")), logs, d(12))
    assert after["pause"] is None and [x["status"] for x in after["doses"]] == ["pending", "pending"]
    assert after["missing_logs_count"] == 0 and after["paused_days"] == 2


def test_a_finished_course_shows_no_pause():
    view = build_today(info(Pause(d(10), None), ended_on=d(9)), taken(0, 9), d(12))
    assert view["status"] == "finished" and view["pause"] is None


# ---------------------------------------------------------------- reminders and calendar


def snapshot(*pauses: Pause) -> CourseSnapshot:
    return CourseSnapshot(
        id="c1",
        timezone="Europe/Berlin",
        product="standard",
        programme="none",
        pregnancy_prevention=False,
        start_date=S,
        ended_on=None,
        plan=info().plan,
        pauses=tuple(pauses),
    )


def at(n: int) -> datetime:
    return datetime.combine(d(n), datetime.min.time(), tzinfo=UTC)


@pytest.mark.parametrize("kind", ["dose", "dose_followup"])
def test_no_dose_reminder_or_follow_up_falls_on_a_paused_day(kind):
    rule = RuleSnapshot("r1", kind, slot=1 if kind == "dose" else 0)
    closed = generate(rule, snapshot(Pause(d(12), d(15), "hives")), [], None, at(10), at(18))
    assert [s.data["date"] for s in closed] == [d(n).isoformat() for n in (10, 11, 15, 16, 17)]
    still = generate(rule, snapshot(Pause(d(12), None, "hives")), [], None, at(10), at(18))
    assert [s.data["date"] for s in still] == [d(10).isoformat(), d(11).isoformat()]


def test_other_reminders_go_on_while_paused():
    rule = RuleSnapshot("m1", "mood_checkin", weekday=6)
    assert generate(rule, snapshot(Pause(d(1), None)), [], None, at(0), at(21))


def expanded_days(events, first: date, last: date) -> set[date]:
    from dateutil.rrule import rrulestr

    days: set[date] = set()
    for event in events:
        start = event["dtstart"].dt
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
        end = datetime.combine(last, datetime.max.time(), tzinfo=start.tzinfo)
        days |= {o.date() for o in rule.between(start, end, inc=True) if o.date() >= first}
    return days


def feed_course(*pauses: Pause) -> FeedCourse:
    return FeedCourse("c1", "Europe/Berlin", "standard", info().plan, S, None, tuple(pauses))


def capsule_events(course: FeedCourse, today: date) -> list:
    body = build_feed(course, [], [], True, today, at(0))
    return Calendar.from_ical(body).walk("VEVENT")


def test_the_calendar_feed_has_no_capsule_event_on_a_paused_day():
    plain = expanded_days(capsule_events(feed_course(), d(0)), d(0), d(30))
    assert plain == {d(n) for n in range(31)}
    closed = capsule_events(feed_course(Pause(d(12), d(15))), d(0))
    assert expanded_days(closed, d(0), d(30)) == {d(n) for n in range(31)} - {d(12), d(13), d(14)}
    assert len({str(e["uid"]) for e in closed}) == 2
    still = capsule_events(feed_course(Pause(d(12), None)), d(0))
    assert expanded_days(still, d(0), d(400)) == {d(n) for n in range(12)}
    assert capsule_events(feed_course(Pause(d(12), None)), d(13)) == []


# ---------------------------------------------------------------- report


def test_the_report_counts_paused_doses_apart_and_lists_every_pause_with_its_reason():
    course = info(Pause(d(3), d(6), "chest_pain"), Pause(d(10), None, "prescriber"))
    logs = [*taken(0, 2), *taken(6, 7)]
    report = build_report(course, logs, [], [], [], S, d(12), d(12))
    adherence = report["adherence"]
    assert adherence["taken_doses"] == 5 and adherence["not_logged_doses"] == 2  # days 8 and 9
    assert adherence["paused_doses"] == 3 + 2  # days 3–5 and 10–11 (today, day 12, is not counted yet)
    assert adherence["paused_day_count"] == 3 + 3
    assert adherence["planned_doses"] == 7 and adherence["percent_taken"] == round(5 / 7 * 100, 1)
    assert report["pauses"] == [
        {
            "started_on": d(3).isoformat(),
            "resumed_on": d(6).isoformat(),
            "reason": "chest_pain",
            "reason_label": FLAG_LABELS["chest_pain"],
            "days": 3,
        },
        {
            "started_on": d(10).isoformat(),
            "resumed_on": None,
            "reason": "prescriber",
            "reason_label": pause_reason_label("prescriber"),
            "days": 3,
        },
    ]
    assert pause_reason_label("prescriber") != "prescriber"


def test_pause_lookup_finds_the_same_pause_as_pause_on_for_every_day():
    """pause_lookup (sorted once, bisection) answers as pause_on (a scan) does: before, inside, on the
    resume day, after, an empty pause sharing a start with a real one, an open pause, given out of order."""
    d = date(2026, 3, 1)
    pauses = [
        Pause(d + timedelta(days=40), None, id="open"),
        Pause(d + timedelta(days=10), d + timedelta(days=10), id="empty"),
        Pause(d + timedelta(days=10), d + timedelta(days=13), id="three"),
        Pause(d + timedelta(days=2), d + timedelta(days=3), id="one"),
        Pause(d + timedelta(days=20), d + timedelta(days=30), id="ten"),
    ]
    on = pause_lookup(pauses)
    found = [(on(d + timedelta(days=n)), pause_on(pauses, d + timedelta(days=n))) for n in range(-3, 60)]
    assert all(a == b for a, b in found)
    assert {p.id for p, _ in found if p} == {"one", "three", "ten", "open"}
    assert pause_lookup([])(d) is None
