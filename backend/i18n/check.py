"""The translation check (pure): for every locale folder, each catalog's missing and extra keys,
``{placeholders}`` that differ from English, and ``facts``/``when`` or ids that differ from English.

Problems (extra keys, placeholder, fact-id and id differences) always fail. Missing keys fail for the
catalogs ``backend/locales/complete.json`` declares complete for that language; elsewhere they are listed
as work still to do (English shows there).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.i18n.catalogs import CATALOGS, LOCALES_DIR, read_json
from backend.i18n.negotiate import DEFAULT_LANGUAGE

MANIFEST = LOCALES_DIR / "complete.json"
#: Keys whose string values are ids or data, never translated: a translation may leave them out, and where
#: it has them they must equal English.
IDENTIFIERS = frozenset(
    {
        "actions",
        "case",
        "code",
        "covers",
        "effect",
        "facts",
        "frequent",
        "from",
        "id",
        "key",
        "keyword",
        "languages",
        "level",
        "levels",
        "milestone_kinds",
        "number",
        "programme",
        "red_flags",
        "replaced_by",
        "sms",
        "value",
        "when",
        "zones",
    }
)
#: Per catalog, paths whose values are ids, data or citations kept as written (like ``IDENTIFIERS``): the
#: triage rules' case table, a helpline's public source (its page's own title and address).
KEPT: dict[str, re.Pattern[str]] = {
    "triage_rules": re.compile(r"^(cases|crisis_first_flags)\b"),
    "helplines": re.compile(r"\.source\.|\.url$"),
}
#: Keys a translation sets freely (its own locale tag, notes for developers): never compared or required.
FREE = frozenset({"about", "locale"})
_ARGUMENT = re.compile(r"\{\s*(\w+)\s*[},]")
_BRANCH = re.compile(r"(?<!\w)(?:zero|one|two|few|many|other|=\d+)\s*$")


@dataclass
class CatalogReport:
    language: str
    catalog: str
    complete: bool
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        out = [f"extra key {p}" for p in self.extra]
        out += [f"placeholders differ at {p}" for p in self.placeholders]
        out += [f"ids/facts differ at {p}" for p in self.facts]
        if self.complete:
            out += [f"missing key {p}" for p in self.missing]
        return out


def placeholders(text: str) -> set[str]:
    """The argument names of a message: ``{name}`` and ICU ``{name, plural, ...}`` (a plural or select
    branch such as ``one {day}`` is text, not an argument)."""
    return {
        m[1]
        for m in _ARGUMENT.finditer(text)
        if not _BRANCH.search(text[: m.start()])
    }


def _leaves(node: Any, path: str = "", key: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) of every scalar; list items take their list's key."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{path}.{k}" if path else k, k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, f"{path}[{i}]", key)
    else:
        yield path, key, node


def _facts_lists(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            here = f"{path}.{k}" if path else k
            if k in ("facts", "when"):
                yield here, v
            else:
                yield from _facts_lists(v, here)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _facts_lists(v, f"{path}[{i}]")


def compare(english: Any, translated: Any, report: CatalogReport) -> None:
    en_leaves = {path: (key, value) for path, key, value in _leaves(english)}
    tr_leaves = {path: (key, value) for path, key, value in _leaves(translated)}
    en_facts = dict(_facts_lists(english))
    kept = KEPT.get(report.catalog)

    def is_id(path: str, key: str) -> bool:
        return key in IDENTIFIERS or bool(kept and kept.search(path))

    for path, value in _facts_lists(translated):
        if path in en_facts and en_facts[path] != value:
            report.facts.append(path)
    for path, (key, value) in tr_leaves.items():
        if key in FREE:
            continue
        if path not in en_leaves:
            if not any(path.startswith(p + "[") or path == p for p in en_facts):
                report.extra.append(path)
            continue
        en_value = en_leaves[path][1]
        if is_id(path, key) or not isinstance(en_value, str):
            if value != en_value and not any(path.startswith(p) for p in en_facts):
                report.facts.append(path)
        elif not isinstance(value, str) or placeholders(value) != placeholders(en_value):
            report.placeholders.append(path)
    for path, (key, value) in en_leaves.items():
        if isinstance(value, str) and not is_id(path, key) and key not in FREE and path not in tr_leaves:
            report.missing.append(path)


def manifest() -> dict[str, list[str]]:
    return read_json(MANIFEST) if MANIFEST.is_file() else {}


def languages() -> list[str]:
    return sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir() and p.name != DEFAULT_LANGUAGE)


def catalog_pairs(extra: dict[str, Path] | None = None) -> dict[str, Path]:
    """Catalog name → English file: the server's, plus ``extra`` (the PWA's)."""
    return {**CATALOGS, **(extra or {})}


def check(
    sources: dict[str, Path] | None = None, locate: Any = None, complete: dict[str, list[str]] | None = None
) -> list[CatalogReport]:
    """A report per (language, catalog). ``locate(name, language)`` gives a translation's path."""
    sources = CATALOGS if sources is None else sources
    complete = manifest() if complete is None else complete
    reports: list[CatalogReport] = []
    for language in languages():
        for name, english_path in sources.items():
            path = locate(name, language) if locate else LOCALES_DIR / language / f"{name}.json"
            report = CatalogReport(language, name, name in complete.get(language, []))
            english = read_json(english_path)
            translated = read_json(path) if path.is_file() else {}
            compare(english, translated, report)
            reports.append(report)
    return reports


def unknown_in_manifest(complete: dict[str, list[str]], names: set[str]) -> list[str]:
    return [f"{lang}: {name}" for lang, listed in complete.items() for name in listed if name not in names]


def dumps(reports: list[CatalogReport]) -> str:
    return json.dumps([r.__dict__ for r in reports], indent=2, ensure_ascii=False)
