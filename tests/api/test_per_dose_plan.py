"""Per-dose amounts as prescribed (issue 14): 40 mg at 08:00 and 20 mg at 20:00 stay 40 + 20 everywhere —
the stored plan, Today, the projection, the supply count, reminders and the calendar feed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.extensions import db
from backend.models import Course, ReminderOccurrence
from backend.reminders import texts
from backend.services import reminders as reminder_service
from tests.api.apihelp import API, bad_fields, course_from, days_ago, dose_body, new_uuid, today_in

DOSES = [{"time": "08:00", "mg": 40}, {"time": "20:00", "mg": 20}]


@pytest.fixture
def course(patient) -> dict:
    start = days_ago(3)
    body = course_from(start, weight_kg=60)
    body["dose_plan"] = [{"from_date": start.isoformat(), "doses": DOSES}]
    return patient.create_course(**body)


def test_the_plan_keeps_each_doses_amount(patient, course):
    [segment] = course["dose_plan"]
    assert segment["doses"] == [{"time": "08:00", "mg": 40.0}, {"time": "20:00", "mg": 20.0}]
    assert segment["daily_mg"] == 60 and segment["doses_per_day"] == 2
    today = patient.get(f"{API}/courses/{course['id']}/today").get_json()
    assert [(d["slot"], d["time"], d["mg"]) for d in today["doses"]] == [(1, "08:00", 40), (2, "20:00", 20)]


def test_the_stored_segment_given_back_is_accepted_and_a_mismatch_names_the_field(patient, course):
    [segment] = course["dose_plan"]
    response = patient.patch(f"{API}/courses/{course['id']}", json={"dose_plan": [segment]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["dose_plan"] == [segment]
    wrong = {**segment, "daily_mg": 80}
    response = patient.patch(f"{API}/courses/{course['id']}", json={"dose_plan": [wrong]})
    assert "dose_plan.0.daily_mg" in bad_fields(response)
    unordered = {"from_date": segment["from_date"], "doses": list(reversed(DOSES))}
    response = patient.patch(f"{API}/courses/{course['id']}", json={"dose_plan": [unordered]})
    assert "dose_plan.0.doses" in bad_fields(response)


def today_mg(patient, course: dict) -> list[float]:
    return [d["mg"] for d in patient.get(f"{API}/courses/{course['id']}/today").get_json()["doses"]]


def test_a_plan_change_to_per_dose_amounts_counts_today_with_them(patient):
    start = days_ago(5)
    course = patient.create_course(**course_from(start, daily_mg=60, weight_kg=60))
    assert today_mg(patient, course) == [30, 30]
    change = {"from_date": today_in().isoformat(), "doses": DOSES}
    response = patient.patch(f"{API}/courses/{course['id']}", json={"dose_plan_change": change})
    assert response.status_code == 200, response.get_json()
    assert today_mg(patient, course) == [40, 20]


def test_supply_counts_each_doses_own_amount(patient, course):
    """30 × 20 mg = 600 mg. Today's 08:00 (40 mg) is taken; 20 mg tonight, then 60 mg a day."""
    response = patient.put(
        f"{API}/courses/{course['id']}/doses/{new_uuid()}", json=dose_body(today_in(), 1, "taken", 40)
    )
    assert response.status_code == 201
    pickup = {"picked_up_on": today_in().isoformat(), "capsules": 30, "strength_mg": 20}
    assert patient.post(f"{API}/courses/{course['id']}/supply/pickups", json=pickup).status_code == 201
    supply = patient.get(f"{API}/courses/{course['id']}/supply").get_json()
    assert supply["mg_left"] == 560
    # 560 − 20 (tonight) = 540 = 9 days × 60 mg; the 10th day finds nothing left.
    assert supply["runs_out_on"] == (today_in() + timedelta(days=10)).isoformat()


def test_reminders_name_each_doses_own_amount(patient, course, app):
    with app.app_context():
        row = db.session.get(Course, course["id"])
        reminder_service.rematerialise_course(row, datetime.now().astimezone())
        db.session.commit()
        occurrences = db.session.scalars(
            db.select(ReminderOccurrence).where(ReminderOccurrence.kind == "dose")  # the only course
        ).all()
    assert occurrences
    by_slot = {o.data["slot"]: o.data for o in occurrences}
    assert by_slot[1]["mg"] == 40 and by_slot[2]["mg"] == 20
    assert texts.render("dose", by_slot[1])[0] == "Time for capsule 1 of 2 (40 mg)"
    assert texts.render("dose", by_slot[2])[0] == "Time for capsule 2 of 2 (20 mg)"


def test_a_later_plan_change_keeps_the_earlier_per_dose_segment(patient, course):
    change = {"from_date": today_in().isoformat(), "daily_mg": 40, "doses_per_day": 1}
    change["dose_times"] = ["08:00"]
    response = patient.patch(f"{API}/courses/{course['id']}", json={"dose_plan_change": change})
    assert response.status_code == 200, response.get_json()
    first, second = response.get_json()["dose_plan"]
    assert first["doses"] == [{"time": "08:00", "mg": 40.0}, {"time": "20:00", "mg": 20.0}]
    assert "doses" not in second and second["daily_mg"] == 40
