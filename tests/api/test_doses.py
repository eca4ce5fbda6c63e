"""The idempotent dose log: PUT/GET/DELETE /courses/{id}/doses/{uuid} and GET ?from&to (issue 2, §2, §6)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from backend.extensions import db
from backend.models import DoseLog
from tests.api.apihelp import (
    API,
    assert_error,
    bad_fields,
    count_rows,
    course_from,
    days_ago,
    dose_body,
    new_uuid,
    today_in,
)

START = 10  # the course started ten days ago (relative to the real clock, so "future" stays future)


@pytest.fixture
def course(patient) -> dict:
    return patient.create_course(**course_from(days_ago(START)))


def dose_url(course: dict, dose_id: str) -> str:
    return f"{API}/courses/{course['id']}/doses/{dose_id}"


def rows(app, course_id: str | None = None) -> list[DoseLog]:
    with app.app_context():
        query = db.select(DoseLog).order_by(DoseLog.date, DoseLog.slot)
        if course_id:
            query = query.where(DoseLog.course_id == course_id)
        found = list(db.session.scalars(query))
        for row in found:
            db.session.expunge(row)
        return found


# ------------------------------------------------------------------ PUT: create and idempotent replay


def test_put_new_dose_is_201_and_stored(patient, course, app):
    dose_id = new_uuid()
    day = days_ago(START)
    response = patient.put(dose_url(course, dose_id), json=dose_body(day, slot=1, mg=20))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] == dose_id
    assert body["course_id"] == course["id"]
    assert body["date"] == day.isoformat()
    assert body["slot"] == 1 and body["status"] == "taken" and body["mg"] == 20
    assert datetime.fromisoformat(body["taken_at"]) == datetime.fromisoformat(f"{day}T08:05:00+01:00")
    assert datetime.fromisoformat(body["taken_at"]).utcoffset() is not None
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None

    [row] = rows(app)
    assert row.id == dose_id and row.course_id == course["id"]
    assert row.date == day and row.slot == 1 and row.status == "taken" and row.mg == 20
    assert row.taken_at == datetime.fromisoformat(f"{day}T07:05:00+00:00")

    got = patient.get(dose_url(course, dose_id))
    assert got.status_code == 200 and got.get_json() == body


def test_identical_replay_is_200_with_the_same_body_and_one_row(patient, course, app):
    dose_id = new_uuid()
    payload = dose_body(days_ago(3), slot=2)
    first = patient.put(dose_url(course, dose_id), json=payload)
    assert first.status_code == 201
    for _ in range(3):
        again = patient.put(dose_url(course, dose_id), json=payload)
        assert again.status_code == 200
        assert again.get_json() == first.get_json()
    assert len(rows(app)) == 1


def test_replay_with_the_same_instant_in_another_offset_is_identical(patient, course, app):
    dose_id = new_uuid()
    day = days_ago(2)
    first = patient.put(dose_url(course, dose_id), json=dose_body(day, taken_at=f"{day}T08:05:00+01:00"))
    assert first.status_code == 201
    again = patient.put(dose_url(course, dose_id), json=dose_body(day, taken_at=f"{day}T07:05:00Z"))
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert len(rows(app)) == 1


def test_skipped_dose_is_logged_without_taken_at(patient, course, app):
    dose_id = new_uuid()
    response = patient.put(dose_url(course, dose_id), json=dose_body(days_ago(1), status="skipped", mg=0))
    assert response.status_code == 201
    assert response.get_json()["status"] == "skipped"
    assert response.get_json()["taken_at"] is None
    [row] = rows(app)
    assert row.status == "skipped" and row.taken_at is None


@pytest.mark.parametrize(
    "change",
    [
        {"mg": 40},
        {"status": "skipped", "taken_at": None},
        {"slot": 2},
        {"date": str(days_ago(4))},
        {"taken_at": f"{days_ago(3)}T09:00:00+01:00"},
    ],
)
def test_same_uuid_with_different_content_is_409_and_changes_nothing(patient, course, app, change):
    dose_id = new_uuid()
    payload = dose_body(days_ago(3))
    first = patient.put(dose_url(course, dose_id), json=payload)
    assert first.status_code == 201
    conflict = patient.put(dose_url(course, dose_id), json={**payload, **change})
    body = assert_error(conflict, 409)
    assert body["existing_id"] == dose_id
    [row] = rows(app)
    assert row.mg == 20 and row.status == "taken" and row.slot == 1 and row.date == days_ago(3)
    assert patient.get(dose_url(course, dose_id)).get_json() == first.get_json()


def test_same_slot_with_another_uuid_is_409_naming_the_existing_id(patient, course, app):
    first_id, second_id = new_uuid(), new_uuid()
    day = days_ago(2)
    assert patient.put(dose_url(course, first_id), json=dose_body(day, slot=1)).status_code == 201
    conflict = patient.put(dose_url(course, second_id), json=dose_body(day, slot=1, status="skipped", mg=0))
    body = assert_error(conflict, 409)
    assert body["existing_id"] == first_id
    assert [r.id for r in rows(app)] == [first_id]
    assert_error(patient.get(dose_url(course, second_id)), 404)


def test_uuid_of_another_course_is_409(patient, course):
    other = patient.create_course(**course_from(days_ago(START)))
    dose_id = new_uuid()
    payload = dose_body(days_ago(2))
    assert patient.put(dose_url(course, dose_id), json=payload).status_code == 201
    assert_error(patient.put(dose_url(other, dose_id), json=payload), 409)


def test_uuid_is_normalised(patient, course, app):
    dose_id = new_uuid()
    upper = dose_id.upper()
    response = patient.put(dose_url(course, upper), json=dose_body(days_ago(2)))
    assert response.status_code == 201
    assert response.get_json()["id"] == dose_id
    assert patient.put(dose_url(course, dose_id), json=dose_body(days_ago(2))).status_code == 200
    assert len(rows(app)) == 1


# ------------------------------------------------------------------ PUT: validation


@pytest.mark.parametrize("dose_id", ["not-a-uuid", "12345", "g" * 36])
def test_non_uuid_id_is_422(patient, course, app, dose_id):
    response = patient.put(dose_url(course, dose_id), json=dose_body(days_ago(2)))
    assert "dose_id" in bad_fields(response)
    assert rows(app) == []


def test_date_before_start_is_422(patient, course, app):
    response = patient.put(dose_url(course, new_uuid()), json=dose_body(days_ago(START + 1)))
    assert "date" in bad_fields(response)
    assert rows(app) == []


def test_date_after_ended_on_is_422(patient, app):
    course = patient.create_course(**course_from(days_ago(START), ended_on=str(days_ago(3))))
    assert patient.put(dose_url(course, new_uuid()), json=dose_body(days_ago(3))).status_code == 201
    response = patient.put(dose_url(course, new_uuid()), json=dose_body(days_ago(2)))
    assert "date" in bad_fields(response)
    assert len(rows(app)) == 1


def test_date_in_the_future_is_422(patient, course, app):
    future = today_in("Europe/Berlin") + timedelta(days=2)
    response = patient.put(dose_url(course, new_uuid()), json=dose_body(future))
    assert "date" in bad_fields(response)
    far = patient.put(dose_url(course, new_uuid()), json=dose_body(today_in() + timedelta(days=300)))
    assert "date" in bad_fields(far)
    assert rows(app) == []
    # Today itself is fine.
    assert patient.put(dose_url(course, new_uuid()), json=dose_body(today_in())).status_code == 201


def test_slot_two_on_a_once_daily_day_is_422(patient, app):
    start, change = days_ago(START), days_ago(5)
    body = course_from(start)
    body["dose_plan"].append(
        {"from_date": str(change), "daily_mg": 20, "doses_per_day": 1, "dose_times": ["08:00"]}
    )
    course = patient.create_course(**body)
    # Before the change there are two doses a day …
    assert patient.put(dose_url(course, new_uuid()), json=dose_body(days_ago(6), slot=2)).status_code == 201
    # … afterwards only one.
    response = patient.put(dose_url(course, new_uuid()), json=dose_body(days_ago(4), slot=2))
    assert "slot" in bad_fields(response)
    ok = patient.put(dose_url(course, new_uuid()), json=dose_body(days_ago(4), slot=1))
    assert ok.status_code == 201
    assert [(r.date, r.slot) for r in rows(app)] == [(days_ago(6), 2), (days_ago(4), 1)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"taken_at": None}, "taken_at"),  # taken without taken_at
        ({"status": "skipped"}, "taken_at"),  # skipped with taken_at
        ({"taken_at": "2026-01-05T08:00:00"}, "taken_at"),  # no offset
        ({"taken_at": "yesterday"}, "taken_at"),
        ({"status": "maybe"}, "status"),
        ({"slot": 0}, "slot"),
        ({"slot": 3}, "slot"),
        ({"slot": "1"}, "slot"),
        ({"slot": 1.5}, "slot"),
        ({"slot": True}, "slot"),
        ({"mg": "20"}, "mg"),
        ({"mg": -1}, "mg"),
        ({"mg": None}, "mg"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": None}, "date"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_dose_body_is_422_naming_the_field(patient, course, app, change, field):
    payload = {**dose_body(days_ago(2)), **change}
    if "taken_at" in change and change["taken_at"] is None:
        del payload["taken_at"]
    response = patient.put(dose_url(course, new_uuid()), json=payload)
    assert field in bad_fields(response)
    assert rows(app) == []


def test_missing_dose_fields_are_named(patient, course):
    assert {"date", "slot", "status", "mg"} <= bad_fields(patient.put(dose_url(course, new_uuid()), json={}))


# ------------------------------------------------------------------ GET ?from&to


def test_list_doses_with_from_and_to(patient, course):
    ids = {}
    for n in (8, 6, 4, 2):
        for slot in (1, 2):
            dose_id = new_uuid()
            ids[(days_ago(n), slot)] = dose_id
            assert (
                patient.put(dose_url(course, dose_id), json=dose_body(days_ago(n), slot=slot)).status_code
                == 201
            )
    url = f"{API}/courses/{course['id']}/doses"

    everything = patient.get(url)
    assert everything.status_code == 200
    listed = [(d["date"], d["slot"]) for d in everything.get_json()]
    assert listed == sorted((str(day), slot) for day, slot in ids)

    window = patient.get(url, query_string={"from": str(days_ago(6)), "to": str(days_ago(4))}).get_json()
    assert [(d["date"], d["slot"]) for d in window] == [
        (str(days_ago(6)), 1),
        (str(days_ago(6)), 2),
        (str(days_ago(4)), 1),
        (str(days_ago(4)), 2),
    ]
    assert {d["id"] for d in window} == {ids[(days_ago(n), s)] for n in (6, 4) for s in (1, 2)}

    since = patient.get(url, query_string={"from": str(days_ago(3))}).get_json()
    assert {d["date"] for d in since} == {str(days_ago(2))}
    until = patient.get(url, query_string={"to": str(days_ago(8))}).get_json()
    assert {d["date"] for d in until} == {str(days_ago(8))}
    one_day = patient.get(url, query_string={"from": str(days_ago(4)), "to": str(days_ago(4))}).get_json()
    assert len(one_day) == 2
    empty = patient.get(url, query_string={"from": str(days_ago(1)), "to": str(today_in())}).get_json()
    assert empty == []


def test_from_after_to_is_422(patient, course):
    url = f"{API}/courses/{course['id']}/doses"
    response = patient.get(url, query_string={"from": str(days_ago(2)), "to": str(days_ago(4))})
    body = assert_error(response, 422)
    assert "from" in body["errors"]["query"]
    assert "from" in bad_fields(patient.get(url, query_string={"from": "last week"}))
    assert "to" in bad_fields(patient.get(url, query_string={"to": "2026-13-45"}))


# ------------------------------------------------------------------ DELETE


def test_delete_dose_then_404(patient, course, app):
    dose_id = new_uuid()
    payload = dose_body(days_ago(2))
    assert patient.put(dose_url(course, dose_id), json=payload).status_code == 201
    response = patient.delete(dose_url(course, dose_id))
    assert response.status_code == 204
    assert response.get_data() == b""
    assert rows(app) == []
    assert_error(patient.get(dose_url(course, dose_id)), 404)
    assert_error(patient.delete(dose_url(course, dose_id)), 404)
    # The slot is free again: it can be logged anew (correct = delete then log again).
    again = patient.put(dose_url(course, new_uuid()), json={**payload, "status": "skipped", "taken_at": None})
    assert again.status_code == 201
    assert [r.status for r in rows(app)] == ["skipped"]


def test_other_patients_doses_are_404_like_missing_ones(make_patient, app):
    alice, bob = make_patient(), make_patient()
    alice_course = alice.create_course(**course_from(days_ago(START)))
    bob_course = bob.create_course(**course_from(days_ago(START)))
    dose_id = new_uuid()
    assert bob.put(dose_url(bob_course, dose_id), json=dose_body(days_ago(2))).status_code == 201

    missing = assert_error(alice.get(dose_url(alice_course, new_uuid())), 404)
    via_own_course = assert_error(alice.get(dose_url(alice_course, dose_id)), 404)
    assert via_own_course == missing
    # Bob's course under Alice's token: exactly like a course that does not exist.
    missing_course = assert_error(alice.get(dose_url({"id": new_uuid()}, dose_id)), 404)
    assert assert_error(alice.get(dose_url(bob_course, dose_id)), 404) == missing_course
    assert assert_error(alice.delete(dose_url(bob_course, dose_id)), 404) == missing_course
    put = alice.put(dose_url(bob_course, new_uuid()), json=dose_body(days_ago(2), slot=2))
    assert assert_error(put, 404) == missing_course
    assert_error(alice.delete(dose_url(alice_course, dose_id)), 404)
    assert_error(alice.get(f"{API}/courses/{bob_course['id']}/doses"), 404)

    assert [r.id for r in rows(app)] == [dose_id]
    assert bob.get(dose_url(bob_course, dose_id)).status_code == 200


def test_dose_endpoints_need_a_token(client, course):
    assert_error(client.put(dose_url(course, new_uuid()), json=dose_body(days_ago(2))), 401)
    assert_error(client.put(dose_url(course, new_uuid()), json={}), 401)
    assert_error(client.get(f"{API}/courses/{course['id']}/doses"), 401)
    assert_error(client.delete(dose_url(course, new_uuid())), 401)


# ------------------------------------------------------------------ concurrency


def _race(app, patient, requests: list[tuple[str, dict]]) -> list:
    """Send the PUTs at the same moment, each from its own test client in its own thread."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(i: int, url: str, payload: dict) -> None:
        client = app.test_client()
        barrier.wait()
        try:
            results[i] = client.put(url, json=payload, headers=patient.headers)
        except BaseException as exc:  # surfaced by the assertions below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, *req)) for i, req in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


