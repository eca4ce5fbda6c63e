"""Per-patient caps and the smaller holes of issue 9: dose-id oracle, last device, 405 Allow, offsets."""

from __future__ import annotations

import re

import pytest

from backend.models import (
    Appointment,
    CalendarFeed,
    Course,
    CoursePause,
    DeviceToken,
    DoseLog,
    LinkCode,
    ReminderOccurrence,
    ReminderRule,
    SupplyPickup,
)
from tests.api.apihelp import API, assert_error, count_rows, course_from, days_ago, dose_body, new_uuid
from tests.conftest import course_body


@pytest.fixture
def small_caps(app, monkeypatch):
    for name in (
        "MAX_COURSES_PER_PATIENT",
        "MAX_APPOINTMENTS_PER_PATIENT",
        "MAX_DEVICES_PER_PATIENT",
        "MAX_CALENDAR_FEEDS_PER_PATIENT",
        "MAX_PICKUPS_PER_PATIENT",
        "MAX_LINK_CODES_PER_PATIENT",
    ):
        monkeypatch.setitem(app.config, name, 3)


def test_calendar_feeds_per_patient_are_capped(app, make_patient, small_caps):
    patient, other = make_patient(), make_patient()
    first, second = patient.create_course(), patient.create_course()
    for course in (first, first, second):
        response = patient.post(f"{API}/calendar-feeds", json={"course_id": course["id"]})
        assert response.status_code == 201, response.get_json()
    over = patient.post(f"{API}/calendar-feeds", json={"course_id": second["id"]})
    assert "3 calendar feeds" in assert_error(over, 409)["message"]
    with app.app_context():
        assert count_rows(CalendarFeed) == 3
    theirs = other.create_course()
    assert other.post(f"{API}/calendar-feeds", json={"course_id": theirs["id"]}).status_code == 201
    feed = patient.get(f"{API}/calendar-feeds").get_json()[0]
    assert patient.delete(f"{API}/calendar-feeds/{feed['id']}").status_code == 204
    assert patient.post(f"{API}/calendar-feeds", json={"course_id": first["id"]}).status_code == 201


def test_pickups_per_patient_are_capped_over_all_courses(app, patient, small_caps):
    first, second = (
        patient.create_course(**course_from(days_ago(20))),
        patient.create_course(**course_from(days_ago(10))),
    )
    body = {"picked_up_on": days_ago(5).isoformat(), "capsules": 30, "strength_mg": 20}
    for course in (first, first, second):
        response = patient.post(f"{API}/courses/{course['id']}/supply/pickups", json=body)
        assert response.status_code == 201, response.get_json()
    over = patient.post(f"{API}/courses/{second['id']}/supply/pickups", json=body)
    assert "3 pick-ups" in assert_error(over, 409)["message"]
    with app.app_context():
        assert count_rows(SupplyPickup) == 3


def test_unused_link_codes_per_patient_are_capped(app, client, patient, small_caps):
    codes = [_link(patient) for _ in range(3)]
    over = patient.post(f"{API}/link-codes", json={})
    assert "3 unused link codes" in assert_error(over, 409)["message"]
    with app.app_context():
        assert count_rows(LinkCode) == 3
    assert client.post(f"{API}/devices", json={"code": codes[0]}).status_code == 201  # one is used up
    assert patient.post(f"{API}/link-codes", json={}).status_code == 201


