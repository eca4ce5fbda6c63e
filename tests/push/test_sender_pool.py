"""PushSender's shared loop thread and connection pool: reuse, threads, running loops, close, fork."""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import threading

import aiohttp
import pytest

from backend.push.sender import PushMessage, PushSender, PushTarget
from tests.push._helpers import RecordingSleep


@pytest.fixture
def new_connections(monkeypatch) -> list[int]:
    """Counts TCP connections opened by any aiohttp connector (TLS handshake included)."""
    opened: list[int] = []
    original = aiohttp.TCPConnector._create_connection

    async def counting(self, *args, **kwargs):
        opened.append(1)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(aiohttp.TCPConnector, "_create_connection", counting)
    return opened


def _sent_once(service, results) -> None:
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    sids = [d.subscription_id for d in service.deliveries()]
    assert sorted(sids) == sorted(r.subscription_id for r in results)
    assert len(set(sids)) == len(sids)


def test_second_batch_reuses_the_session_and_its_tls_connections(
    tls_push_service, make_message, vapid_keys, new_connections
):
    sender = PushSender(vapid_keys, concurrency=4, ca_bundle=tls_push_service.ca_path)
    try:
        first = sender.send_many([make_message(service=tls_push_service) for _ in range(20)])
        session = sender._runtime.session
        opened_by_first = len(new_connections)
        assert 1 <= opened_by_first <= 4
        second = sender.send_many([make_message(service=tls_push_service) for _ in range(20)])
        assert len(new_connections) == opened_by_first  # keep-alive: no new TCP/TLS connection
        assert sender._runtime.session is session
        _sent_once(tls_push_service, first + second)
    finally:
        sender.close()


def test_send_many_async_keeps_a_pool_per_call(push_service, make_message, vapid_keys, new_connections):
    sender = PushSender(vapid_keys, concurrency=2)

    async def main():
        await sender.send_many_async([make_message()])
        await sender.send_many_async([make_message()])

    asyncio.run(main())
    assert len(new_connections) == 2
    assert sender._runtime is None  # the shared loop thread is only started by send_many
    assert len(push_service.deliveries()) == 2


def test_send_many_from_inside_a_running_loop(push_service, make_message, vapid_keys):
    sender = PushSender(vapid_keys)

    async def main():
        return sender.send_many([make_message({"a": 1}), make_message({"b": 2})])

    try:
        results = asyncio.run(main())
        assert [r.ok for r in results] == [True, True]
        assert sorted(list(d.payload) for d in push_service.deliveries()) == [["a"], ["b"]]
    finally:
        sender.close()


def test_four_threads_at_once_each_message_delivered_exactly_once(push_service, make_message, vapid_keys):
    sender = PushSender(vapid_keys, concurrency=16)
    batches = [[make_message({"thread": t, "i": i}) for i in range(50)] for t in range(4)]
    barrier = threading.Barrier(4)
    results: dict[int, list] = {}
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            barrier.wait()
            results[t] = sender.send_many(batches[t])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        for t in range(4):  # each caller gets its own results, in its own input order
            assert [r.subscription_id for r in results[t]] == [m.target.subscription_id for m in batches[t]]
        _sent_once(push_service, [r for t in range(4) for r in results[t]])
        assert push_service.max_in_flight <= 16  # one semaphore shared by all callers
    finally:
        sender.close()


def test_close_is_idempotent_and_the_next_send_rebuilds_lazily(push_service, make_message, vapid_keys):
    sender = PushSender(vapid_keys)
    assert sender.send_many([make_message()])[0].ok
    runtime = sender._runtime
    session = runtime.session
    sender.close()
    assert session.closed
    assert not runtime.thread.is_alive()
    assert runtime.loop.is_closed()
    assert sender._runtime is None
    sender.close()  # idempotent

    assert sender.send_many([make_message()])[0].ok
    assert sender._runtime is not runtime and sender._runtime.session is not session
    sender.close()
    assert len(push_service.deliveries()) == 2


def test_close_without_any_send_is_a_no_op(vapid_keys):
    sender = PushSender(vapid_keys)
    sender.close()
    sender.close()


