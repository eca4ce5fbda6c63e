"""The app's cached PushSender: one per app, closed (and its loop thread joined) at worker shutdown."""

from __future__ import annotations

from flask import Flask

from backend.reminders import dispatch


def test_close_sender_closes_and_forgets_the_cached_sender(app: Flask, push_service) -> None:
    from backend.push import PushMessage, PushTarget
    from tests.push._helpers import target_for

    sender = dispatch.get_sender(app)
    assert dispatch.get_sender(app) is sender
    target: PushTarget = target_for(push_service.new_subscription())
    assert sender.send_many([PushMessage(target, {"kind": "dose"}, ttl=60)])[0].ok
    thread = sender._runtime.thread

    dispatch.close_sender(app)
    assert not thread.is_alive()
    assert sender._runtime is None
    assert "clearcourse_push_sender" not in app.extensions
    dispatch.close_sender(app)  # nothing cached: a no-op
    assert dispatch.get_sender(app) is not sender
    dispatch.close_sender(app)
