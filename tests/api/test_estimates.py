"""Estimates only add words, never remove a reminder or a date (issue 14, item 8; DOSE-13)."""

from __future__ import annotations

from tests.api.apihelp import API, course_from, days_ago, today_in


def test_supply_goes_on_past_the_projected_end_and_says_it_may_be_the_last(patient):
    """70 kg × 10 mg/kg = 700 mg at 40 mg/day: the projection ends in about 17 days, the 1,200 mg picked
    up last 30 days. The run-out day and the next supply stay; the words say it may be the last supply."""
    course = patient.create_course(**course_from(today_in(), weight_kg=70, target_mg_per_kg=10))
    pickup = {"picked_up_on": today_in().isoformat(), "capsules": 60, "strength_mg": 20}
    assert patient.post(f"{API}/courses/{course['id']}/supply/pickups", json=pickup).status_code == 201
    supply = patient.get(f"{API}/courses/{course['id']}/supply").get_json()
    assert supply["runs_out_on"] is not None and supply["next_supply_needed_on"] is not None
    assert supply["may_be_last_supply"] is True and supply["covers_to_last_capsule"] is False


def test_the_final_stretch_says_if_the_prescribers_plan_matches_the_total(patient):
    """A 700 mg total at 40 mg/day from 15 days ago: today is in the final stretch of the plan."""
    course = patient.create_course(**course_from(days_ago(15), weight_kg=70, target_mg_per_kg=10))
    timeline = patient.get(f"{API}/courses/{course['id']}/timeline").get_json()
    stretch = next(p for p in timeline["phases"] if p["key"] == "final_stretch")
    assert "if your prescriber's plan matches your total" in stretch["summary"].lower()
    assert "keep going" not in stretch["summary"].lower() and "finish line" not in stretch["summary"].lower()
