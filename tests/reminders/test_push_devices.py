"""Push subscriptions belong to the device that registered them; unlinking a device silences it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from backend.extensions import db
from backend.models import DeviceToken, PushSubscription
from tests.conftest import Patient
from tests.reminders.remhelp import API, subscribe, utc

MAR10 = utc(2026, 3, 10, 6, 0)
DOSE_DUE = utc(2026, 3, 10, 7, 0)  # the default course's 08:00 Berlin capsule


def second_device(patient: Patient, label: str = "Phone B") -> Patient:
    """Link another device to the same patient through a link code."""
    code = patient.post(f"{API}/link-codes").get_json()["code"]
    response = patient.client.post(f"{API}/devices", json={"code": code, "label": label})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Patient(client=patient.client, id=patient.id, token=body["token"], device_id=body["id"])


def test_subscriptions_record_their_device_and_mark_the_current_one(patient, push_service):
    phone_b = second_device(patient)
    sub_a = subscribe(patient, push_service)
    sub_b = subscribe(phone_b, push_service)
    assert sub_a["device_id"] == patient.device_id and sub_a["current"] is True
    assert sub_b["device_id"] == phone_b.device_id and sub_b["current"] is True

    seen_by_a = {s["id"]: s for s in patient.get(f"{API}/push/subscriptions").get_json()}
    assert seen_by_a[sub_a["id"]]["device_id"] == patient.device_id
    assert seen_by_a[sub_a["id"]]["current"] is True
    assert seen_by_a[sub_b["id"]]["device_id"] == phone_b.device_id
    assert seen_by_a[sub_b["id"]]["current"] is False
    seen_by_b = {s["id"]: s["current"] for s in phone_b.get(f"{API}/push/subscriptions").get_json()}
    assert seen_by_b == {sub_a["id"]: False, sub_b["id"]: True}


def test_an_upsert_from_another_device_moves_the_subscription_there(patient, push_service):
    phone_b = second_device(patient)
    info = push_service.new_subscription()
    first = patient.post(f"{API}/push/subscriptions", json=info).get_json()
    again = phone_b.post(f"{API}/push/subscriptions", json=info)
    assert again.status_code == 200
    body = again.get_json()
    assert body["id"] == first["id"] and body["device_id"] == phone_b.device_id and body["current"] is True
    [listed] = patient.get(f"{API}/push/subscriptions").get_json()
    assert listed["device_id"] == phone_b.device_id and listed["current"] is False


def test_deleting_a_device_deletes_its_subscriptions_and_it_gets_no_more_reminders(
    patient, push_service, materialise, tick, app
):
    course = patient.create_course()
    phone_b = second_device(patient)
    sub_a = subscribe(patient, push_service)
    sub_b = subscribe(phone_b, push_service)

    assert patient.delete(f"{API}/devices/{phone_b.device_id}").status_code == 204
    assert [s["id"] for s in patient.get(f"{API}/push/subscriptions").get_json()] == [sub_a["id"]]
    assert phone_b.get(f"{API}/push/subscriptions").status_code == 401  # its token is revoked
    with app.app_context():
        assert db.session.get(PushSubscription, sub_b["id"]) is None

    materialise(course["id"], MAR10)
    stats = tick(DOSE_DUE + timedelta(seconds=5))
    assert stats.sent == 1
    assert len(push_service.received(sub_a["push_sid"])) == 1
    assert push_service.received(sub_b["push_sid"]) == []  # the removed phone stays silent


def test_the_database_cascades_a_device_delete_to_its_subscriptions(patient, push_service, app):
    """Not only the API path: a plain DELETE of the device row removes its subscriptions (FK cascade)."""
    phone_b = second_device(patient)
    sub_a = subscribe(patient, push_service)
    sub_b = subscribe(phone_b, push_service)
    with app.app_context():
        db.session.execute(delete(DeviceToken).where(DeviceToken.id == phone_b.device_id))
        db.session.commit()
        left = set(db.session.scalars(db.select(PushSubscription.id)))
    assert left == {sub_a["id"]}
    assert sub_b["id"] not in left
