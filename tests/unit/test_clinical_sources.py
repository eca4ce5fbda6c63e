"""docs/clinical-sources.md: each cited fact resolves to public sources (title + https link), in our words."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.course.sources import SOURCES_FILE, SourcesFileError, load_facts, parse_facts
from backend.reminders import texts

ROOT = Path(__file__).resolve().parents[2]
FACTS_FILE = Path("/work/shared/clinical-facts.md")
FACT_ID = re.compile(r"\b((?:PRODUCT|DOSE|MON|MOOD|PREG|EXP|RED|AFTER|HELP)-\d+)\b")


def _facts_in(node: Any) -> Iterator[str]:
    """Every id in any "facts" list, however deep, of a content or rule data file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "facts" and isinstance(value, list):
                yield from value
            else:
                yield from _facts_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _facts_in(value)


def cited_ids() -> dict[str, set[str]]:
    """Fact id → where it is cited: every JSON data file under backend/ and the notification texts."""
    cited: dict[str, set[str]] = {}
    for path in sorted((ROOT / "backend").rglob("*.json")):
        for fact in _facts_in(json.loads(path.read_text(encoding="utf-8"))):
            cited.setdefault(fact, set()).add(str(path.relative_to(ROOT)))
    for kind, facts in texts.FACTS.items():
        for fact in facts:
            cited.setdefault(fact, set()).add(f"reminders.texts.FACTS[{kind}]")
    return cited


def test_the_file_parses_into_facts_with_sources():
    facts = load_facts()
    assert len(facts) >= 60
    by_id = {fact.id: fact for fact in facts}
    assert by_id["HELP-1"].sources[0].url == "https://988lifeline.org/"
    assert [s.key for s in by_id["DOSE-11"].sources] == ["us-medguide"]


def test_every_cited_fact_resolves_to_at_least_one_https_source():
    by_id = {fact.id: fact for fact in load_facts()}
    cited = cited_ids()
    assert len(cited) > 30, "no content cites facts: the scan found nothing"
    missing = {fact: sorted(where) for fact, where in cited.items() if fact not in by_id}
    assert not missing, f"cited but not in docs/clinical-sources.md: {missing}"
    for fact_id in cited:
        sources = by_id[fact_id].sources
        assert sources, fact_id
        for source in sources:
            assert source.title.strip(), (fact_id, source.key)
            assert re.fullmatch(r"https://[^\s/]+\.[a-z]{2,}(/\S*)?", source.url), (fact_id, source.url)


@pytest.mark.skipif(not FACTS_FILE.is_file(), reason="shared clinical-facts.md not available")
def test_every_fact_id_of_the_shared_list_has_a_row():
    shared = set(FACT_ID.findall(FACTS_FILE.read_text(encoding="utf-8")))
    assert {"DOSE-13", "PREG-11", "RED-12", "HELP-2", "PRODUCT-2", "MOOD-1"} <= shared
    documented = {fact.id for fact in load_facts()}
    assert not shared - documented, sorted(shared - documented)


def test_no_row_is_a_placeholder():
    text = SOURCES_FILE.read_text(encoding="utf-8").lower()
    for phrase in ("to be added", "none named", "tbd", "todo"):
        assert phrase not in text, phrase


def test_every_listed_source_is_cited_by_some_fact():
    row = re.compile(r"^\|\s*([a-z0-9-]+)\s*\|[^|]+\|\s*(https://\S+)\s*\|$", flags=re.M)
    rows = row.findall(SOURCES_FILE.read_text(encoding="utf-8"))
    listed = {key for key, _url in rows}
    assert len(listed) > 20
    used = {source.key for fact in load_facts() for source in fact.sources}
    assert listed == used, sorted(listed ^ used)


@pytest.mark.skipif(not FACTS_FILE.is_file(), reason="shared clinical-facts.md not available")
def test_statements_are_in_our_own_words():
    """No 7-word run of clinical-facts.md appears verbatim in a statement."""

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower())

    shared = words(FACTS_FILE.read_text(encoding="utf-8"))
    n = 7
    grams = {tuple(shared[i : i + n]) for i in range(len(shared) - n + 1)}
    for fact in load_facts():
        w = words(fact.statement)
        for i in range(len(w) - n + 1):
            assert tuple(w[i : i + n]) not in grams, f"{fact.id}: {' '.join(w[i : i + n])}"


GOOD = (
    "Intro | with a pipe\n\n"
    "| id | statement | conf | sources |\n|---|---|---|---|\n"
    "| EXP-1 | Works after a week or so. | H/M | nhs, dermnet |\n\n"
    "| source | title | link |\n|---|---|---|\n"
    "| nhs | Isotretinoin (NHS) | https://www.nhs.uk/medicines/isotretinoin-capsules/ |\n"
    "| dermnet | Isotretinoin (DermNet) | https://dermnetnz.org/topics/isotretinoin |\n"
)


def test_parse_resolves_source_ids_and_skips_prose_headers_and_separators():
    [fact] = parse_facts(GOOD)
    assert (fact.id, fact.statement, fact.confidence) == ("EXP-1", "Works after a week or so.", "H/M")
    assert [(s.title, s.url) for s in fact.sources] == [
        ("Isotretinoin (NHS)", "https://www.nhs.uk/medicines/isotretinoin-capsules/"),
        ("Isotretinoin (DermNet)", "https://dermnetnz.org/topics/isotretinoin"),
    ]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (GOOD.replace("nhs, dermnet", "nhs, who"), "unknown source"),
        (GOOD.replace("| H/M | nhs, dermnet |", "| H/M |  |"), "has no source"),
        (GOOD.replace("https://dermnetnz", "http://dermnetnz"), "https://"),
        (GOOD + "| nhs | Again | https://www.nhs.uk/ |\n", "listed twice"),
        (GOOD.replace("| EXP-1 | Works", "| EXP-1 | extra | Works"), "needs 4 cells"),
    ],
)
def test_parse_refuses_an_inconsistent_file(broken, message):
    with pytest.raises(SourcesFileError, match=message):
        parse_facts(broken)
