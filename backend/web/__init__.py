"""The HTTP edge shared by every route: request guards, response headers, docs, health, metrics.

(The client address behind PROXY_HOPS reverse proxies is set up by `backend.trust_proxies`.)
"""

from __future__ import annotations

import logging

from flask import Flask

log = logging.getLogger(__name__)


def warn_if_limits_are_per_process(app: Flask) -> None:
    if not app.config.get("RATELIMIT_ENABLED", True):
        return
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    if storage.startswith("memory://"):
        log.warning(
            "Rate limits are counted in this process only (RATELIMIT_STORAGE_URI=memory://): with "
            "several web workers or machines each one counts separately. Leave RATELIMIT_STORAGE_URI "
            "unset (one SQLite file shared by this machine's processes) or set redis://host:6379."
        )


def register_web(app: Flask) -> None:
    from backend.web import docs, guards, headers, health, language, metrics, ratelimits

    warn_if_limits_are_per_process(app)
    guards.register(app)
    ratelimits.register(app)
    headers.register(app)
    language.register(app)
    docs.register(app)
    health.register(app)
    metrics.register(app)
