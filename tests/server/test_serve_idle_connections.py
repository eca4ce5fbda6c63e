"""The real `python -m backend.serve` keeps answering while clients hold idle connections open.

Browsers pre-connect sockets they may never use; a phone on a weak network sends its request slowly.
Neither may stall the answers other requests get (issue 7, item 1).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@pytest.fixture
def served(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "VAPID_SUBJECT": "mailto:push-test@clearcourse.dev",
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.serve", "--port", str(port), "--workers", "2", "--no-scheduler"],
        cwd=REPO,
        env=env,
        stdout=(tmp_path / "server.out").open("w"),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60  # each worker imports the app; the machine may be busy
        while time.monotonic() < deadline:
            try:
                if _get(port, "/healthz", 1.0)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not come up")
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def test_ten_idle_connections_do_not_stall_an_answer(served):
    idle = [socket.create_connection(("127.0.0.1", served)) for _ in range(10)]
    try:
        time.sleep(0.5)  # let every idle socket be accepted (a sync worker would now be stuck on one)
        started = time.monotonic()
        status, body = _get(served, "/healthz", timeout=5.0)
        elapsed = time.monotonic() - started
    finally:
        for sock in idle:
            sock.close()
    assert status == 200 and b'"ok"' in body
    assert elapsed < 2.0, f"/healthz took {elapsed:.2f} s with 10 idle connections open"


def test_a_slowly_sent_request_does_not_stall_others(served):
    slow = socket.create_connection(("127.0.0.1", served))
    try:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: loc")  # the rest never comes while we ask
        time.sleep(0.3)
        answers = [_get(served, "/api/v1/version", timeout=5.0) for _ in range(5)]
        slow.sendall(b"alhost\r\nConnection: close\r\n\r\n")
        slow.settimeout(5.0)
        late = b""
        while chunk := slow.recv(65536):
            late += chunk
    finally:
        slow.close()
    assert [status for status, _ in answers] == [200] * 5
    assert late.startswith(b"HTTP/1.1 200")


def test_the_access_log_never_holds_a_calendar_feed_token(served, tmp_path):
    secret = "Zk3xQ9vLmN0pR7sT2uVwXyA4bC6dE8fG"
    assert _get(served, f"/api/v1/calendar/{secret}.ics", 10.0)[0] == 404
    assert _get(served, "/api/v1/version", 10.0)[0] == 200
    log = tmp_path / "server.out"
    deadline = time.monotonic() + 10
    while "/api/v1/version" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = log.read_text()
    assert "/api/v1/version" in text  # the access log is on
    assert "/api/v1/calendar/[redacted].ics" in text
    assert secret not in text
