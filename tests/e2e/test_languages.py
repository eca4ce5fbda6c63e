"""The converted screens in Spanish and German: Chromium set to es-ES / de-DE at 390×844 and 320 wide, light
and dark. No English message of the English catalog appears, nothing is wider than the screen, the language
the phone negotiated is stored on the patient, and Settings switches it."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from backend.i18n import catalog as backend_catalog
from tests.e2e.helpers import LANGUAGE_PICKER, day_heading, onboard, phone_in, session_of, wait_until
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


def me(live_app, session: dict) -> dict:
    status, body = live_app.api("GET", "/me", session["token"])
    assert status == 200, body
    return body


def test_settings_switches_the_language_and_stores_it_on_the_patient(browser, live_app):
    """The whole app re-renders in the new language (the shell's words too) while the choice is sent; "Auto"
    stores the phone's language, not "none": the server writes reminders without asking the phone."""
    with phone_in(browser, live_app, "es-ES", 390, "light") as (page, errors):
        onboard(page)
        session = session_of(page)
        assert me(live_app, session)["language"] == "es"
        page.goto("/settings")
        with page.expect_response(saved_language):  # a page load at once would cancel the request
            page.get_by_role("combobox", name=LANGUAGE_PICKER).select_option("de")
        page.goto("/supply")
        expect(page.get_by_role("heading", level=1)).to_have_text(catalog("de")["supply.title"])
        assert me(live_app, session)["language"] == "de"
        page.goto("/settings")
        with page.expect_response(saved_language):
            page.get_by_role("combobox", name=LANGUAGE_PICKER).select_option("")
        page.goto("/supply")
        expect(page.get_by_role("heading", level=1)).to_have_text(catalog("es")["supply.title"])
        assert me(live_app, session)["language"] == "es"
        assert errors == []


def test_set_up_in_another_language_than_the_phones(browser, live_app, tmp_path):
    """A German reader with a Spanish phone picks Deutsch on the set-up screen itself: the form, Today and
    what the server writes (stored on the patient) are German from the first step."""
    with phone_in(browser, live_app, "es-ES", 320, "dark") as (page, errors):
        page.goto("/")
        picker = page.get_by_role("combobox", name=LANGUAGE_PICKER)
        expect(picker).to_have_value("")  # Auto: the phone's language until the patient chooses
        expect(page.get_by_role("heading", level=1)).to_have_text(catalog("es")["setup.title"])
        onboard(page, language="de")
        session = session_of(page)
        assert me(live_app, session)["language"] == "de"
        text = page.locator("main").inner_text()
        assert leaked(text, ("today.",), "de") == []
        assert_fits(page)
        page.screenshot(path=str(tmp_path / "set-up-de-on-es-phone.png"), full_page=True)
        assert errors == []


def test_a_language_chosen_offline_reaches_the_server_when_the_app_is_next_online(browser, live_app):
    """The choice is kept on the phone at once; the server (which writes the reminders) gets it at the next
    refresh online, without choosing again."""
    with phone_in(browser, live_app, "de-DE", 390, "light") as (page, errors):
        onboard(page)
        session = session_of(page)
        assert me(live_app, session)["language"] == "de"
        page.goto("/settings")
        page.context.set_offline(True)
        page.get_by_role("combobox", name=LANGUAGE_PICKER).select_option("es")
        expect(
            page.get_by_role("alert").filter(has_text="servidor")
        ).to_be_visible()  # not saved yet, in Spanish
        assert me(live_app, session)["language"] == "de"
        page.context.set_offline(False)
        page.goto("/")
        stored = wait_until(lambda: me(live_app, session)["language"], lambda value: value == "es")
        assert stored == "es"
        expect(page.get_by_role("heading", level=1)).to_have_text(day_heading("es"))
        assert errors == []


def test_the_report_pdf_can_be_made_in_another_language(browser, live_app):
    """A Spanish-speaking patient hands an English PDF to an English-speaking clinic: the report screen asks
    for the PDF in the language chosen there (the patient's by default)."""
    with phone_in(browser, live_app, "es-MX", 390, "light") as (page, errors):
        onboard(page)
        page.goto("/report")
        own = catalog("es")
        choice = page.get_by_label(own["report.pdf_language"])
        expect(choice).to_have_value("es")
        choice.select_option("en")
        with page.expect_download(timeout=60_000) as download:  # no share sheet in this browser: a download
            with page.expect_request(lambda r: r.method == "POST" and "/report.pdf" in r.url) as asked:
                page.get_by_role("button", name=own["report.share"]).click()
            live_app.flask("reminders", "files")  # the worker draws it
        assert "lang=en" in asked.value.url
        reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
        english, spanish = backend_catalog("report", "en")["pdf"], backend_catalog("report", "es")["pdf"]
        for key in ("safety", "cumulative_dose", "planned_doses", "adherence"):
            assert english[key] in text and spanish[key] not in text, (key, text[:1500])
        assert errors == []


def saved_language(response) -> bool:
    return response.request.method == "PATCH" and response.url.endswith("/api/v1/me") and response.ok
