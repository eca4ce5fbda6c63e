"""Each reminder worker records the end of every tick, so /healthz can say how fresh the newest is."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from backend.extensions import db
from backend.models import WorkerHeartbeat

FORGET_AFTER = timedelta(days=7)  # rows of workers gone that long are removed


def record_tick(node: str, at: datetime) -> None:
    """Upsert this worker's row (only this process writes it) and drop long-gone workers' rows."""
    row = db.session.get(WorkerHeartbeat, node)
    if row is None:
        db.session.add(WorkerHeartbeat(node=node, last_tick_at=at))
    else:
        row.last_tick_at = at
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.last_tick_at < at - FORGET_AFTER))
    db.session.commit()


def latest_tick() -> datetime | None:
    return db.session.scalar(select(func.max(WorkerHeartbeat.last_tick_at)))
