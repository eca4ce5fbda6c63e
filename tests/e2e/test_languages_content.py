"""The shared content files in Spanish in the browser: Chromium at es-ES, a course in the US. The check-in's
red flags and its urgent result come from backend/locales/es/triage_rules.json, the call buttons and the 988's
Spanish option (HELP-4) from backend/locales/es/helplines.json, the Help page's red flags from the Spanish
content; nothing is wider than the screen, light and dark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import morning
from tests.e2e.helpers import onboard, session_of
from tests.e2e.language import assert_fits
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

    ctx = browser.new_context(
        base_url=live_app.url,
        viewport={"width": width, "height": 844},
        service_workers="allow",
        locale="es-ES",
        color_scheme=scheme,
    )
    ctx.set_default_timeout(15_000)
    morning(ctx)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
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
    finally:
        ctx.close()
