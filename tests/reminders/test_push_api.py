"""Push API: VAPID key, subscription validation (keys, SSRF guard), upsert, list, delete, test send."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.reminders.push_tests import run_push_tests
from tests.reminders.remhelp import API, subscribe


def b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def valid_point() -> bytes:
    return (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )


def sub_body(
    endpoint: str = "http://127.0.0.1:9/push/abc", p256dh: str | None = None, auth: str | None = None
):
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": p256dh or b64u(valid_point()), "auth": auth or b64u(b"0123456789abcdef")},
    }


def error_fields(response) -> set[str]:
    body = response.get_json()
    assert response.status_code == 422, body
    assert set(body) >= {"code", "status", "message"} and body["code"] == 422

    def walk(obj, prefix=""):
        out = set()
        for key, value in obj.items():
            path = f"{prefix}{key}"
            out.add(path)
            if isinstance(value, dict):
                out |= walk(value, path + ".")
        return out

    return walk(body["errors"]["json"])


def test_vapid_public_key_is_a_p256_point(patient):
    response = patient.get(f"{API}/push/vapid-public-key")
    assert response.status_code == 200
    raw = base64.urlsafe_b64decode(response.get_json()["public_key"] + "==")
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)  # raises if not on the curve
    assert len(raw) == 65 and raw[0] == 4


def test_every_push_route_needs_a_token(client):
    for method, path in [
        ("GET", "/push/vapid-public-key"),
        ("POST", "/push/subscriptions"),
        ("GET", "/push/subscriptions"),
        ("DELETE", "/push/subscriptions/x"),
        ("POST", "/push/test"),
        ("GET", "/push/tests/x"),
    ]:
        assert client.open(f"{API}{path}", method=method, json={}).status_code == 401, path


def test_subscribe_upserts_by_endpoint_and_lists_devices(patient, push_service):
    info = push_service.new_subscription()
    first = patient.post(f"{API}/push/subscriptions", json=info)
    assert first.status_code == 201
    again = patient.post(f"{API}/push/subscriptions", json=info)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    listed = patient.get(f"{API}/push/subscriptions").get_json()
    assert [d["id"] for d in listed] == [first.get_json()["id"]]
    assert listed[0]["endpoint_origin"] == push_service.origin
    assert listed[0]["last_success_at"] is None and listed[0]["last_failure_at"] is None


def test_resubscribing_an_endpoint_moves_it_to_the_new_patient(make_patient, push_service):
    alice, bob = make_patient(), make_patient()
    info = push_service.new_subscription()
    alice.post(f"{API}/push/subscriptions", json=info)
    assert bob.post(f"{API}/push/subscriptions", json=info).status_code == 200
    assert alice.get(f"{API}/push/subscriptions").get_json() == []
    assert len(bob.get(f"{API}/push/subscriptions").get_json()) == 1


def test_delete_subscription_and_cross_patient_is_404(make_patient, push_service):
    alice, bob = make_patient(), make_patient()
    device = subscribe(alice, push_service)
    missing = bob.delete(f"{API}/push/subscriptions/{device['id']}")
    unknown = bob.delete(f"{API}/push/subscriptions/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == unknown.status_code == 404
    assert missing.get_json()["message"] == unknown.get_json()["message"]
    assert len(alice.get(f"{API}/push/subscriptions").get_json()) == 1
    assert alice.delete(f"{API}/push/subscriptions/{device['id']}").status_code == 204
    assert alice.get(f"{API}/push/subscriptions").get_json() == []


OFF_CURVE = b"\x04" + (1).to_bytes(32, "big") + (1).to_bytes(32, "big")


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ({"p256dh": b64u(valid_point()[:64])}, "keys.p256dh"),  # 64 bytes
        ({"p256dh": b64u(b"\x02" + valid_point()[1:])}, "keys.p256dh"),  # not uncompressed
        ({"p256dh": b64u(OFF_CURVE)}, "keys.p256dh"),  # not on the curve
        ({"p256dh": "not base64!*"}, "keys.p256dh"),
        ({"auth": b64u(b"short")}, "keys.auth"),
        ({"auth": b64u(b"0123456789abcdefX")}, "keys.auth"),  # 17 bytes
        ({"auth": "***"}, "keys.auth"),
    ],
)
def test_malformed_keys_are_422_naming_the_field(patient, keys, field):
    body = sub_body(**keys)
    response = patient.post(f"{API}/push/subscriptions", json=body)
    assert field in error_fields(response)


@pytest.mark.parametrize(
    "body",
    [
        {"keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": "http://127.0.0.1:9/push/a"},
        {"endpoint": 5, "keys": {"p256dh": b64u(valid_point()), "auth": b64u(b"0123456789abcdef")}},
    ],
)
def test_incomplete_subscription_is_422(patient, body):
    assert patient.post(f"{API}/push/subscriptions", json=body).status_code == 422


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8080/push/a",
        "https://127.0.0.1/push/a",
        "http://localhost/push/a",
        "https://10.0.0.5/push/a",
        "https://192.168.1.1/push",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/push",
        "ftp://fcm.googleapis.com/x",
    ],
)
def test_ssrf_guard_refuses_local_endpoints_in_production(app, patient, endpoint):
    app.config["PUSH_ALLOW_LOCAL_ENDPOINTS"] = False
    try:
        response = patient.post(f"{API}/push/subscriptions", json=sub_body(endpoint))
    finally:
        app.config["PUSH_ALLOW_LOCAL_ENDPOINTS"] = True
    assert error_fields(response) == {"endpoint"}
    assert "refused" in response.get_json()["message"]


def test_private_network_is_refused_even_when_loopback_is_allowed(patient):
    response = patient.post(f"{API}/push/subscriptions", json=sub_body("http://10.1.2.3/push/a"))
    assert error_fields(response) == {"endpoint"}


def test_known_push_service_is_accepted_in_production(app, patient):
    app.config["PUSH_ALLOW_LOCAL_ENDPOINTS"] = False
    try:
        response = patient.post(
            f"{API}/push/subscriptions", json=sub_body("https://fcm.googleapis.com/fcm/send/abc:def")
        )
    finally:
        app.config["PUSH_ALLOW_LOCAL_ENDPOINTS"] = True
    assert response.status_code == 201, response.get_json()


def _send_queued(app, sender) -> int:
    """What the reminder worker's push-tests job does every PUSH_TEST_POLL_SECONDS."""
    return run_push_tests(app, sender=sender)


