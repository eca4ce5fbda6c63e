"""Set-up and Today in Spanish and German: Chromium set to es-ES / es-MX / de-DE / de-AT at 390×844 and 320
wide, light and dark. A person sets up a course from the first screen, passes the reminders offer and ticks a
capsule on Today; no English message of the English catalog (set-up, the reminders offer, Today, course
details, the app shell) appears, nothing is wider than the screen, the page says which language it is in,
dates are written the language's way, and axe-core finds no WCAG violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    axe_violations,
    day_heading,
    phone_in,
    session_of,
    skip_reminder_offer,
    start_course,
)
from tests.e2e.language import assert_fits, catalog, leaked

pytestmark = pytest.mark.e2e

SETUP = ("setup.", "errors.", "shell.")
OFFER = ("reminders.", "shell.")
TODAY = ("today.", "course.", "setup.disclaimer", "shell.")


def english_on(page, prefixes: tuple[str, ...], language: str) -> list[str]:
    """The English messages (of the catalogs under `prefixes`) that the page shows anywhere."""
    return leaked(page.locator("body").inner_text(), prefixes, language)


def tab_labels_fit(page) -> bool:
    """Every tab's label fits its tab (German words are long; the bar is outside <main>)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.tabbar .tab span')]
          .every((label) => label.scrollWidth <= label.clientWidth + 1
            && label.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)"""
    )


@pytest.mark.parametrize(
    ("locale", "language", "width", "scheme"),
    [
        ("es-ES", "es", 390, "light"),
        ("es-MX", "es", 320, "dark"),
        ("de-DE", "de", 390, "dark"),
        ("de-AT", "de", 320, "light"),
    ],
)
def test_set_up_and_today_speak_the_phones_language(
    browser, live_app, axe_source, locale, language, width, scheme, tmp_path
):
    own = catalog(language)
    with phone_in(browser, live_app, locale, width, scheme) as (page, errors):
        # The first screen: the whole set-up form (its later steps render after the first paint).
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/onboarding$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(own["setup.title"])
        expect(page.get_by_role("button", name=own["setup.submit"])).to_be_visible()
        assert page.evaluate("document.documentElement.lang") == language
        assert page.title() == f"{own['shell.title.onboarding']} · ClearCourse"
        # Country names come from Intl in the language ("España" / "Deutschland"), not from English.
        country = page.get_by_label(own["setup.country"])
        home = {"es": "España", "de": "Deutschland"}[language]
        expect(country.locator("option", has_text=home)).to_have_count(1)

        # Sent empty: the error summary and every field's error are in the language too.
        page.get_by_role("button", name=own["setup.submit"]).click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("heading")).to_have_text(
            re.compile(own["setup.errors.check"].split("{")[0].strip())
        )
        expect(summary).to_contain_text(own["setup.error.product"])
        expect(summary).to_contain_text(own["setup.error.weight.kg"].split("{")[0].strip())
        assert english_on(page, SETUP, language) == []
        assert_fits(page)
        assert axe_violations(page, axe_source) == []
        page.screenshot(path=str(tmp_path / f"setup-{locale}-{width}-{scheme}.png"), full_page=True)

        # Filled in by the catalog's words, as a person reading the language would.
        start_course(page)
        # The reminders offer that follows set-up.
        expect(page.get_by_role("heading", level=1)).to_have_text(own["reminders.offer.title"])
        expect(page.get_by_role("button", name=own["reminders.push.turn_on"])).to_be_visible()
        expect(page.get_by_label(own["reminders.mood.label"])).to_be_visible()
        assert english_on(page, OFFER, language) == []
        assert_fits(page)
        assert axe_violations(page, axe_source) == []
        page.screenshot(path=str(tmp_path / f"reminders-{locale}-{width}-{scheme}.png"), full_page=True)
        skip_reminder_offer(page)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(day_heading(language))
        session = session_of(page)
        assert live_app.api("GET", "/me", session["token"])[1]["language"] == language

        # Today: the date as the phone's locale writes it, the capsule ticked in the language.
        expected_day = page.evaluate(
            """() => new Intl.DateTimeFormat(navigator.language,
              { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date())"""
        )
        expect(page.locator(".view-header .lede")).to_have_text(expected_day)
        expect(page.get_by_role("heading", name=own["today.doses.heading"])).to_be_visible()
        taken = own["today.dose.taken"]
        page.get_by_role("button", name=re.compile(f"^{re.escape(taken)}")).click()
        slot = page.locator(".dose[data-slot='1']")
        expect(slot).to_have_attribute("data-status", "taken")
        expect(slot.locator(".dose-status")).to_contain_text(own["today.dose.taken_at"].split("{")[0].strip())
        undo = re.compile(f"^{re.escape(own['today.dose.undo'])}")
        expect(page.get_by_role("button", name=undo)).to_be_visible()
        expect(page.locator(".tabbar")).to_contain_text(own["shell.tab.settings"])
        expect(page.locator(".app-header .help-link")).to_have_text(own["shell.help"])

        assert english_on(page, TODAY, language) == []
        assert_fits(page)
        assert tab_labels_fit(page)
        assert axe_violations(page, axe_source) == []
        page.screenshot(path=str(tmp_path / f"today-{locale}-{width}-{scheme}.png"), full_page=True)
        assert errors == []
