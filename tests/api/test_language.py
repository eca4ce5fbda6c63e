"""The patient's language: negotiated from Accept-Language, stored on the patient, used by every text the
API writes, and overridden for one report by ?lang=."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from tests.api.apihelp import API, assert_error, bad_fields
from tests.conftest import COURSE_START


def me(patient, **headers):
    response = patient.get(f"{API}/me", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("es-US", "es"),
        ("de-AT", "de"),
        ("de-CH,fr;q=0.8", "de"),
        ("fr-FR,de;q=0.7,en;q=0.6", "de"),
        ("en-GB,es;q=0.9", "en"),
        ("fr-FR", "en"),
        ("es;q=0.2,de;q=0.8", "de"),
        ("", "en"),
        ("de;q=abc,es", "es"),
    ],
)
def test_a_patient_without_a_choice_follows_accept_language(patient, header, expected):
    body = me(patient, **{"Accept-Language": header})
    assert body["language"] is None  # nothing chosen: nothing stored
    assert body["language_in_use"] == expected


def test_the_stored_language_beats_the_phones_header(patient):
    response = patient.patch(f"{API}/me", json={"language": "de"})
    assert response.status_code == 200
    assert response.get_json()["language"] == "de" and response.get_json()["language_in_use"] == "de"
    assert me(patient, **{"Accept-Language": "es-ES"})["language_in_use"] == "de"
    cleared = patient.patch(f"{API}/me", json={"language": None}, headers={"Accept-Language": "es-MX"})
    assert cleared.get_json() == {**cleared.get_json(), "language": None, "language_in_use": "es"}
    exported = patient.file(f"{API}/me/export").get_json()
    assert exported["patient"]["language"] is None


def test_the_language_can_be_chosen_at_set_up(client):
    created = client.post(f"{API}/patients", json={"language": "es"})
    assert created.status_code == 201
    token = created.get_json()["token"]
    body = client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["language"] == "es"


@pytest.mark.parametrize("value", ["fr", "ES", "es-MX", "", 3, ["es"]])
def test_an_unknown_language_is_refused_naming_the_field(patient, client, value):
    response = patient.patch(f"{API}/me", json={"language": value})
    assert_error(response, 422)
    assert "language" in bad_fields(response)
    assert me(patient)["language"] is None  # nothing half-written
    assert "language" in bad_fields(client.post(f"{API}/patients", json={"language": value}))
    assert "language" in bad_fields(patient.patch(f"{API}/me", json={}))


def test_today_and_the_timeline_answer_in_the_stored_language(patient):
    course = patient.create_course()
    english = patient.get(f"{API}/courses/{course['id']}/timeline").get_json()
    patient.patch(f"{API}/me", json={"language": "de"})
    german = patient.get(f"{API}/courses/{course['id']}/timeline")
    assert german.headers["Content-Language"] == "de"
    assert "Accept-Language" in german.headers["Vary"]
    # The rule set's texts are translated; the view is not served from the English cache entry.
    assert german.get_json() != english
    # An anonymous endpoint follows Accept-Language (the app sends its chosen language).
    anonymous = patient.client.get(f"{API}/rule-sets", headers={"Accept-Language": "de-CH"})
    rule_sets = {r["id"]: r for r in anonymous.get_json()}
    assert rule_sets["eu_ppp"]["title"] == "Schwangerschaftsverhütungsprogramm (EU/UK)"
    assert rule_sets["eu_ppp"]["facts"] == ["PREG-2", "PREG-6", "PREG-10"]


def test_the_phase_texts_and_red_flags_follow_the_language(patient):
    course = patient.create_course()
    week_two = (COURSE_START + timedelta(days=7)).isoformat()
    patient.patch(f"{API}/me", json={"language": "es"})
    spanish = patient.get(f"{API}/courses/{course['id']}/today?date={week_two}").get_json()
    patient.patch(f"{API}/me", json={"language": "de"})
    german = patient.get(f"{API}/courses/{course['id']}/today?date={week_two}").get_json()
    patient.patch(f"{API}/me", json={"language": "en"})
    english = patient.get(f"{API}/courses/{course['id']}/today?date={week_two}").get_json()
    assert english["phase"]["title"] == "The first weeks"
    assert spanish["phase"]["title"] == "Las primeras semanas"
    assert german["phase"]["title"] == "Die ersten Wochen"
    assert _facts_of(spanish) == _facts_of(english) == _facts_of(german)


def _facts_of(node):
    if isinstance(node, dict):
        return [node.get("facts")] + [f for v in node.values() for f in _facts_of(v)]
    if isinstance(node, list):
        return [f for v in node for f in _facts_of(v)]
    return []


def _report(patient, course, query=""):
    response = patient.get(f"{API}/courses/{course['id']}/report{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_report_is_written_in_the_stored_language_and_lang_overrides_it(patient):
    course = patient.create_course()
    patient.patch(f"{API}/me", json={"language": "es"})
    spanish = _report(patient, course)
    assert spanish["language"] == "es" and spanish["title"] == "Registro de ClearCourse para quien receta"
    english = _report(patient, course, "?lang=en")
    assert english["language"] == "en" and english["title"] == "ClearCourse record for the prescriber"
    assert _report(patient, course, "?lang=de")["title"].startswith("ClearCourse-Bericht")
    assert english["facts"] == spanish["facts"]
    response = patient.get(f"{API}/courses/{course['id']}/report?lang=fr")
    assert_error(response, 422)
    assert "lang" in bad_fields(response)


def test_the_german_report_pdf_reads_back_with_its_umlauts(patient):
    course = patient.create_course()
    response = patient.file(f"{API}/courses/{course['id']}/report.pdf?lang=de")
    assert response.status_code == 200 and response.headers["Content-Language"] == "de"
    reader = PdfReader(io.BytesIO(response.data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "ClearCourse-Bericht für die verschreibende Praxis" in text
    assert "Dosis, Einnahmeplan und Untersuchungen legt" in text
    assert "verschreibende Ärztin" in text
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVu" in name for name in fonts), fonts  # an embedded Unicode font, not core Helvetica


@pytest.mark.parametrize(
    ("lang", "country", "written"),
    [
        ("de", "DE", "72,5"),
        ("de", "AT", "72,5"),
        ("es", "ES", "72,5"),
        ("es", "MX", "72.5"),
        ("es", "US", "72.5"),
        ("en", "DE", "72.5"),
    ],
)
def test_the_pdf_writes_decimals_as_the_language_and_country_do(patient, lang, country, written):
    course = patient.create_course(weight_kg=72.5, target_mg_per_kg=125.5, country=country)
    response = patient.file(f"{API}/courses/{course['id']}/report.pdf?lang={lang}")
    assert response.status_code == 200 and response.headers["Content-Language"] == lang
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    other = "72.5" if written == "72,5" else "72,5"
    assert written in text and other not in text
    assert written.replace("72", "125") in text  # the target too


def test_a_calendar_feed_is_written_in_spanish(patient, client):
    course = patient.create_course()
    patient.patch(f"{API}/me", json={"language": "es"})
    patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={
            "kind": "blood_test",
            "starts_at": f"{COURSE_START + timedelta(days=28)}T08:30",
            "fasting": True,
        },
    )
    feed = patient.post(f"{API}/calendar-feeds", json={"course_id": course["id"], "include_doses": True})
    assert feed.status_code == 201, feed.get_json()
    # A calendar app sends no token and its own header: the patient's stored language still wins.
    response = client.get(urlsplit(feed.get_json()["url"]).path, headers={"Accept-Language": "en-US"})
    cal = Calendar.from_ical(response.data)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert "Análisis de sangre" in summaries
    assert any(s.startswith("Cápsulas, 20 mg (dosis 1 de 2)") for s in summaries)
    descriptions = " ".join(str(e.get("description", "")) for e in cal.walk("VEVENT"))
    assert "solo agua durante las 8 horas" in descriptions  # MON-3
    assert str(cal["X-WR-CALDESC"]).startswith("Las fechas de tu tratamiento")
    # Estimates are marked by a flag, not by an English word: a title saying "estimada" is not prefixed
    # again, the others get the Spanish prefix, and every one the Spanish note and the estimate property.
    estimates = [e for e in cal.walk("VEVENT") if str(e.get("X-CLEARCOURSE-ESTIMATED", "")) == "TRUE"]
    titles = {str(e["summary"]) for e in estimates}
    assert "Última cápsula estimada" in titles and "Última prueba de embarazo (estimación)" in titles
    assert "Estimado: Donar sangre: no antes de esta fecha aproximada" in titles
    assert not any(t.startswith("Estimado: Última") or "Estimated" in t for t in titles)
    assert all("Esta fecha es una estimación a partir de tu plan" in str(e["description"]) for e in estimates)


def test_helplines_speak_the_callers_language_and_988_offers_spanish(client):
    def lines(language):
        response = client.get(f"{API}/helplines", headers={"Accept-Language": language})
        assert response.headers["Content-Language"] == language
        return {c["code"]: c for c in response.get_json()}

    english, spanish, german = lines("en"), lines("es"), lines("de")
    us = spanish["US"]["crisis"][0]
    assert spanish["US"]["name"] == "Estados Unidos" and german["DE"]["name"] == "Deutschland"
    assert us["number"] == "988"
    assert us["note"] == "gratuita, a cualquier hora; atiende en inglés y en español"
    # HELP-4: 988 answers in Spanish (calls, text, chat); no key press is invented.
    assert us["in_language"] == {
        "languages": ["es"],
        "text": "También atiende en español, por llamada, mensaje de texto o chat: elige español cuando te "
        "contesten.",
        "facts": ["HELP-4"],
    }
    assert german["GB"]["youth"][0]["verify"] == ["Erreichbarkeit"]
    assert english["GB"]["youth"][0]["verify"] == ["hours"]
    assert german["DE"]["crisis"][0]["name"] == "TelefonSeelsorge"  # a line's own name stays as it is
    assert spanish["FR"]["emergency"]["also"] == "15 (SAMU, urgencias médicas)"
    for code, entry in english.items():  # numbers, sources and zones never change with the language
        for other in (spanish[code], german[code]):
            assert [c["number"] for c in other["crisis"]] == [c["number"] for c in entry["crisis"]]
            assert [c["source"] for c in other["crisis"]] == [c["source"] for c in entry["crisis"]]
            assert other["zones"] == entry["zones"]
            assert other["emergency"]["number"] == entry["emergency"]["number"]


def test_error_messages_come_in_the_patients_language_with_the_field_names_kept(patient, client):
    patient.patch(f"{API}/me", json={"language": "es"})
    response = patient.post(f"{API}/courses", json={"timezone": "Mars/Olympus", "weight_kg": "heavy"})
    body = assert_error(response, 422)
    assert {"timezone", "weight_kg", "start_date"} <= bad_fields(response)  # field names as they are
    errors = body["errors"]["json"]
    assert errors["start_date"] == ["Falta este dato obligatorio."]
    assert errors["weight_kg"] == ["Debe ser un número."]
    assert errors["timezone"] == [
        "Zona horaria desconocida 'Mars/Olympus'; usa un nombre IANA, como Europe/Madrid."
    ]
    assert body["message"].startswith("Algunos campos no son válidos")
    anonymous = client.get(f"{API}/me", headers={"Accept-Language": "de-DE"})
    assert assert_error(anonymous, 401)["message"] == "Sende den Header Authorization: Bearer <token>."
    english = client.get(f"{API}/me", headers={"Accept-Language": "en"})
    assert assert_error(english, 401)["status"] == assert_error(anonymous, 401)["status"]
