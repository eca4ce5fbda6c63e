"""Caregivers: invites, a credential of its own kind, adherence only, revocation and erasure."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from apihelp import API, assert_error, course_from, days_ago, new_uuid, today_in
from sqlalchemy import func, select, update

from backend.extensions import db
from backend.models import Caregiver, CaregiverInvite, PushSubscription

SUB = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/caregiver-phone-1",
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}


class Carer:
    """A caregiver's phone: a client sending its caregiver token."""

    def __init__(self, client, token: str, caregiver_id: str) -> None:
        self.client, self.token, self.id = client, token, caregiver_id

    def call(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)


def invite(patient, course_id: str) -> dict:
    response = patient.post(f"{API}/courses/{course_id}/caregiver-invites")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def join(client, code: str) -> Carer:
    response = client.post(f"{API}/caregiving/join", json={"code": code})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"id", "token"}
    return Carer(client, body["token"], body["id"])


@pytest.fixture
def shared(client, patient):
    """A patient whose course (started 20 days ago, 08:00 and 20:00) is shared with one caregiver."""
    course = patient.create_course(**course_from(days_ago(20)))
    carer = join(client, invite(patient, course["id"])["code"])
    return patient, course, carer


def test_invite_is_a_short_code_and_a_link_valid_24_hours(patient):
    course = patient.create_course()
    before = datetime.now(UTC)
    body = invite(patient, course["id"])
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", body["code"])
    assert body["link"] == f"/care#code={body['code']}"
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=23, minutes=59) <= expires - before <= timedelta(hours=24, seconds=10)


def test_invite_is_one_use_and_joining_needs_no_name(client, patient, app):
    course = patient.create_course()
    code = invite(patient, course["id"])["code"]
    carer = join(client, code.lower().replace("-", ""))
    assert_error(client.post(f"{API}/caregiving/join", json={"code": code}), 404)
    assert carer.call("GET", f"{API}/caregiving").status_code == 200
    with app.app_context():
        row = db.session.get(Caregiver, carer.id)
        assert row.token_hash != carer.token and len(row.token_hash) == 64
        columns = {c.name for c in Caregiver.__table__.columns}
        assert not columns & {"name", "email", "phone", "label"}


def test_expired_invite_is_404(client, patient, app):
    course = patient.create_course()
    code = invite(patient, course["id"])["code"]
    with app.app_context():
        db.session.execute(
            update(CaregiverInvite).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    body = assert_error(client.post(f"{API}/caregiving/join", json={"code": code}), 404)
    assert body["errors"]["json"]["code"]


def test_unknown_code_is_404_and_missing_code_is_422(client):
    assert_error(client.post(f"{API}/caregiving/join", json={"code": "ABCD-EFGH"}), 404)
    assert_error(client.post(f"{API}/caregiving/join", json={}), 422)


def test_at_most_five_caregivers_per_course(client, patient, app):
    course = patient.create_course()
    for _ in range(4):
        join(client, invite(patient, course["id"])["code"])
    last = invite(patient, course["id"])["code"]  # 4 caregivers + 1 unused invite = 5
    assert_error(patient.post(f"{API}/courses/{course['id']}/caregiver-invites"), 409)
    join(client, last)
    assert_error(patient.post(f"{API}/courses/{course['id']}/caregiver-invites"), 409)
    # Another course of the same patient has its own five.
    other = patient.create_course(**course_from(days_ago(3)), timezone="Europe/Madrid")
    invite(patient, other["id"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Caregiver)) == 5


def test_a_race_past_the_cap_leaves_the_code_unspent(client, patient, app):
    course = patient.create_course()
    codes = [invite(patient, course["id"])["code"] for _ in range(5)]
    with app.app_context():  # a sixth caregiver slipped in (e.g. joined between the count and now)
        db.session.add(Caregiver(patient_id=patient.id, course_id=course["id"], token_hash="x" * 64))
        db.session.commit()
    for code in codes[:4]:
        join(client, code)
    assert_error(client.post(f"{API}/caregiving/join", json={"code": codes[4]}), 409)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Caregiver)) == 5


def test_invites_need_the_patients_own_course(client, make_patient):
    alice, bob = make_patient(), make_patient()
    course = alice.create_course()
    assert_error(bob.post(f"{API}/courses/{course['id']}/caregiver-invites"), 404)
    assert_error(client.post(f"{API}/courses/{course['id']}/caregiver-invites"), 401)


