"""Catching up: POST /courses/{id}/doses/batch (all or nothing, idempotent per id) and PATCH corrections
of a logged dose (issue 7, items 2 and 3)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Course, DoseLog
from tests.api.apihelp import API, assert_error, bad_fields, course_from, days_ago, dose_body, new_uuid

START = 600  # enough past days for 1,000 doses at two a day


@pytest.fixture
def course(patient) -> dict:
    return patient.create_course(**course_from(days_ago(START)))


def batch_url(course: dict) -> str:
    return f"{API}/courses/{course['id']}/doses/batch"


def items(first_day_ago: int, days: int, slots: tuple[int, ...] = (1, 2)) -> list[dict]:
    return [
        {"id": new_uuid(), **dose_body(days_ago(first_day_ago - offset), slot=slot)}
        for offset in range(days)
        for slot in slots
    ]


def put_one(patient, course: dict, dose_id: str, body: dict):
    return patient.put(f"{API}/courses/{course['id']}/doses/{dose_id}", json=body)


def stored(app, course_id: str) -> int:
    with app.app_context():
        query = select(func.count()).select_from(DoseLog).where(DoseLog.course_id == course_id)
        return db.session.scalar(query)


def updated_at(app, course_id: str) -> datetime:
    with app.app_context():
        return db.session.get(Course, course_id).updated_at


def test_one_thousand_doses_in_one_request(patient, course, app):
    doses = items(START, 500)
    assert len(doses) == 1000
    response = patient.post(batch_url(course), json={"doses": doses})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["created"] == 1000 and body["replayed"] == 0
    assert [r["id"] for r in body["results"]] == [d["id"] for d in doses]
    assert {r["outcome"] for r in body["results"]} == {"created"}
    first = body["results"][0]["dose"]
    assert first["date"] == doses[0]["date"] and first["slot"] == 1 and first["course_id"] == course["id"]
    assert stored(app, course["id"]) == 1000

    today = patient.get(f"{API}/courses/{course['id']}/today").get_json()
    assert today["cumulative_mg"] == pytest.approx(1000 * 20)


def test_1001_doses_are_refused_naming_the_field(patient, course, app):
    doses = items(START, 500) + items(START - 500, 1, slots=(1,))
    response = patient.post(batch_url(course), json={"doses": doses})
    assert "doses" in bad_fields(response)
    assert stored(app, course["id"]) == 0


def test_replay_answers_200_replayed_and_writes_nothing(patient, course, app):
    doses = items(20, 5)
    assert patient.post(batch_url(course), json={"doses": doses}).status_code == 200
    version = updated_at(app, course["id"])
    again = patient.post(batch_url(course), json={"doses": doses})
    assert again.status_code == 200
    body = again.get_json()
    assert body["created"] == 0 and body["replayed"] == 10
    assert {r["outcome"] for r in body["results"]} == {"replayed"}
    assert stored(app, course["id"]) == 10
    assert updated_at(app, course["id"]) == version


def test_mixed_outcomes_are_reported_per_item(patient, course, app):
    single_id = new_uuid()
    single = dose_body(days_ago(30), slot=1)
    assert put_one(patient, course, single_id, single).status_code == 201
    doses = [items(31, 1, slots=(1,))[0], {"id": single_id, **single}, items(29, 1, slots=(2,))[0]]
    response = patient.post(batch_url(course), json={"doses": doses})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [r["outcome"] for r in body["results"]] == ["created", "replayed", "created"]
    assert body["created"] == 2 and body["replayed"] == 1
    assert stored(app, course["id"]) == 3


def test_conflict_in_the_middle_writes_nothing_and_names_the_item(patient, course, app):
    existing_id = new_uuid()
    assert put_one(patient, course, existing_id, dose_body(days_ago(50), slot=1)).status_code == 201
    doses = items(60, 10)
    doses[7] = {"id": existing_id, **dose_body(days_ago(50), slot=1, mg=30)}  # same id, other content
    response = patient.post(batch_url(course), json={"doses": doses})
    body = assert_error(response, 409)
    assert body["errors"]["json"]["doses"]["7"]["id"]
    assert "Item 7" in body["message"] and existing_id in body["message"]
    assert body["existing_id"] == existing_id
    assert stored(app, course["id"]) == 1


def test_slot_already_logged_under_another_id_is_a_conflict(patient, course, app):
    other_id = new_uuid()
    day = days_ago(40)
    assert put_one(patient, course, other_id, dose_body(day)).status_code == 201
    doses = [*items(45, 3), {"id": new_uuid(), **dose_body(day, slot=1)}]
    body = assert_error(patient.post(batch_url(course), json={"doses": doses}), 409)
    assert body["errors"]["json"]["doses"]["6"]["slot"]
    assert body["existing_id"] == other_id
    assert stored(app, course["id"]) == 1


def test_the_same_slot_twice_in_one_batch_is_a_conflict(patient, course, app):
    day = days_ago(12)
    doses = [{"id": new_uuid(), **dose_body(day, slot=2)}, {"id": new_uuid(), **dose_body(day, slot=2)}]
    body = assert_error(patient.post(batch_url(course), json={"doses": doses}), 409)
    assert body["errors"]["json"]["doses"]["1"]["slot"]
    assert stored(app, course["id"]) == 0


def test_an_item_that_does_not_fit_the_course_rejects_all(patient, course, app):
    doses = [*items(10, 3), {"id": new_uuid(), **dose_body(days_ago(START + 3))}]
    body = assert_error(patient.post(batch_url(course), json={"doses": doses}), 422)
    assert body["errors"]["json"]["doses"]["6"]["date"]
    assert stored(app, course["id"]) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "not-a-uuid"}, "doses.1.id"),
        ({"slot": 3}, "doses.1.slot"),
        ({"status": "maybe"}, "doses.1.status"),
        ({"mg": -5}, "doses.1.mg"),
        ({"taken_at": None}, "doses.1.taken_at"),
    ],
)
def test_bad_items_get_422_naming_index_and_field(patient, course, app, change, field):
    doses = items(10, 1)
    doses[1] = {**doses[1], **change}
    assert field in bad_fields(patient.post(batch_url(course), json={"doses": doses}))
    assert stored(app, course["id"]) == 0


def test_empty_or_missing_list_is_refused(patient, course):
    assert "doses" in bad_fields(patient.post(batch_url(course), json={"doses": []}))
    assert "doses" in bad_fields(patient.post(batch_url(course), json={}))


def test_another_patients_course_is_404(make_patient, course):
    stranger = make_patient()
    assert_error(stranger.post(batch_url(course), json={"doses": items(10, 1)}), 404)


# ------------------------------------------------------------------ PATCH corrections


def _logged(patient, course, day_ago: int = 3, **extra) -> tuple[str, dict]:
    dose_id = new_uuid()
    response = put_one(patient, course, dose_id, dose_body(days_ago(day_ago), **extra))
    assert response.status_code == 201
    return f"{API}/courses/{course['id']}/doses/{dose_id}", response.get_json()


def test_patch_corrects_when_the_dose_was_taken(patient, course, app):
    url, dose = _logged(patient, course)
    version = updated_at(app, course["id"])
    when = f"{dose['date']}T08:00:00+01:00"
    response = patient.patch(url, json={"taken_at": when})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert datetime.fromisoformat(body["taken_at"]) == datetime.fromisoformat(when)
    assert body["status"] == "taken" and body["mg"] == dose["mg"] and body["id"] == dose["id"]
    assert patient.get(url).get_json()["taken_at"] == body["taken_at"]
    assert updated_at(app, course["id"]) > version


def test_patch_to_skipped_clears_taken_at_and_counts_in_progress(patient, course):
    url, _ = _logged(patient, course, mg=40)
    before = patient.get(f"{API}/courses/{course['id']}/today").get_json()["cumulative_mg"]
    body = patient.patch(url, json={"status": "skipped"}).get_json()
    assert body["status"] == "skipped" and body["taken_at"] is None
    after = patient.get(f"{API}/courses/{course['id']}/today").get_json()["cumulative_mg"]
    assert after == pytest.approx(before - 40)


def test_patch_mg(patient, course):
    url, _ = _logged(patient, course)
    assert patient.patch(url, json={"mg": 30}).get_json()["mg"] == 30


def test_patch_skipped_to_taken_needs_a_time(patient, course):
    url, _ = _logged(patient, course, status="skipped")
    assert "taken_at" in bad_fields(patient.patch(url, json={"status": "taken"}))
    when = (datetime.fromisoformat(f"{days_ago(3)}T09:30:00+01:00")).isoformat()
    assert patient.patch(url, json={"status": "taken", "taken_at": when}).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mg": 301}, "mg"),
        ({"mg": "20"}, "mg"),
        ({"status": "lost"}, "status"),
        ({"taken_at": "2026-01-01T08:00:00"}, "taken_at"),  # no offset
        ({"date": "2026-01-01"}, "date"),  # not changeable
        ({"slot": 2}, "slot"),
    ],
)
def test_patch_bad_input_is_422_naming_the_field(patient, course, changes, field):
    url, dose = _logged(patient, course)
    assert field in bad_fields(patient.patch(url, json=changes))
    assert patient.get(url).get_json() == dose


def test_patch_taken_at_on_a_skipped_dose_is_refused(patient, course):
    url, _ = _logged(patient, course, status="skipped")
    when = (datetime.now().astimezone() - timedelta(days=3)).isoformat()
    assert "taken_at" in bad_fields(patient.patch(url, json={"taken_at": when}))


def test_patch_nothing_is_refused(patient, course):
    url, _ = _logged(patient, course)
    assert_error(patient.patch(url, json={}), 422)


def test_patch_unknown_or_foreign_dose_is_404(make_patient, patient, course):
    url, _ = _logged(patient, course)
    assert_error(patient.patch(f"{API}/courses/{course['id']}/doses/{new_uuid()}", json={"mg": 10}), 404)
    stranger = make_patient()
    assert_error(stranger.patch(url, json={"mg": 10}), 404)
