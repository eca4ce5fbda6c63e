"""GET /healthz: the database answers, how long ago a reminder worker last finished a tick, and
whether a push service refuses our VAPID authorization.

200 with `status: ok`, or `degraded` when no worker has ticked within STALE_TICK_FACTOR ticks (the
web still serves; reminders are late) or when a push service answered 401/403 to our VAPID token
(a configuration error: key, subject or clock; `push.refused_by` names the service); 503 when the
database does not answer.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from backend.extensions import db
from backend.models.types import utcnow
from backend.reminders import heartbeat, push_alerts

log = logging.getLogger(__name__)
STALE_TICK_FACTOR = 3
MIN_STALE_SECONDS = 60


def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        last_tick = heartbeat.latest_tick()
        alerts = [
            {
                "origin": a.origin,
                "status_code": a.status_code,
                "reason": a.reason,
                "since": a.first_seen_at.isoformat(),
                "last_seen_at": a.last_seen_at.isoformat(),
                "count": a.count,
            }
            for a in push_alerts.current()
        ]
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
    if alerts:
        log.error(
            "healthz: push service(s) refuse our VAPID authorization: %s", [a["origin"] for a in alerts]
        )
    return jsonify(
        status="degraded" if stale or alerts else "ok",
        database="ok",
        push={"vapid_refused": bool(alerts), "refused_by": alerts},
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
