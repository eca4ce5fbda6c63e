"""The converted screens in Spanish and German: Chromium set to es-ES / de-DE at 390×844 and 320 wide, light
and dark. No English message of the English catalog appears, nothing is wider than the screen, the language
the phone negotiated is stored on the patient, and Settings switches it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard, phone_in, session_of
from tests.e2e.language import assert_fits, catalog, leaked

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "language", "width", "scheme"),
    [
        ("es-ES", "es", 390, "light"),
        ("es-MX", "es", 320, "dark"),
        ("de-DE", "de", 390, "dark"),
        ("de-CH", "de", 320, "light"),
    ],
)
def test_supply_speaks_the_phones_language(browser, live_app, locale, language, width, scheme, tmp_path):
    with phone_in(browser, live_app, locale, width, scheme) as (page, errors):
        onboard(page)  # in the phone's language (the catalog's words); it stores that language
        session = session_of(page)
        assert live_app.api("GET", "/me", session["token"])[1]["language"] == language

        own = catalog(language)
        page.goto("/supply")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["supply.title"])
        page.get_by_label(own["supply.form.capsules"]).fill("30")
        page.get_by_label(own["supply.form.strength"]).fill("20")
        page.get_by_role("button", name=own["supply.form.save"]).click()
        stats = page.locator(".supply .stats")
        expect(stats).to_contain_text(own["supply.have.runs_out"])
        expect(stats).to_contain_text("30 × 20 mg")
        capsules = {"es": "30 cápsulas", "de": "30 Kapseln"}[language]  # the ICU plural
        expect(page.locator(".supply .plain-list")).to_contain_text(capsules)
        expect(page.locator(".supply .source-chip").first).to_have_text(own["facts.source"])
        assert page.locator(".supply").get_attribute("lang") == language

        text = page.locator(".supply").inner_text()
        assert leaked(text, ("supply.", "facts."), language) == []
        assert_fits(page)
        page.screenshot(path=str(tmp_path / f"supply-{locale}-{width}-{scheme}.png"), full_page=True)
        assert errors == []


def saved_language(response) -> bool:
    return response.request.method == "PATCH" and response.url.endswith("/api/v1/me") and response.ok


def test_settings_switches_the_language_and_stores_it_on_the_patient(page, live_app):
    """The whole app re-renders in the new language (the shell's words too) while the choice is sent."""
    onboard(page)
    session = session_of(page)
    assert live_app.api("GET", "/me", session["token"])[1]["language"] == "en"
    page.goto("/settings")
    with page.expect_response(saved_language):  # a page load at once would cancel the request
        page.get_by_role("combobox", name="Language · Idioma · Sprache").select_option("de")
    page.goto("/supply")
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog("de")["supply.title"])
    assert live_app.api("GET", "/me", session["token"])[1]["language"] == "de"
    page.goto("/settings")
    with page.expect_response(saved_language):  # a page load at once would cancel the request
        page.get_by_role("combobox", name="Language · Idioma · Sprache").select_option("")
    page.goto("/supply")
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog("en")["supply.title"])
    assert live_app.api("GET", "/me", session["token"])[1]["language"] is None
