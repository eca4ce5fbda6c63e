"""GET /api/v1/sources: every fact the texts cite, with its statement, confidence and public sources."""

from __future__ import annotations

from backend.course.content import iter_items, load_content
from backend.reminders import texts


def test_sources_list_every_cited_fact_with_titles_and_links(client):
    response = client.get("/api/v1/sources")
    assert response.status_code == 200
    rows = response.get_json()
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows), "a fact id is listed twice"
    cited = {fact for _where, item in iter_items(load_content("en")) for fact in item.get("facts", [])}
    cited |= {fact for facts in texts.FACTS.values() for fact in facts}
    assert len(cited) > 30
    assert cited <= set(by_id), sorted(cited - set(by_id))
    for row in rows:
        assert set(row) == {"id", "statement", "confidence", "sources"}, row
        assert row["statement"].strip()
        assert row["sources"], row["id"]
        for source in row["sources"]:
            assert set(source) == {"title", "url"}
            assert source["title"].strip() and source["url"].startswith("https://"), source


def test_a_fact_carries_its_named_sources(client):
    by_id = {row["id"]: row for row in client.get("/api/v1/sources").get_json()}
    after1 = by_id["AFTER-1"]
    assert after1["confidence"] == "H"
    medguide = "https://dailymed.nlm.nih.gov/dailymed/medguide.cfm?setid=1cf11710-f966-4529-8e08-02175f588bca"
    title = "Isotretinoin capsules: US Medication Guide (DailyMed)"
    assert {"title": title, "url": medguide} in after1["sources"]
    help1 = by_id["HELP-1"]
    assert [s["url"] for s in help1["sources"]][:2] == ["https://988lifeline.org/", "https://988.ca/"]


def test_the_openapi_document_describes_the_sources(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/sources"]["get"]
    schema_ref = op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    fact = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
    assert set(fact["properties"]) == {"id", "statement", "confidence", "sources"}
    link_ref = fact["properties"]["sources"]["items"]["$ref"]
    link = spec["components"]["schemas"][link_ref.rsplit("/", 1)[-1]]
    assert set(link["properties"]) == {"title", "url"}