def test_deleting_a_course_removes_it_with_everything_of_it_and_frees_the_cap(app, patient, small_caps):
    kept = patient.create_course(**course_from(days_ago(20)))
    doomed = patient.create_course(**course_from(days_ago(20)))
    patient.create_course()
    assert "delete one" in assert_error(patient.post(f"{API}/courses", json=course_body()), 409)["message"]
    doomed_id = doomed["id"]
    day = days_ago(2).isoformat()
    assert (
        patient.put(f"{API}/courses/{doomed_id}/doses/{new_uuid()}", json=dose_body(day)).status_code == 201
    )
    appointment = {"kind": "blood_test", "starts_at": "2026-03-02T09:30"}
    assert patient.post(f"{API}/courses/{doomed_id}/appointments", json=appointment).status_code == 201
    pickup = {"picked_up_on": day, "capsules": 30, "strength_mg": 20}
    assert patient.post(f"{API}/courses/{doomed_id}/supply/pickups", json=pickup).status_code == 201
    assert patient.post(f"{API}/calendar-feeds", json={"course_id": doomed_id}).status_code == 201
    pause = {"id": new_uuid(), "started_on": day, "reason": "hives"}
    assert patient.post(f"{API}/courses/{doomed_id}/pauses", json=pause).status_code == 201
    with app.app_context():
        rules_before = count_rows(ReminderRule, ReminderRule.course_id == kept["id"])
        doomed_rules = [r.id for r in ReminderRule.query.filter_by(course_id=doomed_id)]
        assert doomed_rules
        assert count_rows(ReminderOccurrence, ReminderOccurrence.rule_id.in_(doomed_rules)) > 0

    assert patient.delete(f"{API}/courses/{doomed_id}").status_code == 204
    assert_error(patient.get(f"{API}/courses/{doomed_id}"), 404)
    assert_error(patient.delete(f"{API}/courses/{doomed_id}"), 404)
    with app.app_context():
        for model in (DoseLog, Appointment, SupplyPickup, CalendarFeed, CoursePause, ReminderRule):
            assert count_rows(model, model.course_id == doomed_id) == 0, model.__name__
        assert count_rows(ReminderOccurrence, ReminderOccurrence.rule_id.in_(doomed_rules)) == 0
        assert count_rows(ReminderRule, ReminderRule.course_id == kept["id"]) == rules_before
    assert patient.post(f"{API}/courses", json=course_body()).status_code == 201  # the place is free


def test_another_patients_course_cannot_be_deleted(app, make_patient):
    patient, other = make_patient(), make_patient()
    course = patient.create_course()
    assert_error(other.delete(f"{API}/courses/{course['id']}"), 404)
    with app.app_context():
        assert count_rows(Course) == 1


def test_courses_per_patient_are_capped(app, make_patient, small_caps):
    patient, other = make_patient(), make_patient()
    for _ in range(3):
        patient.create_course()
    response = patient.post(f"{API}/courses", json=course_body())
    assert "3 courses" in assert_error(response, 409)["message"]
    other.create_course()  # the cap is per patient
    with app.app_context():
        assert count_rows(Course) == 4


def test_appointments_per_patient_are_capped_over_all_courses(app, patient, small_caps):
    first, second = patient.create_course(), patient.create_course()
    body = {"kind": "blood_test", "starts_at": "2026-03-02T09:30"}
    for course in (first, first, second):
        assert patient.post(f"{API}/courses/{course['id']}/appointments", json=body).status_code == 201
    over = patient.post(f"{API}/courses/{second['id']}/appointments", json=body)
    assert "3 appointments" in assert_error(over, 409)["message"]
    with app.app_context():
        assert count_rows(Appointment) == 3


def _link(patient) -> str:
    return patient.post(f"{API}/link-codes", json={}).get_json()["code"]


def test_devices_per_patient_are_capped_and_the_code_is_kept(app, client, patient, small_caps):
    for _ in range(2):
        assert client.post(f"{API}/devices", json={"code": _link(patient)}).status_code == 201
    code = _link(patient)
    assert "3 devices" in assert_error(client.post(f"{API}/devices", json={"code": code}), 409)["message"]
    devices = patient.get(f"{API}/devices").get_json()
    spare = next(d for d in devices if not d["current"])
    assert patient.delete(f"{API}/devices/{spare['id']}").status_code == 204
    assert client.post(f"{API}/devices", json={"code": code}).status_code == 201  # not spent by the 409


