"""The access log's redaction of secret paths (backend/access_log.py)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import time

import pytest
from granian.log import DEFAULT_ACCESSLOG_FMT, log_request_builder

from backend.access_log import CONFIG, escape, redact_path


def test_a_calendar_feed_path_loses_its_token_and_nothing_else_changes():
    assert redact_path("/api/v1/calendar/abcDEF-123_x.ics") == "/api/v1/calendar/[redacted]"
    assert redact_path("/api/v1/calendar-feeds/5d1c") == "/api/v1/calendar-feeds/5d1c"
    assert redact_path("/api/v1/courses/5d1c/today") == "/api/v1/courses/5d1c/today"


def _access_log(status: int, **request: str) -> str:
    """What Granian writes for `request` through the shipped logging config."""
    config = json.loads(CONFIG.read_text())
    logging.config.dictConfig(config)
    handler = logging.getLogger("granian.access").handlers[0]
    out = io.StringIO()
    handler.setStream(out)
    atoms = {"addr_remote": "127.0.0.1", "qs": "", "method": "GET", "scheme": "http", "protocol": "HTTP/1.1"}
    log_request_builder(DEFAULT_ACCESSLOG_FMT)(time.time(), time.perf_counter(), {**atoms, **request}, status)
    return out.getvalue()


def test_granians_access_record_is_redacted_by_the_shipped_config():
    line = _access_log(200, path="/api/v1/calendar/s3cr3t-token.ics")
    assert '"GET /api/v1/calendar/[redacted] HTTP/1.1" 200' in line
    assert "s3cr3t" not in line


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/calendar/tok3n.ICS",
        "/api/v1/calendar/tok3n.ics/",
        "/api/v1/calendar/tok3n",
        "/api/v1/calendar//tok3n.ics",
        "//api//v1/calendar/tok3n.ics",
        "/API/V1/CALENDAR/tok3n.ics",
        "/api/v1/calendar/tok3n.ics\n",
        "/api/v1/calendar/a/b/tok3n",
    ],
)
def test_any_path_under_the_calendar_prefix_is_redacted(path):
    redacted = redact_path(path)
    assert "tok3n" not in redacted and redacted.endswith("/[redacted]")


def test_control_characters_are_escaped_so_no_line_can_be_forged():
    assert escape("/a\n127.0.0.1 - forged") == "/a\\x0a127.0.0.1 - forged"
    assert escape("\x1b[31m\r\x00\x7f\x85\u2028") == "\\x1b[31m\\x0d\\x00\\x7f\\x85\\u2028"
    assert escape("back\\slash") == "back\\\\slash"  # a literal "\\x0a" in a path stays tellable
    assert escape("/ünï/código") == "/ünï/código"


def test_every_atom_of_an_access_record_is_escaped():
    lines = _access_log(
        400, path='/x\n127.0.0.1 - [now] "GET /forged HTTP/1.1" 200', qs="a=\r\nb", method="GE\nT"
    ).splitlines()
    assert len(lines) == 1
    assert "\\x0a" in lines[0] and "GE\\x0aT" in lines[0]
