"""GET /metrics (Prometheus text format) and the per-request counters behind it."""

from __future__ import annotations

import hmac
import time

from flask import Flask, Response, current_app, g, request
from flask_smorest import abort

from backend import metrics


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is None or request.path == "/metrics":
        return response
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics.HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    metrics.HTTP_DURATION.labels(request.method, route).observe(time.perf_counter() - started)
    return response


def metrics_view() -> Response:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            abort(401, message="Send Authorization: Bearer <METRICS_TOKEN>.")
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)


def register(app: Flask) -> None:
    if not app.config.get("METRICS_ENABLED", True):
        return
    from backend.extensions import limiter

    app.before_request(_start_timer)
    app.after_request(_count)
    app.add_url_rule("/metrics", "metrics", limiter.exempt(metrics_view), methods=["GET"])
