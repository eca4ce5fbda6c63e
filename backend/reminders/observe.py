"""What a reminder worker reports after each tick: its heartbeat row and the Prometheus metrics."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select

from backend import metrics
from backend.extensions import db
from backend.models import ReminderOccurrence
from backend.models.types import utcnow
from backend.reminders import heartbeat

log = logging.getLogger(__name__)
LAG_LOOKBACK = timedelta(days=1)  # bounds the index range the lag query reads


def delivery_lags(node: str, since: datetime) -> list[float]:
    """Seconds from due to sent for the reminders this worker sent since `since`."""
    rows = db.session.execute(
        select(ReminderOccurrence.fires_at, ReminderOccurrence.sent_at).where(
            ReminderOccurrence.status == "sent",
            ReminderOccurrence.fires_at >= since - LAG_LOOKBACK,
            ReminderOccurrence.claimed_by == node,
            ReminderOccurrence.sent_at >= since,
        )
    ).all()
    return [(sent_at - fires_at).total_seconds() for fires_at, sent_at in rows if sent_at is not None]


def after_tick(app: Flask, node: str, started: datetime, stats) -> None:
    """Never lets a reporting problem stop the worker."""
    with app.app_context():
        try:
            lags = delivery_lags(node, started) if stats.sent else []
            metrics.record_tick(stats.sent, stats.failed, stats.missed, lags, time.time())
            heartbeat.record_tick(node, utcnow())
        except Exception:
            db.session.rollback()
            log.exception("could not record the reminder tick's heartbeat and metrics")
        finally:
            db.session.remove()
