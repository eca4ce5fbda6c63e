"""Granian's access log, neither forgeable nor leaking: a calendar feed's path is its password.

`python -m backend.serve` starts Granian with `--log-config` pointing at `access_log.json` beside this
module, which attaches `SafeAccessLog` to the access handler. Granian logs each request with a dict of
atoms (`granian.log.log_request_builder`: address, time, method, path, query string, scheme,
protocol, status); the filter rewrites them before they are formatted:

- Any path under the calendar prefix (`/api/v1/calendar/…`) keeps the prefix and loses the rest,
  whatever the suffix (`.ics`, `.ICS`, none, a trailing slash), the case or doubled slashes: the
  token alone lets anyone read the feed (see api/calendar_feeds.py).
- Every string atom has its control characters (C0, DEL, C1, the Unicode line and paragraph
  separators) and backslashes written as escapes (`\\x0a`, `\\\\`), so a request can never start a
  line of its own or hide part of one: one request is one log line.
Query strings hold no secrets here (tokens travel in the Authorization header), so they are only escaped.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

CONFIG = Path(__file__).with_name("access_log.json")

_CALENDAR = re.compile(r"(/+api/+v1/+calendar)/.*", re.IGNORECASE | re.DOTALL)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")
REDACTED = "[redacted]"


def redact_path(path: str) -> str:
    return _CALENDAR.sub(rf"\g<1>/{REDACTED}", path)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """Control characters and backslashes as visible escapes: never a line break in the log."""
    return _UNSAFE.sub(_escape_one, text)


def safe_path(path: str) -> str:
    return escape(redact_path(path))


def _safe_atom(key: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    return safe_path(value) if key == "path" else escape(value)


class SafeAccessLog(logging.Filter):
    """Redacts the `path` atom and escapes every string atom of an access-log record (and a plain
    message, for other loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {key: _safe_atom(key, value) for key, value in record.args.items()}
        elif isinstance(record.msg, str) and not record.args:
            record.msg = safe_path(record.msg)
        return True
