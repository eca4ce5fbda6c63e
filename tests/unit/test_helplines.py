"""Help numbers data (HELP-1, HELP-3..6): every country has an emergency number and either a crisis line or
the "no line we can name" path; no line is called free or open day and night unless the facts say so;
zones match the IANA zone.tab."""

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest

from backend.course.helplines import (
    HELPLINES_FILE,
    country_codes,
    country_for_zone,
    directory,
    helpline,
    load_helplines,
)

ROOT = Path(__file__).resolve().parents[2]
HELP_TS = ROOT / "frontend" / "src" / "lib" / "help.ts"
ALL_LINES = [
    (code, kind, line)
    for code, entry in sorted(load_helplines().items())
    for kind in ("crisis", "youth")
    for line in entry[kind]
]


def _zone_tab() -> dict[str, set[str]]:
    zones: dict[str, set[str]] = {}
    for line in (files("tzdata.zoneinfo") / "zone.tab").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, zone = line.split("\t")[:3]
        zones.setdefault(code, set()).add(zone)
    return zones


def test_every_listed_country_has_a_crisis_line_or_the_no_line_path():
    """The countries the app lists (the country choice, the zones) all have an emergency number, and either
    at least one named crisis line or an empty list, for which the app shows the emergency number and the
    directory (HELP-6) — the wording the PWA uses for that case must exist."""
    assert len(country_codes()) >= 33
    no_line = [code for code in country_codes() if not helpline(code)["crisis"]]
    for code in country_codes():
        entry = helpline(code)
        assert entry["emergency"]["number"] and entry["emergency"]["facts"], code
        assert isinstance(entry["crisis"], list), code
        for line in entry["crisis"]:
            assert line["name"] and re.fullmatch(r"[0-9 -]{3,16}", line["number"]), (code, line)
    # Every country the third review named has its line; the rest are the countries with none we can name.
    named = {
        "AT",
        "BE",
        "CA",
        "CZ",
        "DE",
        "DK",
        "ES",
        "FI",
        "FR",
        "GB",
        "GR",
        "IE",
        "IT",
        "MX",
        "NL",
        "NZ",
        "PL",
        "PT",
        "SE",
        "US",
        "AU",
    }
    assert set(country_codes()) - set(no_line) == named
    assert set(no_line) == {"BG", "CY", "EE", "HR", "HU", "LT", "LU", "LV", "MT", "RO", "SI", "SK"}
    assert directory()["url"].startswith("https://") and "HELP-6" in directory()["facts"]
    assert directory()["verify"], "HELP-6 marks the directory 'verify'"
    source = HELP_TS.read_text(encoding="utf-8")
    assert "export function noLineText" in source and "DIRECTORY" in source


@pytest.mark.parametrize(
    ("code", "kind", "line"), ALL_LINES, ids=lambda v: v if isinstance(v, str) else v["number"]
)
def test_each_line_has_a_source_and_promises_only_what_the_facts_hold(code, kind, line):
    assert line["source"]["title"] and line["source"]["url"].startswith("https://"), (code, line)
    assert line["facts"] and all(re.fullmatch(r"HELP-\d", f) for f in line["facts"]), line
    note = line["note"].lower()
    if "free" in note:
        assert line["free"] is True, (code, line)
    if "any time" in note:
        assert line["hours"] == "24/7", (code, line)
    if line["free"] is not True:
        assert not re.search(r"\bfree\b", note), (code, line)
    if line["hours"] != "24/7":
        assert "any time" not in note and "24/7" not in note, (code, line)
    if line["verify"]:
        assert any(word in note for word in ("check", "about")), (code, line)


def test_the_facts_verify_marks_and_limits_are_kept():
    assert helpline("IT")["crisis"][0]["free"] is False and helpline("IT")["crisis"][0]["hours"] != "24/7"
    assert helpline("FI")["crisis"][0]["free"] is False
    assert helpline("DK")["crisis"][0]["verify"] == ["hours"]
    assert helpline("SE")["crisis"][0]["verify"] == ["cost"]
    assert helpline("PL")["crisis"][0]["verify"] == ["hours"] and helpline("CZ")["crisis"][0]["verify"] == [
        "hours"
    ]
    assert helpline("GB")["youth"][0]["verify"] == ["hours"]
    assert helpline("DE")["youth"][0]["hours"] != "24/7"
    # HELP-5 says nothing about what the youth lines cost: none is called free.
    assert all(line["free"] is None for code in country_codes() for line in helpline(code)["youth"])


def test_known_numbers():
    assert helpline("US")["emergency"]["number"] == "911" and helpline("US")["crisis"][0]["sms"] == "988"
    assert helpline("CA")["crisis"][0]["number"] == "988"
    assert (
        helpline("GB")["emergency"]["number"] == "999" and helpline("GB")["crisis"][0]["number"] == "116 123"
    )
    assert (
        helpline("GB")["text_line"]["number"] == "85258" and helpline("GB")["text_line"]["keyword"] == "SHOUT"
    )
    assert (
        helpline("IE")["crisis"][0]["number"] == "116 123"
        and helpline("IE")["text_line"]["number"] == "50808"
    )
    assert (
        helpline("AU")["emergency"]["number"] == "000" and helpline("AU")["crisis"][0]["number"] == "13 11 14"
    )
    assert helpline("AU")["text_line"]["number"] == "0477 13 11 14"
    assert helpline("NZ")["emergency"]["number"] == "111" and helpline("NZ")["crisis"][0]["sms"] == "1737"
    assert (
        helpline("DE")["crisis"][0]["number"] == "0800 111 0 111"
        and helpline("DE")["crisis"][0]["name"] == "TelefonSeelsorge"
    )
    assert helpline("FR")["crisis"][0]["number"] == "3114" and helpline("ES")["crisis"][0]["number"] == "024"
    assert [line["number"] for line in helpline("BE")["crisis"]] == ["1813", "0800 32 123"]
    assert (
        helpline("MX")["emergency"]["number"] == "911"
        and helpline("MX")["crisis"][0]["number"] == "800 911 2000"
    )
    assert helpline("CA")["youth"][0]["text"] == {"number": "686868", "keyword": "CONNECT"}
    assert helpline("XX") is None and helpline(None) is None


def test_every_source_link_is_listed_in_the_sources_doc():
    doc = (ROOT / "docs" / "clinical-sources.md").read_text(encoding="utf-8")
    data = json.loads(HELPLINES_FILE.read_text(encoding="utf-8"))
    urls = {line["source"]["url"] for _, _, line in ALL_LINES}
    urls |= {c["text_line"]["source"]["url"] for c in data["countries"] if c["text_line"]}
    urls.add(data["directory"]["url"])
    assert {u for u in urls if u not in doc} == set()


def test_zones_match_the_iana_zone_tab_and_pick_the_country():
    tab = _zone_tab()
    for code in country_codes():
        assert set(helpline(code)["zones"]) == tab[code], code
    assert country_for_zone("Europe/London") == "GB"
    assert country_for_zone("America/Toronto") == "CA"
    assert country_for_zone("Australia/Sydney") == "AU"
    assert country_for_zone("America/Mexico_City") == "MX"
    assert country_for_zone("Asia/Tokyo") is None
