"""Weight history (issue 14): each weight kept with its date; mg/kg counted by the start weight unless the
prescriber re-based the plan on a later one. GET, the views and the export all show it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.course.weights import WeightPoint, basis, start_and_latest
from backend.extensions import db
from backend.models import WeightRecord
from tests.api.apihelp import API, bad_fields, course_from, days_ago, dose_body, new_uuid, today_in


def test_basis_is_the_start_weight_unless_a_later_one_is_rebased():
    d = today_in()
    start, later = WeightPoint(d - timedelta(days=40), 70), WeightPoint(d - timedelta(days=10), 80)
    assert basis([later, start]) == (start, "start")
    rebased = WeightPoint(d - timedelta(days=5), 82, rebased=True)
    assert basis([start, later, rebased, WeightPoint(d, 85)]) == (rebased, "rebased")
    assert start_and_latest([later, start]) == (start, later)
    assert basis([]) is None and start_and_latest([]) is None


@pytest.fixture
def course(patient, app) -> dict:
    """70 kg at the start 20 days ago (the record moved back to the start, as if entered then)."""
    course = patient.create_course(**course_from(days_ago(20), weight_kg=70, target_mg_per_kg=120))
    with app.app_context():
        record = db.session.scalars(db.select(WeightRecord)).one()
        record.recorded_on = days_ago(20)
        db.session.commit()
    for n in range(20, 0, -1):
        for slot in (1, 2):
            url = f"{API}/courses/{course['id']}/doses/{new_uuid()}"
            assert patient.put(url, json=dose_body(days_ago(n), slot, "taken", 20)).status_code == 201
    return course


def view(patient, course: dict, name: str = "today") -> dict:
    return patient.get(f"{API}/courses/{course['id']}/{name}").get_json()


def test_a_new_weight_is_kept_and_does_not_rewrite_the_courses_mg_per_kg(patient, course):
    """800 mg taken: 800 / 70 = 11.4 mg/kg by the start weight, whatever the scale says today."""
    assert view(patient, course)["cumulative_mg_per_kg"] == round(800 / 70, 1) == 11.4
    response = patient.patch(f"{API}/courses/{course['id']}", json={"weight": 176.37, "weight_unit": "lb"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["weight_kg"] == 80
    assert [(w["recorded_on"], w["weight_kg"], w["rebased"]) for w in body["weights"]] == [
        (days_ago(20).isoformat(), 70, False),
        (today_in().isoformat(), 80, False),
    ]
    today = view(patient, course)
    assert today["cumulative_mg_per_kg"] == 11.4 and today["target_mg"] == 8400
    assert today["mg_per_kg_weight"] == {
        "weight_kg": 70,
        "recorded_on": days_ago(20).isoformat(),
        "basis": "start",
    }
    assert view(patient, course, "timeline")["mg_per_kg_weight"]["basis"] == "start"
    exported = patient.file(f"{API}/me/export").get_json()["courses"][0]["weights"]
    assert [w["weight_kg"] for w in exported] == [70, 80]


def test_a_rebased_weight_counts_from_then_on(patient, course):
    response = patient.patch(f"{API}/courses/{course['id']}", json={"weight_kg": 80, "weight_rebased": True})
    assert response.status_code == 200, response.get_json()
    today = view(patient, course)
    assert today["cumulative_mg_per_kg"] == 10 and today["target_mg"] == 9600
    assert today["mg_per_kg_weight"]["basis"] == "rebased" and today["mg_per_kg_weight"]["weight_kg"] == 80


def test_a_second_change_the_same_day_replaces_that_days_weight(patient, course):
    for kg in (80, 81):
        assert patient.patch(f"{API}/courses/{course['id']}", json={"weight_kg": kg}).status_code == 200
    weights = patient.get(f"{API}/courses/{course['id']}").get_json()["weights"]
    assert [w["weight_kg"] for w in weights] == [70, 81]


def test_rebased_must_be_a_boolean(patient, course):
    response = patient.patch(f"{API}/courses/{course['id']}", json={"weight_kg": 80, "weight_rebased": "yes"})
    assert "weight_rebased" in bad_fields(response)
