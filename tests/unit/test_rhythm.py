"""The one monitoring rhythm and how booked appointments take its place (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from backend.course.dates import add_months
from backend.course.rhythm import BookedAppointment, monitoring_dates, place_appointments
from backend.course.rules import rule_set

S = date(2026, 1, 5)
OTHER = {"title": "Appointment you booked", "description": "Booked.", "facts": ["MON-4"]}


def test_rhythm_steps_by_the_rule_set_and_stops_at_until():
    rules = rule_set("eu_ppp", "eu_ppp")
    until = S + timedelta(days=130)
    dates = monitoring_dates(S, until, rules, pregnancy_prevention=True)
    assert [r.day for r in dates if r.kind == "monthly_visit"] == [
        S + timedelta(days=28 * n) for n in (1, 2, 3, 4)
    ]
    assert [r.day for r in dates if r.kind == "pregnancy_test"] == [
        S - timedelta(days=3),
        *(S + timedelta(days=28 * n) for n in (1, 2, 3, 4)),
    ]
    assert [(r.day, r.role) for r in dates if r.kind == "blood_test"] == [
        (S, "baseline"),
        (add_months(S, 1), "follow_up"),
        (add_months(S, 4), "follow_up"),
    ]
    assert all(r.day <= until for r in dates)
    assert not [r for r in monitoring_dates(S, until, rules, False) if r.kind == "pregnancy_test"]


def _m(kind: str, day: date, rhythm: bool = True, estimated: bool = False) -> dict:
    return {
        "kind": kind,
        "date": day,
        "title": kind,
        "description": "d",
        "facts": ["MON-4"],
        "estimated": estimated,
        "rhythm": rhythm,
    }


def test_booking_replaces_the_nearest_usual_date_of_its_kind_in_that_month():
    ms = [
        _m("pregnancy_test", date(2026, 3, 2)),
        _m("pregnancy_test", date(2026, 3, 30)),
        _m("monthly_visit", date(2026, 3, 3)),
    ]
    appt = BookedAppointment("a1", "pregnancy_test", datetime(2026, 3, 25, 9, 30), "Lab")
    out = place_appointments(ms, [appt], date(2026, 1, 10), OTHER)
    tests = [m for m in out if m["kind"] == "pregnancy_test"]
    assert [(m["date"], m["booked"] is not None) for m in tests] == [
        (date(2026, 3, 2), False),
        (date(2026, 3, 25), True),
    ]
    assert tests[1]["booked"] == {"appointment_id": "a1", "starts_at": "2026-03-25T09:30", "place": "Lab"}
    assert next(m for m in out if m["kind"] == "monthly_visit")["booked"] is None


def test_a_booking_in_another_month_or_of_another_kind_is_added():
    ms = [_m("blood_test", date(2026, 2, 5))]
    appts = [
        BookedAppointment("b", "blood_test", datetime(2026, 4, 1, 8, 0)),
        BookedAppointment("o", "other", datetime(2026, 2, 6, 8, 0)),
    ]
    out = place_appointments(ms, appts, date(2026, 1, 10), OTHER)
    assert [(m["kind"], m["date"], m["booked"] and m["booked"]["appointment_id"]) for m in out] == [
        ("blood_test", date(2026, 2, 5), None),
        ("appointment", date(2026, 2, 6), "o"),
        ("blood_test", date(2026, 4, 1), "b"),
    ]


def test_states_done_missed_upcoming():
    today = date(2026, 3, 1)
    ms = [
        _m("course_start", S, rhythm=False),
        _m("monthly_visit", date(2026, 2, 2)),
        _m("monthly_visit", date(2026, 1, 20)),
        _m("monthly_visit", date(2026, 3, 2)),
    ]
    booked = BookedAppointment("v", "dermatologist_visit", datetime(2026, 1, 21, 9, 0))
    out = place_appointments(ms, [booked], today, OTHER)
    assert [(m["date"], m["state"]) for m in out] == [
        (S, "done"),
        (date(2026, 1, 21), "done"),
        (date(2026, 2, 2), "missed"),
        (date(2026, 3, 2), "upcoming"),
    ]
