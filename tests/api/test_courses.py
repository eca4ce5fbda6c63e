"""POST/GET/PATCH /courses, input validation and the generic JSON errors (issue 2, §2 and §6)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from backend.extensions import db
from backend.models import Course
from tests.api.apihelp import API, assert_error, bad_fields, new_uuid
from tests.conftest import COURSE_START, course_body


def day(offset: int) -> str:
    """The default course's start day + offset, as the API writes it."""
    return (COURSE_START + timedelta(days=offset)).isoformat()


SEGMENT = {"from_date": day(0), "daily_mg": 40, "doses_per_day": 2, "dose_times": ["08:00", "20:00"]}


def segment(**overrides) -> dict:
    out = {**SEGMENT, **overrides}
    return {k: v for k, v in out.items() if v is not ...}


def stored(app, course_id: str) -> Course:
    with app.app_context():
        course = db.session.get(Course, course_id)
        assert course is not None
        db.session.expunge(course)
        return course


# ------------------------------------------------------------------ create


def test_create_with_daily_mg_two_doses(patient, app):
    response = patient.post(f"{API}/courses", json=course_body())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["start_date"] == day(0)
    assert body["weight_kg"] == 70
    assert body["target_mg_per_kg"] == 120
    assert body["timezone"] == "Europe/Berlin"
    assert body["product"] == "standard"
    assert body["programme"] == "eu_ppp"
    assert body["pregnancy_prevention"] is True
    assert body["ended_on"] is None
    assert body["dose_plan"] == [
        {
            "from_date": day(0),
            "daily_mg": 40.0,
            "cycle_mg": None,
            "doses_per_day": 2,
            "dose_times": ["08:00", "20:00"],
        }
    ]
    course = stored(app, body["id"])
    assert course.patient_id == patient.id
    assert course.weight_kg == 70 and course.target_mg_per_kg == 120
    assert course.dose_plan[0]["daily_mg"] == 40
    assert course.dose_plan[0]["dose_times"] == ["08:00", "20:00"]


def test_create_with_cycle_mg(patient, app):
    body = patient.create_course(
        dose_plan=[segment(daily_mg=..., cycle_mg=[40, 80], doses_per_day=1, dose_times=["09:30"])],
        product="food_independent",
        programme="us_ipledge",
    )
    assert body["dose_plan"][0]["cycle_mg"] == [40, 80]
    assert body["dose_plan"][0]["daily_mg"] is None
    assert body["product"] == "food_independent" and body["programme"] == "us_ipledge"
    course = stored(app, body["id"])
    assert course.dose_plan[0]["cycle_mg"] == [40, 80]
    assert course.dose_plan[0]["dose_times"] == ["09:30"]


def test_create_low_dose_course_without_target(patient, app):
    body = patient.create_course(
        target_mg_per_kg=None,
        programme="none",
        pregnancy_prevention=False,
        dose_plan=[segment(daily_mg=20, doses_per_day=1, dose_times=["08:00"])],
    )
    assert body["target_mg_per_kg"] is None
    assert body["pregnancy_prevention"] is False
    assert stored(app, body["id"]).target_mg_per_kg is None


def test_target_defaults_to_120(patient):
    payload = course_body()
    del payload["target_mg_per_kg"]
    response = patient.post(f"{API}/courses", json=payload)
    assert response.status_code == 201
    assert response.get_json()["target_mg_per_kg"] == 120


def test_create_with_several_segments_and_ended_on(patient, app):
    body = patient.create_course(
        dose_plan=[
            segment(from_date=day(27), daily_mg=60),
            segment(),  # out of order on purpose: stored sorted
        ],
        ended_on=day(176),
    )
    assert [s["from_date"] for s in body["dose_plan"]] == [day(0), day(27)]
    assert body["ended_on"] == day(176)
    assert str(stored(app, body["id"]).ended_on) == day(176)


def test_list_and_get_courses(patient):
    assert patient.get(f"{API}/courses").get_json() == []
    first = patient.create_course()
    second = patient.create_course(start_date=day(55), dose_plan=[segment(from_date=day(55))])
    listed = patient.get(f"{API}/courses")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.get_json()] == [first["id"], second["id"]]
    one = patient.get(f"{API}/courses/{second['id']}")
    assert one.status_code == 200
    assert one.get_json() == second


