"""The sender against each push service's documented rules (Apple, Mozilla autopush, FCM).

The local push service answers as each real service does, selected by the endpoint's host
(``web.push.apple.test``, ``updates.push.services.mozilla.test``, ``fcm.googleapis.test``); the
sender reaches those names through its pinned resolver, all on loopback and over TLS.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from backend.push.sender import (
    AES128GCM_OVERHEAD,
    MAX_ENCRYPTED_BODY,
    PushMessage,
    PushSender,
    fit_payload,
)
from backend.push.vapid import VapidKeys
from tests.push._helpers import SUBJECT, RecordingSleep, target_for
from tests.support.push_service import MAX_BODY, PROFILES, PushService

SERVICES = tuple(PROFILES)


@pytest.fixture
def services() -> Iterator[PushService]:
    with PushService(tls=True) as service:
        yield service


def sender_for(service: PushService, vapid: VapidKeys, **kwargs) -> PushSender:
    return PushSender(vapid, ca_bundle=service.ca_path, resolve=service.resolve_map, **kwargs)


def message(service: PushService, vapid: VapidKeys, profile: str, payload: dict | None = None, **kwargs):
    sub = service.new_subscription(profile, application_server_key=vapid.public_key_b64url)
    kwargs.setdefault("ttl", 3600)
    return PushMessage(target_for(sub), payload or {"kind": "dose", "title": "t", "body": "b"}, **kwargs)


def test_profile_hosts_resolve_only_to_loopback(services):
    assert set(services.resolve_map.values()) == {"127.0.0.1"}
    assert {h.rsplit(".", 1)[1] for h in services.resolve_map} == {"test"}  # RFC 2606: never real


@pytest.mark.parametrize("profile", SERVICES)
def test_each_service_accepts_a_correct_push_with_urgency_and_topic(services, vapid_keys, profile):
    sent = message(services, vapid_keys, profile, urgency="high", topic="occ-123")
    [result] = sender_for(services, vapid_keys).send_many([sent])
    assert result.ok and result.status_code == 201, result
    [delivery] = services.deliveries(sent.target.subscription_id)
    assert delivery.headers["Urgency"] == "high" and delivery.headers["Topic"] == "occ-123"
    assert services.failures == []


@pytest.mark.parametrize(("profile", "status"), [("apple", 403), ("mozilla", 200), ("fcm", 200)])
def test_only_apple_refuses_a_localhost_subject(services, profile, status):
    """A subject naming localhost is a valid mailto: URL, but Apple refuses it with BadJwtToken."""
    key = ec.generate_private_key(ec.SECP256R1())
    vapid = VapidKeys(key, "mailto:ops@localhost.localdomain")
    sent = message(services, vapid, profile)
    [result] = sender_for(services, vapid).send_many([sent])
    if status == 403:
        assert result.auth_error and not result.gone and result.status_code == 403
        assert "BadJwtToken" in result.error
    else:
        assert result.ok


@pytest.mark.parametrize(("profile", "status"), [("apple", 403), ("mozilla", 401), ("fcm", 403)])
def test_a_key_other_than_the_subscriptions_is_an_auth_error_not_gone(services, vapid_keys, profile, status):
    other = VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT)
    sent = message(services, vapid_keys, profile)  # bound to vapid_keys
    [result] = sender_for(services, other).send_many([sent])
    assert result.status_code == status and result.auth_error and not result.gone and not result.ok
    assert result.attempts == 1  # never retried


@pytest.mark.parametrize(("profile", "status"), [(p, s) for p in SERVICES for s in (404, 410)])
def test_expired_or_unknown_subscription_is_gone_on_every_service(services, vapid_keys, profile, status):
    sent = message(services, vapid_keys, profile)
    sid = sent.target.subscription_id
    if status == 410:
        services.expire(sid)
    else:
        services._subscriptions.pop(sid)  # the service no longer knows it
    [result] = sender_for(services, vapid_keys).send_many([sent])
    assert result.gone and result.status_code == status and result.attempts == 1


@pytest.mark.parametrize("profile", SERVICES)
def test_long_text_is_shortened_to_fit_and_keeps_the_action(services, vapid_keys, profile):
    actions = [{"action": "taken", "title": "Taken"}, {"action": "snooze", "title": "Snooze 10 min"}]
    payload = {
        "kind": "dose",
        "title": "Capsule time " + "é" * 600,
        "body": "Take your capsule with a meal. " * 200,  # ~6 KB: over every service's 4,096 bytes
        "url": "/today?dose=1",
        "actions": actions,
    }
    sent = message(services, vapid_keys, profile, payload)
    [result] = sender_for(services, vapid_keys).send_many([sent])
    assert result.ok, result
    [delivery] = services.deliveries(sent.target.subscription_id)
    got = delivery.payload
    assert got["actions"] == actions and got["url"] == "/today?dose=1" and got["kind"] == "dose"
    assert got["body"].endswith("\u2026") and payload["body"].startswith(got["body"][:-1])
    plaintext = json.dumps(got, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    # the measured encrypted record: one aes128gcm record = 86-byte header + text + delimiter + tag
    assert delivery.body_size == len(plaintext) + AES128GCM_OVERHEAD
    assert delivery.body_size < MAX_ENCRYPTED_BODY < MAX_BODY


def test_fit_payload_drops_the_locale_templates_before_cutting_text():
    local = {"title": "Visit at {time}", "body": "x" * 2500 + " {time}", "values": {"time": "09:30"}}
    data, shortened = fit_payload({"title": "Visit at 09:30", "body": "Bring your card.", "local": local})
    assert shortened and json.loads(data) == {"title": "Visit at 09:30", "body": "Bring your card."}


def test_fit_payload_cuts_the_title_too_when_the_body_is_not_enough():
    data, shortened = fit_payload({"title": "T" * 5000, "body": "b" * 10, "url": "/x"})
    got = json.loads(data)
    assert shortened and got["url"] == "/x" and got["body"] == "" and got["title"].endswith("\u2026")
    assert len(data) + AES128GCM_OVERHEAD < MAX_ENCRYPTED_BODY


def test_a_429_holds_only_that_origin(services, vapid_keys):
    """Mozilla throttles for 1 s: its messages wait for Retry-After; FCM's are not slowed."""
    services.throttle(1, profile="mozilla")
    mozilla = [message(services, vapid_keys, "mozilla") for _ in range(3)]
    fcm = [message(services, vapid_keys, "fcm") for _ in range(3)]
    start = time.time()
    results = sender_for(services, vapid_keys).send_many([*mozilla, *fcm])
    assert all(r.ok for r in results), results
    fcm_done = max(a.at for m in fcm for a in services.answers(m.target.subscription_id))
    mozilla_done = max(a.at for m in mozilla for a in services.answers(m.target.subscription_id))
    assert fcm_done - start < 0.5 <= mozilla_done - start  # FCM did not wait for Mozilla's hold
    throttled = [a.status for m in mozilla for a in services.answers(m.target.subscription_id)]
    assert throttled.count(201) == 3 and set(throttled) == {201, 429}


