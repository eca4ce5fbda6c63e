"""Translations: the catalogs in backend/locales pass the check, and the check catches each kind of fault."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backend.i18n import LANGUAGES, best_match, catalog, normalize, use_locale
from backend.i18n.catalogs import CATALOGS, merge
from backend.i18n.check import CatalogReport, check, compare, manifest, placeholders
from backend.i18n.frontend import pwa_catalogs
from backend.reminders import texts

ROOT = Path(__file__).resolve().parents[2]


def test_the_repository_catalogs_pass_the_check():
    failures = {f"{r.language}/{r.catalog}": r.failures for r in check() if r.failures}
    assert failures == {}


def test_complete_catalogs_are_declared_for_both_languages_and_exist():
    declared = manifest()
    assert set(declared) == {"es", "de"}
    assert declared["es"] == declared["de"]
    for name in declared["es"]:
        assert name in CATALOGS or name in pwa_catalogs(), name


def _report(english, translated, complete=True) -> CatalogReport:
    report = CatalogReport("xx", "test", complete)
    compare(english, translated, report)
    return report


ENGLISH = {
    "title": "Time for capsule {slot} of {count}",
    "item": {"text": "Stop and call", "facts": ["RED-11"], "when": "pregnancy_prevention"},
    "list": [{"key": "a", "title": "A"}, {"key": "b", "title": "B"}],
    "about": "for developers",
}


def test_the_check_catches_a_missing_key_only_in_a_complete_catalog():
    translated = {"title": "Cápsula {slot} de {count}", "list": [{"title": "A"}, {"title": "B"}]}
    report = _report(ENGLISH, translated)
    assert report.missing == ["item.text"] and report.failures == ["missing key item.text"]
    assert _report(ENGLISH, translated, complete=False).failures == []


def test_the_check_catches_placeholders_fact_ids_ids_and_extra_keys():
    translated = {
        "title": "Cápsula {slot} de {total}",
        "item": {"text": "Para", "facts": ["RED-1"], "when": "pregnancy_prevention"},
        "list": [{"key": "x", "title": "A"}, {"title": "B"}],
        "titel": "typo",
    }
    report = _report(ENGLISH, translated)
    assert report.placeholders == ["title"]
    assert report.facts == ["item.facts", "list[0].key"]
    assert report.extra == ["titel"]


def test_placeholders_of_icu_messages_ignore_plural_branches():
    assert placeholders("{count, plural, one {# day} other {# days}} left, {name}") == {"count", "name"}
    assert placeholders("{n, plural, one {día} other {días}}") == {"n"}
    assert placeholders("Kapsel {slot} von {count}") == {"slot", "count"}
    # a word that merely ends like a plural keyword ("zone", "another") is text, not a branch
    assert placeholders("Unknown time zone {name}; or another {value}") == {"name", "value"}


def test_the_command_reports_ok_for_the_repository():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n-check")], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "i18n-check: ok" in result.stdout


def test_a_translation_merges_over_english_item_by_item():
    merged = merge(ENGLISH, {"list": [{"title": "Α"}, {"title": "Β"}]})
    assert merged["list"] == [{"key": "a", "title": "Α"}, {"key": "b", "title": "Β"}]
    assert merged["item"]["facts"] == ["RED-11"]


@pytest.mark.parametrize(
    ("tag", "expected"), [("es-MX", "es"), ("es_US", "es"), ("DE-at", "de"), ("de-CH", "de"), ("fr", None)]
)
def test_regional_tags_fall_back_to_their_language(tag, expected):
    assert normalize(tag) == expected


def test_a_hostile_accept_language_is_bounded():
    assert best_match("x" * 10_000) == "en"
    assert best_match(",".join(["fr"] * 500 + ["de"])) == "en"  # only the first 20 ranges count
    assert best_match("*;q=0.5,es;q=0.4") == "en"


def test_every_translated_catalog_keeps_the_english_fact_ids():
    for name in CATALOGS:
        english = catalog(name, "en")
        for language in LANGUAGES:
            assert _facts(catalog(name, language)) == _facts(english), (name, language)


def _facts(node, path=""):
    if isinstance(node, dict):
        return {k: v for key, value in node.items() for k, v in _facts(value, f"{path}.{key}").items()} | (
            {path: node["facts"]} if "facts" in node else {}
        )
    if isinstance(node, list):
        return {k: v for i, value in enumerate(node) for k, v in _facts(value, f"{path}[{i}]").items()}
    return {}


def test_reminder_texts_follow_the_current_locale():
    data = {"mg": 20, "slot": 1, "slots_today": 2, "with_meal": True}
    with use_locale("de"):
        assert texts.render("dose", data) == (
            "Zeit für Kapsel 1 von 2 (20 mg)",
            "Nimm sie zu einer Mahlzeit. Schluck sie im Ganzen mit Wasser.",
        )
    with use_locale("es-US"):
        title, _body, local = texts.texts_with_local(
            "pickup_window",
            {"window_days": 7, "test_date": "2026-03-02", "window_ends": "2026-03-08", "lockout_days": 19},
        )
        assert title == "Recoge tu receta a más tardar mañana"
        assert local["body"].startswith("El plazo de 7 días") and "{test_date}" in local["body"]
        assert "esperar 19 días" in local["body"]
    assert texts.render("test", {})[0] == "ClearCourse test notification"


def test_translations_are_valid_json_in_utf8():
    for path in (ROOT / "backend" / "locales").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


STOP_AND_CALL = {
    "en": "Stop taking your capsules and call your prescriber now",
    "es": "Deja de tomar las cápsulas y llama ahora a quien te receta",
    "de": "Nimm keine Kapseln mehr und ruf sofort deine Praxis an",
}


@pytest.mark.parametrize("language", ["es", "de"])
def test_every_stop_and_call_red_flag_says_it_in_one_fixed_sentence(language):
    """RED-11: where English says "stop and call now", the translation says it in its one fixed sentence,
    and nowhere else."""
    english = catalog("content", "en")["red_flags"]
    translated = catalog("content", language)["red_flags"]
    assert set(translated) == set(english)
    for key, item in english.items():
        says = STOP_AND_CALL[language] in translated[key]["text"]
        assert says == (STOP_AND_CALL["en"] in item["text"]), (language, key)
        assert translated[key]["facts"] == item["facts"] and translated[key].get("level") == item.get("level")
    assert sum(STOP_AND_CALL["en"] in item["text"] for item in english.values()) >= 10


def test_the_mood_check_and_the_triage_actions_follow_the_locale():
    from backend.record import mood, triage

    with use_locale("de"):
        answers = mood.load_content()["answers"]["interest"]
        assert answers[3] == {"value": "nearly_every_day", "label": "Fast jeden Tag"}  # the id stays
        action = triage.load_rules()["actions"]["stop_and_call_prescriber"]
        assert action["text"].startswith("Nimm keine Kapseln mehr")
        assert action["stops_capsules"] is True and action["replaced_by"] == ["stop_capsules"]
    with use_locale("es"):
        question = mood.load_content()["questions"][2]
        assert question["key"] == "self_harm_thoughts" and "quitarte la vida" in question["text"]
        assert "text_without_line" in triage.load_rules()["actions"]["crisis_line"]
    assert mood.load_content()["questions"][2]["text"].startswith("Since your last check")


def test_api_error_messages_are_translated_with_their_values_and_unknown_ones_stay():
    from backend.i18n.errors import translate_errors, translate_message

    assert translate_message("Some fields are not valid: start_date, weight_kg.", "es") == (
        "Algunos campos no son válidos: start_date, weight_kg."
    )
    assert translate_message("This overlaps the pause from 2026-03-01 until 2026-03-05.", "de") == (
        "Das überschneidet sich mit der Pause vom 2026-03-01 bis 2026-03-05."
    )
    assert translate_message("This overlaps the pause from 2026-03-01.", "es") == (
        "Esto se solapa con la pausa desde el 2026-03-01."
    )
    assert translate_message("A sentence nobody listed.", "de") == "A sentence nobody listed."
    assert translate_message("Missing data for required field.", "en") == "Missing data for required field."
    nested = {"0": {"x": ["Unknown field."]}}
    tree = {"json": {"weight_kg": ["Missing data for required field."], "dose_plan": nested}}
    assert translate_errors(tree, "de") == {
        "json": {"weight_kg": ["Diese Angabe fehlt."], "dose_plan": {"0": {"x": ["Unbekanntes Feld."]}}}
    }
