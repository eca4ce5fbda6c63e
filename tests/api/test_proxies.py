"""Client address and scheme through PROXY_HOPS proxies; the warning when limits are per process."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request

from backend import create_app
from backend.serve import limits_warning
from backend.web import warn_if_limits_are_per_process


def _app(tmp_path, **settings) -> Flask:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "RATELIMIT_ENABLED": False, **settings}
    )

    @app.get("/whoami")
    def whoami():
        return jsonify(addr=request.remote_addr, secure=request.is_secure)

    return app


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path):
    client = _app(tmp_path).test_client()
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    body = client.get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.1"}).get_json()
    assert body == {"addr": "192.0.2.1", "secure": False}


def test_one_trusted_proxy_gives_the_address_it_appended(tmp_path):
    client = _app(tmp_path, PROXY_HOPS=1).test_client()
    headers = {"X-Forwarded-For": "198.51.100.99, 203.0.113.7", "X-Forwarded-Proto": "https"}
    response = client.get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert response.get_json() == {"addr": "203.0.113.7", "secure": True}
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_two_trusted_proxies(tmp_path):
    client = _app(tmp_path, PROXY_HOPS=2).test_client()
    headers = {"X-Forwarded-For": "198.51.100.99, 203.0.113.7, 10.0.0.2"}
    body = client.get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.3"}).get_json()
    assert body["addr"] == "203.0.113.7"


def test_start_up_says_when_limits_are_per_process(caplog):
    app = Flask("probe")
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    with caplog.at_level(logging.WARNING):
        warn_if_limits_are_per_process(app)
    assert "in this process only" in caplog.text
    caplog.clear()
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
    with caplog.at_level(logging.WARNING):
        warn_if_limits_are_per_process(app)
    assert caplog.text == ""


def test_serve_warns_with_several_workers_and_memory_storage():
    assert limits_warning(2, {}) is None  # unset: counters shared through the instance's SQLite file
    assert "2 web workers" in limits_warning(2, {"RATELIMIT_STORAGE_URI": "memory://"})
    assert limits_warning(1, {}) is None
    assert limits_warning(4, {"RATELIMIT_STORAGE_URI": "redis://cache:6379"}) is None
    assert limits_warning(4, {"RATELIMIT_ENABLED": "0"}) is None