def test_a_long_retry_after_defers_that_origins_later_messages_without_sending(services, vapid_keys):
    clock = [1000.0]
    sender = sender_for(services, vapid_keys, clock=lambda: clock[0], sleep=RecordingSleep())
    services.throttle(300, profile="mozilla")
    [first] = sender.send_many([message(services, vapid_keys, "mozilla")])
    assert not first.ok and first.status_code == 429 and 299 <= first.retry_after <= 300
    assert not first.deferred and not first.permanent and not first.gone

    later = [message(services, vapid_keys, "mozilla") for _ in range(2)]
    other = message(services, vapid_keys, "apple")
    results = sender.send_many([*later, other])
    for result, sent in zip(results[:2], later, strict=True):
        assert result.deferred and not result.ok and result.attempts == 0 and result.retry_after > 60
        assert services.answers(sent.target.subscription_id) == []  # never reached the service
    assert results[2].ok  # Apple is not held

    clock[0] += 301  # the hold runs out (the service's throttle too)
    services.throttle(0, profile="mozilla")
    assert sender.held_for(services.profile_origin("mozilla")) == 0
    assert all(r.ok for r in sender.send_many(later))


def _raw_post(service: PushService, profile: str, sid: str, headers: dict, body: bytes = b"x") -> tuple:
    """POST to the service on loopback as ``profile``'s host (plain http service), for header rules."""
    conn = http.client.HTTPConnection("127.0.0.1", service.port, timeout=5)
    conn.request(
        "POST",
        f"/push/{sid}",
        body=body,
        headers={"Host": f"{PROFILES[profile].host}:{service.port}", **headers},
    )
    response = conn.getresponse()
    result = response.status, json.loads(response.read() or b"null")
    conn.close()
    return result


def _vapid(service: PushService, profile: str, key, **claims) -> str:
    claims.setdefault("aud", service.profile_origin(profile))
    claims.setdefault("sub", SUBJECT)
    claims.setdefault("exp", int(time.time()) + 3600)
    return Vapid02(key).sign(claims)["Authorization"]


@pytest.fixture
def plain_service() -> Iterator[PushService]:
    with PushService() as service:
        yield service


