"""The clinical facts the app's texts cite, each with its public sources, read from docs/clinical-sources.md.

The file holds two Markdown tables: the facts (``| id | statement | conf | sources |``, the last cell a
comma-separated list of source ids) and the sources (``| source | title | link |``). Parsing resolves every
fact's source ids and refuses a file with an unknown source id, a fact without a source, a link that is not
``https://``, or an id listed twice, so a broken file fails at start-up and in the tests, never on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["SOURCES_FILE", "Fact", "Source", "SourcesFileError", "load_facts", "parse_facts"]

SOURCES_FILE = Path(__file__).resolve().parents[2] / "docs" / "clinical-sources.md"

_FACT_HEADER = "id"
_SOURCE_HEADER = "source"


class SourcesFileError(ValueError):
    """docs/clinical-sources.md does not describe a consistent set of facts and sources."""


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Fact:
    id: str
    statement: str
    confidence: str
    sources: tuple[Source, ...]


def _cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if not stripped.startswith("|"):
        return None
    return [cell.strip() for cell in stripped.strip("|").split("|")]


def _is_separator(cells: list[str]) -> bool:
    return all(cell and set(cell) <= {"-", ":"} for cell in cells)


def _read_tables(markdown: str) -> tuple[list[list[str]], list[list[str]]]:
    """Rows of the fact table and of the source table; prose, headers and separators are skipped."""
    facts: list[list[str]] = []
    sources: list[list[str]] = []
    table: list[list[str]] | None = None
    for line in markdown.splitlines():
        cells = _cells(line)
        if cells is None:
            table = None
            continue
        if _is_separator(cells):
            continue
        header = cells[0].lower()
        if header == _FACT_HEADER and len(cells) == 4:
            table = facts
        elif header == _SOURCE_HEADER and len(cells) == 3:
            table = sources
        elif table is not None:
            table.append(cells)
    return facts, sources


def parse_facts(markdown: str) -> list[Fact]:
    """Every fact of the file, in file order, with its sources resolved."""
    fact_rows, source_rows = _read_tables(markdown)
    by_key: dict[str, Source] = {}
    for row in source_rows:
        if len(row) != 3:
            raise SourcesFileError(f"source row {row[0]!r} needs 3 cells, has {len(row)}")
        key, title, url = row
        if key in by_key:
            raise SourcesFileError(f"source {key} is listed twice")
        if not title:
            raise SourcesFileError(f"source {key} has no title")
        if not url.startswith("https://") or " " in url:
            raise SourcesFileError(f"source {key}: link must be one https:// address, got {url!r}")
        by_key[key] = Source(key, title, url)

    facts: list[Fact] = []
    seen: set[str] = set()
    for row in fact_rows:
        if len(row) != 4:
            raise SourcesFileError(f"fact row {row[0]!r} needs 4 cells, has {len(row)}")
        fact_id, statement, confidence, cited = row
        if fact_id in seen:
            raise SourcesFileError(f"fact {fact_id} is listed twice")
        seen.add(fact_id)
        keys = [key.strip() for key in cited.split(",") if key.strip()]
        if not keys:
            raise SourcesFileError(f"fact {fact_id} has no source")
        unknown = [key for key in keys if key not in by_key]
        if unknown:
            raise SourcesFileError(f"fact {fact_id} cites unknown source(s) {', '.join(unknown)}")
        if not statement:
            raise SourcesFileError(f"fact {fact_id} has no statement")
        facts.append(Fact(fact_id, statement, confidence, tuple(by_key[key] for key in keys)))
    return facts


@cache
def load_facts(path: Path = SOURCES_FILE) -> tuple[Fact, ...]:
    return tuple(parse_facts(path.read_text(encoding="utf-8")))
