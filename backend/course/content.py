"""User-facing course texts, loaded from per-locale JSON files in ``content/`` (pure, cached).

Every text item is ``{"text": str, "facts": [fact ids], "when"?: flag | [flags]}``. ``when`` limits an
item to courses that have all the listed flags (see ``FLAGS``); the build functions drop the others and
never hand out the ``when`` key. A locale file may be partial: missing keys fall back to English.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

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
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")

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
    """Locales that have a content file."""
    return sorted(p.stem for p in CONTENT_DIR.glob("*.json"))


def _read(locale: str) -> dict[str, Any] | None:
    path = CONTENT_DIR / f"{locale}.json"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _merge(base: Any, over: Any) -> Any:
    """Deep-merge ``over`` onto ``base`` (dicts merge key by key; anything else replaces)."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return over


def _candidates(locale: str | None) -> list[str]:
    tag = (locale or DEFAULT_LOCALE).strip().replace("_", "-").lower()
    if not _LOCALE_RE.match(tag):
        return []
    parts = tag.split("-")
    return ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]


@lru_cache(maxsize=64)
def _resolve(locale: str | None) -> str:
    """The most specific locale tag that has a file, else the default."""
    for tag in _candidates(locale):
        if (CONTENT_DIR / f"{tag}.json").is_file():
            return tag
    return DEFAULT_LOCALE


@lru_cache(maxsize=16)
def _load(tag: str) -> dict[str, Any]:
    base = _read(DEFAULT_LOCALE)
    if base is None:
        raise FileNotFoundError(f"missing {DEFAULT_LOCALE}.json in {CONTENT_DIR}")
    if tag == DEFAULT_LOCALE:
        return base
    return _merge(base, _read(tag) or {})


def load_content(locale: str | None = DEFAULT_LOCALE) -> dict[str, Any]:
    """Content for ``locale`` ("de-AT" → de-at.json → de.json → en.json). Cached: treat it as read-only."""
    return _load(_resolve(locale))


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
