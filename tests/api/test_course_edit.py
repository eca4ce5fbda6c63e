"""Editing a course later (issue 7, item 5): weight in kg or lb, start date with confirmation far from today,
a dose-plan change from a date, product/programme/prevention; every change recomputes views and reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from backend.extensions import db
from backend.models import Course
from tests.api.apihelp import (
    API,
    assert_error,
    bad_fields,
    course_from,
    days_ago,
    dose_body,
    new_uuid,
    today_in,
)
from tests.conftest import course_body


def url(course: dict) -> str:
    return f"{API}/courses/{course['id']}"


def stored(app, course_id: str) -> Course:
    with app.app_context():
        course = db.session.get(Course, course_id)
        db.session.expunge(course)
        return course


@pytest.fixture
def course(patient) -> dict:
    return patient.create_course(**course_from(days_ago(20)))


def kinds(patient) -> set[str]:
    return {r["kind"] for r in patient.get(f"{API}/reminders").get_json()}


# ------------------------------------------------------------------ weight in kg or lb


def test_onboarding_accepts_pounds_and_stores_kilograms(patient, app):
    body = course_body(**course_from(days_ago(3)), weight=154, weight_unit="lb")
    del body["weight_kg"]
    response = patient.post(f"{API}/courses", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["weight_kg"] == pytest.approx(69.85)
    assert stored(app, response.get_json()["id"]).weight_kg == pytest.approx(69.85)


def test_onboarding_without_any_weight_names_weight_kg(patient):
    body = course_body(**course_from(days_ago(3)))
    del body["weight_kg"]
    assert "weight_kg" in bad_fields(patient.post(f"{API}/courses", json=body))


def test_patch_weight_in_pounds_recomputes_the_target(patient, course, app):
    before = patient.get(f"{url(course)}/today").get_json()["target_mg"]
    response = patient.patch(url(course), json={"weight": 176, "weight_unit": "lb"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["weight_kg"] == pytest.approx(79.83)
    after = patient.get(f"{url(course)}/today").get_json()["target_mg"]
    assert before == pytest.approx(70 * 120)
    assert after == pytest.approx(79.83 * 120)


@pytest.mark.parametrize(
    ("body", "field", "range_text"),
    [
        ({"weight": 800, "weight_unit": "lb"}, "weight", "between 44 and 771 lb"),
        ({"weight": 30, "weight_unit": "lb"}, "weight", "between 44 and 771 lb"),
        ({"weight": 400, "weight_unit": "kg"}, "weight", "between 20 and 350 kg"),
        ({"weight_kg": 400}, "weight_kg", "between 20 and 350 kg"),
    ],
)
def test_weight_out_of_range_names_the_range_in_the_unit_chosen(
    patient, course, app, body, field, range_text
):
    response = patient.patch(url(course), json=body)
    assert field in bad_fields(response)
    assert range_text in response.get_json()["errors"]["json"][field][0]
    assert stored(app, course["id"]).weight_kg == 70


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weight": 154}, "weight_unit"),
        ({"weight_unit": "lb"}, "weight"),
        ({"weight": 154, "weight_unit": "stone"}, "weight_unit"),
        ({"weight": 154, "weight_unit": "lb", "weight_kg": 70}, "weight"),
        ({"weight": "154", "weight_unit": "lb"}, "weight"),
    ],
)
def test_incomplete_or_double_weight_is_422_naming_the_field(patient, course, body, field):
    assert field in bad_fields(patient.patch(url(course), json=body))


# ------------------------------------------------------------------ start date


def test_moving_the_start_recomputes_the_day_of_the_course(patient, course, app):
    assert patient.get(f"{url(course)}/today").get_json()["day_of_course"] == 21
    response = patient.patch(url(course), json={"start_date": days_ago(5).isoformat()})
    assert response.status_code == 200, response.get_json()
    assert patient.get(f"{url(course)}/today").get_json()["day_of_course"] == 6
    assert stored(app, course["id"]).start_date == days_ago(5)


def test_a_start_more_than_a_year_back_needs_confirmation(patient, course, app):
    start = days_ago(400).isoformat()
    plan = [{"from_date": start, "daily_mg": 40, "doses_per_day": 2, "dose_times": ["08:00", "20:00"]}]
    refused = patient.patch(url(course), json={"start_date": start, "dose_plan": plan})
    assert "start_date" in bad_fields(refused)
    assert "confirm_start_date" in refused.get_json()["errors"]["json"]["start_date"][0]
    assert stored(app, course["id"]).start_date == days_ago(20)
    accepted = patient.patch(
        url(course), json={"start_date": start, "dose_plan": plan, "confirm_start_date": True}
    )
    assert accepted.status_code == 200, accepted.get_json()
    assert stored(app, course["id"]).start_date == days_ago(400)
    assert patient.get(f"{url(course)}/today").get_json()["day_of_course"] == 401


def test_a_start_more_than_60_days_ahead_needs_confirmation(patient, course, app):
    ahead = (today_in() + timedelta(days=61)).isoformat()
    assert "start_date" in bad_fields(patient.patch(url(course), json={"start_date": ahead}))
    within = (today_in() + timedelta(days=60)).isoformat()
    assert patient.patch(url(course), json={"start_date": within}).status_code == 200
    assert patient.get(f"{url(course)}/today").get_json()["status"] == "not_started"
    assert (
        patient.patch(url(course), json={"start_date": ahead, "confirm_start_date": True}).status_code == 200
    )
    assert stored(app, course["id"]).start_date == today_in() + timedelta(days=61)


def test_a_start_after_logged_doses_is_refused(patient, course, app):
    dose = patient.put(f"{url(course)}/doses/{new_uuid()}", json=dose_body(days_ago(15)))
    assert dose.status_code == 201
    response = patient.patch(url(course), json={"start_date": days_ago(10).isoformat()})
    assert "start_date" in bad_fields(response)
    assert "1 logged dose" in response.get_json()["errors"]["json"]["start_date"][0]
    assert stored(app, course["id"]).start_date == days_ago(20)


def test_confirm_flag_must_be_a_boolean(patient, course):
    assert "confirm_start_date" in bad_fields(patient.patch(url(course), json={"confirm_start_date": "yes"}))


# ------------------------------------------------------------------ dose plan changed from a date


def test_a_plan_change_from_tomorrow_keeps_the_past_and_moves_the_reminders(patient, course, app):
    tomorrow = today_in() + timedelta(days=1)
    change = {"from_date": tomorrow.isoformat(), "daily_mg": 60, "doses_per_day": 1, "dose_times": ["09:30"]}
    response = patient.patch(url(course), json={"dose_plan_change": change})
    assert response.status_code == 200, response.get_json()
    plan = response.get_json()["dose_plan"]
    assert [s["from_date"] for s in plan] == [days_ago(20).isoformat(), tomorrow.isoformat()]
    assert plan[0]["daily_mg"] == 40 and plan[1]["daily_mg"] == 60 and plan[1]["dose_times"] == ["09:30"]

    today_doses = patient.get(f"{url(course)}/today").get_json()["doses"]
    assert [d["time"] for d in today_doses] == ["08:00", "20:00"]
    later = patient.get(f"{url(course)}/today?date={tomorrow.isoformat()}").get_json()["doses"]
    assert [(d["time"], d["mg"]) for d in later] == [("09:30", 60)]

    upcoming = patient.get(f"{API}/reminders/upcoming").get_json()
    dose_times = {
        (
            datetime.fromisoformat(o["local_time"]).date(),
            datetime.fromisoformat(o["local_time"]).strftime("%H:%M"),
        )
        for o in upcoming
        if o["kind"] == "dose"
    }
    assert dose_times, upcoming
    assert all(t == "09:30" for day, t in dose_times if day >= tomorrow)
    assert (tomorrow, "09:30") in dose_times


def test_a_second_change_replaces_segments_from_its_date(patient, course):
    first = today_in() + timedelta(days=5)
    second = today_in() + timedelta(days=2)
    seg = {"daily_mg": 60, "doses_per_day": 1, "dose_times": ["09:30"]}
    assert (
        patient.patch(
            url(course), json={"dose_plan_change": {"from_date": first.isoformat(), **seg}}
        ).status_code
        == 200
    )
    body = patient.patch(
        url(course), json={"dose_plan_change": {"from_date": second.isoformat(), **seg, "daily_mg": 20}}
    ).get_json()
    assert [(s["from_date"], s["daily_mg"]) for s in body["dose_plan"]] == [
        (days_ago(20).isoformat(), 40),
        (second.isoformat(), 20),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {
                "dose_plan_change": {
                    "from_date": "2000-01-02",
                    "daily_mg": 40,
                    "doses_per_day": 1,
                    "dose_times": ["08:00"],
                }
            },
            "dose_plan_change.from_date",
        ),
        (
            {"dose_plan_change": {"from_date": str(date.today()), "daily_mg": 40}},
            "dose_plan_change.doses_per_day",
        ),
        (
            {
                "dose_plan_change": {
                    "from_date": str(date.today()),
                    "daily_mg": 400,
                    "doses_per_day": 1,
                    "dose_times": ["08:00"],
                }
            },
            "dose_plan_change.daily_mg",
        ),
    ],
)
def test_bad_plan_changes_are_422_naming_the_field(patient, course, app, change, field):
    assert field in bad_fields(patient.patch(url(course), json=change))
    assert len(stored(app, course["id"]).dose_plan) == 1


def test_plan_and_plan_change_together_are_refused(patient, course):
    seg = {"from_date": days_ago(20).isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}
    assert "dose_plan_change" in bad_fields(
        patient.patch(url(course), json={"dose_plan": [seg], "dose_plan_change": seg})
    )


# ------------------------------------------------------------------ product, programme, prevention, target


def test_a_programme_change_recomputes_the_reminder_rules(patient, course, app):
    assert {"final_pregnancy_test", "contraception_end"} <= kinds(patient)
    assert "pickup_window" not in kinds(patient)
    response = patient.patch(url(course), json={"programme": "us_ipledge"})
    assert response.status_code == 200
    assert response.get_json()["programme"] == "us_ipledge"
    assert "pickup_window" in kinds(patient)
    assert stored(app, course["id"]).programme == "us_ipledge"


def test_pregnancy_prevention_can_be_turned_off_and_on(patient, course, app):
    assert patient.patch(url(course), json={"pregnancy_prevention": False}).status_code == 200
    assert stored(app, course["id"]).pregnancy_prevention is False
    assert patient.patch(url(course), json={"pregnancy_prevention": True}).status_code == 200
    assert stored(app, course["id"]).pregnancy_prevention is True
    assert "pregnancy_prevention" in bad_fields(
        patient.patch(url(course), json={"pregnancy_prevention": None})
    )


def test_product_and_target_changes_show_in_today(patient, course):
    before = patient.get(f"{url(course)}/today")
    assert before.get_json()["with_food"] is True
    response = patient.patch(url(course), json={"product": "food_independent", "target_mg_per_kg": 150})
    assert response.status_code == 200
    after = patient.get(f"{url(course)}/today", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["with_food"] is False
    assert after.get_json()["target_mg"] == pytest.approx(70 * 150)


def test_bad_product_or_programme_is_422(patient, course):
    assert "product" in bad_fields(patient.patch(url(course), json={"product": "generic"}))
    assert "programme" in bad_fields(patient.patch(url(course), json={"programme": "uk"}))


def test_another_patients_course_cannot_be_edited(make_patient, course):
    assert_error(make_patient().patch(url(course), json={"weight": 150, "weight_unit": "lb"}), 404)
