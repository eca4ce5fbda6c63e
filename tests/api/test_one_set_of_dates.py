"""One set of dates (issue 7, item 4): the Timeline, Today's "Coming up" and the appointment suggestions come
from one rhythm; a booked appointment replaces the usual date of its kind in that month; nothing recurring is
suggested after the projected last capsule; past milestones say done or missed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.api.apihelp import API, assert_error, book, course_from, days_ago, today_in

LOCALES = Path(__file__).resolve().parents[2] / "backend" / "locales"
SPANISH = json.loads((LOCALES / "es" / "content.json").read_text(encoding="utf-8"))


def timeline(patient, course: dict) -> list[dict]:
    response = patient.get(f"{API}/courses/{course['id']}/timeline")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["milestones"]


def of_kind(milestones: list[dict], kind: str) -> list[dict]:
    return [m for m in milestones if m["kind"] == kind]


@pytest.fixture
def course(patient) -> dict:
    # 40 mg/day, 70 kg, 120 mg/kg: 210 days; started 10 days ago; EU PPP with pregnancy prevention.
    return patient.create_course(**course_from(days_ago(10), daily_mg=40, doses=1))


def same_month_neighbour(day: date) -> date:
    """A different day in the same calendar month."""
    other = day - timedelta(days=1)
    return other if other.month == day.month else day + timedelta(days=1)


def test_a_booked_visit_replaces_the_usual_date_of_that_month(patient, course):
    visits = of_kind(timeline(patient, course), "monthly_visit")
    usual = date.fromisoformat(visits[0]["date"])
    assert usual > today_in() + timedelta(days=1)
    assert visits[0]["booked"] is None and visits[0]["state"] == "upcoming"
    assert visits[0]["appointment_kind"] == "dermatologist_visit"
    booked_day = same_month_neighbour(usual)
    appt = book(patient, course, "dermatologist_visit", booked_day, "14:15", "Dr Rossi, room 3")

    after = of_kind(timeline(patient, course), "monthly_visit")
    assert len(after) == len(visits)
    in_month = [m for m in after if m["date"][:7] == usual.isoformat()[:7]]
    assert len(in_month) == 1
    [visit] = in_month
    assert visit["date"] == booked_day.isoformat()
    assert visit["estimated"] is False
    assert visit["booked"] == {
        "appointment_id": appt["id"],
        "starts_at": f"{booked_day.isoformat()}T14:15",
        "place": "Dr Rossi, room 3",
    }
    # The other months keep their usual dates.
    assert [m["date"] for m in after if m is not visit] == [m["date"] for m in visits[1:]]


def test_coming_up_on_today_shows_the_booked_appointment(patient, course):
    first_test = of_kind(timeline(patient, course), "blood_test")
    follow_up = next(m for m in first_test if date.fromisoformat(m["date"]) > today_in())
    usual = date.fromisoformat(follow_up["date"])
    booked_day = same_month_neighbour(usual)
    book(patient, course, "blood_test", booked_day, "07:45", "Lab B")
    today = patient.get(f"{API}/courses/{course['id']}/today").get_json()
    tests = [m for m in today["next_milestones"] if m["kind"] == "blood_test"]
    assert tests, today["next_milestones"]
    assert tests[0]["date"] == booked_day.isoformat()
    assert tests[0]["booked"]["starts_at"] == f"{booked_day.isoformat()}T07:45"
    assert tests[0]["booked"]["place"] == "Lab B"
    assert all(m["date"] != usual.isoformat() or m["booked"] for m in today["next_milestones"])


def test_an_appointment_with_no_usual_date_is_added_as_booked(patient, course):
    day = today_in() + timedelta(days=3)
    appt = book(patient, course, "other", day, "16:00", "Eye clinic")
    found = [
        m for m in timeline(patient, course) if m["booked"] and m["booked"]["appointment_id"] == appt["id"]
    ]
    assert len(found) == 1
    assert found[0]["kind"] == "appointment" and found[0]["date"] == day.isoformat()
    assert found[0]["title"] and found[0]["facts"]


def test_booking_changes_the_timeline_etag(patient, course):
    url = f"{API}/courses/{course['id']}/timeline"
    first = patient.get(url)
    book(patient, course, "blood_test", today_in() + timedelta(days=2))
    again = patient.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200


def test_deleting_the_booking_brings_the_usual_date_back(patient, course):
    visits = of_kind(timeline(patient, course), "monthly_visit")
    usual = date.fromisoformat(visits[1]["date"])
    appt = book(
        patient, course, "dermatologist_visit", usual.replace(day=min(usual.day, 28)) - timedelta(days=0)
    )
    assert patient.delete(f"{API}/courses/{course['id']}/appointments/{appt['id']}").status_code == 204
    assert [m["date"] for m in of_kind(timeline(patient, course), "monthly_visit")] == [
        m["date"] for m in visits
    ]


def test_suggestions_are_the_timeline_dates_and_stop_at_the_last_capsule(patient, course):
    milestones = timeline(patient, course)
    last = date.fromisoformat(next(m for m in milestones if m["kind"] == "last_dose")["date"])
    rhythm = sorted(
        (m["appointment_kind"], m["date"])
        for m in milestones
        if m["appointment_kind"] and date.fromisoformat(m["date"]) > today_in()
    )
    items = patient.get(f"{API}/courses/{course['id']}/appointments/suggested").get_json()
    recurring = [i for i in items if "PREG-7" not in i["facts"]]
    assert sorted((i["kind"], i["starts_at"][:10]) for i in recurring) == rhythm
    assert all(date.fromisoformat(i["starts_at"][:10]) <= last for i in recurring)
    # No final-test suggestion from a projection: only once the last capsule is recorded (issue 14).
    assert [i for i in items if date.fromisoformat(i["starts_at"][:10]) > last] == []
    ended = today_in() - timedelta(days=1)
    response = patient.patch(f"{API}/courses/{course['id']}", json={"ended_on": ended.isoformat()})
    assert response.status_code == 200, response.get_json()
    items = patient.get(f"{API}/courses/{course['id']}/appointments/suggested").get_json()
    final = [i for i in items if "PREG-7" in i["facts"]]
    assert [i["kind"] for i in final] == ["pregnancy_test"] and final[0]["starts_at"][:10] > ended.isoformat()
    assert final[0]["reason"] == "Final pregnancy test"
    # The reason is the timeline's own title, in the reader's language.
    spanish = patient.get(
        f"{API}/courses/{course['id']}/appointments/suggested", headers={"Accept-Language": "es"}
    ).get_json()
    reason = next(i["reason"] for i in spanish if "PREG-7" in i["facts"])
    spanish_title = SPANISH["milestones"]["final_pregnancy_test"]["actual"]["title"]
    assert reason == spanish_title != "Final pregnancy test"


def test_a_booked_month_is_suggested_as_already_booked_on_its_booked_day(patient, course):
    visit = next(
        m
        for m in of_kind(timeline(patient, course), "monthly_visit")
        if date.fromisoformat(m["date"]) > today_in()
    )
    day = date.fromisoformat(visit["date"])
    book(patient, course, "dermatologist_visit", day, "11:00")
    items = patient.get(f"{API}/courses/{course['id']}/appointments/suggested").get_json()
    mine = [
        i for i in items if i["kind"] == "dermatologist_visit" and i["starts_at"][:7] == visit["date"][:7]
    ]
    assert len(mine) == 1 and mine[0]["already_booked"] is True


def test_past_milestones_are_done_or_missed(patient):
    course = patient.create_course(**course_from(days_ago(70), daily_mg=40, doses=1))
    before = timeline(patient, course)
    past_visits = [m for m in of_kind(before, "monthly_visit") if date.fromisoformat(m["date"]) < today_in()]
    assert len(past_visits) == 2
    assert {m["state"] for m in past_visits} == {"missed"}
    booked_day = date.fromisoformat(past_visits[0]["date"])
    book(patient, course, "dermatologist_visit", booked_day, "09:00")
    after = timeline(patient, course)
    visits = [m for m in of_kind(after, "monthly_visit") if date.fromisoformat(m["date"]) < today_in()]
    assert [(m["date"], m["state"]) for m in visits] == [
        (past_visits[0]["date"], "done"),
        (past_visits[1]["date"], "missed"),
    ]
    assert next(m for m in after if m["kind"] == "course_start")["state"] == "done"
    assert all(m["state"] == "upcoming" for m in after if date.fromisoformat(m["date"]) >= today_in())


def test_reminders_remind_of_the_booked_date_the_timeline_shows(patient, course):
    day = today_in() + timedelta(days=2)
    appt = book(patient, course, "blood_test", day, "08:30")
    upcoming = patient.get(f"{API}/reminders/upcoming").get_json()
    mine = [
        o
        for o in upcoming
        if o.get("data", {}).get("appointment_id") == appt["id"] or o.get("appointment_id") == appt["id"]
    ]
    shown = [
        m for m in timeline(patient, course) if m["booked"] and m["booked"]["appointment_id"] == appt["id"]
    ]
    assert shown and shown[0]["date"] == day.isoformat()
    assert mine, upcoming


def test_another_patients_course_has_no_suggestions(make_patient, course):
    assert_error(make_patient().get(f"{API}/courses/{course['id']}/appointments/suggested"), 404)
