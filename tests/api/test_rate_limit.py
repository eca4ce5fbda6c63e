"""Rate limits (Flask-Limiter) counted in real Redis and shared by every gunicorn worker.

The app runs as a real server in its own process, so the limiter configured here never touches the
session app that the other API tests use.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REPO = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(
    base: str, method: str, path: str, token: str | None = None, forwarded_for: str | None = None
) -> tuple[int, dict, dict]:
    request = urllib.request.Request(base + path, method=method, data=b"{}" if method == "POST" else None)
    request.add_header("Content-Type", "application/json")
    if forwarded_for:
        request.add_header("X-Forwarded-For", forwarded_for)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"null")


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn with two workers, rate limits on, counters in Redis under a fresh key prefix."""
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT} in CI")
        pytest.skip(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}")
    tmp = tmp_path_factory.mktemp("ratelimit")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'limits.db'}",
        "INSTANCE_PATH": str(tmp),
        "RATELIMIT_ENABLED": "1",
        "RATELIMIT_STORAGE_URI": f"redis://{REDIS_HOST}:{REDIS_PORT}",
        "RATELIMIT_KEY_PREFIX": f"clearcourse-test-{uuid.uuid4().hex}",
        "ACCOUNT_CREATE_LIMIT": "3 per minute",
        "PROXY_HOPS": "1",  # as behind one reverse proxy
    }
    flask = str(Path(sys.executable).with_name("flask"))
    subprocess.run(
        [flask, "--app", "wsgi", "db", "upgrade"], cwd=REPO, env=env, check=True, capture_output=True
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the rate-limited server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(15)


def test_fourth_account_in_a_minute_is_429_across_workers(limited_server):
    statuses, tokens = [], []
    for _ in range(3):
        status, _headers, body = _call(limited_server, "POST", "/api/v1/patients")
        statuses.append(status)
        tokens.append(body.get("token"))
    assert statuses == [201, 201, 201]
    # Several requests in a row land on both workers; the count is shared through Redis.
    status, headers, body = _call(limited_server, "POST", "/api/v1/patients")
    assert status == 429, body
    assert body["code"] == 429 and body["status"] and body["message"]
    retry_after = headers.get("Retry-After")
    assert retry_after is not None and retry_after.isdigit() and 0 < int(retry_after) <= 60
    # Other endpoints still answer for the accounts that were created.
    for token in tokens:
        status, _headers, courses = _call(limited_server, "GET", "/api/v1/courses", token)
        assert (status, courses) == (200, [])
    assert _call(limited_server, "GET", "/healthz")[0] == 200


def test_behind_a_trusted_proxy_each_client_address_has_its_own_bucket(limited_server):
    """PROXY_HOPS=1: the address the proxy appended counts, not the socket's (the proxy's)."""

    def create(forwarded_for: str) -> int:
        return _call(limited_server, "POST", "/api/v1/patients", forwarded_for=forwarded_for)[0]

    assert [create("203.0.113.7") for _ in range(3)] == [201, 201, 201]
    assert create("203.0.113.7") == 429
    # A client cannot pick a fresh bucket by prepending its own X-Forwarded-For entry.
    assert create("198.51.100.99, 203.0.113.7") == 429
    assert create("203.0.113.8") == 201  # another patient behind the same proxy


def test_caregiver_invite_guessing_is_rate_limited_like_link_codes(limited_server):
    """POST /caregiving/join: 10 tries a minute per client address, then 429 (wrong codes count)."""

    def guess(forwarded_for: str) -> int:
        request = urllib.request.Request(
            limited_server + "/api/v1/caregiving/join",
            method="POST",
            data=json.dumps({"code": "ABCD-EFGH"}).encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    assert [guess("203.0.113.50") for _ in range(10)] == [404] * 10
    assert guess("203.0.113.50") == 429
    assert guess("203.0.113.51") == 404
