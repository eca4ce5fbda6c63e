"""GET /metrics (Prometheus text format) and the per-request counters behind it.

Nothing a client sends can grow the label set: the method is one of `METHODS` or "other", the route
is the matched route's template (ids never appear) or "unmatched" for every unknown path, and the
status is its class ("2xx" … "5xx"). So the series stay a fixed, small number whatever is requested.

/metrics always needs a bearer token: `METRICS_TOKEN`, or when it is not set a random token
generated once into `<instance>/metrics_token` (mode 0600) for the scraper to read
(`authorization: {credentials_file: …}` in Prometheus). Without it the answer is 401.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from flask_smorest import abort

from backend import metrics

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
TOKEN_FILE = "metrics_token"


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


def status_label(code: int) -> str:
    return f"{code // 100}xx" if 100 <= code < 600 else "other"


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is None or request.path == "/metrics":
        return response
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    method = method_label(request.method)
    metrics.HTTP_REQUESTS.labels(method, route, status_label(response.status_code)).inc()
    metrics.HTTP_DURATION.labels(method, route).observe(time.perf_counter() - started)
    return response


def metrics_token(app: Flask) -> str:
    """METRICS_TOKEN, else the instance's generated token (created once, readable by its owner only)."""
    configured = app.config.get("METRICS_TOKEN")
    if configured:
        return configured
    cached = app.extensions.get("clearcourse_metrics_token")
    if cached:
        return cached
    path = Path(app.instance_path) / TOKEN_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{TOKEN_FILE}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(tmp, path)  # atomic: of several workers starting at once, one token wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    token = path.read_text().strip()
    app.extensions["clearcourse_metrics_token"] = token
    return token


def metrics_view() -> Response:
    token = metrics_token(current_app)  # type: ignore[arg-type]
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        abort(401, message="Send Authorization: Bearer <METRICS_TOKEN or the instance's metrics_token file>.")
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)


def register(app: Flask) -> None:
    if not app.config.get("METRICS_ENABLED", True):
        return
    from backend.extensions import limiter

    app.before_request(_start_timer)
    app.after_request(_count)
    app.add_url_rule("/metrics", "metrics", limiter.exempt(metrics_view), methods=["GET"])
