"""Check-in, Get help, the report page, Timeline and Sources in Spanish and German: Chromium set to es-ES /
de-DE at 390×844 and 320 wide, light and dark. A check-in with a red flag gives the urgent result in the
phone's language; no English message of these screens' English catalogs appears, nothing is wider than the
screen, axe finds nothing and the page throws no error. Screenshots go to tmp_path.

The texts from the shared rules (red flags, triage actions, help lines, the dose chart) are other areas'
catalogs: their parts of the page are left out of the English check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard, phone_in, session_of
from tests.e2e.language import ARGUMENT, assert_fits, catalog, leaked

pytestmark = pytest.mark.e2e

# Parts of these screens whose words come from other areas' catalogs (shared rules, help data, charts).
OTHER_AREAS = ", ".join(
    (
        ".fact-list",
        ".red-flags",
        ".effect-grid tbody",
        ".who-sees",
        ".emergency-calls",
        ".source-links",
        ".disclaimer",
        "#dose-chart",
        ".pause-offer",
        ".call-note",
    )
)

OWN_TEXT = """([selector, others]) => {
  const copy = document.querySelector(selector).cloneNode(true);
  copy.querySelectorAll(others).forEach((el) => el.remove());
  return copy.textContent;
}"""


def server_texts(value) -> list[str]:
    """Every text of a server answer (the report's own texts are the server catalogs'), as the pieces
    between its ISO dates (the page writes those in the language)."""
    if isinstance(value, str):
        return re.split(r"\d{4}-\d{2}-\d{2}", value)
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [piece for child in children for piece in server_texts(child)]


def english_left(
    page, selector: str, prefixes: tuple[str, ...], language: str, server: object = None, others: str = ""
) -> list[str]:
    """The English messages of these areas still on the page (outside the parts other areas write, and
    without the texts the server sent)."""
    text = page.evaluate(OWN_TEXT, [selector, ", ".join(filter(None, [OTHER_AREAS, others]))])
    for piece in sorted(server_texts(server), key=len, reverse=True):
        if len(piece.strip()) > 3:
            text = text.replace(piece, "")
    # A piece the translation keeps as it is ("kg (mg/kg)" beside "By the start weight,") says nothing.
    kept = {
        piece.strip()
        for key, message in catalog(language).items()
        if key.startswith(prefixes)
        for piece in re.split(ARGUMENT, message)
    }
    return [words for words in leaked(text, prefixes, language) if words not in kept]


def check_screen(page, axe_source, tmp_path, name: str) -> None:
    assert_fits(page)
    assert axe_violations(page, axe_source) == [], name
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("locale", "language", "country", "width", "scheme"),
    [
        ("es-ES", "es", "ES", 390, "light"),
        ("es-ES", "es", "ES", 320, "dark"),
        ("de-DE", "de", "DE", 390, "dark"),
        ("de-DE", "de", "DE", 320, "light"),
    ],
)
def test_checkin_help_report_and_timeline_speak_the_phones_language(
    browser, live_app, axe_source, locale, language, country, width, scheme, tmp_path
):
    own = catalog(language)
    tag = f"{locale}-{width}-{scheme}"
    with phone_in(browser, live_app, locale, width, scheme) as (page, errors):
        onboard(page)  # the set-up form is another area's; it stores the phone's language
        session = session_of(page)
        course_path = f"/courses/{session['courseId']}"
        status, body = live_app.api("PATCH", course_path, session["token"], {"country": country})
        assert status == 200, body

        # A check-in with a red flag that means stopping the capsules: the urgent result, in the language.
        page.goto("/journal")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["checkin.title"])
        expect(page.locator("#skin-answer")).to_have_text(own["checkin.skin.unanswered"])
        page.get_by_role("button", name=own["checkin.save"]).click()
        expect(page.get_by_role("alert")).to_have_text(own["checkin.empty"])
        page.locator("#flag-yellow_skin_dark_urine").check()
        page.get_by_role("button", name=own["checkin.save"]).click()
        panel = page.locator("#triage")
        expect(panel).to_have_attribute("data-level", "urgent")
        expect(panel.locator("#triage-heading")).to_have_text(own["checkin.result.stop"])
        expect(panel.get_by_role("link", name=own["checkin.result.help_link"])).to_be_visible()
        expect(panel.locator(".triage-status")).to_have_text(own["checkin.result.saved"])
        assert page.locator(".journal").get_attribute("lang") == language
        assert english_left(page, ".journal", ("checkin.",), language) == []
        check_screen(page, axe_source, tmp_path, f"checkin-{tag}")

        # Get help: the levels' headings, the clinic number form and its call button.
        panel.get_by_role("link", name=own["checkin.result.help_link"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(own["help.title"])
        expect(page.locator("#red-flags-heading")).to_have_text(own["help.urgent.heading"])
        page.get_by_label(own["help.phone.label"]).fill("call me")
        page.get_by_role("button", name=own["help.phone.save"]).click()
        expect(page.locator("#clinic-phone-error")).to_have_text(own["help.phone.invalid"])
        page.get_by_label(own["help.phone.label"]).fill("+49 30 1234567")
        page.get_by_role("button", name=own["help.phone.save"]).click()
        expect(page.locator(".clinic-call a.call")).to_contain_text(own["help.phone.call"])
        assert english_left(page, ".help", ("help.",), language) == []
        check_screen(page, axe_source, tmp_path, f"help-{tag}")

        # The report page: the red flag in the safety summary, under this language's headings.
        page.goto("/report")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["report.title"])
        report = page.locator(".report-page")
        expect(report.locator("#report-safety")).to_have_text(own["report.safety"])
        expect(report.get_by_role("table", name=own["report.safety.flags"])).to_be_visible()
        # the ICU plural
        checkins = {"es": "Registros diarios (1 día)", "de": "Tägliche Einträge (1 Tag)"}[language]
        expect(report.locator("#report-checkins")).to_have_text(checkins)
        status, answer = live_app.api("GET", f"{course_path}/report", session["token"])
        assert status == 200 and answer["language"] == language
        assert english_left(page, ".report", ("report.",), language, answer) == []
        check_screen(page, axe_source, tmp_path, f"report-{tag}")

        # Timeline (in the first load): its words arrive with the screens' catalogs.
        page.goto("/timeline")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["timeline.title"])
        expect(page.locator("#report-now-heading")).to_have_text(own["timeline.report_now"])
        expect(page.locator(".badge-current")).to_have_text(own["timeline.phase.here"])
        assert english_left(page, "main .view", ("timeline.",), language) == []
        check_screen(page, axe_source, tmp_path, f"timeline-{tag}")

        page.goto("/sources")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["sources.title"])
        expect(page.locator("#help-numbers")).to_have_text(own["sources.help.heading"])
        expect(page.locator("#facts-DOSE")).to_have_text(own["sources.group.DOSE"])
        # The help lines' names and notes are the help data's, the statements the server's facts list (other
        # areas): the lines are checked by the words this screen writes around them.
        gb = page.locator("#help-GB")
        expect(gb).to_contain_text(own["sources.help.emergency"].replace("{number}", "999"))
        expect(gb).to_contain_text(own["sources.help.crisis"] + ":")
        expect(gb).to_contain_text(own["sources.help.text_line"].split("{")[0])
        expect(gb).to_contain_text(own["sources.help.text_keyword"].replace("{keyword}", "SHOUT"))
        others = ".help-numbers, .fact-statement"
        assert english_left(page, "main .view", ("sources.",), language, others=others) == []
        check_screen(page, axe_source, tmp_path, f"sources-{tag}")
        assert errors == []
