"""GET /api/v1/sources lists every fact the content cites."""

from __future__ import annotations

from backend.course.content import iter_items, load_content
from backend.course.sources import parse_sources


def test_sources_cover_every_fact_the_content_cites(client):
    response = client.get("/api/v1/sources")
    assert response.status_code == 200
    rows = response.get_json()
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows), "a fact id is listed twice"
    cited = {fact for _where, item in iter_items(load_content("en")) for fact in item.get("facts", [])}
    assert cited, "the content cites no facts"
    assert cited <= set(by_id), sorted(cited - set(by_id))
    exp3 = by_id["EXP-3"]
    assert exp3["statement"] and exp3["source"] and exp3["confidence"] == "M"


def test_parse_sources_skips_header_separator_and_prose():
    markdown = (
        "Intro text | with a pipe\n\n"
        "| id | statement (our words) | conf | public source |\n"
        "|---|---|---|---|\n"
        "| EXP-1 | Works after a week or so. | H/M | NHS |\n"
    )
    assert [(s.id, s.statement, s.confidence, s.source) for s in parse_sources(markdown)] == [
        ("EXP-1", "Works after a week or so.", "H/M", "NHS")
    ]
