"""Behind a TLS reverse proxy (PROXY_HOPS=1) the client's address and scheme come from X-Forwarded-*."""

from __future__ import annotations

from flask import request

from backend import create_app
from backend.config import TestConfig


def _seen(hops: int) -> tuple[str, str]:
    app = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PROXY_HOPS": hops,
        }
    )
    seen: dict[str, str] = {}

    @app.before_request
    def _record() -> None:
        seen["addr"], seen["scheme"] = request.remote_addr or "", request.scheme

    app.test_client().get(
        "/api/v1/version",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    return seen["addr"], seen["scheme"]


def test_one_proxy_hop_is_trusted_for_address_and_scheme():
    assert _seen(1) == ("203.0.113.9", "https")


def test_no_proxy_configured_ignores_forwarded_headers():
    assert _seen(0) == ("10.0.0.2", "http")
