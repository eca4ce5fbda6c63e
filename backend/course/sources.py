"""The clinical facts the app's texts cite, read from docs/clinical-sources.md (one table row per fact)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCES_FILE = Path(__file__).resolve().parents[2] / "docs" / "clinical-sources.md"


@dataclass(frozen=True)
class Source:
    id: str
    statement: str
    confidence: str
    source: str


def parse_sources(markdown: str) -> list[Source]:
    """Rows of the `| id | statement | conf | source |` table; header and separator rows are skipped."""
    rows: list[Source] = []
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not line.lstrip().startswith("|"):
            continue
        fact_id, statement, confidence, source = cells
        if fact_id == "id" or set(fact_id) <= {"-", ":"}:
            continue
        rows.append(Source(fact_id, statement, confidence, source))
    return rows


@cache
def load_sources(path: Path = SOURCES_FILE) -> tuple[Source, ...]:
    return tuple(parse_sources(path.read_text(encoding="utf-8")))
