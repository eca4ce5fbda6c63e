"""The request edge: every API request passes here once, before any view runs.

- A write (POST, PUT, PATCH) is JSON or nothing: any other Content-Type, or a body without one
  (whatever the transfer encoding), is 415.
- Query parameters with strings no column can store (NUL, lone surrogates) are 422 naming the
  parameter; a path segment with them names nothing that exists: 404.
- A body over the largest limit (however sent; `backend.web.body` read it at the edge) is 413.
- Outside /api/, a path that cannot name a file (not UTF-8, a control character such as NUL or a
  newline, a segment longer than a file name may be) is 400 before anything looks for the file
  (`path_can_name_a_file`, also asked by `backend.pwa_files` before it touches the disk).

The body itself is parsed once, safely, by `parsed_body()` when the view's arguments parser
(`backend.api.blueprint`) asks for it: what cannot be read is 400, what is too large 413, strings
no column can store are 422 naming the field.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request
from flask_smorest import abort
from marshmallow.utils import missing

from backend.web import json_body
from backend.web.body import TOO_LARGE

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
MAX_PATH_BYTES = 2048
MAX_SEGMENT_BYTES = 255  # NAME_MAX: a longer segment is ENAMETOOLONG on every file system we serve from
BAD_PATH = "This path cannot name anything here: it holds bytes that are not a file name."


def path_can_name_a_file(path_info: str) -> bool:
    """Whether a WSGI PATH_INFO (bytes as latin-1) is UTF-8 text without control characters that
    the file system could look up (no NUL, no newline, no over-long name)."""
    raw = path_info.encode("latin-1", "replace")
    if len(raw) > MAX_PATH_BYTES or any(len(part) > MAX_SEGMENT_BYTES for part in raw.split(b"/")):
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in text)


def _has_body() -> bool:
    if request.content_length:
        return True
    return "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def parsed_body() -> Any:
    """The write's JSON body, parsed safely once (on first use), or marshmallow's `missing` if empty.

    Read when a view's arguments ask for it, so a per-endpoint body limit set by a blueprint hook
    (request.max_content_length) applies, and a call without a valid token is 401 before its body
    is read.
    """
    if "json_body" not in g:
        g.json_body = _read_body()
    return g.json_body


def _read_body() -> Any:
    if request.method not in WRITE_METHODS or not request.is_json:
        return missing
    raw = request.get_data(cache=True)
    if not raw.strip():
        return missing
    try:
        body = json_body.loads(raw)
    except json_body.BodyRefused as refused:
        abort(refused.status, message=refused.message)
    errors = json_body.unstorable_strings(body)
    if errors:
        abort(422, errors={"json": errors})
    return body


def _check_content_type() -> None:
    if request.mimetype and not request.is_json:
        abort(415)
    if not request.mimetype and _has_body():
        abort(415)


def _check_parameters() -> None:
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and not json_body.storable(value):
            abort(404)
    errors = {
        name: [json_body.BAD_STRING]
        for name, value in request.args.items(multi=True)
        if not (json_body.storable(name) and json_body.storable(value))
    }
    if errors:
        abort(422, errors={"query": errors})


def guard_api_request() -> None:
    if request.environ.get(TOO_LARGE):  # marked by backend.web.body.BodyEdge, left unread
        abort(413)
    if not request.path.startswith("/api/"):
        if not path_can_name_a_file(request.environ.get("PATH_INFO", "")):
            abort(400, message=BAD_PATH)
        return
    _check_parameters()
    if request.method in WRITE_METHODS:
        _check_content_type()


def register(app: Flask) -> None:
    app.before_request(guard_api_request)
