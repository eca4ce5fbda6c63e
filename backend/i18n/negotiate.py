"""Pick one of the app's languages from a language tag or an ``Accept-Language`` header (pure)."""

from __future__ import annotations

import re

DEFAULT_LANGUAGE = "en"
#: The languages ClearCourse writes; a regional tag (es-MX, es-US, de-AT, de-CH) falls back to its language.
LANGUAGES = ("en", "es", "de")

_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")
_MAX_HEADER = 512
_MAX_RANGES = 20


def normalize(tag: str | None) -> str | None:
    """The app language a tag asks for ("es-MX" → "es", "DE_ch" → "de"), or None when it asks for none."""
    if not tag or not _TAG.match(tag.strip()):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def _ranges(header: str) -> list[tuple[float, int, str]]:
    out: list[tuple[float, int, str]] = []
    for index, part in enumerate(header[:_MAX_HEADER].split(",")[:_MAX_RANGES]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and 0 < quality <= 1:
            out.append((quality, index, tag.strip()))
    return sorted(out, key=lambda r: (-r[0], r[1]))


def best_match(header: str | None) -> str:
    """The app language an ``Accept-Language`` header prefers most (quality, then order); English if none."""
    for _quality, _index, tag in _ranges(header or ""):
        if tag == "*":
            return DEFAULT_LANGUAGE
        language = normalize(tag)
        if language:
            return language
    return DEFAULT_LANGUAGE
