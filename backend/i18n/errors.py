"""API error messages in the reader's language (pure): a message is matched against the English templates
of the ``errors`` catalog (``backend/api/errors.json``) and written with the translation's template and the
same ``{values}`` (field names, dates and numbers stay as they were). A message no template matches stays in
English."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from backend.i18n.catalogs import catalog
from backend.i18n.negotiate import DEFAULT_LANGUAGE

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, …
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


@lru_cache(maxsize=4)
def _table(language: str) -> list[tuple[re.Pattern[str], str]]:
    english = catalog("errors", DEFAULT_LANGUAGE)["messages"]
    translated = catalog("errors", language)["messages"]
    return [(_pattern(template), translated[key]) for key, template in english.items()]


def translate_message(text: str, language: str) -> str:
    """``text`` (an English API message) in ``language``, or unchanged when no template matches."""
    if language == DEFAULT_LANGUAGE:
        return text
    for pattern, target in _table(language):
        found = pattern.match(text)
        if found:
            return _fill(target, found.groupdict())
    return text


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template)


def translate_errors(errors: Any, language: str) -> Any:
    """Every message of a field-error tree in ``language``; the keys (field names) stay as they are."""
    if isinstance(errors, dict):
        return {key: translate_errors(value, language) for key, value in errors.items()}
    if isinstance(errors, list):
        return [translate_errors(value, language) for value in errors]
    return translate_message(errors, language) if isinstance(errors, str) else errors