# ------------------------------------------------------------------ patch


def test_patch_weight_target_ended_on_timezone(patient, app):
    course = patient.create_course()
    url = f"{API}/courses/{course['id']}"

    r = patient.patch(url, json={"weight_kg": 72.5})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["weight_kg"] == 72.5
    assert r.get_json()["target_mg_per_kg"] == 120  # untouched: no default applied on PATCH
    assert stored(app, course["id"]).weight_kg == 72.5

    r = patient.patch(url, json={"target_mg_per_kg": 150})
    assert r.status_code == 200 and r.get_json()["target_mg_per_kg"] == 150
    assert stored(app, course["id"]).target_mg_per_kg == 150

    r = patient.patch(url, json={"target_mg_per_kg": None})
    assert r.status_code == 200 and r.get_json()["target_mg_per_kg"] is None
    assert stored(app, course["id"]).target_mg_per_kg is None

    r = patient.patch(url, json={"ended_on": day(177)})
    assert r.status_code == 200 and r.get_json()["ended_on"] == day(177)
    assert str(stored(app, course["id"]).ended_on) == day(177)

    r = patient.patch(url, json={"timezone": "America/New_York"})
    assert r.status_code == 200 and r.get_json()["timezone"] == "America/New_York"
    after = stored(app, course["id"])
    assert after.timezone == "America/New_York"
    assert after.weight_kg == 72.5 and str(after.ended_on) == day(177)

    r = patient.patch(url, json={"ended_on": None})
    assert r.status_code == 200 and r.get_json()["ended_on"] is None
    assert stored(app, course["id"]).ended_on is None


def test_patch_dose_plan_mid_course_change(patient, app):
    course = patient.create_course()
    new_plan = [
        segment(),
        segment(from_date=day(55), daily_mg=..., cycle_mg=[40, 80], doses_per_day=1, dose_times=["19:00"]),
    ]
    r = patient.patch(f"{API}/courses/{course['id']}", json={"dose_plan": new_plan})
    assert r.status_code == 200, r.get_json()
    plan = r.get_json()["dose_plan"]
    assert [s["from_date"] for s in plan] == [day(0), day(55)]
    assert plan[1]["cycle_mg"] == [40, 80] and plan[1]["dose_times"] == ["19:00"]
    assert stored(app, course["id"]).dose_plan == plan
    assert patient.get(f"{API}/courses/{course['id']}").get_json()["dose_plan"] == plan


