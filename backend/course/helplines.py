"""Emergency numbers, crisis lines, text lines and youth lines per country (HELP-1, HELP-3..5), read
from ``helplines.json`` (pure).

The PWA bundles the same file at build time, so the "Get help" screen works offline. A country whose
crisis list is empty has no line we can name: the app says to call the emergency number and links the
international directory (HELP-6) instead of promising a line.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from backend.i18n import catalog, current_locale

__all__ = [
    "HELPLINES_FILE",
    "country_codes",
    "country_for_zone",
    "directory",
    "helpline",
    "load_helplines",
]

HELPLINES_FILE = Path(__file__).with_name("helplines.json")


def _document(language: str | None = None) -> dict[str, Any]:
    return catalog("helplines", language)


@lru_cache(maxsize=8)
def _by_code(language: str) -> dict[str, dict[str, Any]]:
    return {c["code"]: c for c in _document(language)["countries"]}


def load_helplines(language: str | None = None) -> dict[str, dict[str, Any]]:
    """Country code → entry (name, emergency, crisis lines, text line or None, youth lines, zones), its
    words in ``language`` (default: the current locale). Cached: treat it as read-only."""
    return _by_code(language or current_locale())


def directory(language: str | None = None) -> dict[str, Any]:
    """The international directory of helplines linked where a country has no line we can name (HELP-6)."""
    return _document(language)["directory"]


def country_codes() -> list[str]:
    return sorted(load_helplines())


def helpline(code: str | None) -> dict[str, Any] | None:
    return load_helplines().get(code or "")


@cache
def _zone_index() -> dict[str, str]:
    return {zone: code for code, entry in load_helplines("en").items() for zone in entry["zones"]}


def country_for_zone(zone: str) -> str | None:
    """The listed country whose IANA zone this is (None when the zone is not one of theirs)."""
    return _zone_index().get(zone)
