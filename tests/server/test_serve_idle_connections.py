"""The real `python -m backend.serve` keeps answering while clients hold idle connections open.

Browsers pre-connect sockets they may never use; a phone on a weak network sends its request slowly.
Neither may stall the answers other requests get (issue 7, item 1).
"""

from __future__ import annotations

import socket
import time

import pytest

from tests.support.real_server import serve


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
    with serve(tmp_path, "--workers", "2", "--no-scheduler") as server:
        yield server.port


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
    near_misses = [f"{secret}.ics", f"{secret}.ICS", f"{secret}.ics/", secret, f"/{secret}.ics"]
    for tail in near_misses:
        assert _get(served, f"/api/v1/calendar/{tail}", 10.0)[0] < 500
    assert _get(served, f"//api/v1//calendar/{secret}.ics", 10.0)[0] < 500
    assert _get(served, f"/API/V1/Calendar/{secret}.ics", 10.0)[0] < 500
    # An encoded newline would end the line and start a forged one.
    assert _get(served, "/nothing%0a127.0.0.1%20-%20%22GET%20/forged%20HTTP/1.1%22%20200", 10.0)[0] == 400
    assert _get(served, "/api/v1/version", 10.0)[0] == 200
    log = tmp_path / "server.log"
    deadline = time.monotonic() + 10
    while "/api/v1/version" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = log.read_text()
    assert "/api/v1/version" in text  # the access log is on
    assert "/api/v1/calendar/[redacted]" in text
    assert secret not in text
    assert "/nothing\\x0a127.0.0.1" in text
    assert not any(line.startswith("127.0.0.1 - \"GET /forged") for line in text.splitlines())
