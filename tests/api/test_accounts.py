"""Anonymous accounts, bearer tokens, link codes, devices, export and erasure (issue 2, §2 and §6)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from backend.extensions import db
from backend.models import Course, DeviceToken, DoseLog, LinkCode, Patient
from tests.api.apihelp import (
    API,
    assert_error,
    count_rows,
    course_from,
    days_ago,
    dose_body,
    new_uuid,
    sha256,
)

CODE_RE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ------------------------------------------------------------------ POST /patients and bearer auth


def test_create_patient_returns_id_token_device_and_token_works(client, app):
    response = client.post(f"{API}/patients")
    assert response.status_code == 201
    body = response.get_json()
    assert {"id", "token", "device_id"} <= set(body)
    assert len(body["token"]) >= 32

    listed = client.get(f"{API}/devices", headers=auth(body["token"]))
    assert listed.status_code == 200
    assert [d["id"] for d in listed.get_json()] == [body["device_id"]]

    with app.app_context():
        patient = db.session.get(Patient, body["id"])
        assert patient is not None
        device = db.session.get(DeviceToken, body["device_id"])
        assert device.patient_id == body["id"]


def test_create_patient_accepts_an_optional_label(client, app):
    response = client.post(f"{API}/patients", json={"label": "My phone"})
    assert response.status_code == 201
    body = response.get_json()
    with app.app_context():
        assert db.session.get(DeviceToken, body["device_id"]).label == "My phone"


def test_only_a_sha256_hash_of_the_token_is_stored(client, app):
    body = client.post(f"{API}/patients").get_json()
    token = body["token"]
    with app.app_context():
        rows = db.session.scalars(db.select(DeviceToken).where(DeviceToken.patient_id == body["id"])).all()
        assert len(rows) == 1
        assert rows[0].token_hash != token
        assert rows[0].token_hash == sha256(token)
        # The clear token appears in no column of any row of the table.
        for row in db.session.execute(db.select(DeviceToken.__table__)).all():
            assert token not in [str(v) for v in row]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not-a-real-token"},
        {"Authorization": "Bearer " + "x" * 5000},
    ],
    ids=["missing", "empty", "blank", "basic", "garbage", "huge"],
)
def test_bad_bearer_is_401_in_the_json_error_shape(client, headers):
    for path in ("/courses", "/devices", "/files/anything"):
        assert_error(client.get(API + path, headers=headers), 401)
    assert_error(client.post(f"{API}/me/export", headers=headers), 401)
    assert_error(client.post(f"{API}/link-codes", headers=headers), 401)
    assert_error(client.delete(f"{API}/me", headers=headers), 401)


def test_token_hash_itself_is_not_a_valid_token(client, patient):
    assert_error(client.get(f"{API}/courses", headers=auth(sha256(patient.token))), 401)


# ------------------------------------------------------------------ link codes and second devices


def _link_code(patient) -> str:
    response = patient.post(f"{API}/link-codes")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def test_link_code_format_and_ten_minute_expiry(patient, app):
    before = datetime.now(UTC)
    response = patient.post(f"{API}/link-codes")
    assert response.status_code == 201
    body = response.get_json()
    assert CODE_RE.match(body["code"]), body["code"]
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() is not None
    assert timedelta(minutes=9, seconds=50) <= expires - before <= timedelta(minutes=10, seconds=10)
    with app.app_context():
        links = db.session.scalars(db.select(LinkCode).where(LinkCode.patient_id == patient.id)).all()
        assert len(links) == 1
        assert links[0].code_hash == sha256(body["code"].replace("-", ""))
        assert links[0].used_at is None


def test_redeem_link_code_gives_a_second_token_for_the_same_patient(client, patient, app):
    course = patient.create_course()
    code = _link_code(patient)

    response = client.post(f"{API}/devices", json={"code": code, "label": "Tablet"})
    assert response.status_code == 201, response.get_json()
    second = response.get_json()
    assert second["patient_id"] == patient.id
    assert second["token"] != patient.token

    courses = client.get(f"{API}/courses", headers=auth(second["token"]))
    assert courses.status_code == 200
    assert [c["id"] for c in courses.get_json()] == [course["id"]]
    one = client.get(f"{API}/courses/{course['id']}", headers=auth(second["token"]))
    assert one.status_code == 200 and one.get_json() == course | {"updated_at": one.get_json()["updated_at"]}

    with app.app_context():
        device = db.session.get(DeviceToken, second["id"])
        assert device.patient_id == patient.id
        assert device.label == "Tablet"
        assert device.token_hash == sha256(second["token"])
        assert db.session.scalars(db.select(LinkCode.used_at)).one() is not None

    # The first device keeps working.
    assert patient.get(f"{API}/courses").status_code == 200


def test_link_code_is_single_use(client, patient):
    code = _link_code(patient)
    assert client.post(f"{API}/devices", json={"code": code}).status_code == 201
    again = client.post(f"{API}/devices", json={"code": code})
    body = assert_error(again, 404)
    assert "code" in body["errors"]["json"]
    assert len(patient.get(f"{API}/devices").get_json()) == 2


def test_expired_link_code_is_404(client, patient, app):
    code = _link_code(patient)
    with app.app_context():
        db.session.execute(
            update(LinkCode)
            .where(LinkCode.patient_id == patient.id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    assert_error(client.post(f"{API}/devices", json={"code": code}), 404)
    assert len(patient.get(f"{API}/devices").get_json()) == 1


def test_unknown_link_code_is_404_and_missing_code_is_422(client):
    assert_error(client.post(f"{API}/devices", json={"code": "ZZZZ-ZZZZ"}), 404)
    body = assert_error(client.post(f"{API}/devices", json={}), 422)
    assert "code" in body["errors"]["json"]
    body = assert_error(client.post(f"{API}/devices", json={"code": 12345678}), 422)
    assert "code" in body["errors"]["json"]


@pytest.mark.parametrize("transform", [str.lower, lambda c: c.replace("-", ""), lambda c: f" {c.lower()} "])
def test_link_code_is_accepted_lowercase_or_without_dash(client, patient, transform):
    code = _link_code(patient)
    response = client.post(f"{API}/devices", json={"code": transform(code)})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["patient_id"] == patient.id


def test_link_code_of_one_patient_never_links_to_another(client, make_patient):
    alice, bob = make_patient(), make_patient()
    code = _link_code(alice)
    second = client.post(f"{API}/devices", json={"code": code}).get_json()
    assert second["patient_id"] == alice.id
    assert len(bob.get(f"{API}/devices").get_json()) == 1


# ------------------------------------------------------------------ /devices


def test_devices_list_marks_the_current_device(client, patient):
    code = _link_code(patient)
    second = client.post(f"{API}/devices", json={"code": code, "label": "Laptop"}).get_json()

    mine = patient.get(f"{API}/devices")
    assert mine.status_code == 200
    flags = {d["id"]: d["current"] for d in mine.get_json()}
    assert flags == {patient.device_id: True, second["id"]: False}

    theirs = client.get(f"{API}/devices", headers=auth(second["token"])).get_json()
    assert {d["id"]: d["current"] for d in theirs} == {patient.device_id: False, second["id"]: True}
    for device in theirs:
        assert set(device) >= {"id", "label", "created_at", "last_seen_at", "current"}
        assert "token" not in device and "token_hash" not in device


def test_get_one_device(client, patient):
    code = _link_code(patient)
    second = client.post(f"{API}/devices", json={"code": code, "label": "Laptop"}).get_json()
    response = patient.get(f"{API}/devices/{second['id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == second["id"] and body["label"] == "Laptop" and body["current"] is False
    me = patient.get(f"{API}/devices/{patient.device_id}").get_json()
    assert me["current"] is True


def test_delete_device_revokes_its_token(client, patient, app):
    code = _link_code(patient)
    second = client.post(f"{API}/devices", json={"code": code}).get_json()
    assert client.get(f"{API}/courses", headers=auth(second["token"])).status_code == 200

    response = patient.delete(f"{API}/devices/{second['id']}")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(client.get(f"{API}/courses", headers=auth(second["token"])), 401)
    assert_error(patient.get(f"{API}/devices/{second['id']}"), 404)
    assert_error(patient.delete(f"{API}/devices/{second['id']}"), 404)
    assert [d["id"] for d in patient.get(f"{API}/devices").get_json()] == [patient.device_id]
    with app.app_context():
        assert db.session.get(DeviceToken, second["id"]) is None


def test_deleting_the_current_device_logs_it_out(client, patient):
    client.post(f"{API}/devices", json={"code": _link_code(patient)})  # not the last device
    assert patient.delete(f"{API}/devices/{patient.device_id}").status_code == 204
    assert_error(patient.get(f"{API}/devices"), 401)


def test_another_patients_device_is_404_exactly_like_a_missing_one(make_patient, app):
    alice, bob = make_patient(), make_patient()
    missing_get = assert_error(alice.get(f"{API}/devices/{new_uuid()}"), 404)
    foreign_get = assert_error(alice.get(f"{API}/devices/{bob.device_id}"), 404)
    assert foreign_get == missing_get
    missing_del = alice.delete(f"{API}/devices/{new_uuid()}")
    foreign_del = alice.delete(f"{API}/devices/{bob.device_id}")
    assert_error(foreign_del, 404)
    assert foreign_del.get_json() == missing_del.get_json()
    # Bob's device survived and still works.
    assert bob.get(f"{API}/devices").status_code == 200
    with app.app_context():
        assert db.session.get(DeviceToken, bob.device_id) is not None


# ------------------------------------------------------------------ export


def test_export_contains_everything_and_no_secret(client, patient):
    start = days_ago(5)
    course = patient.create_course(**course_from(start))
    dose_id = new_uuid()
    assert (
        patient.put(f"{API}/courses/{course['id']}/doses/{dose_id}", json=dose_body(start)).status_code == 201
    )
    code = _link_code(patient)
    second = client.post(f"{API}/devices", json={"code": code, "label": "Tablet"}).get_json()

    response = patient.file(f"{API}/me/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers.get("Content-Disposition", "")
    assert "no-store" in response.headers.get("Cache-Control", "")
    data = response.get_json()
    assert data["patient"]["id"] == patient.id
    assert {d["id"] for d in data["devices"]} == {patient.device_id, second["id"]}
    assert [c["id"] for c in data["courses"]] == [course["id"]]
    exported_course = data["courses"][0]
    assert exported_course["weight_kg"] == 70
    assert exported_course["start_date"] == start.isoformat()
    assert [d["id"] for d in exported_course["doses"]] == [dose_id]
    assert exported_course["doses"][0]["status"] == "taken"

    text = response.get_data(as_text=True)
    for secret in (patient.token, second["token"], sha256(patient.token), sha256(second["token"])):
        assert secret not in text
    assert "token" not in text.lower()
    assert json.loads(text) == data


def test_export_does_not_leak_other_patients(make_patient):
    alice, bob = make_patient(), make_patient()
    bob.create_course()
    data = alice.file(f"{API}/me/export").get_json()
    assert data["courses"] == []
    assert [d["id"] for d in data["devices"]] == [alice.device_id]
    assert bob.id not in json.dumps(data)


# ------------------------------------------------------------------ erasure


def _tables_owned_by(patient_id: str, course_ids: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        conditions = []
        if "patient_id" in table.c:
            conditions.append(table.c.patient_id == patient_id)
        if "course_id" in table.c and course_ids:
            conditions.append(table.c.course_id.in_(course_ids))
        if table.name == "patients":
            conditions.append(table.c.id == patient_id)
        if conditions:
            counts[table.name] = count_rows(table, db.or_(*conditions))
    return counts


def _populate(client, patient) -> list[str]:
    start = days_ago(3)
    course = patient.create_course(**course_from(start))
    patient.create_course(**course_from(days_ago(2), daily_mg=20, doses=1))
    for day in (start, days_ago(2)):
        r = patient.put(f"{API}/courses/{course['id']}/doses/{new_uuid()}", json=dose_body(day))
        assert r.status_code == 201
    _link_code(patient)
    client.post(f"{API}/devices", json={"code": _link_code(patient)})
    patient.file(f"{API}/me/export")  # a made file, kept for a while
    return patient.courses


def test_delete_me_erases_every_row_and_keeps_others(client, make_patient, app):
    alice, bob = make_patient(), make_patient()
    alice_courses = _populate(client, alice)
    bob_courses = _populate(client, bob)

    with app.app_context():
        before_alice = _tables_owned_by(alice.id, alice_courses)
        before_bob = _tables_owned_by(bob.id, bob_courses)
    assert before_alice["patients"] == 1
    assert before_alice["courses"] == 2
    assert before_alice["dose_logs"] == 2
    assert before_alice["device_tokens"] == 2
    assert before_alice["link_codes"] == 2
    assert before_alice["file_jobs"] == 1

    response = alice.delete(f"{API}/me")
    assert response.status_code == 204
    assert response.get_data() == b""

    assert_error(alice.get(f"{API}/courses"), 401)
    assert_error(alice.post(f"{API}/me/export"), 401)
    with app.app_context():
        after_alice = _tables_owned_by(alice.id, alice_courses)
        assert after_alice == dict.fromkeys(after_alice, 0), after_alice
        assert _tables_owned_by(bob.id, bob_courses) == before_bob
        assert count_rows(Course, Course.id.in_(alice_courses)) == 0
        assert count_rows(DoseLog, DoseLog.course_id.in_(alice_courses)) == 0

    # Bob is untouched and still works.
    assert [c["id"] for c in bob.get(f"{API}/courses").get_json()] == bob_courses
    assert len(bob.get(f"{API}/courses/{bob_courses[0]}/doses").get_json()) == 2
