"""Request bodies read whole, once, at the WSGI edge: over the limit is 413 however it was sent.

`BodyEdge` wraps the app. For a request with a body it reads at most `max_bytes` + 1 bytes (the largest
limit of any endpoint, MAX_BATCH_BODY_BYTES) from the server's input:

- A body that fits (sent with Content-Length or chunked) is handed on as a complete stream with its
  length in CONTENT_LENGTH (Transfer-Encoding dropped), so Flask's per-endpoint limit
  (`request.max_content_length`) is checked against the real size, chunked or not: a chunked body is
  never cut at the limit and read as if it were complete.
- A larger body (a Content-Length over the limit, or more chunked bytes than it) is not read further:
  the request is marked and `backend.web.guards` answers 413 before any view runs.
- When a body stayed unread, the server cannot reuse the connection and closes it after the answer:
  the answer then says `Connection: close` instead of the client finding out by a reset.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

TOO_LARGE = "clearcourse.body_too_large"


def _declared_length(environ: dict[str, Any]) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def _chunked(environ: dict[str, Any]) -> bool:
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


class BodyEdge:
    def __init__(self, app: Callable, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        declared = _declared_length(environ)
        chunked = _chunked(environ)
        if chunked or declared:
            unread = self._take_body(environ, declared, chunked)
            if unread:
                environ[TOO_LARGE] = True
                return self.app(environ, _closing(start_response))
        return self.app(environ, start_response)

    def _take_body(self, environ: dict[str, Any], declared: int | None, chunked: bool) -> bool:
        """Read the body into memory; True when it is over the limit (and left unread)."""
        if not chunked and declared is not None and declared > self.max_bytes:
            _replace(environ, b"")
            return True
        stream = environ["wsgi.input"]
        wanted = self.max_bytes + 1 if chunked else min(declared or 0, self.max_bytes + 1)
        parts, got = [], 0
        while got < wanted:
            part = stream.read(wanted - got)
            if not part:
                break
            parts.append(part)
            got += len(part)
        if got > self.max_bytes:
            _replace(environ, b"")
            return True
        _replace(environ, b"".join(parts))
        return False


def _replace(environ: dict[str, Any], body: bytes) -> None:
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = True


def _closing(start_response: Callable) -> Callable:
    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        kept = [(name, value) for name, value in headers if name.lower() != "connection"]
        return start_response(status, [*kept, ("Connection", "close")], exc_info)

    return start
