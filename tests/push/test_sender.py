"""PushSender against the local push service, which verifies VAPID and decrypts like a real one."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import socket
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from backend.push.sender import (
    MAX_ENCRYPTED_BODY,
    MAX_PAYLOAD_BYTES,
    PushMessage,
    PushSender,
    PushTarget,
    encode_payload,
    make_topic,
    parse_retry_after,
)
from backend.push.vapid import VapidKeys
from tests.push._helpers import SUBJECT, RecordingSleep, target_for

PAYLOAD = {
    "id": "rem_01J9Z",
    "kind": "dose",
    "title": "Time for your capsule",
    "body": "20 mg with food · Süß ✓",
    "url": "/today",
}


def test_delivered_payload_decrypts_to_the_exact_json_with_headers(push_service, make_message, vapid_keys):
    topic = make_topic("reminder:42:2026-01-05T08:00")
    message = make_message(PAYLOAD, ttl=1800, urgency="high", topic=topic)

    [result] = PushSender(vapid_keys).send_many([message])

    assert result.ok and result.status_code == 201 and result.attempts == 1
    assert not (result.gone or result.permanent or result.auth_error) and result.error is None
    [delivery] = push_service.deliveries(message.target.subscription_id)
    assert delivery.payload == PAYLOAD
    assert delivery.headers == {"TTL": "1800", "Urgency": "high", "Topic": topic}
    assert delivery.body_size < MAX_ENCRYPTED_BODY
    assert push_service.failures == []


def test_defaults_send_normal_urgency_and_no_topic(push_service, make_message, vapid_keys):
    message = make_message(ttl=60)
    [result] = PushSender(vapid_keys).send_many([message])
    assert result.ok
    assert push_service.deliveries()[0].headers == {"TTL": "60", "Urgency": "normal", "Topic": None}


def test_results_keep_input_order_and_one_vapid_token_per_origin(push_service, make_message, vapid_keys):
    messages = [make_message({"n": i}) for i in range(20)]
    results = PushSender(vapid_keys).send_many(messages)
    assert [r.subscription_id for r in results] == [m.target.subscription_id for m in messages]
    assert all(r.ok for r in results)
    assert push_service.distinct_tokens == 1  # signed once, reused for every request


@pytest.mark.parametrize("status", [410, 404])
def test_gone_subscription_is_reported_and_not_retried(push_service, make_message, vapid_keys, status):
    message = make_message()
    sid = message.target.subscription_id
    push_service.respond(status, subscription_id=sid)

    [result] = PushSender(vapid_keys, sleep=RecordingSleep()).send_many([message])

    assert result.gone and not result.ok and not result.permanent and not result.auth_error
    assert result.status_code == status and result.attempts == 1
    assert len(push_service.answers(sid)) == 1


def test_unknown_subscription_is_404_gone(push_service, vapid_keys):
    target = target_for(push_service.new_subscription())
    target = PushTarget("missing", push_service.origin + "/push/no-such-id", target.p256dh, target.auth)
    [result] = PushSender(vapid_keys).send_many([PushMessage(target, PAYLOAD, ttl=60)])
    assert result.gone and result.status_code == 404


def test_expired_subscription_is_410_gone(push_service, make_message, vapid_keys):
    message = make_message()
    push_service.expire(message.target.subscription_id)
    [result] = PushSender(vapid_keys).send_many([message])
    assert result.gone and result.status_code == 410


def test_429_retry_after_is_honoured_then_delivered_once(push_service, make_message, vapid_keys):
    message = make_message(PAYLOAD)
    sid = message.target.subscription_id
    push_service.respond(429, retry_after=1, subscription_id=sid)

    started = time.monotonic()
    [result] = PushSender(vapid_keys).send_many([message])
    elapsed = time.monotonic() - started

    assert result.ok and result.attempts == 2
    first, second = push_service.answers(sid)
    assert (first.status, second.status) == (429, 201)
    assert second.at - first.at >= 1.0
    assert elapsed >= 1.0
    assert push_service.received(sid) == [PAYLOAD]


def test_retry_after_longer_than_the_cap_is_left_to_the_caller(push_service, make_message, vapid_keys):
    message = make_message()
    push_service.respond(429, retry_after=120, subscription_id=message.target.subscription_id)
    sleep = RecordingSleep()
    [result] = PushSender(vapid_keys, max_retry_after=60, sleep=sleep).send_many([message])
    assert not result.ok and not result.permanent and not result.gone
    assert result.status_code == 429 and result.retry_after == 120 and result.attempts == 1
    assert sleep.delays == []


def test_5xx_retried_with_jittered_backoff(push_service, make_message, vapid_keys):
    message = make_message(PAYLOAD)
    sid = message.target.subscription_id
    push_service.respond(500, times=2, subscription_id=sid)
    sleep = RecordingSleep()

    [result] = PushSender(vapid_keys, backoff_base=0.5, sleep=sleep).send_many([message])

    assert result.ok and result.attempts == 3 and result.status_code == 201
    assert [a.status for a in push_service.answers(sid)] == [500, 500, 201]
    assert push_service.received(sid) == [PAYLOAD]
    assert len(sleep.delays) == 2
    assert 0 <= sleep.delays[0] <= 0.5 and 0 <= sleep.delays[1] <= 1.0  # full jitter, doubling ceiling


def test_5xx_gives_up_after_max_attempts(push_service, make_message, vapid_keys):
    message = make_message()
    push_service.respond(503, times=10, subscription_id=message.target.subscription_id)
    sleep = RecordingSleep()
    [result] = PushSender(vapid_keys, max_attempts=3, sleep=sleep).send_many([message])
    assert not result.ok and not result.permanent and result.status_code == 503
    assert result.attempts == 3 and len(sleep.delays) == 2 and "503" in result.error


def test_413_is_permanent_and_not_retried(push_service, make_message, vapid_keys, caplog):
    message = make_message()
    sid = message.target.subscription_id
    push_service.respond(413, subscription_id=sid)
    with caplog.at_level(logging.ERROR, logger="backend.push.sender"):
        [result] = PushSender(vapid_keys, sleep=RecordingSleep()).send_many([message])
    assert result.permanent and not result.ok and not result.gone and result.status_code == 413
    assert result.attempts == 1 and len(push_service.answers(sid)) == 1
    assert "413" in caplog.text


def test_400_is_permanent(push_service, make_message, vapid_keys):
    message = make_message()
    push_service.respond(400, subscription_id=message.target.subscription_id)
    [result] = PushSender(vapid_keys, sleep=RecordingSleep()).send_many([message])
    assert result.permanent and result.attempts == 1 and result.status_code == 400


def test_403_is_an_auth_error_not_gone(push_service, make_message, vapid_keys, caplog):
    message = make_message()
    sid = message.target.subscription_id
    push_service.respond(403, subscription_id=sid, body='{"reason":"BadJwtToken"}')
    with caplog.at_level(logging.ERROR, logger="backend.push.sender"):
        [result] = PushSender(vapid_keys, sleep=RecordingSleep()).send_many([message])
    assert result.auth_error and not result.gone and not result.ok and result.status_code == 403
    assert result.attempts == 1 and len(push_service.answers(sid)) == 1
    assert any(r.levelno == logging.ERROR and "VAPID" in r.getMessage() for r in caplog.records)


def test_real_vapid_rejection_by_the_service_is_an_auth_error(push_service, make_message):
    skewed = VapidKeys(
        ec.generate_private_key(ec.SECP256R1()), SUBJECT, clock=lambda: time.time() - 2 * 86400
    )  # a server clock two days behind signs already-expired tokens
    [result] = PushSender(skewed).send_many([make_message()])
    assert result.auth_error and result.status_code == 403
    assert [f.status for f in push_service.failures] == [403]
    assert "expired" in push_service.failures[0].reason


def test_hung_request_times_out_and_is_retried(push_service, make_message, vapid_keys):
    message = make_message(PAYLOAD)
    sid = message.target.subscription_id
    push_service.hang(5, subscription_id=sid)
    sleep = RecordingSleep()

    started = time.monotonic()
    [result] = PushSender(vapid_keys, timeout=0.5, sleep=sleep).send_many([message])
    elapsed = time.monotonic() - started

    assert result.ok and result.attempts == 2
    assert 0.5 <= elapsed < 4
    assert push_service.received(sid) == [PAYLOAD]


def test_timeouts_exhaust_attempts_with_a_timeout_error(push_service, make_message, vapid_keys):
    message = make_message()
    push_service.hang(5, times=2, subscription_id=message.target.subscription_id)
    [result] = PushSender(vapid_keys, timeout=0.3, max_attempts=2, sleep=RecordingSleep()).send_many(
        [message]
    )
    assert not result.ok and not result.permanent and result.status_code is None
    assert result.attempts == 2 and "timeout" in result.error


def test_a_message_is_done_within_its_total_deadline_whatever_the_endpoint_does(
    push_service, make_message, vapid_keys
):
    """Per-request timeouts alone allow attempts × timeout + back-off; the deadline caps the total."""
    messages = [make_message() for _ in range(3)]
    for message in messages:
        push_service.hang(30, times=10, subscription_id=message.target.subscription_id)
    sender = PushSender(vapid_keys, timeout=10, max_attempts=4, backoff_base=0.2, deadline=1.0)
    started = time.monotonic()
    results = sender.send_many(messages)
    elapsed = time.monotonic() - started
    sender.close()
    assert elapsed < 2.0, f"three hanging endpoints held the sender {elapsed:.1f} s past a 1 s deadline"
    assert all(not r.ok and not r.permanent and "timeout" in r.error for r in results)


def test_connection_refused_is_retried_then_reported(push_service, vapid_keys):
    subscription = push_service.new_subscription()
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = target_for(subscription)
    target = PushTarget(target.subscription_id, f"http://127.0.0.1:{port}/push/x", target.p256dh, target.auth)
    sleep = RecordingSleep()
    [result] = PushSender(vapid_keys, max_attempts=3, sleep=sleep).send_many(
        [PushMessage(target, PAYLOAD, 60)]
    )
    assert not result.ok and not result.permanent and result.attempts == 3
    assert "connection error" in result.error and len(sleep.delays) == 2


def test_redirects_are_not_followed(push_service, make_message, vapid_keys):
    message = make_message()
    push_service.respond(307, subscription_id=message.target.subscription_id)
    [result] = PushSender(vapid_keys, sleep=RecordingSleep()).send_many([message])
    assert result.permanent and result.status_code == 307 and "redirect" in result.error


def test_retries_of_one_message_do_not_block_others(push_service, make_message, vapid_keys):
    # One request slot only: if the back-off held the slot, every other message would wait 1 s.
    slow = make_message({"who": "slow"})
    fast = [make_message({"who": f"fast{i}"}) for i in range(5)]
    push_service.respond(429, retry_after=1, subscription_id=slow.target.subscription_id)

    started = time.time()
    results = PushSender(vapid_keys, concurrency=1).send_many([slow, *fast])

    assert all(r.ok for r in results) and results[0].attempts == 2
    fast_done = max(d.received_at for m in fast for d in push_service.deliveries(m.target.subscription_id))
    slow_done = push_service.deliveries(slow.target.subscription_id)[0].received_at
    assert fast_done < slow_done
    assert fast_done - started < 0.9 < 1.0 <= slow_done - started


def test_https_with_the_test_ca(tls_push_service, make_message, vapid_keys):
    message = make_message(PAYLOAD, service=tls_push_service)
    assert message.target.endpoint.startswith("https://127.0.0.1:")
    [result] = PushSender(vapid_keys, ca_bundle=tls_push_service.ca_path).send_many([message])
    assert result.ok
    assert tls_push_service.received(message.target.subscription_id) == [PAYLOAD]
    assert tls_push_service.failures == []


def test_https_without_trusting_the_ca_fails_permanently(tls_push_service, make_message, vapid_keys):
    message = make_message(service=tls_push_service)
    [result] = PushSender(vapid_keys, sleep=RecordingSleep()).send_many([message])
    assert result.permanent and result.attempts == 1 and "certificate" in result.error
    assert tls_push_service.received() == []


def test_oversized_payload_without_text_to_shorten_refused_before_sending(
    push_service, make_message, vapid_keys
):
    big = make_message({"body": "short", "url": "/" + "x" * 3000})
    [result] = PushSender(vapid_keys).send_many([big])
    assert result.permanent and not result.ok and result.attempts == 0 and result.status_code is None
    assert "too large" in result.error
    assert push_service.answers() == []
    with pytest.raises(ValueError, match="too large"):
        encode_payload({"body": "short", "url": "/" + "x" * 3000})


def test_largest_allowed_payload_stays_under_2kb_encrypted(push_service, make_message, vapid_keys):
    overhead = len(encode_payload({"body": ""}))
    payload = {"body": "y" * (MAX_PAYLOAD_BYTES - overhead)}
    assert len(encode_payload(payload)) == MAX_PAYLOAD_BYTES
    [result] = PushSender(vapid_keys).send_many([make_message(payload)])
    assert result.ok
    assert push_service.deliveries()[0].body_size == MAX_ENCRYPTED_BODY - 1
    one_more = encode_payload({"body": "y" * (MAX_PAYLOAD_BYTES - overhead + 1)})  # shortened to fit
    assert len(one_more) <= MAX_PAYLOAD_BYTES and json.loads(one_more)["body"].endswith("\u2026")


def test_bad_subscription_keys_are_a_permanent_result(push_service, make_message, vapid_keys):
    good = make_message({"ok": True})
    short_key = PushTarget("short", push_service.origin + "/push/x", "not-a-key", "AAAA")
    not_on_curve = PushTarget(
        "off-curve",
        push_service.origin + "/push/y",
        base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).decode(),
        "AAAA",
    )
    results = PushSender(vapid_keys).send_many(
        [PushMessage(short_key, PAYLOAD, ttl=60), PushMessage(not_on_curve, PAYLOAD, ttl=60), good]
    )
    assert [r.permanent for r in results] == [True, True, False]
    assert all(r.error for r in results[:2]) and results[2].ok  # the batch survives
    assert len(push_service.answers()) == 1


def test_300_concurrent_messages_each_delivered_exactly_once(push_service, make_message, vapid_keys):
    push_service.delay = 0.02
    messages = [make_message({"n": i}) for i in range(300)]
    results = PushSender(vapid_keys, concurrency=64).send_many(messages)
    assert all(r.ok and r.attempts == 1 for r in results)
    for i, m in enumerate(messages):
        assert push_service.received(m.target.subscription_id) == [{"n": i}]
    assert len(push_service.deliveries()) == 300
    assert 1 < push_service.max_in_flight <= 64
    assert push_service.failures == []


def test_semaphore_bounds_requests_in_flight(push_service, make_message, vapid_keys):
    push_service.delay = 0.05
    messages = [make_message({"n": i}) for i in range(40)]
    assert all(r.ok for r in PushSender(vapid_keys, concurrency=8).send_many(messages))
    assert 2 <= push_service.max_in_flight <= 8


def test_send_many_async_inside_an_existing_loop(push_service, make_message, vapid_keys):
    async def main():
        return await PushSender(vapid_keys).send_many_async([make_message({"a": 1}), make_message({"b": 2})])

    results = asyncio.run(main())
    assert [r.ok for r in results] == [True, True]


def test_empty_batch():
    sender = PushSender(VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT))
    assert sender.send_many([]) == []


# -- pure helpers --------------------------------------------------------------------------------------


def test_make_topic_is_stable_and_rfc8030_shaped():
    topic = make_topic("reminder:42:2026-01-05T08:00")
    assert topic == make_topic("reminder:42:2026-01-05T08:00")
    assert topic != make_topic("reminder:42:2026-01-05T20:00")
    assert len(topic) == 32
    assert set(topic) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ttl": 0},
        {"ttl": -5},
        {"ttl": 1.5},
        {"ttl": True},
        {"urgency": "urgent"},
        {"topic": "a" * 33},
        {"topic": "has space"},
        {"topic": "pad=="},
    ],
)
def test_message_validation(kwargs):
    target = PushTarget("s", "https://fcm.googleapis.com/fcm/send/x", "k", "a")
    kwargs.setdefault("ttl", 60)
    with pytest.raises(ValueError):
        PushMessage(target, PAYLOAD, **kwargs)


def test_parse_retry_after():
    now = 1_800_000_000.0
    assert parse_retry_after("120", now=now) == 120
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    http_date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 90))
    assert parse_retry_after(http_date, now=now) == pytest.approx(90)
    past = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now - 90))
    assert parse_retry_after(past, now=now) == 0
