"""Content files: parse, carry facts documented in docs/clinical-sources.md, cover every phase and kind."""

import json
import re
from pathlib import Path

import pytest

from backend.course.content import CONTENT_DIR, FLAGS, iter_items, load_content
from backend.course.rules import RULESET_DIR
from backend.course.timeline import PHASE_KEYS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "clinical-sources.md"
FACTS_FILE = ROOT.parent / "shared" / "clinical-facts.md"
TEXT_FIELDS = ("text", "title", "summary", "description")
MILESTONE_KINDS = (
    "appointment",
    "course_start",
    "last_dose",
    "cumulative_25",
    "cumulative_50",
    "cumulative_75",
    "cumulative_100",
    "final_pregnancy_test",
    "contraception_end",
    "blood_donation_ok",
    "procedures_ok",
    "monthly_visit",
    "blood_test",
)
LOCALE_FILES = sorted(CONTENT_DIR.glob("*.json"))
RULESET_FILES = sorted(RULESET_DIR.glob("*.json"))


def documented_ids() -> set[str]:
    ids = re.findall(r"^\|\s*([A-Z]+-\d+)\s*\|", SOURCES.read_text(encoding="utf-8"), flags=re.M)
    return set(ids)


def raw(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_sources_doc_lists_ids():
    ids = documented_ids()
    assert {"PRODUCT-1", "DOSE-3", "RED-1", "RED-10", "AFTER-7"} <= ids


def test_en_exists_and_parses():
    assert (CONTENT_DIR / "en.json").is_file()
    data = raw(CONTENT_DIR / "en.json")
    assert data["locale"] == "en"


@pytest.mark.parametrize("path", LOCALE_FILES, ids=lambda p: p.name)
def test_every_item_has_documented_facts_and_text(path):
    ids = documented_ids()
    items = list(iter_items(raw(path)))
    assert len(items) > 50
    for where, item in items:
        facts = item.get("facts")
        assert isinstance(facts, list) and facts, f"{where}: no facts"
        for fact in facts:
            assert fact in ids, f"{where}: {fact} is not in docs/clinical-sources.md"
        for key in TEXT_FIELDS:
            if key in item:
                assert isinstance(item[key], str) and item[key].strip(), f"{where}.{key} is empty"
        when = item.get("when")
        if when is not None:
            flags = [when] if isinstance(when, str) else when
            assert flags and set(flags) <= FLAGS, f"{where}: unknown when {when}"


def test_every_phase_key_exists_with_its_parts():
    phases = load_content("en")["phases"]
    assert set(phases) == set(PHASE_KEYS)
    red = load_content("en")["red_flags"]
    for key in PHASE_KEYS:
        phase = phases[key]
        assert phase["title"] and phase["summary"]
        for part in ("expectations", "tips", "report_now", "red_flags"):
            assert isinstance(phase[part], list), f"{key}.{part}"
        assert phase["expectations"] and phase["tips"], key
        assert set(phase["red_flags"]) <= set(red), key


def test_red_flag_lists_carry_the_check_ins_levels():
    """Help, Today and Timeline list the red flags from this file; each item covers check-in red flags of
    exactly its level (RED-13), so no list calls an emergency "call your prescriber" or vice versa."""
    from backend.record import triage

    red = load_content("en")["red_flags"]
    rules = triage.load_rules()
    level_of = {f["key"]: f["level"] for f in rules["red_flags"]}
    today_flags = {f["key"] for f in rules["red_flags"] if f["actions"] == ["contact_dermatology_today"]}
    covered = [key for item in red.values() for key in item["covers"]]
    assert sorted(covered) == sorted(level_of), "every check-in red flag is in exactly one list item"
    for name, item in red.items():
        for key in item["covers"]:
            expected = "today" if key in today_flags else level_of[key]
            assert item["level"] == expected, (name, key)
        if item["level"] == "emergency" and name != "self_harm":
            assert "call your emergency number now" in item["text"], name
            assert "prescriber" not in item["text"], name
        if item["level"] == "urgent" and name != "unprotected_sex":
            assert "Stop taking your capsules and call your prescriber now" in item["text"], name
            assert "RED-11" in item["facts"] or "PREG-8" in item["facts"], name
        if item["level"] == "today":
            assert "dermatology team today" in item["text"] and "Stop" not in item["text"], name
    # No promise of a crisis line (some countries have none we can name, HELP-6); Get help shows the numbers.
    assert "crisis line" not in red["self_harm"]["text"] and "better off dead" in red["self_harm"]["text"]
    assert "emergency number" in red["self_harm"]["text"] and "prescriber today" in red["self_harm"]["text"]
    assert red["unprotected_sex"]["text"].startswith("Sex without contraception")
    assert (
        "emergency contraception today" in red["unprotected_sex"]["text"]
        and "72 hours" in red["unprotected_sex"]["text"]
    )
    assert "PREG-12" in red["unprotected_sex"]["facts"]
    assert {red[k]["when"] for k in ("pregnancy", "unprotected_sex")} == {"pregnancy_prevention"}
    cited = {f for item in red.values() for f in item["facts"]}
    assert {f"RED-{n}" for n in range(1, 14)} <= cited


def test_milestone_texts_exist_for_every_kind():
    ms = load_content("en")["milestones"]
    assert set(ms) == set(MILESTONE_KINDS)
    assert set(ms["last_dose"]) == {"estimated", "continuing", "actual"}
    for kind in ("final_pregnancy_test", "contraception_end", "blood_donation_ok", "procedures_ok"):
        assert set(ms[kind]) == {"estimated", "actual"}, kind
        assert "estimate" in ms[kind]["estimated"]["description"], kind
    assert "final pregnancy test is negative" in ms["contraception_end"]["actual"]["description"]
    assert set(ms["blood_test"]) == {"baseline", "follow_up"}


def test_disclaimer_says_it_does_not_replace_the_dermatologist():
    disclaimer = load_content("en")["disclaimer"]
    assert "does not replace your dermatologist" in disclaimer["text"]
    assert disclaimer["facts"] == ["PRODUCT-1"]


def test_pregnancy_items_are_marked_pregnancy_only():
    content = load_content("en")
    lists = [content["dose_guidance"], list(content["red_flags"].values())]
    for phase in content["phases"].values():
        lists += [phase["expectations"], phase["tips"], phase["report_now"]]
    for items in lists:
        for item in items:
            if any(f.startswith("PREG-") or f == "RED-10" for f in item["facts"]):
                when = item.get("when")
                flags = [when] if isinstance(when, str) else (when or [])
                assert "pregnancy_prevention" in flags, item["text"]


def test_dose_guidance_covers_food_and_swallowing_and_leaves_missed_doses_to_the_rule_set():
    guidance = load_content("en")["dose_guidance"]
    facts = {f for i in guidance for f in i["facts"]}
    assert {"DOSE-5", "DOSE-7"} <= facts
    assert not {"DOSE-8", "DOSE-11"} & facts


def test_statements_without_a_fact_are_gone():
    """Review found "dryness is a sign the medicine is working": no fact says so."""
    text = json.dumps(load_content("en")).lower()
    assert "sign the medicine is working" not in text
    assert "your prescriber is aiming for" not in text


def test_while_on_list_has_the_day_one_precautions():
    items = load_content("en")["while_on"]
    facts = {f for i in items for f in i["facts"]}
    assert {"AFTER-1", "AFTER-2", "AFTER-4", "AFTER-6", "AFTER-7", "PREG-11"} <= facts
    assert next(i for i in items if "PREG-11" in i["facts"])["when"] == "pregnancy_prevention"


def test_unknown_or_unsafe_locale_falls_back_to_english():
    en = load_content("en")
    assert load_content("xx") is en
    assert load_content("../../etc/passwd") is en
    assert load_content(None) is en
    assert load_content("en-GB") is en


@pytest.mark.skipif(not FACTS_FILE.is_file(), reason="shared clinical-facts.md not available")
def test_texts_are_written_in_our_own_words():
    """No 7-word run of clinical-facts.md appears verbatim in any content text."""

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower())

    source = words(FACTS_FILE.read_text(encoding="utf-8"))
    n = 7
    grams = {tuple(source[i : i + n]) for i in range(len(source) - n + 1)}
    for path in [*LOCALE_FILES, *RULESET_FILES]:
        for where, item in iter_items(raw(path)):
            for key in TEXT_FIELDS:
                w = words(item.get(key, ""))
                for i in range(len(w) - n + 1):
                    assert tuple(w[i : i + n]) not in grams, f"{where}.{key}: {' '.join(w[i : i + n])}"


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.name)
def test_rule_set_texts_cite_documented_facts(path):
    ids = documented_ids()
    items = list(iter_items(raw(path)))
    assert len(items) >= 4
    for where, item in items:
        facts = item.get("facts")
        assert isinstance(facts, list) and facts, f"{path.name} {where}: no facts"
        assert set(facts) <= ids, f"{path.name} {where}: {set(facts) - ids}"
