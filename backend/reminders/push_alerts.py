"""Push services that refuse our VAPID authorization: recorded per origin, reported by /healthz.

A 401/403 from a push service (Apple's ``403 {"reason": "BadJwtToken"}``) means our key, subject or
clock is wrong for that service, so every subscription there is refused alike; deleting them would
wipe every phone on it. The dispatcher keeps the subscriptions, logs at ERROR and records one alert
row per push-service origin here; the next delivery that origin accepts clears it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from backend.extensions import db
from backend.models import PushServiceAlert
from backend.push import PushMessage, PushResult
from backend.push.vapid import endpoint_origin


def record(messages: Sequence[PushMessage], results: Sequence[PushResult], now: datetime) -> None:
    """Upsert an alert per origin that refused our authorization; clear those that accepted one.

    Costs nothing per message in the common case (no refusals, no alerts): one read of the (tiny)
    alert table per call, and origins are computed only when an alert exists or a refusal came in.
    """
    refused = {
        endpoint_origin(m.target.endpoint): r for m, r in zip(messages, results, strict=True) if r.auth_error
    }
    known = set(db.session.scalars(select(PushServiceAlert.origin)))
    if known:
        accepted = {
            origin
            for m, r in zip(messages, results, strict=True)
            if r.ok and (origin := endpoint_origin(m.target.endpoint)) in known
        }
        cleared = accepted - set(refused)
        if cleared:
            db.session.execute(delete(PushServiceAlert).where(PushServiceAlert.origin.in_(cleared)))
    for origin, result in refused.items():
        reason = (result.error or "")[:255] or None
        row = db.session.get(PushServiceAlert, origin)
        if row is None:
            try:
                with db.session.begin_nested():
                    db.session.add(
                        PushServiceAlert(
                            origin=origin,
                            status_code=result.status_code or 0,
                            reason=reason,
                            first_seen_at=now,
                            last_seen_at=now,
                            count=1,
                        )
                    )
                continue
            except IntegrityError:  # another dispatcher recorded it at the same moment
                row = db.session.get(PushServiceAlert, origin)
                if row is None:
                    continue
        row.status_code = result.status_code or 0
        row.reason = reason
        row.last_seen_at = now
        row.count = (row.count or 0) + 1


def current() -> list[PushServiceAlert]:
    """The open alerts, newest first."""
    return list(db.session.scalars(select(PushServiceAlert).order_by(PushServiceAlert.last_seen_at.desc())))