def test_push_test_is_queued_then_sent_by_the_worker_with_per_device_results(
    app, patient, push_service, sender
):
    ok = subscribe(patient, push_service)
    gone = subscribe(patient, push_service)
    push_service.expire(gone["push_sid"])
    response = patient.post(f"{API}/push/test")
    assert response.status_code == 202
    queued = response.get_json()
    assert queued["status"] == "queued" and queued["results"] is None
    assert response.headers["Location"].endswith(f"/push/tests/{queued['id']}")
    assert push_service.received(ok["push_sid"]) == []  # the web request sent nothing
    assert patient.get(f"{API}/push/tests/{queued['id']}").get_json()["status"] == "queued"

    assert _send_queued(app, sender) == 1
    done = patient.get(f"{API}/push/tests/{queued['id']}").get_json()
    assert done["status"] == "done" and done["finished_at"] is not None
    results = {r["subscription_id"]: r for r in done["results"]}
    assert results[ok["id"]]["ok"] is True and results[ok["id"]]["status_code"] == 201
    assert results[gone["id"]]["ok"] is False and results[gone["id"]]["status_code"] == 410
    [payload] = push_service.received(ok["push_sid"])
    assert payload["kind"] == "test" and payload["title"]
    devices = patient.get(f"{API}/push/subscriptions").get_json()
    assert [d["id"] for d in devices] == [ok["id"]]
    assert devices[0]["last_success_at"] is not None and devices[0]["last_status"] == 201
    assert _send_queued(app, sender) == 0  # sent once


