"""Helpers for the push tests (importable, unlike conftest)."""

from __future__ import annotations

from backend.push.sender import PushTarget
from tests.support.push_service import PushService

SUBJECT = "mailto:push-test@clearcourse.example.org"


def target_for(subscription: dict) -> PushTarget:
    return PushTarget(
        subscription_id=PushService.subscription_id(subscription),
        endpoint=subscription["endpoint"],
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
    )


class RecordingSleep:
    """An injected ``sleep`` that records delays and returns at once (no real waiting)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
