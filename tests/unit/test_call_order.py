"""The one ordering rule for the call buttons (frontend/src/lib/help.ts callButtons, run under node on the
PWA's own triage): each red flag alone and every emergency pair, with and without a saved clinic number,
in a country with a crisis line, one with a text line, one with none we can name, and for under-18s."""

from __future__ import annotations

import itertools

import pytest

from backend.course.helplines import country_codes
from backend.record import triage
from tests.support.frontend_script import run_frontend_script
from tests.unit.test_triage import EMERGENCY

CLINIC = "+1 555 0100"
PAIRS = list(itertools.combinations(sorted(EMERGENCY), 2))


@pytest.fixture(scope="module")
def run():
    def go(cases: list[dict]) -> list[dict]:
        out = run_frontend_script("call-cases.mjs", cases)
        assert len(out) == len(cases)
        return out

    return go


def kinds(buttons: list[dict]) -> list[str]:
    return [b["kind"] for b in buttons]


def test_each_flag_alone_in_the_us_with_a_saved_clinic(run):
    flags = triage.red_flag_keys()
    results = run([{"red_flags": [k], "country": "US", "clinic_phone": CLINIC} for k in flags])
    for key, result in zip(flags, results, strict=True):
        buttons = result["buttons"]
        if key == "self_harm_thoughts":
            assert kinds(buttons) == ["crisis", "crisis_text", "emergency", "clinic"], key
            assert buttons[0]["href"] == "tel:988" and buttons[1]["href"] == "sms:988"
            assert buttons[2]["note"].endswith(
                "if you might act on these thoughts or can't keep yourself safe"
            )
        elif key in EMERGENCY:
            assert kinds(buttons) == ["emergency", "clinic"], key
            assert buttons[0]["href"] == "tel:911" and buttons[0]["note"] == "Emergency, United States"
        else:
            assert buttons[0] == {
                "kind": "clinic",
                "href": "tel:+15550100",
                "label": "Call your clinic",
                "note": CLINIC,
            }, key
            assert buttons[1]["kind"] == "emergency", key
            assert buttons[1]["note"].endswith("if you can't reach them or feel very unwell"), key
            crisis = key in {"mood_change", "hearing_or_seeing_things"}
            assert kinds(buttons)[2:] == (["crisis", "crisis_text"] if crisis else []), key


def test_every_emergency_pair_puts_the_emergency_number_first(run):
    results = run([{"red_flags": list(pair), "country": "US", "clinic_phone": CLINIC} for pair in PAIRS])
    for pair, result in zip(PAIRS, results, strict=True):
        buttons = result["buttons"]
        assert buttons[0]["href"] == "tel:911" and buttons[0]["note"] == "Emergency, United States", pair
        if "self_harm_thoughts" in pair:
            assert kinds(buttons) == ["emergency", "crisis", "crisis_text", "clinic"], pair
        else:
            assert kinds(buttons) == ["emergency", "clinic"], pair


def test_urgent_without_a_saved_number_offers_to_save_it_first(run):
    [result] = run([{"red_flags": ["yellow_skin_dark_urine"], "country": "GB"}])
    first, second = result["buttons"]
    assert first == {
        "kind": "save_clinic",
        "href": "/help#clinic",
        "label": "Save your clinic’s number",
        "note": None,
    }
    assert second["href"] == "tel:999"


def test_germany_self_harm_leads_with_telefonseelsorge(run):
    [result] = run([{"red_flags": ["self_harm_thoughts"], "country": "DE"}])
    first = result["buttons"][0]
    assert first["label"] == "Call 0800 111 0 111" and first["note"].startswith("TelefonSeelsorge")
    assert kinds(result["buttons"]) == ["crisis", "emergency", "save_clinic"]
    assert "crisis line can talk" in result["texts"][0]


def test_no_line_we_can_name_means_the_emergency_number_and_the_directory(run):
    cases = [
        {"red_flags": ["self_harm_thoughts"], "country": "BG"},
        {"red_flags": ["mood_change"], "country": "BG", "clinic_phone": CLINIC},
        {"red_flags": ["self_harm_thoughts", "chest_pain"], "country": "RO"},
    ]
    alone, mood, pair = run(cases)
    assert kinds(alone["buttons"]) == ["emergency", "directory", "save_clinic"]
    assert alone["buttons"][0] == {
        "kind": "emergency",
        "href": "tel:112",
        "label": "Call 112",
        "note": "Emergency, Bulgaria",
    }
    assert alone["buttons"][1]["href"] == "https://findahelpline.com/"
    assert kinds(mood["buttons"]) == ["clinic", "emergency", "directory"]
    assert kinds(pair["buttons"]) == ["emergency", "directory", "save_clinic"]
    for result in (alone, mood, pair):
        assert not any("crisis line can" in text for text in result["texts"]), result["texts"]
        assert any("call your emergency number now" in text for text in result["texts"])


