"""The shared content files in Spanish in the browser: Chromium at es-ES, a course in the US. The check-in's
red flags and its urgent result come from backend/locales/es/triage_rules.json, the call buttons and the 988's
Spanish option (HELP-4) from backend/locales/es/helplines.json, the Help page's red flags from the Spanish
content; nothing is wider than the screen, light and dark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard, phone_in, session_of
from tests.e2e.language import assert_fits, catalog, leaked
from tests.e2e.test_record import journal_loaded

pytestmark = pytest.mark.e2e

LOCALES = Path(__file__).resolve().parents[2] / "backend" / "locales"
BACKEND = LOCALES.parent


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (320, "dark")])
def test_a_spanish_check_in_and_help_in_the_us(browser, live_app, width, scheme, tmp_path):
    rules, english_rules = (
        _json(LOCALES / "es" / "triage_rules.json"),
        _json(BACKEND / "record" / "triage_rules.json"),
    )
    lines = _json(LOCALES / "es" / "helplines.json")
    content = _json(LOCALES / "es" / "content.json")
    flags = {
        f["key"]: t["label"] for f, t in zip(english_rules["red_flags"], rules["red_flags"], strict=True)
    }
    us = next(c for c in lines["countries"] if c["name"] == "Estados Unidos")["crisis"][0]

    with phone_in(browser, live_app, "es-ES", width, scheme) as (page, errors):
        onboard(page)
        session = session_of(page)
        status, body = live_app.api(
            "PATCH", f"/courses/{session['courseId']}", session["token"], {"country": "US"}
        )
        assert status == 200, body
        page.goto("/journal")
        journal_loaded(page, session)

        # The red flags are asked in Spanish; ticking one gives the urgent result in Spanish.
        page.get_by_label(flags["mood_change"]).check()
        expect(page.get_by_label(flags["chest_pain"])).to_be_visible()
        page.locator(".checkin button[type=submit]").click()
        panel = page.locator("#triage")
        expect(panel).to_have_attribute("data-case", "urgent")
        expect(panel).to_contain_text(rules["actions"]["stop_and_call_prescriber"]["text"])
        expect(panel).to_contain_text(rules["actions"]["crisis_talk"]["text"])
        expect(panel.locator(".who-sees")).to_contain_text(rules["who_sees"]["text"])
        calls = panel.locator(".emergency-calls a.call")
        expect(calls.nth(1)).to_have_attribute("href", "tel:911")
        expect(calls.nth(1)).to_contain_text("Llamar al 911")
        expect(calls.nth(1)).to_contain_text(
            f"Emergencias, Estados Unidos: {rules['call_notes']['cant_reach']}"
        )
        crisis = panel.locator('.emergency-calls a.call[href="tel:988"]')
        expect(crisis).to_contain_text("Llamar al 988")
        expect(crisis).to_contain_text(us["in_language"]["text"])  # HELP-4: 988 answers in Spanish
        panel_text = panel.inner_text()
        for english in (
            "Call 911",
            "Emergency, United States",
            "Nobody watches",
            "phone your prescriber today",
        ):
            assert english not in panel_text
        assert_fits(page)
        page.screenshot(path=str(tmp_path / f"checkin-es-{width}-{scheme}.png"), full_page=True)

        # Help: the red-flag lists and the crisis line in Spanish.
        page.goto("/help")
        emergency = page.locator("#emergency")
        expect(emergency).to_contain_text(content["red_flags"]["chest_pain"]["text"])
        expect(emergency.locator('a[href="tel:988"]')).to_contain_text(us["in_language"]["text"])
        expect(emergency.locator('a[href="tel:911"]')).to_contain_text("Llamar al 911")
        assert "Chest pain" not in page.locator("main").inner_text()
        assert_fits(page)
        page.screenshot(path=str(tmp_path / f"help-es-{width}-{scheme}.png"), full_page=True)
        assert errors == []


@pytest.mark.parametrize(
    ("locale", "language", "width", "scheme"), [("es-MX", "es", 390, "dark"), ("de-AT", "de", 320, "light")]
)
def test_the_mood_check_in_spanish_and_german(browser, live_app, locale, language, width, scheme, tmp_path):
    mood = _json(LOCALES / language / "mood.json")
    rules = _json(LOCALES / language / "triage_rules.json")
    own = catalog(language)
    with phone_in(browser, live_app, locale, width, scheme) as (page, errors):
        onboard(page)
        page.goto("/mood")
        view = page.locator(".mood")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["mood.title"])
        expect(view).to_contain_text(mood["intro"]["text"])
        assert view.get_attribute("lang") == language
        # Answering "nearly every day" brings the leaflet's advice, in the language's own words.
        page.get_by_role("group", name=mood["questions"][1]["text"]).get_by_label(
            mood["answers"]["low_mood"][3]["label"]
        ).check()
        alert = page.locator("#crisis")
        expect(alert.get_by_role("heading")).to_have_text(own["mood.stop_and_phone"])
        expect(alert).to_contain_text(rules["actions"]["mood_stop"]["text"])
        expect(alert.locator(".who-sees")).to_contain_text(rules["who_sees"]["text"])
        text = view.inner_text()
        assert leaked(text, ("mood.",), language) == []
        assert "Not at all" not in text and "Nobody watches" not in text
        assert_fits(page)
        page.screenshot(path=str(tmp_path / f"mood-{locale}-{width}-{scheme}.png"), full_page=True)
        assert errors == []
