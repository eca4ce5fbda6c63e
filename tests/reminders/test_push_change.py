"""POST /push/subscriptions/change: the browser replaced a subscription (`pushsubscriptionchange`)."""

from __future__ import annotations

from datetime import timedelta

from backend.extensions import db
from backend.models import PushSubscription
from tests.reminders.remhelp import API, subscribe, utc
from tests.reminders.test_push_devices import second_device

MAR10 = utc(2026, 3, 10, 6, 0)
DOSE_DUE = utc(2026, 3, 10, 7, 0)
CHANGE = f"{API}/push/subscriptions/change"


def change(device, old_endpoint, new_info):
    return device.post(CHANGE, json={"old_endpoint": old_endpoint, "subscription": new_info})


def endpoints(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(db.select(PushSubscription.endpoint)))


def test_the_subscription_is_swapped_in_place_and_reminders_reach_the_new_endpoint(
    app, patient, push_service, materialise, tick
):
    course = patient.create_course()
    old = subscribe(patient, push_service)
    new_info = push_service.new_subscription()
    with app.app_context():
        old_endpoint = db.session.get(PushSubscription, old["id"]).endpoint

    response = change(patient, old_endpoint, new_info)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["id"] == old["id"] and body["current"] is True and body["last_status"] is None
    assert endpoints(app) == [new_info["endpoint"]]

    # Sent again (the outbox replays after a lost answer): the same row, nothing else changes.
    again = change(patient, old_endpoint, new_info)
    assert again.status_code == 200 and again.get_json()["id"] == old["id"]
    assert endpoints(app) == [new_info["endpoint"]]

    materialise(course["id"], MAR10)
    assert tick(DOSE_DUE + timedelta(seconds=30)).sent == 1
    assert len(push_service.received(push_service.subscription_id(new_info))) == 1
    assert push_service.received(old["push_sid"]) == []


def test_an_old_endpoint_of_another_account_or_device_is_404_naming_it(
    app, patient, make_patient, push_service
):
    other = make_patient()
    theirs = push_service.new_subscription()
    assert other.post(f"{API}/push/subscriptions", json=theirs).status_code == 201
    phone_b = second_device(patient)
    on_b = push_service.new_subscription()
    assert phone_b.post(f"{API}/push/subscriptions", json=on_b).status_code == 201
    before = endpoints(app)

    for old in (theirs, on_b):
        response = change(patient, old["endpoint"], push_service.new_subscription())
        assert response.status_code == 404
        assert "old_endpoint" in response.get_json()["errors"]["json"]
    assert endpoints(app) == before  # nothing registered, nothing moved


def test_an_old_endpoint_already_retired_registers_the_new_one(app, patient, push_service):
    new_info = push_service.new_subscription()
    response = change(patient, "https://updates.push.services.mozilla.com/wpush/v2/gone", new_info)
    assert response.status_code == 201
    assert response.get_json()["device_id"] == patient.device_id
    assert endpoints(app) == [new_info["endpoint"]]


def test_when_the_app_registered_the_new_one_first_the_old_one_is_dropped(app, patient, push_service):
    old = subscribe(patient, push_service)
    with app.app_context():
        old_endpoint = db.session.get(PushSubscription, old["id"]).endpoint
    new_info = push_service.new_subscription()
    assert patient.post(f"{API}/push/subscriptions", json=new_info).status_code == 201
    response = change(patient, old_endpoint, new_info)
    assert response.status_code == 200
    assert endpoints(app) == [new_info["endpoint"]]


def test_without_an_old_endpoint_the_new_one_is_registered(app, patient, push_service):
    new_info = push_service.new_subscription()
    assert change(patient, None, new_info).status_code == 201
    assert endpoints(app) == [new_info["endpoint"]]


def test_bad_bodies_are_422_naming_the_field(app, patient, push_service):
    old = subscribe(patient, push_service)
    with app.app_context():
        old_endpoint = db.session.get(PushSubscription, old["id"]).endpoint
    refused = {**push_service.new_subscription(), "endpoint": "http://192.168.1.10/push/x"}
    response = change(patient, old_endpoint, refused)
    assert response.status_code == 422
    assert "endpoint" in response.get_json()["errors"]["json"]["subscription"]

    missing = patient.post(CHANGE, json={"subscription": push_service.new_subscription()})
    assert missing.status_code == 422 and "old_endpoint" in missing.get_json()["errors"]["json"]
    no_keys = {"endpoint": push_service.new_subscription()["endpoint"]}
    response = change(patient, old_endpoint, no_keys)
    assert response.status_code == 422 and "keys" in response.get_json()["errors"]["json"]["subscription"]
    assert endpoints(app) == [old_endpoint]


def test_change_needs_a_device_token(client, push_service):
    response = client.post(
        CHANGE, json={"old_endpoint": None, "subscription": push_service.new_subscription()}
    )
    assert response.status_code == 401