# SQLite: the busy timeout serialises the two writers (WAL, one writer at a time); PostgreSQL: the unique key
# makes the second insert fail and the service answers with the stored row.
@pytest.mark.parametrize("round_", range(5))
def test_concurrent_identical_puts_create_exactly_one_row(app, patient, course, round_):
    dose_id = new_uuid()
    payload = dose_body(days_ago(1 + round_ % 3), slot=1 + round_ % 2)
    results = _race(app, patient, [(dose_url(course, dose_id), payload)] * 2)
    statuses = sorted(r.status_code if not isinstance(r, BaseException) else repr(r) for r in results)
    assert statuses == [200, 201], [
        r.get_data(as_text=True) if hasattr(r, "get_data") else r for r in results
    ]
    assert results[0].get_json() == results[1].get_json()
    with app.app_context():
        assert count_rows(DoseLog, DoseLog.id == dose_id) == 1
        assert count_rows(DoseLog) == 1


def test_concurrent_puts_for_one_slot_with_two_uuids_keep_one(app, patient, course):
    payload = dose_body(days_ago(2))
    first, second = new_uuid(), new_uuid()
    results = _race(app, patient, [(dose_url(course, first), payload), (dose_url(course, second), payload)])
    statuses = sorted(r.status_code for r in results)
    assert statuses == [201, 409], [r.get_data(as_text=True) for r in results]
    winner = next(r for r in results if r.status_code == 201).get_json()["id"]
    loser = next(r for r in results if r.status_code == 409).get_json()
    assert loser["existing_id"] in (winner, None)
    assert [r.id for r in rows(app)] == [winner]


def test_created_at_is_recent_and_aware(patient, course):
    before = datetime.now(UTC) - timedelta(seconds=5)
    body = patient.put(dose_url(course, new_uuid()), json=dose_body(days_ago(2))).get_json()
    created = datetime.fromisoformat(body["created_at"])
    assert before <= created <= datetime.now(UTC) + timedelta(seconds=5)
