"""HTTP caching for computed course views (today, timeline).

A view depends only on the course row, its dose log, the date asked for and the language it is written
in. Every dose write touches `Course.updated_at`, so (course id, updated_at, date, language) names one
exact result: it is served
from a small per-process cache and carries a strong ETag, and a client that already has it gets 304.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Response, current_app, request

from backend.i18n import current_locale
from backend.services.courses import CourseVersion
from backend.web.json_answer import answer_bytes


class ViewCache:
    """A thread-safe LRU of serialised JSON bodies."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while self._items and len(self._items) > self._size:
                self._items.popitem(last=False)


def _cache() -> ViewCache:
    cache = current_app.extensions.get("clearcourse.view_cache")
    if cache is None:
        cache = ViewCache(current_app.config["VIEW_CACHE_SIZE"])
        current_app.extensions["clearcourse.view_cache"] = cache
    return cache


def computed_view(
    kind: str,
    course: CourseVersion,
    day: date,
    build: Callable[[], dict[str, Any]],
    dump: Callable[[dict[str, Any]], Any],
) -> Response:
    """Serve `build()` (the view of `course` on `day`) written out by `dump` (the view's schema, or its
    `plain_dumper`), with ETag and caching.

    Only the course's version is needed to answer from the cache; `build` loads the rest on a miss.
    """
    key = (kind, course.id, course.updated_at.isoformat(), day.isoformat(), current_locale())
    etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    # The compressed representations carry "<etag>:br" / "<etag>:gzip" (flask-compress).
    held = next((tag for tag in (etag, f"{etag}:br", f"{etag}:gzip") if tag in request.if_none_match), None)
    if held is not None:
        response = Response(status=304)
        response.set_etag(held)
    else:
        body = _cache().get(key)
        if body is None:
            body = answer_bytes(dump(build()))
            _cache().put(key, body)
        response = Response(body, mimetype="application/json")
        response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-store"  # health data: revalidate by ETag, keep no copy
    return response
