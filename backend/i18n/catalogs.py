"""Per-locale text catalogs (pure, cached).

Each catalog's English source stays beside the code that uses it; a translation is
``backend/locales/<language>/<catalog>.json`` and may be partial: missing keys fall back to English. Lists of
the same length merge item by item, so a translation holds only the texts (ids, numbers, ``facts`` and
``when`` come from English; ``scripts/i18n-check`` says when a translation differs from them).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from backend.i18n.current import current_locale
from backend.i18n.negotiate import DEFAULT_LANGUAGE, normalize

BACKEND = Path(__file__).resolve().parents[1]
LOCALES_DIR = BACKEND / "locales"

#: Catalog name → its English source file.
CATALOGS: dict[str, Path] = {
    "content": BACKEND / "course" / "content" / "en.json",
    "errors": BACKEND / "api" / "errors.json",
    "helplines": BACKEND / "course" / "helplines.json",
    "pauses": BACKEND / "course" / "pauses.json",
    "calendar": BACKEND / "record" / "calendar.json",
    "mood": BACKEND / "record" / "mood.json",
    "report": BACKEND / "record" / "report.json",
    "triage_rules": BACKEND / "record" / "triage_rules.json",
    "reminders": BACKEND / "reminders" / "texts.json",
    "manifest": BACKEND / "web" / "manifest.json",
    **{f"rulesets/{p.stem}": p for p in sorted((BACKEND / "course" / "rulesets").glob("*.json"))},
}


def locale_file(name: str, language: str) -> Path:
    """Where the ``language`` translation of catalog ``name`` lives (English: its source file)."""
    if language == DEFAULT_LANGUAGE:
        return CATALOGS[name]
    return LOCALES_DIR / language / f"{name}.json"


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def merge(base: Any, over: Any) -> Any:
    """``over`` laid onto ``base``: dicts key by key, equal-length lists item by item, else ``over``."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(over, list) and len(base) == len(over):
        return [merge(b, o) for b, o in zip(base, over, strict=True)]
    return over


@lru_cache(maxsize=128)
def _load(name: str, language: str) -> Any:
    base = read_json(CATALOGS[name])
    if language == DEFAULT_LANGUAGE:
        return base
    path = locale_file(name, language)
    return merge(base, read_json(path)) if path.is_file() else base


def catalog(name: str, language: str | None = None) -> Any:
    """Catalog ``name`` in ``language`` (default: the current locale), English where untranslated.
    Cached: treat it as read-only."""
    if name not in CATALOGS:
        raise KeyError(f"unknown catalog {name!r}")
    if language is None:
        language = current_locale()
    return _load(name, normalize(language) or DEFAULT_LANGUAGE)