def test_apple_documented_refusals(plain_service):
    """Apple: exp over a day ahead, a wrong aud, no token, a bad Topic or Urgency, over 4,096 bytes."""
    key = ec.generate_private_key(ec.SECP256R1())
    sid = PushService.subscription_id(plain_service.new_subscription("apple"))
    base = {"TTL": "60", "Content-Encoding": "aes128gcm"}
    too_late = _vapid(plain_service, "apple", key, exp=int(time.time()) + 25 * 3600)
    assert _raw_post(plain_service, "apple", sid, {**base, "Authorization": too_late}) == (
        403,
        {"reason": "BadJwtToken"},
    )
    wrong_aud = _vapid(plain_service, "apple", key, aud="https://fcm.googleapis.com")
    assert _raw_post(plain_service, "apple", sid, {**base, "Authorization": wrong_aud})[0] == 403
    assert _raw_post(plain_service, "apple", sid, base) == (403, {"reason": "BadJwtToken"})
    good = _vapid(plain_service, "apple", key)
    long_topic = {**base, "Authorization": good, "Topic": "t" * 33}
    assert _raw_post(plain_service, "apple", sid, long_topic)[0] == 400
    assert _raw_post(plain_service, "apple", sid, {**base, "Authorization": good, "Topic": "a+b"})[0] == 400
    assert _raw_post(plain_service, "apple", sid, {**base, "Authorization": good, "Urgency": "now"})[0] == 400
    big = _raw_post(plain_service, "apple", sid, {**base, "Authorization": good}, b"x" * (MAX_BODY + 1))
    assert big == (413, {"reason": "PayloadTooLarge"})
    plain_service.expire(sid)
    assert _raw_post(plain_service, "apple", sid, {**base, "Authorization": good}) == (
        410,
        {"reason": "Unregistered"},
    )


def test_mozilla_and_fcm_documented_refusals(plain_service):
    key = ec.generate_private_key(ec.SECP256R1())
    for profile, auth_status in (("mozilla", 401), ("fcm", 403)):
        sid = PushService.subscription_id(plain_service.new_subscription(profile))
        good = _vapid(plain_service, profile, key)
        base = {"TTL": "60", "Content-Encoding": "aes128gcm", "Authorization": good}
        too_late = {
            **base,
            "Authorization": _vapid(plain_service, profile, key, exp=int(time.time()) + 90000),
        }
        assert _raw_post(plain_service, profile, sid, too_late)[0] == auth_status
        no_ttl = {k: v for k, v in base.items() if k != "TTL"}
        status, body = _raw_post(plain_service, profile, sid, no_ttl)
        assert status == 400
        status, body = _raw_post(plain_service, profile, sid, base, b"x" * (MAX_BODY + 1))
        assert status == 413
        if profile == "mozilla":
            assert body["errno"] == 104 and body["code"] == 413
        plain_service.throttle(30, profile=profile)
        conn = http.client.HTTPConnection("127.0.0.1", plain_service.port, timeout=5)
        conn.request(
            "POST",
            f"/push/{sid}",
            body=b"x",
            headers={"Host": f"{PROFILES[profile].host}:{plain_service.port}", **base},
        )
        response = conn.getresponse()
        assert response.status == 429 and 29 <= int(response.getheader("Retry-After")) <= 30
        conn.close()
        plain_service.throttle(0, profile=profile)
        assert _raw_post(plain_service, profile, "no-such-subscription", base)[0] == 404
        plain_service.expire(sid)
        assert _raw_post(plain_service, profile, sid, base)[0] == 410


def test_fcm_400_and_413_are_permanent_and_429_is_retried(services, vapid_keys):
    sender = sender_for(services, vapid_keys, sleep=RecordingSleep())
    for status in (400, 413):
        sent = message(services, vapid_keys, "fcm")
        services.respond(status, subscription_id=sent.target.subscription_id)
        [result] = sender.send_many([sent])
        assert result.permanent and result.status_code == status and result.attempts == 1
    sent = message(services, vapid_keys, "fcm")
    services.respond(429, retry_after=2, subscription_id=sent.target.subscription_id)
    [result] = sender.send_many([sent])
    assert result.ok and result.attempts == 2


def test_send_many_async_also_pins_the_hosts(services, vapid_keys):
    sent = message(services, vapid_keys, "apple")
    [result] = asyncio.run(sender_for(services, vapid_keys).send_many_async([sent]))
    assert result.ok


def test_the_sender_process_pins_the_hosts_and_holds_an_origin_too(services, vapid_keys):
    """The dispatcher's default sender (a child process) gets the same options and per-origin hold."""
    from backend.push.sender_process import SenderProcess

    sender = SenderProcess(vapid_keys, ca_bundle=services.ca_path, resolve=services.resolve_map)
    try:
        services.throttle(300, profile="fcm")
        [first] = sender.send_many([message(services, vapid_keys, "fcm")])
        assert first.status_code == 429 and first.retry_after and first.retry_after > 60
        held, free = sender.send_many(
            [message(services, vapid_keys, "fcm"), message(services, vapid_keys, "apple")]
        )
        assert held.deferred and held.attempts == 0 and not held.ok
        assert free.ok
    finally:
        sender.close()
