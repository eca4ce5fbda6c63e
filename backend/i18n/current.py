"""The language texts are written in right now (pure: a context variable).

A web request sets it (``backend/web/language.py``: ``Accept-Language``, then the patient's stored
language once the token is checked); ``use_locale`` overrides it for a block (the report's ``?lang=``, a
reminder pass writing for one patient). Unset: English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from backend.i18n.negotiate import DEFAULT_LANGUAGE, normalize

_LOCALE: ContextVar[str | None] = ContextVar("clearcourse_locale", default=None)


def current_locale() -> str:
    """The language to write in now."""
    return _LOCALE.get() or DEFAULT_LANGUAGE


def set_locale(language: str | None) -> str:
    """Write in ``language`` from now on in this context (normalised; English if unknown)."""
    tag = normalize(language) or DEFAULT_LANGUAGE
    _LOCALE.set(tag)
    return tag


@contextmanager
def use_locale(language: str | None) -> Iterator[str]:
    """Write texts in ``language`` (normalised; English if unknown) inside the block."""
    token = _LOCALE.set(normalize(language) or DEFAULT_LANGUAGE)
    try:
        yield _LOCALE.get() or DEFAULT_LANGUAGE
    finally:
        _LOCALE.reset(token)
