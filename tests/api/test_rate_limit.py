"""Account creation is rate limited (Flask-Limiter on real Redis); a 429 uses the one JSON error shape."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from backend import create_app
from backend.config import TestConfig
from backend.extensions import db, limiter
from tests.api.apihelp import API, assert_error

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _redis_up() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def limited_app(app: Flask, database_url: str, tmp_path) -> Iterator[Flask]:
    """A second app on the same (migrated) database with rate limiting on, against Redis."""
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT} in CI")
        pytest.skip(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}")
    # The Limiter is one module-level object whose init_app() keeps its state (enabled, storage, key
    # prefix) on itself; restore it afterwards so the session app stays unlimited.
    saved = dict(vars(limiter))
    saved_manager = dict(vars(limiter.limit_manager))
    limiter._key_prefix = ""  # init_app only takes RATELIMIT_KEY_PREFIX when none is set yet
    limited = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": f"redis://{REDIS_HOST}:{REDIS_PORT}",
            "RATELIMIT_KEY_PREFIX": f"clearcourse-test-{uuid.uuid4().hex}",
            "ACCOUNT_CREATE_LIMIT": "3 per minute",
        }
    )
    try:
        yield limited
    finally:
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()
        vars(limiter).clear()
        vars(limiter).update(saved)
        vars(limiter.limit_manager).clear()
        vars(limiter.limit_manager).update(saved_manager)


def test_fourth_account_in_a_minute_is_429_with_retry_after(limited_app, app):
    client = limited_app.test_client()
    for _ in range(3):
        response = client.post(f"{API}/patients")
        assert response.status_code == 201, response.get_json()
    blocked = client.post(f"{API}/patients")
    body = assert_error(blocked, 429)
    retry_after = blocked.headers.get("Retry-After")
    assert retry_after is not None and retry_after.isdigit() and 0 < int(retry_after) <= 60
    # Only three patients were stored.
    from backend.models import Patient

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Patient)) == 3
    assert body["status"]


def test_other_endpoints_are_not_blocked_by_the_account_limit(limited_app):
    client = limited_app.test_client()
    tokens = [client.post(f"{API}/patients").get_json()["token"] for _ in range(3)]
    assert client.post(f"{API}/patients").status_code == 429
    for token in tokens:
        assert client.get(f"{API}/courses", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_session_app_is_unlimited_after_the_limited_app(client):
    # Runs after the tests above (file order): the shared limiter state was restored, so the session app
    # (RATELIMIT_ENABLED False) creates more accounts than any configured limit would allow.
    assert limiter.enabled is False
    for _ in range(25):
        assert client.post(f"{API}/patients").status_code == 201