def test_a_closed_shared_session_is_recreated(push_service, make_message, vapid_keys):
    sender = PushSender(vapid_keys)
    try:
        assert sender.send_many([make_message()])[0].ok
        runtime = sender._runtime
        old = runtime.session
        asyncio.run_coroutine_threadsafe(old.close(), runtime.loop).result(5)
        assert sender.send_many([make_message()])[0].ok
        assert runtime.session is not old and not runtime.session.closed
    finally:
        sender.close()


def test_connection_error_does_not_poison_the_shared_session(push_service, make_message, vapid_keys):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    live = make_message()
    dead = PushMessage(
        target=PushTarget(
            "dead", f"http://127.0.0.1:{dead_port}/push/x", live.target.p256dh, live.target.auth
        ),
        payload={"kind": "dose"},
        ttl=60,
    )
    sender = PushSender(vapid_keys, max_attempts=2, sleep=RecordingSleep())
    try:
        [failed] = sender.send_many([dead])
        assert not failed.ok and "connection error" in failed.error
        session = sender._runtime.session
        assert sender.send_many([live])[0].ok
        assert sender._runtime.session is session
    finally:
        sender.close()


def test_garbage_collected_sender_stops_its_loop_thread(push_service, make_message, vapid_keys):
    sender = PushSender(vapid_keys)
    assert sender.send_many([make_message()])[0].ok
    thread = sender._runtime.thread
    del sender
    gc.collect()
    thread.join(10)
    assert not thread.is_alive()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_builds_its_own_loop_and_session(push_service, make_message, vapid_keys):
    sender = PushSender(vapid_keys)
    try:
        assert sender.send_many([make_message({"who": "parent"})])[0].ok
        parent_runtime = sender._runtime
        child_message = make_message({"who": "child"})
        pid = os.fork()
        if pid == 0:  # child: must not touch the parent's loop (its thread does not exist here)
            code = 1
            try:
                [result] = sender.send_many([child_message])
                if result.ok and sender._runtime is not parent_runtime and sender._runtime.pid == os.getpid():
                    code = 0
                sender.close()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert sender._runtime is parent_runtime and parent_runtime.thread.is_alive()
        assert sender.send_many([make_message({"who": "parent again"})])[0].ok
        whos = sorted(d.payload["who"] for d in push_service.deliveries())
        assert whos == ["child", "parent", "parent again"]
    finally:
        sender.close()


def test_submitted_batches_share_one_in_flight_window(make_message, push_service, vapid_keys):
    """Batches submitted back to back queue behind each other in ONE window of `concurrency`."""
    push_service.delay = 0.2
    sender = PushSender(vapid_keys, concurrency=4)
    try:
        first = [make_message({"batch": 1, "i": i}) for i in range(6)]
        second = [make_message({"batch": 2, "i": i}) for i in range(6)]
        futures = [sender.submit_many(first), sender.submit_many(second)]  # neither waits for the other
        results = [f.result(timeout=30) for f in futures]
    finally:
        sender.close()
    assert [r.subscription_id for r in results[0]] == [m.target.subscription_id for m in first]
    assert [r.subscription_id for r in results[1]] == [m.target.subscription_id for m in second]
    _sent_once(push_service, results[0] + results[1])
    assert push_service.max_in_flight == 4  # full, and never more than the one window


def test_counting_push_service_counts_without_verifying(vapid_keys):
    import urllib.request

    from tests.push._helpers import target_for
    from tests.support.push_service import PushService

    with PushService(verify=False) as service:
        messages = [
            PushMessage(target=target_for(service.new_subscription()), payload={"kind": "dose"}, ttl=60)
            for _ in range(3)
        ]
        results = PushSender(vapid_keys).send_many([*messages, messages[0]])
        # No VAPID, no TTL, no encryption: a verifying service answers 401; this one only counts.
        raw = urllib.request.urlopen(urllib.request.Request(messages[1].target.endpoint, b"x", method="POST"))
        assert raw.status == 201
        counts = service.counts()
        assert service.deliveries() == []  # nothing decrypted
        assert service.failures == []
    assert all(r.ok for r in results)
    assert counts == {
        messages[0].target.subscription_id: 2,
        messages[1].target.subscription_id: 2,
        messages[2].target.subscription_id: 1,
    }
