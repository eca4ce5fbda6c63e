"""Requests that match no route still spend the client's rate-limit budget.

Flask-Limiter skips a request without an endpoint: an unknown path, or a made-up method, would
be free and unlimited. Here such a request takes a hit of RATELIMIT_DEFAULT (the application limit)
in one bucket per client for all unmatched requests together, and is 429 beyond it, with Retry-After.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from flask_limiter.util import get_remote_address
from flask_smorest import abort
from limits import parse

from backend.extensions import limiter

BUCKET = "unmatched"


def _limit_unmatched() -> None:
    if request.url_rule is not None or not limiter.enabled:
        return
    item = parse(current_app.config["RATELIMIT_APPLICATION"])
    client = get_remote_address()  # the limiter's key (backend.extensions), PROXY_HOPS aware
    key = (current_app.config.get("RATELIMIT_KEY_PREFIX") or "", BUCKET, client)
    if limiter.limiter.hit(item, *key):
        return
    reset = limiter.limiter.get_window_stats(item, *key).reset_time
    retry_after = max(1, math.ceil(reset - time.time()))
    abort(429, headers={"Retry-After": str(retry_after)})


def register(app: Flask) -> None:
    app.before_request(_limit_unmatched)
