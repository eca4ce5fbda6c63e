"""The reminder workers' heartbeats: when each dispatcher process last finished a tick."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.types import UTCDateTime


class WorkerHeartbeat(db.Model):
    """One row per dispatcher process (host:pid); /healthz reports the newest tick's age."""

    __tablename__ = "worker_heartbeats"

    node: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_tick_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
