"""Help numbers data (HELP-1): every country has an emergency number; zones match the IANA zone.tab."""

from importlib.resources import files

from backend.course.helplines import country_codes, country_for_zone, helpline, load_helplines


def _zone_tab() -> dict[str, set[str]]:
    zones: dict[str, set[str]] = {}
    for line in (files("tzdata.zoneinfo") / "zone.tab").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, zone = line.split("\t")[:3]
        zones.setdefault(code, set()).add(zone)
    return zones


def test_every_country_has_an_emergency_number_and_sources():
    for code, entry in load_helplines().items():
        assert entry["emergency"]["number"] and entry["emergency"]["facts"] == ["HELP-1"], code
        if entry["crisis"] is not None:
            assert entry["crisis"]["name"] and entry["crisis"]["number"], code
            assert entry["crisis"]["facts"] == ["HELP-1"], code


def test_the_numbers_of_help_1():
    assert helpline("US")["emergency"]["number"] == "911" and helpline("US")["crisis"]["sms"] == "988"
    assert helpline("CA")["crisis"]["number"] == "988"
    assert helpline("GB")["emergency"]["number"] == "999" and helpline("GB")["crisis"]["number"] == "116 123"
    assert helpline("IE")["crisis"]["number"] == "116 123"
    assert helpline("AU")["emergency"]["number"] == "000" and helpline("AU")["crisis"]["number"] == "13 11 14"
    assert helpline("NZ")["emergency"]["number"] == "111" and helpline("NZ")["crisis"]["sms"] == "1737"
    assert helpline("FR")["emergency"]["number"] == "112" and helpline("FR")["crisis"] is None
    assert helpline("XX") is None and helpline(None) is None


def test_zones_match_the_iana_zone_tab_and_pick_the_country():
    tab = _zone_tab()
    for code in country_codes():
        assert set(helpline(code)["zones"]) == tab[code], code
    assert country_for_zone("Europe/London") == "GB"
    assert country_for_zone("America/Toronto") == "CA"
    assert country_for_zone("Australia/Sydney") == "AU"
    assert country_for_zone("Asia/Tokyo") is None
