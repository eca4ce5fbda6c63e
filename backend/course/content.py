"""User-facing course texts: the ``content`` catalog (English in ``content/en.json``, translations in
``backend/locales/<language>/content.json``; pure, cached).

Every text item is ``{"text": str, "facts": [fact ids], "when"?: flag | [flags]}``. ``when`` limits an
item to courses that have all the listed flags (see ``FLAGS``); the build functions drop the others and
never hand out the ``when`` key. A translation may be partial: missing keys fall back to English.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from backend.i18n import LANGUAGES, catalog, locale_file

__all__ = [
    "CONTENT_DIR",
    "DEFAULT_LOCALE",
    "FLAGS",
    "applies",
    "available_locales",
    "iter_items",
    "load_content",
    "render_item",
    "render_items",
]

CONTENT_DIR = Path(__file__).with_name("content")
DEFAULT_LOCALE = "en"

#: Flags a ``when`` condition may name; course_flags() in timeline.py sets them.
FLAGS = frozenset(
    {
        "pregnancy_prevention",
        "no_pregnancy_prevention",
        "standard",
        "food_independent",
        "micronised",
        "us_ipledge",
        "eu_ppp",
        "programme_none",
        "has_target",
        "no_target",
    }
)


def available_locales() -> list[str]:
    """Languages that have a content catalog (English and every translation)."""
    return sorted(
        lang for lang in LANGUAGES if lang == DEFAULT_LOCALE or locale_file("content", lang).is_file()
    )


def load_content(locale: str | None = None) -> dict[str, Any]:
    """Content in ``locale`` (default: the current locale; "de-AT" → de), English where untranslated.
    Cached: treat it as read-only."""
    return catalog("content", locale)


def applies(item: dict[str, Any], flags: Iterable[str]) -> bool:
    """Whether the item's ``when`` condition (all listed flags) holds for these course flags."""
    when = item.get("when")
    if not when:
        return True
    needed = [when] if isinstance(when, str) else list(when)
    have = set(flags)
    return all(flag in have for flag in needed)


def render_item(item: dict[str, Any]) -> dict[str, Any]:
    """A fresh ``{"text", "facts"}`` dict for output (never the cached object)."""
    return {"text": item["text"], "facts": list(item["facts"])}


def render_items(items: Iterable[dict[str, Any]], flags: Iterable[str]) -> list[dict[str, Any]]:
    """Render the items that apply to a course with these flags."""
    flags = frozenset(flags)
    return [render_item(i) for i in items if applies(i, flags)]


def render_red_flags(items: Iterable[dict[str, Any]], flags: Iterable[str]) -> list[dict[str, Any]]:
    """Red-flag items with their level (``emergency``, ``urgent`` or ``today``, RED-13), emergencies first."""
    order = ("emergency", "urgent", "today")
    rendered = [{**render_item(i), "level": i["level"]} for i in items if applies(i, frozenset(flags))]
    return sorted(rendered, key=lambda item: order.index(item["level"]))


def iter_items(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (path, item) for every text-bearing dict (one with "text" or "title") in the content tree."""
    if isinstance(node, dict):
        if "text" in node or "title" in node:
            yield path, node
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from iter_items(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_items(value, f"{path}[{i}]")


def fresh(value: Any) -> Any:
    """Deep copy of a content value, for callers that need to modify it."""
    return copy.deepcopy(value)
