"""Fixtures for the sender-against-local-push-service tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from backend.push.sender import PushMessage
from backend.push.vapid import VapidKeys
from tests.push._helpers import SUBJECT, target_for
from tests.support.push_service import PushService


@pytest.fixture(scope="session")
def vapid_keys() -> VapidKeys:
    return VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT)


@pytest.fixture
def push_service() -> Iterator[PushService]:
    with PushService() as service:
        yield service


@pytest.fixture
def tls_push_service() -> Iterator[PushService]:
    with PushService(tls=True) as service:
        yield service


@pytest.fixture
def make_message(push_service: PushService) -> Callable[..., PushMessage]:
    """``make_message(payload=..., ttl=..., service=...)`` -> a message to a fresh subscription."""

    def make(payload: dict | None = None, *, service: PushService | None = None, **kwargs) -> PushMessage:
        subscription = (service or push_service).new_subscription()
        kwargs.setdefault("ttl", 3600)
        return PushMessage(target=target_for(subscription), payload=payload or {"kind": "dose"}, **kwargs)

    return make