def test_the_last_device_cannot_be_removed(app, client, patient):
    response = patient.delete(f"{API}/devices/{patient.device_id}")
    assert "erase everything" in assert_error(response, 409)["message"]
    assert patient.get(f"{API}/devices").status_code == 200
    second = client.post(f"{API}/devices", json={"code": _link(patient)}).get_json()
    assert patient.delete(f"{API}/devices/{patient.device_id}").status_code == 204
    other = {"Authorization": f"Bearer {second['token']}"}
    assert_error(client.delete(f"{API}/devices/{second['id']}", headers=other), 409)
    with app.app_context():
        assert count_rows(DeviceToken) == 1


def test_another_patients_dose_id_is_the_same_404_as_a_missing_dose(make_patient, app):
    alice, bob = make_patient(), make_patient()
    alice_course = alice.create_course(**course_from(days_ago(10)))
    bob_course = bob.create_course(**course_from(days_ago(10)))
    dose_id = new_uuid()
    bob_url = f"{API}/courses/{bob_course['id']}/doses/{dose_id}"
    assert bob.put(bob_url, json=dose_body(days_ago(2))).status_code == 201
    alice_url = f"{API}/courses/{alice_course['id']}/doses/{dose_id}"
    taken = assert_error(alice.put(alice_url, json=dose_body(days_ago(2))), 404)
    missing = assert_error(alice.get(f"{API}/courses/{alice_course['id']}/doses/{new_uuid()}"), 404)
    assert taken == missing and "existing_id" not in taken
    with app.app_context():
        assert count_rows(DoseLog) == 1


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/v1/courses", {"GET", "POST"}),
        ("PUT", "/api/v1/patients", {"POST"}),
        ("POST", "/healthz", {"GET"}),
        ("DELETE", "/api/v1/reminders/settings", {"GET", "PUT"}),
    ],
)
def test_405_names_the_allowed_methods(client, method, path, allowed):
    response = client.open(path, method=method, json={})
    assert_error(response, 405)
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= allowed


OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


def test_appointments_return_their_instant_with_an_offset(patient):
    course = patient.create_course(timezone="Europe/Berlin")
    created = patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": "blood_test", "starts_at": "2026-07-02T09:30"},
    ).get_json()
    assert created["starts_at"] == "2026-07-02T09:30:00"
    assert created["starts_at_zoned"] == "2026-07-02T09:30:00+02:00"
    for key in ("created_at", "updated_at", "starts_at_zoned"):
        assert OFFSET.search(created[key]), (key, created[key])


def test_the_spec_states_ranges_and_formats(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert schemas["DosePut"]["properties"]["taken_at"]["description"].endswith("2000-01-01 to 2100-01-01")
    segment = schemas["DoseSegment"]["properties"]
    assert segment["dose_times"]["items"]["pattern"] == r"^([01]\d|2[0-3]):([0-5]\d)$"
    assert schemas["ReminderSettings"]["properties"]["quiet_start"]["pattern"]
    assert "format" not in schemas["CourseAppointment"]["properties"]["starts_at"]
    upcoming = spec["paths"]["/api/v1/reminders/upcoming"]["get"]["parameters"]
    assert all("2000-01-01" in p["description"] for p in upcoming if p["name"] in {"from", "to"})


def test_a_cap_and_a_missing_row_are_said_in_the_patients_language(app, patient, small_caps):
    patient.patch(f"{API}/me", json={"language": "de"})
    course = patient.create_course()
    for _ in range(3):
        assert patient.post(f"{API}/calendar-feeds", json={"course_id": course["id"]}).status_code == 201
    over = patient.post(f"{API}/calendar-feeds", json={"course_id": course["id"]})
    assert assert_error(over, 409)["message"] == (
        "Höchstens 3 Kalender pro Konto; lösche zuerst einen, den du nicht mehr brauchst."
    )
    patient.patch(f"{API}/me", json={"language": "es"})
    missing = patient.delete(f"{API}/courses/{course['id']}/supply/pickups/{new_uuid()}")
    assert assert_error(missing, 404)["message"] == "No existe esa recogida."
