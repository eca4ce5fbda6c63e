"""The access log's redaction of secret paths (backend/access_log.py)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import time

from granian.log import DEFAULT_ACCESSLOG_FMT, log_request_builder

from backend.access_log import CONFIG, redact_path


def test_a_calendar_feed_path_loses_its_token_and_nothing_else_changes():
    assert redact_path("/api/v1/calendar/abcDEF-123_x.ics") == "/api/v1/calendar/[redacted].ics"
    assert redact_path("/api/v1/calendar-feeds/5d1c") == "/api/v1/calendar-feeds/5d1c"
    assert redact_path("/api/v1/courses/5d1c/today") == "/api/v1/courses/5d1c/today"


def test_granians_access_record_is_redacted_by_the_shipped_config():
    config = json.loads(CONFIG.read_text())
    logging.config.dictConfig(config)
    handler = logging.getLogger("granian.access").handlers[0]
    out = io.StringIO()
    handler.setStream(out)
    request = {
        "addr_remote": "127.0.0.1",
        "path": "/api/v1/calendar/s3cr3t-token.ics",
        "qs": "",
        "method": "GET",
        "scheme": "http",
        "protocol": "HTTP/1.1",
    }
    log_request_builder(DEFAULT_ACCESSLOG_FMT)(time.time(), time.perf_counter(), request, 200)
    line = out.getvalue()
    assert '"GET /api/v1/calendar/[redacted].ics HTTP/1.1" 200' in line
    assert "s3cr3t" not in line
