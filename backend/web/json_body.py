"""Parse a request body as JSON without letting any input escape as a server error.

The standard parser raises RecursionError on deep nesting and ValueError on integers longer than
Python's digit limit; here each is a `BodyRefused` carrying the HTTP status to answer (400). NaN
and Infinity are read as floats, so the number fields reject them naming the field. Every string in
the result (keys included) is checked for what no database column can store: lone UTF-16
surrogates and NUL. Those come back as field-named errors in marshmallow's nested shape, so the
caller answers 422 naming the field.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32  # far deeper than any schema of the API; bounds every later recursive walk
MAX_INT_DIGITS = 400  # a JSON integer longer than this is no quantity the API knows
BAD_STRING = "Must not contain NUL characters or unpaired UTF-16 surrogates."
BAD_KEY = "A field name must not contain NUL characters or unpaired UTF-16 surrogates."


class BodyRefused(Exception):
    """The body cannot be read safely as JSON: answer `status` with `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BodyRefused(400, f"A number in the body has more than {MAX_INT_DIGITS} digits.")
    return int(text)


def loads(raw: bytes | str) -> Any:
    """JSON text → Python value, or BodyRefused (never RecursionError / ValueError / OverflowError)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise BodyRefused(400, "The body is not valid UTF-8.") from None
    try:
        value = json.loads(text, parse_int=_parse_int)
    except RecursionError:
        raise BodyRefused(400, f"The JSON body is nested more than {MAX_DEPTH} levels deep.") from None
    except json.JSONDecodeError as err:
        raise BodyRefused(400, f"The body is not valid JSON ({err.msg}, at character {err.pos}).") from None
    except (ValueError, OverflowError):
        raise BodyRefused(400, "The body holds a number that cannot be read.") from None
    if _depth_exceeds(value, MAX_DEPTH):
        raise BodyRefused(400, f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def storable(text: str) -> bool:
    """False for strings that no database column takes: NUL, or a surrogate half on its own."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable_strings(value: Any) -> dict:
    """Field-named errors (marshmallow's nested shape) for every unstorable string or key in `value`."""
    errors: dict = {}

    def walk(item: Any, into: dict, key: Any) -> None:
        if isinstance(item, str):
            if not storable(item):
                into[key] = [BAD_STRING]
        elif isinstance(item, dict | list):
            nested: dict = {}
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for child_key, child in pairs:
                if isinstance(child_key, str) and not storable(child_key):
                    nested[_printable(child_key)] = [BAD_KEY]
                    continue
                walk(child, nested, child_key)
            if nested:
                into[key] = nested

    root: dict = {}
    walk(value, root, "_root")
    nested_errors = root.get("_root")
    if isinstance(nested_errors, dict):
        errors.update(nested_errors)
    elif nested_errors is not None:
        errors["_schema"] = nested_errors
    return errors


def _printable(key: str) -> str:
    return key.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")
