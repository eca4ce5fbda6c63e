"""Granian's access log without secrets: a calendar feed's path is its password.

`python -m backend.serve` starts Granian with `--log-config` pointing at `access_log.json` beside this
module, which attaches `RedactSecrets` to the access handler. Granian logs each request with a dict of
atoms (`granian.log.log_request_builder`); the filter rewrites the `path` atom before it is formatted.
Query strings hold no secrets here (tokens travel in the Authorization header), so they are left alone.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

CONFIG = Path(__file__).with_name("access_log.json")

# /api/v1/calendar/<token>.ics: the token alone lets anyone read the feed (see api/calendar_feeds.py).
_SECRET_PATHS = (re.compile(r"(/calendar/)[^/]+(\.ics)$"),)
REDACTED = "[redacted]"


def redact_path(path: str) -> str:
    for pattern in _SECRET_PATHS:
        path = pattern.sub(rf"\g<1>{REDACTED}\g<2>", path)
    return path


class RedactSecrets(logging.Filter):
    """Rewrites the `path` atom of an access-log record (and of a plain message, for other loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict) and isinstance(record.args.get("path"), str):
            record.args = {**record.args, "path": redact_path(record.args["path"])}
        elif isinstance(record.msg, str) and not record.args:
            record.msg = redact_path(record.msg)
        return True
