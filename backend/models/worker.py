"""The reminder workers' heartbeats: when each dispatcher process last finished a tick."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.types import UTCDateTime


class WorkerHeartbeat(db.Model):
    """One row per dispatcher process (host:pid); /healthz reports the newest tick's age."""

    __tablename__ = "worker_heartbeats"

    node: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_tick_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PushServiceAlert(db.Model):
    """A push service that refused our VAPID authorization (401/403, e.g. Apple's BadJwtToken).

    A configuration problem on our side (key, subject, clock), not a dead subscription: the
    dispatcher records it per push-service origin, /healthz reports it, and the next delivery that
    origin accepts clears it.
    """

    __tablename__ = "push_service_alerts"

    origin: Mapped[str] = mapped_column(String(255), primary_key=True)
    status_code: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(255))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    count: Mapped[int] = mapped_column(Integer, default=1)