def test_patch_empty_body_changes_nothing(patient, app):
    course = patient.create_course()
    r = patient.patch(f"{API}/courses/{course['id']}", json={})
    assert r.status_code == 200
    assert {k: v for k, v in r.get_json().items() if k != "updated_at"} == {
        k: v for k, v in course.items() if k != "updated_at"
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weight_kg": -5}, "weight_kg"),
        ({"weight_kg": None}, "weight_kg"),
        ({"weight_kg": "72"}, "weight_kg"),
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"ended_on": day(-5)}, "ended_on"),
        ({"start_date": day(-4)}, "dose_plan"),  # the plan would start after the course
        ({"dose_plan": [segment(from_date=day(27))]}, "dose_plan"),
        ({"dose_plan": []}, "dose_plan"),
        ({"pregnancy_prevention": "no"}, "pregnancy_prevention"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_patch_rejects_bad_changes_and_stores_nothing(patient, app, change, field):
    course = patient.create_course()
    r = patient.patch(f"{API}/courses/{course['id']}", json=change)
    assert field in bad_fields(r)
    after = stored(app, course["id"])
    assert after.weight_kg == 70 and after.timezone == "Europe/Berlin"
    assert str(after.start_date) == day(0) and after.ended_on is None
    assert after.pregnancy_prevention is True
    assert len(after.dose_plan) == 1 and after.dose_plan[0]["from_date"] == day(0)


# ------------------------------------------------------------------ cross-patient and missing


def test_another_patients_course_is_404_exactly_like_a_missing_one(make_patient, app):
    alice, bob = make_patient(), make_patient()
    course = bob.create_course()
    for path in ("", "/doses", f"/today?date={day(5)}", "/timeline"):
        missing = assert_error(alice.get(f"{API}/courses/{new_uuid()}{path}"), 404)
        foreign = assert_error(alice.get(f"{API}/courses/{course['id']}{path}"), 404)
        assert foreign == missing, path

    missing = alice.patch(f"{API}/courses/{new_uuid()}", json={"weight_kg": 99})
    foreign = alice.patch(f"{API}/courses/{course['id']}", json={"weight_kg": 99})
    assert assert_error(foreign, 404) == assert_error(missing, 404)
    assert stored(app, course["id"]).weight_kg == 70
    assert alice.get(f"{API}/courses").get_json() == []
    assert bob.get(f"{API}/courses/{course['id']}").status_code == 200


# ------------------------------------------------------------------ bad input on create


def _plan(**overrides) -> dict:
    return {"dose_plan": [segment(**overrides)]}


BAD_CREATES = [
    ({"weight_kg": "70"}, {"weight_kg"}),
    ({"weight_kg": True}, {"weight_kg"}),
    ({"weight_kg": -70}, {"weight_kg"}),
    ({"weight_kg": 0}, {"weight_kg"}),
    ({"weight_kg": 5000}, {"weight_kg"}),
    ({"target_mg_per_kg": "120"}, {"target_mg_per_kg"}),
    ({"target_mg_per_kg": -1}, {"target_mg_per_kg"}),
    ({"timezone": ["Europe/Berlin"]}, {"timezone"}),
    ({"timezone": "Mars/Olympus_Mons"}, {"timezone"}),
    ({"timezone": "localtime"}, {"timezone"}),
    ({"timezone": " Europe/Berlin"}, {"timezone"}),
    ({"timezone": ""}, {"timezone"}),
    ({"start_date": "2026-13-01"}, {"start_date"}),
    ({"start_date": 20260105}, {"start_date"}),
    ({"product": "gummies"}, {"product"}),
    ({"programme": "uk"}, {"programme"}),
    ({"pregnancy_prevention": "yes"}, {"pregnancy_prevention"}),
    ({"pregnancy_prevention": 1}, {"pregnancy_prevention"}),
    (_plan(daily_mg=True), {"dose_plan.0.daily_mg"}),
    (_plan(daily_mg="40"), {"dose_plan.0.daily_mg"}),
    (_plan(daily_mg=0), {"dose_plan.0.daily_mg"}),
    (_plan(daily_mg=1000), {"dose_plan.0.daily_mg"}),
    (_plan(cycle_mg=[40, 80]), {"dose_plan.0.daily_mg"}),  # both
    (_plan(daily_mg=...), {"dose_plan.0.daily_mg"}),  # neither
    (_plan(daily_mg=..., cycle_mg=[40]), {"dose_plan.0.cycle_mg"}),
    (_plan(daily_mg=..., cycle_mg=[40, "80"]), {"dose_plan.0.cycle_mg"}),
    (_plan(doses_per_day=3, dose_times=["08:00", "14:00", "20:00"]), {"dose_plan.0.doses_per_day"}),
    (_plan(doses_per_day=0), {"dose_plan.0.doses_per_day"}),
    (_plan(doses_per_day="2"), {"dose_plan.0.doses_per_day"}),
    (_plan(doses_per_day=1), {"dose_plan.0.dose_times"}),  # two times for one dose
    (_plan(dose_times=["08:00"]), {"dose_plan.0.dose_times"}),  # one time for two doses
    (_plan(dose_times=["08:00", "25:00"]), {"dose_plan.0.dose_times.1"}),
    (_plan(dose_times=["8am", "20:00"]), {"dose_plan.0.dose_times.0"}),
    (_plan(dose_times=["20:00", "08:00"]), {"dose_plan.0.dose_times"}),
    (_plan(dose_times=["08:00", "08:00"]), {"dose_plan.0.dose_times"}),
    (_plan(from_date=day(1)), {"dose_plan"}),  # plan starts after start_date
    (_plan(from_date="not a date"), {"dose_plan.0.from_date"}),
    ({"dose_plan": [segment(), segment(daily_mg=60)]}, {"dose_plan"}),  # duplicate segment dates
    ({"dose_plan": []}, {"dose_plan"}),
    ({"dose_plan": {"from_date": day(0)}}, {"dose_plan"}),
    ({"ended_on": day(-1)}, {"ended_on"}),
    ({"favourite_colour": "blue"}, {"favourite_colour"}),
]


@pytest.mark.parametrize(
    ("overrides", "fields"), BAD_CREATES, ids=[str(i) for i, _ in enumerate(BAD_CREATES)]
)
def test_bad_course_input_is_422_naming_the_field(patient, app, overrides, fields):
    response = patient.post(f"{API}/courses", json=course_body(**overrides))
    named = bad_fields(response)
    assert fields <= named, (named, response.get_json())
    body = response.get_json()
    for field in fields:
        assert field.split(".")[0] in body["message"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 0


def test_missing_fields_are_each_named(patient):
    named = bad_fields(patient.post(f"{API}/courses", json={}))
    assert {
        "start_date",
        "weight_kg",
        "timezone",
        "product",
        "programme",
        "pregnancy_prevention",
        "dose_plan",
    } <= named


def test_several_bad_fields_are_all_named(patient):
    payload = course_body(
        weight_kg="70",
        timezone="Nowhere/Land",
        extra=1,
        dose_plan=[segment(daily_mg=True, doses_per_day=3, dose_times=["25:00"])],
    )
    named = bad_fields(patient.post(f"{API}/courses", json=payload))
    assert {
        "weight_kg",
        "timezone",
        "extra",
        "dose_plan.0.daily_mg",
        "dose_plan.0.doses_per_day",
        "dose_plan.0.dose_times.0",
    } <= named


def test_nan_weight_is_422(patient):
    text = json.dumps(course_body()).replace('"weight_kg": 70', '"weight_kg": NaN')
    assert "NaN" in text
    response = patient.post(f"{API}/courses", data=text, content_type="application/json")
    assert "weight_kg" in bad_fields(response)


def test_json_array_body_is_422(patient):
    assert_error(patient.post(f"{API}/courses", json=[course_body()]), 422)


# ------------------------------------------------------------------ transport-level errors


def test_malformed_json_is_400(patient, app):
    response = patient.post(
        f"{API}/courses", data='{"start_date": "2026-01-05",', content_type="application/json"
    )
    assert_error(response, 400)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_non_json_content_type_is_415(patient, app, content_type):
    response = patient.post(f"{API}/courses", data=json.dumps(course_body()), content_type=content_type)
    assert_error(response, 415)
    course = patient.create_course()
    patch = patient.patch(
        f"{API}/courses/{course['id']}", data=json.dumps({"weight_kg": 99}), content_type=content_type
    )
    assert_error(patch, 415)
    assert stored(app, course["id"]).weight_kg == 70


def test_oversized_body_is_413(patient, app):
    payload = course_body(notes="x" * (65 * 1024))
    response = patient.post(f"{API}/courses", json=payload)
    assert_error(response, 413)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 0


def test_body_just_under_the_limit_is_read(patient):
    # 60 KB of JSON is parsed (and then rejected for its unknown field, not for its size).
    response = patient.post(f"{API}/courses", json=course_body(notes="x" * (60 * 1024)))
    assert "notes" in bad_fields(response)


def test_wrong_method_is_405_json(patient):
    assert_error(patient.delete(f"{API}/courses"), 405)
    assert_error(patient.put(f"{API}/courses", json=course_body()), 405)
    course = patient.create_course()
    assert_error(patient.post(f"{API}/courses/{course['id']}", json={}), 405)


def test_unknown_api_path_is_404_json(client, patient):
    assert_error(client.get(f"{API}/nothing-here"), 404)
    assert_error(patient.get(f"{API}/courses/{new_uuid()}/nothing"), 404)
    assert_error(patient.get(f"{API}/nothing/deeper/still"), 404)


def test_unauthenticated_create_is_401_even_with_a_bad_body(client, app):
    assert_error(client.post(f"{API}/courses", json={}), 401)
    assert_error(client.post(f"{API}/courses", json=course_body()), 401)
    assert_error(client.patch(f"{API}/courses/{new_uuid()}", json={"weight_kg": "x"}), 401)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 0