def test_push_test_records_a_failure(app, patient, push_service, sender):
    device = subscribe(patient, push_service)
    push_service.respond(413, subscription_id=device["push_sid"])
    test = patient.post(f"{API}/push/test").get_json()
    _send_queued(app, sender)
    [result] = patient.get(f"{API}/push/tests/{test['id']}").get_json()["results"]
    assert result == {**result, "ok": False, "status_code": 413}
    [listed] = patient.get(f"{API}/push/subscriptions").get_json()
    assert listed["last_failure_at"] is not None and listed["last_status"] == 413
    assert listed["last_success_at"] is None


def test_one_test_in_flight_per_patient_and_a_limit_per_window(app, patient, push_service, sender):
    subscribe(patient, push_service)
    first = patient.post(f"{API}/push/test").get_json()
    again = patient.post(f"{API}/push/test")
    assert again.status_code == 202 and again.get_json()["id"] == first["id"]  # no second in flight
    limit = app.config["PUSH_TESTS_PER_WINDOW"]
    for _ in range(limit - 1):
        _send_queued(app, sender)
        assert patient.post(f"{API}/push/test").status_code == 202
    _send_queued(app, sender)
    refused = patient.post(f"{API}/push/test")
    assert refused.status_code == 429
    body = refused.get_json()
    assert body["code"] == 429 and f"At most {limit} test notifications" in body["message"]
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= app.config["PUSH_TEST_WINDOW_MINUTES"] * 60


def test_a_test_of_another_patient_is_404(patient, make_patient, push_service):
    other_patient = make_patient()
    subscribe(patient, push_service)
    test = patient.post(f"{API}/push/test").get_json()
    assert other_patient.get(f"{API}/push/tests/{test['id']}").status_code == 404
    assert patient.get(f"{API}/push/tests/{test['id']}").status_code == 200


def test_a_test_of_one_device_reaches_only_that_device(app, patient, make_patient, push_service, sender):
    """The Test button of one device: only it gets the notification and only its result comes back."""
    this = subscribe(patient, push_service)
    other = subscribe(patient, push_service)
    response = patient.post(f"{API}/push/test", json={"subscription_id": other["id"]})
    assert response.status_code == 202
    queued = response.get_json()
    assert queued["subscription_id"] == other["id"]
    # Another device's test is its own (not the one in flight); an all-devices test is another one.
    mine = patient.post(f"{API}/push/test", json={"subscription_id": this["id"]}).get_json()
    assert mine["id"] != queued["id"]
    assert _send_queued(app, sender) == 2
    done = patient.get(f"{API}/push/tests/{queued['id']}").get_json()
    assert [r["subscription_id"] for r in done["results"]] == [other["id"]] and done["results"][0]["ok"]
    assert len(push_service.received(other["push_sid"])) == 1
    assert len(push_service.received(this["push_sid"])) == 1  # from its own test, not from the other's
    mine_done = patient.get(f"{API}/push/tests/{mine['id']}").get_json()
    assert [r["subscription_id"] for r in mine_done["results"]] == [this["id"]]

    # An all-devices test in flight covers a one-device request.
    everyone = patient.post(f"{API}/push/test").get_json()
    covered = patient.post(f"{API}/push/test", json={"subscription_id": this["id"]}).get_json()
    assert covered["id"] == everyone["id"] and covered["subscription_id"] is None


def test_a_test_of_a_device_that_is_not_yours_is_404_naming_it(patient, make_patient, push_service):
    stranger = make_patient()
    theirs = subscribe(stranger, push_service)
    subscribe(patient, push_service)
    for sub_id in (theirs["id"], "no-such-device"):
        response = patient.post(f"{API}/push/test", json={"subscription_id": sub_id})
        assert response.status_code == 404
        assert "subscription_id" in response.get_json()["errors"]["json"]
    bad = patient.post(f"{API}/push/test", json={"subscription_id": 5})
    assert bad.status_code == 422 and "subscription_id" in bad.get_json()["errors"]["json"]
