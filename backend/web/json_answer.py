"""JSON answers written by orjson: the same document as Flask's default provider (keys sorted, compact,
a final newline), in a fraction of the time for the long views (a timeline or report is 100–140 KB).

Only writing changes: request bodies are still read by the standard library (its handling of hostile
input is what the API's tests pin down). Differences from Flask's writer: text is UTF-8 rather than
``\\uXXXX`` escapes (the same JSON), and a date or datetime that reaches the writer unformatted is ISO 8601
rather than an HTTP date (the API formats its dates itself)."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE


def _default(o: Any) -> Any:
    """What orjson does not write itself: a named tuple as its list (as the standard library writes it),
    the rest as Flask's provider does."""
    if isinstance(o, tuple):
        return list(o)
    return DefaultJSONProvider.default(o)


def answer_bytes(obj: Any) -> bytes:
    """`obj` as the body of a JSON answer."""
    return orjson.dumps(obj, default=_default, option=_OPTIONS)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson writing answers (`app.json`)."""

    def _bytes(self, obj: Any) -> bytes:
        return answer_bytes(obj)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # a caller asking for the standard library's options (indent, …) gets them
            return super().dumps(obj, **kwargs)
        return self._bytes(obj).decode()[:-1]

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if self._app.debug or self.compact is False:  # indented, as Flask writes in debug mode
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self._bytes(obj), mimetype=self.mimetype)
