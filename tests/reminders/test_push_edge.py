"""Push subscriptions under pressure: concurrent duplicates, moving between accounts, the cap."""

from __future__ import annotations

import base64
import threading

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.models import PushSubscription
from tests.api.apihelp import assert_error, count_rows
from tests.reminders.remhelp import API


def b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def body(endpoint: str, auth: bytes = b"0123456789abcdef") -> dict:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"endpoint": endpoint, "keys": {"p256dh": b64u(point), "auth": b64u(auth)}}


def test_ten_simultaneous_registrations_of_one_endpoint_all_succeed(app, patient):
    """Each request races the others to insert the same endpoint: one 201, the rest 200, never a 500."""
    info = body("http://127.0.0.1:9/push/race")
    barrier = threading.Barrier(10)
    statuses: list[int] = []
    lock = threading.Lock()

    def register() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(f"{API}/push/subscriptions", json=info, headers=patient.headers)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=register) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200] * 9 + [201], statuses
    with app.app_context():
        assert count_rows(PushSubscription) == 1
    assert len(patient.get(f"{API}/push/subscriptions").get_json()) == 1


def test_another_account_cannot_take_an_endpoint_without_its_keys(make_patient):
    alice, mallory = make_patient(), make_patient()
    info = body("http://127.0.0.1:9/push/alice")
    assert alice.post(f"{API}/push/subscriptions", json=info).status_code == 201
    forged = {**info, "keys": body("x")["keys"]}
    response = mallory.post(f"{API}/push/subscriptions", json=forged)
    assert "keys" in assert_error(response, 409)["errors"]["json"]
    assert mallory.get(f"{API}/push/subscriptions").get_json() == []
    assert len(alice.get(f"{API}/push/subscriptions").get_json()) == 1
    # The same keys prove it is the same browser (the patient re-installed): it moves.
    assert mallory.post(f"{API}/push/subscriptions", json=info).status_code == 200
    assert alice.get(f"{API}/push/subscriptions").get_json() == []


def test_the_same_account_may_renew_its_keys(patient):
    info = body("http://127.0.0.1:9/push/renew")
    assert patient.post(f"{API}/push/subscriptions", json=info).status_code == 201
    renewed = {**info, "keys": body("x", auth=b"fedcba9876543210")["keys"]}
    assert patient.post(f"{API}/push/subscriptions", json=renewed).status_code == 200


def test_subscriptions_per_patient_are_capped(app, patient):
    limit = app.config["MAX_PUSH_SUBSCRIPTIONS_PER_PATIENT"]
    for n in range(limit):
        response = patient.post(f"{API}/push/subscriptions", json=body(f"http://127.0.0.1:9/push/cap{n}"))
        assert response.status_code == 201
    over = patient.post(f"{API}/push/subscriptions", json=body("http://127.0.0.1:9/push/one-more"))
    assert str(limit) in assert_error(over, 409)["message"]
    # Re-registering one it already has is still fine.
    again = patient.post(f"{API}/push/subscriptions", json=body("http://127.0.0.1:9/push/cap0"))
    assert again.status_code == 200
    with app.app_context():
        assert count_rows(PushSubscription) == limit
