"""SenderProcess: the same batches as PushSender, sent from a child process, against the verifying service."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from backend.push.sender import PushSender
from backend.push.sender_process import SenderProcess, SenderProcessDied

REPO = Path(__file__).resolve().parents[2]
PAYLOAD = {"kind": "dose", "title": "Time for capsule 1 of 2", "body": "20 mg with a meal · Süß ✓"}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is gone for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().split(") ", 1)[1][0] != "Z"


def _wait_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def sender(vapid_keys):
    process = SenderProcess(vapid_keys, timeout=5.0)
    yield process
    process.close()


def test_batches_decrypt_to_the_exact_json_with_results_in_order(push_service, make_message, sender):
    messages = [make_message({**PAYLOAD, "n": i}, ttl=1800, urgency="high") for i in range(40)]
    push_service.expire(messages[7].target.subscription_id)

    results = sender.send_many(messages)

    assert sender.pid is not None and sender.pid != os.getpid()
    assert [r.subscription_id for r in results] == [m.target.subscription_id for m in messages]
    assert results[7].gone and not results[7].ok
    assert all(r.ok and r.status_code == 201 for i, r in enumerate(results) if i != 7)
    for i, message in enumerate(messages):
        if i == 7:
            continue
        [delivery] = push_service.deliveries(message.target.subscription_id)
        assert delivery.payload == {**PAYLOAD, "n": i}
        assert delivery.headers == {"TTL": "1800", "Urgency": "high", "Topic": None}
    assert push_service.failures == []


def test_pipelined_batches_share_one_child_and_all_land(push_service, make_message, sender):
    batches = [[make_message({"batch": b, "n": i}) for i in range(25)] for b in range(4)]
    futures = [sender.submit_many(batch) for batch in batches]
    pid = sender.pid

    for batch, future in zip(batches, futures, strict=True):
        results = future.result(timeout=30)
        assert [r.subscription_id for r in results] == [m.target.subscription_id for m in batch]
        assert all(r.ok for r in results)
    assert sender.pid == pid
    assert len(push_service.received()) == 100


def test_empty_batch_starts_no_process(vapid_keys):
    process = SenderProcess(vapid_keys)
    assert process.send_many([]) == []
    assert process.pid is None


def test_bad_options_are_refused_in_the_callers_process(vapid_keys):
    with pytest.raises(ValueError):
        SenderProcess(vapid_keys, concurrency=0)


def test_a_killed_child_fails_its_batch_and_the_next_batch_starts_a_new_one(
    push_service, make_message, sender
):
    first = make_message()
    push_service.hang(30, subscription_id=first.target.subscription_id)
    pending = sender.submit_many([first])
    time.sleep(1.0)  # the child is up and the request hangs at the service
    assert not pending.done()
    old_pid = sender.pid
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)

    with pytest.raises(SenderProcessDied):
        pending.result(timeout=10)

    again = make_message(PAYLOAD)
    [result] = sender.send_many([again])
    assert result.ok
    assert sender.pid not in (None, old_pid)
    assert push_service.received(again.target.subscription_id) == [PAYLOAD]


def test_close_stops_the_child_and_a_later_batch_restarts_it(push_service, make_message, vapid_keys):
    process = SenderProcess(vapid_keys)
    assert process.send_many([make_message()])[0].ok
    pid = process.pid
    assert pid is not None

    process.close()
    assert process.pid is None
    assert _wait_gone(pid, 2), "close() returns after the child has exited"
    process.close()  # idempotent

    assert process.send_many([make_message()])[0].ok
    assert process.pid not in (None, pid)
    process.close()


def test_signals_to_the_group_leave_the_child_to_its_parent(push_service, make_message, sender):
    """SIGINT/SIGTERM (Ctrl-C, a service manager) reach the whole group; the parent stops after its pass."""
    assert sender.send_many([make_message()])[0].ok
    pid = sender.pid
    os.kill(pid, signal.SIGTERM)
    os.kill(pid, signal.SIGINT)
    time.sleep(0.3)
    assert _alive(pid)
    assert sender.send_many([make_message()])[0].ok
    assert sender.pid == pid


def test_the_child_exits_when_its_parent_is_killed(push_service, make_message, vapid_keys, tmp_path):
    """kill -9 of the dispatcher: its sender process sees end-of-file and exits instead of lingering."""
    pem = vapid_keys.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(pem)
    message = make_message()
    push_service.hang(60, subscription_id=message.target.subscription_id)
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from cryptography.hazmat.primitives import serialization
        from backend.push.sender import PushMessage, PushTarget
        from backend.push.sender_process import SenderProcess
        from backend.push.vapid import VapidKeys
        key = serialization.load_pem_private_key(open({str(key_file)!r}, "rb").read(), password=None)
        process = SenderProcess(VapidKeys(key, {vapid_keys.subject!r}))
        target = PushTarget(*{tuple(message.target.__dict__.values())!r})
        process.submit_many([PushMessage(target=target, payload={{"kind": "dose"}}, ttl=60)])
        print(process.pid, flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child_pid = int(parent.stdout.readline())
        assert _alive(child_pid)
        parent.kill()
        parent.wait(10)
        assert _wait_gone(child_pid, 10), "the sender process outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_same_results_as_the_in_process_sender(push_service, make_message, vapid_keys, sender):
    push_service.respond(400)
    first = [make_message()]
    push_service.respond(400)
    second = [make_message()]
    [in_process] = PushSender(vapid_keys).send_many(first)
    [in_child] = sender.send_many(second)
    assert (in_process.permanent, in_process.status_code, in_process.attempts) == (True, 400, 1)
    assert (in_child.permanent, in_child.status_code, in_child.attempts) == (True, 400, 1)


def test_start_runs_the_child_before_the_first_batch(push_service, make_message, sender):
    pid = sender.start()
    assert sender.pid == pid and _alive(pid)
    assert sender.start() == pid  # already running: the same child
    assert sender.send_many([make_message()])[0].ok
    assert sender.pid == pid


def test_a_child_that_cannot_start_is_reported_and_not_retried_at_once(
    push_service, make_message, vapid_keys, monkeypatch
):
    process = SenderProcess(vapid_keys)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(SenderProcessDied, match="did not start"):
        process.start()
    assert process.pid is None

    started: list[object] = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a) or real_popen(*a, **k))
    with pytest.raises(SenderProcessDied, match="not retrying yet"):
        process.submit_many([make_message()])
    assert started == []  # within the back-off no new child is tried

    monkeypatch.undo()
    process._retry_at = 0.0  # as when RESTART_BACKOFF has run out
    try:
        assert process.send_many([make_message()])[0].ok
    finally:
        process.close()


def test_the_child_does_not_load_the_web_app(sender):
    """The `backend` package is stubbed in the child: no Flask app factory, SQLAlchemy or Jinja in it."""
    import sqlalchemy  # noqa: F401  (the parent has them; the child must not)

    def native_libraries(pid: int) -> set[str]:
        maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
        return {line.split("site-packages/")[1].split("/")[0] for line in maps if "site-packages/" in line}

    child = native_libraries(sender.start())
    assert {"cryptography", "aiohttp"} <= child
    assert "sqlalchemy" in native_libraries(os.getpid())
    assert not child & {"sqlalchemy", "markupsafe", "yaml"}, child
