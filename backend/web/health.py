"""GET /healthz: the database answers, and how long ago a reminder worker last finished a tick.

200 with `status: ok`, or `degraded` when no worker has ticked within STALE_TICK_FACTOR ticks (the
web still serves; reminders are late); 503 when the database does not answer.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from backend.extensions import db
from backend.models.types import utcnow
from backend.reminders import heartbeat

log = logging.getLogger(__name__)
STALE_TICK_FACTOR = 3
MIN_STALE_SECONDS = 60


def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        last_tick = heartbeat.latest_tick()
        db.session.commit()
    except SQLAlchemyError as err:
        db.session.rollback()
        log.warning("healthz: the database does not answer: %s", type(err).__name__)
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
        return response
    tick_seconds = int(current_app.config.get("SCHEDULER_TICK_SECONDS", 20))
    stale_after = max(STALE_TICK_FACTOR * tick_seconds, MIN_STALE_SECONDS)
    age = None if last_tick is None else round(max(0.0, (utcnow() - last_tick).total_seconds()), 1)
    stale = age is None or age > stale_after
    return jsonify(
        status="degraded" if stale else "ok",
        database="ok",
        reminder_worker={
            "last_tick_at": last_tick.isoformat() if last_tick else None,
            "last_tick_age_seconds": age,
            "stale_after_seconds": stale_after,
            "stale": stale,
        },
    )


def register(app: Flask) -> None:
    from backend.extensions import limiter

    app.add_url_rule("/healthz", "healthz", limiter.exempt(healthz), methods=["GET"])
