"""Requests that match no route still spend the client's rate-limit budget.

Flask-Limiter skips a request without an endpoint: an unknown path, or a made-up method, would
be free and unlimited. Here such a request takes a hit of RATELIMIT_DEFAULT (the application limit)
in one bucket per client for all unmatched requests together, and is 429 beyond it, with Retry-After.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from flask_smorest import abort
from limits import parse

from backend.extensions import limiter

BUCKET = "unmatched"


def _limit_unmatched() -> None:
    if request.url_rule is not None or not limiter.enabled:
        return
    item = parse(current_app.config["RATELIMIT_APPLICATION"])
    client = limiter._key_func()  # the same client address as every other limit (PROXY_HOPS aware)
    if limiter.limiter.hit(item, BUCKET, client):
        return
    reset = limiter.limiter.get_window_stats(item, BUCKET, client).reset_time
    retry_after = max(1, math.ceil(reset - time.time()))
    abort(429, headers={"Retry-After": str(retry_after)})


def register(app: Flask) -> None:
    app.before_request(_limit_unmatched)