def test_text_lines_and_youth_lines(run):
    cases = [
        {"red_flags": ["self_harm_thoughts"], "country": "GB"},
        {"red_flags": ["self_harm_thoughts"], "country": "GB", "under18": True},
        {"red_flags": ["self_harm_thoughts"], "country": "GB", "under18": False},
        {"red_flags": ["self_harm_thoughts"], "country": "CA", "under18": True},
        {"red_flags": ["self_harm_thoughts"], "country": "AU"},
        {"red_flags": ["self_harm_thoughts"], "country": "IT"},
    ]
    gb, gb_young, gb_adult, ca_young, au, it = run(cases)
    assert [b["label"] for b in gb["buttons"]][:2] == ["Call 116 123", "Text SHOUT to 85258"]
    assert gb["buttons"][1]["href"] == "sms:85258?body=SHOUT"
    assert "youth" not in kinds(gb["buttons"]) and kinds(gb_adult["buttons"]) == kinds(gb["buttons"])
    assert [b["label"] for b in gb_young["buttons"] if b["kind"] == "youth"] == ["Call 0800 1111"]
    assert "check its opening hours" in next(b for b in gb_young["buttons"] if b["kind"] == "youth")["note"]
    young = [b for b in ca_young["buttons"] if b["kind"].startswith("youth")]
    assert [b["label"] for b in young] == ["Call 1-800-668-6868", "Text CONNECT to 686868"]
    assert young[1]["href"] == "sms:686868?body=CONNECT"
    assert [b["label"] for b in au["buttons"]][:2] == ["Call 13 11 14", "Text 0477 13 11 14"]
    assert "free" not in it["buttons"][0]["note"] and "any time" not in it["buttons"][0]["note"]


def test_without_a_country_every_number_is_listed_with_where_it_works(run):
    [result] = run([{"red_flags": ["self_harm_thoughts", "hives"]}])
    emergency = [b for b in result["buttons"] if b["kind"] == "emergency"]
    assert {b["label"] for b in emergency} == {"Call 911", "Call 999", "Call 112", "Call 000", "Call 111"}
    assert result["buttons"][0]["kind"] == "emergency"
    assert any(b["label"] == "Call 988" for b in result["buttons"] if b["kind"] == "crisis")


def test_every_listed_country_gives_a_self_harm_result_a_line_or_the_directory(run):
    codes = country_codes()
    results = run([{"red_flags": ["self_harm_thoughts"], "country": code} for code in codes])
    for code, result in zip(codes, results, strict=True):
        first = result["buttons"][0]["kind"]
        assert first in ("crisis", "emergency"), code
        assert any(b["kind"] in ("crisis", "directory") for b in result["buttons"]), code


def test_a_spanish_reader_in_the_us_is_told_988_answers_in_spanish(run):
    """HELP-4: the US 988 takes calls in Spanish and Spanish text and chat; no key press is invented."""
    case = {"red_flags": ["self_harm_thoughts"], "country": "US"}
    english, spanish, german = run([{**case, "language": lang} for lang in ("en", "es", "de")])
    crisis = spanish["buttons"][0]
    assert crisis["kind"] == "crisis" and crisis["label"] == "Llamar al 988"
    assert crisis["note"] == (
        "988 Suicide & Crisis Lifeline, gratuita, a cualquier hora; atiende en inglés y en español. "
        "También atiende en español, por llamada, mensaje de texto o chat: elige español cuando te contesten."
    )
    assert "HELP-4" in crisis["facts"]
    assert spanish["buttons"][1]["label"] == "Enviar mensaje al 988"
    assert spanish["buttons"][2]["note"].startswith("Emergencias, Estados Unidos: si podrías actuar")
    assert spanish["texts"][0].startswith("No tienes que quedarte a solas")
    assert english["buttons"][0]["note"] == (
        "988 Suicide & Crisis Lifeline, free, any time; calls in English and Spanish"
    )
    # A German reader in the US is not offered Spanish; the words are German.
    assert "Spanisch, wenn" not in german["buttons"][0]["note"]
    assert german["buttons"][0]["label"] == "988 anrufen"
    assert [b["kind"] for b in spanish["buttons"]] == [b["kind"] for b in english["buttons"]]


def test_the_no_line_wording_and_directory_in_german(run):
    [result] = run([{"red_flags": ["self_harm_thoughts"], "country": "BG", "language": "de"}])
    labels = [b["label"] for b in result["buttons"]]
    assert labels[:2] == ["112 anrufen", "Hilfetelefon finden"]
    directory = result["buttons"][1]["note"]
    assert directory == "Find A Helpline, ein internationales Verzeichnis (nicht von uns geprüft)"
    assert result["texts"][0].startswith("Du musst mit diesen Gedanken nicht allein bleiben: Ruf jetzt")