def _fill(path: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if "date" in name or name in {"day", "on"}:
            return "2026-03-01"
        return new_uuid()

    return re.sub(r"\{([^}]+)\}", value, path)


CAREGIVER_OPERATIONS = {
    ("/api/v1/caregiving", "get"),
    ("/api/v1/caregiving", "delete"),
    ("/api/v1/caregiving/settings", "put"),
    ("/api/v1/caregiving/push-subscription", "put"),
    ("/api/v1/caregiving/push-subscription", "delete"),
    ("/api/v1/caregiving/vapid-public-key", "get"),
}


def test_a_caregiver_token_opens_only_the_caregiver_endpoints(client, shared):
    """Every path and method of the spec, called with a caregiver token (and a plausible body)."""
    _patient, course, carer = shared
    spec = client.get(f"{API}/openapi.json").get_json()
    checked = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            schemes = {name for req in operation.get("security", []) for name in req}
            if (path, method) in CAREGIVER_OPERATIONS:
                assert schemes == {"caregiverAuth"}, (path, method)
                continue
            url = _fill(path)
            kwargs = {} if method in {"get", "delete"} else {"json": {"code": "ABCD-EFGH"}}
            response = carer.call(method.upper(), url, **kwargs)
            checked += 1
            if "bearerAuth" in schemes:
                assert response.status_code in (401, 404), (method, path, response.status_code)
            else:
                # A public operation: the caregiver token adds nothing to what anyone may do.
                anonymous = client.open(url, method=method.upper(), **kwargs)
                assert response.status_code == anonymous.status_code, (method, path)
    assert checked > 50
    assert {(path, method) for path, item in spec["paths"].items() for method in item} >= CAREGIVER_OPERATIONS
    # The patient's own course by its real id is refused too.
    for suffix in ("", "/today", "/timeline", "/doses", "/pauses", "/report", "/checkins"):
        assert carer.call("GET", f"{API}/courses/{course['id']}{suffix}").status_code in (401, 404)
    assert carer.call("POST", f"{API}/me/export").status_code == 401
    assert carer.call("DELETE", f"{API}/me").status_code == 401
    assert carer.call("GET", f"{API}/caregiving").status_code == 200


def test_a_patient_token_cannot_call_caregiver_endpoints(shared):
    patient, _course, _carer = shared
    assert_error(patient.get(f"{API}/caregiving"), 401)
    assert_error(patient.put(f"{API}/caregiving/settings", json={"nudge": True}), 401)
    assert_error(patient.put(f"{API}/caregiving/push-subscription", json=SUB), 401)
    assert_error(patient.delete(f"{API}/caregiving/push-subscription"), 401)
    assert_error(patient.delete(f"{API}/caregiving"), 401)
    assert_error(patient.get(f"{API}/caregiving/vapid-public-key"), 401)


def _log(patient, course_id: str, day, slot: int, status: str = "taken") -> None:
    body = {"date": str(day), "slot": slot, "status": status, "mg": 20}
    if status == "taken":
        body["taken_at"] = datetime.now(UTC).isoformat()
    response = patient.put(f"{API}/courses/{course_id}/doses/{new_uuid()}", json=body)
    assert response.status_code in (200, 201), response.get_json()


def test_caregiver_sees_todays_doses_and_fourteen_days(shared):
    patient, course, carer = shared
    today = today_in()
    _log(patient, course["id"], today, 1)
    _log(patient, course["id"], days_ago(1), 1)
    _log(patient, course["id"], days_ago(1), 2, "skipped")
    _log(patient, course["id"], days_ago(2), 1)
    _log(patient, course["id"], days_ago(2), 2)
    body = carer.call("GET", f"{API}/caregiving").get_json()
    [view] = body["courses"]
    assert view["course_id"] == course["id"]
    assert view["today"] == {
        "date": str(today),
        "state": "active",
        "doses": [
            {"slot": 1, "time": "08:00", "status": "taken"},
            {"slot": 2, "time": "20:00", "status": "pending"},
        ],
    }
    days = {d["date"]: d["summary"] for d in view["days"]}
    assert len(days) == 14 and str(today) not in days
    assert days[str(days_ago(1))] == "some_taken"
    assert days[str(days_ago(2))] == "all_taken"
    assert days[str(days_ago(3))] == "not_ticked"
    assert days[str(days_ago(14))] == "not_ticked"
    assert "upcoming" not in view  # visits only when the patient shares them


def test_days_before_the_start_and_after_the_end_say_so(client, patient):
    course = patient.create_course(**course_from(days_ago(3)))
    carer = join(client, invite(patient, course["id"])["code"])
    ended = patient.patch(f"{API}/courses/{course['id']}", json={"ended_on": str(days_ago(1))})
    assert ended.status_code == 200, ended.get_json()
    view = carer.call("GET", f"{API}/caregiving").get_json()["courses"][0]
    days = {d["date"]: d["summary"] for d in view["days"]}
    assert days[str(days_ago(4))] == "not_started"
    assert days[str(days_ago(3))] == "not_ticked"
    assert view["today"] == {"date": str(today_in()), "state": "finished", "doses": []}


def test_a_pause_shows_as_paused_without_its_reason(shared):
    patient, course, carer = shared
    pause = {"id": new_uuid(), "started_on": str(days_ago(1)), "reason": "prescriber"}
    response = patient.post(f"{API}/courses/{course['id']}/pauses", json=pause)
    assert response.status_code in (200, 201), response.get_json()
    text = carer.call("GET", f"{API}/caregiving").get_data(as_text=True)
    view = json.loads(text)["courses"][0]
    assert view["today"]["state"] == "paused"
    assert {d["status"] for d in view["today"]["doses"]} == {"paused"}
    assert view["days"][-1]["summary"] == "paused"
    assert "prescriber" not in text and "reason" not in text


FORBIDDEN = (
    "check",
    "mood",
    "red_flag",
    "photo",
    "pregnan",
    "prevention",
    "weight",
    "note",
    "report",
    "feed",
    "place",
    "mg",
    "reason",
    "phq",
    "symptom",
)


def test_nothing_but_adherence_is_shown(shared, app):
    """Everything sensitive the patient records is stored, and none of it reaches the caregiver."""
    patient, course, carer = shared
    cid = course["id"]
    today = today_in()
    _log(patient, cid, today, 1)
    for kind in ("dermatologist_visit", "pregnancy_test", "blood_test"):
        appt = {
            "kind": kind,
            "starts_at": f"{today + timedelta(days=3)}T10:00",
            "place": "Secret Clinic",
            "notes": "private note",
        }
        assert patient.post(f"{API}/courses/{cid}/appointments", json=appt).status_code == 201
    checkin = {"skin": 6, "effects": {"dry_lips": 2}, "note": "hidden"}
    assert patient.put(f"{API}/courses/{cid}/checkins/{today}", json=checkin).status_code == 201
    patient.patch(f"{API}/caregivers/{carer.id}", json={"show_appointments": True})
    text = carer.call("GET", f"{API}/caregiving").get_data(as_text=True)
    lowered = text.lower()
    for word in FORBIDDEN:
        assert word not in lowered, word
    assert "secret" not in lowered and "private" not in lowered and "hidden" not in lowered
    upcoming = json.loads(text)["courses"][0]["upcoming"]
    assert [u["kind"] for u in upcoming] == ["dermatologist_visit", "blood_test"]
    assert set(upcoming[0]) == {"kind", "starts_at_local"}


def test_the_patients_preview_is_exactly_the_caregivers_view(shared):
    patient, course, carer = shared
    _log(patient, course["id"], today_in(), 1)
    mine = carer.call("GET", f"{API}/caregiving").get_json()
    preview = patient.get(f"{API}/caregivers/{carer.id}/preview")
    assert preview.status_code == 200
    assert preview.get_json() == mine
    assert_error(carer.call("GET", f"{API}/caregivers/{carer.id}/preview"), 401)


def test_patient_lists_caregivers_and_switches_visits_and_nudge(shared, make_patient):
    patient, course, carer = shared
    [listed] = patient.get(f"{API}/caregivers").get_json()
    assert listed["id"] == carer.id and listed["course_id"] == course["id"]
    assert listed["show_appointments"] is False and listed["nudge"] is False
    assert listed["nudge_allowed"] is True and listed["nudge_active"] is False
    assert carer.call("PUT", f"{API}/caregiving/push-subscription", json=SUB).status_code == 200
    settings = {"nudge": True, "quiet_start": "22:00", "quiet_end": "07:00"}
    body = carer.call("PUT", f"{API}/caregiving/settings", json=settings).get_json()
    assert (body["nudge"], body["quiet_start"], body["quiet_end"]) == (True, "22:00", "07:00")
    assert body["push"] is True
    assert patient.get(f"{API}/caregivers").get_json()[0]["nudge_active"] is True
    changed = patient.patch(f"{API}/caregivers/{carer.id}", json={"nudge_allowed": False}).get_json()
    assert changed["nudge_active"] is False and changed["nudge"] is True
    assert carer.call("GET", f"{API}/caregiving").get_json()["nudge_allowed"] is False
    other = make_patient()
    assert_error(other.patch(f"{API}/caregivers/{carer.id}", json={"nudge_allowed": True}), 404)
    assert_error(other.delete(f"{API}/caregivers/{carer.id}"), 404)
    bad = carer.call("PUT", f"{API}/caregiving/settings", json={"nudge": True, "quiet_start": "22:00"})
    assert "quiet_end" in str(assert_error(bad, 422)["errors"])


def test_removing_a_caregiver_is_at_once_and_takes_its_push_subscription(shared, client, app):
    patient, course, carer = shared
    assert carer.call("PUT", f"{API}/caregiving/push-subscription", json=SUB).status_code == 200
    second = join(client, invite(patient, course["id"])["code"])
    assert patient.delete(f"{API}/caregivers/{carer.id}").status_code == 204
    for method, path in (("GET", "/caregiving"), ("PUT", "/caregiving/settings"), ("DELETE", "/caregiving")):
        assert_error(carer.call(method, f"{API}{path}", json={"nudge": False}), 401)
    assert second.call("GET", f"{API}/caregiving").status_code == 200
    with app.app_context():
        endpoints = db.session.scalars(select(PushSubscription.endpoint)).all()
        assert SUB["endpoint"] not in endpoints


def test_remove_all_in_one_tap_and_unused_invites_go_too(shared, client):
    patient, course, carer = shared
    second = join(client, invite(patient, course["id"])["code"])
    pending = invite(patient, course["id"])["code"]
    assert patient.delete(f"{API}/caregivers").status_code == 204
    assert_error(carer.call("GET", f"{API}/caregiving"), 401)
    assert_error(second.call("GET", f"{API}/caregiving"), 401)
    assert_error(client.post(f"{API}/caregiving/join", json={"code": pending}), 404)
    assert patient.get(f"{API}/caregivers").get_json() == []


def test_a_caregiver_can_leave(shared):
    patient, _course, carer = shared
    assert carer.call("DELETE", f"{API}/caregiving").status_code == 204
    assert_error(carer.call("GET", f"{API}/caregiving"), 401)
    assert patient.get(f"{API}/caregivers").get_json() == []


def test_erasing_the_patient_erases_every_caregiver_link(shared, client, app):
    patient, course, carer = shared
    pending = invite(patient, course["id"])["code"]
    assert patient.delete(f"{API}/me").status_code == 204
    assert_error(carer.call("GET", f"{API}/caregiving"), 401)
    assert_error(client.post(f"{API}/caregiving/join", json={"code": pending}), 404)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Caregiver)) == 0
        assert db.session.scalar(select(func.count()).select_from(CaregiverInvite)) == 0


def test_deleting_the_course_removes_its_caregivers(shared):
    patient, course, carer = shared
    assert patient.delete(f"{API}/courses/{course['id']}").status_code == 204
    assert_error(carer.call("GET", f"{API}/caregiving"), 401)


def test_the_export_lists_caregivers_without_their_secrets(shared, app):
    patient, course, carer = shared
    assert carer.call("PUT", f"{API}/caregiving/push-subscription", json=SUB).status_code == 200
    export = patient.file(f"{API}/me/export")
    [listed] = export.get_json()["caregivers"]
    assert listed["id"] == carer.id and listed["course_id"] == course["id"]
    assert listed["push_subscription"] is True
    text = export.get_data(as_text=True)
    with app.app_context():
        token_hash = db.session.get(Caregiver, carer.id).token_hash
    for secret in (carer.token, token_hash, SUB["endpoint"], SUB["keys"]["auth"]):
        assert secret not in text
