"""Settings, reminders, appointments, charts and photos in Spanish and German: Chromium set to es-ES / de-DE
(and a regional variant) at 390×844 and 320 wide, light and dark. No English message of these screens'
catalogs appears, nothing is wider than the screen, axe-core finds nothing and the page throws no error."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard, phone_in
from tests.e2e.language import assert_fits, catalog, leaked
from tests.e2e.test_record import PNG

pytestmark = pytest.mark.e2e

# Settings' sections whose insides other screens' components draw (course, dose, pause, end of course):
# their headings are Settings' own words, their contents are not.
OTHERS = ("course-heading", "dose-heading", "pause-settings-heading", "end-heading")


def open_all_details(page) -> None:
    page.evaluate("() => document.querySelectorAll('main details').forEach((d) => { d.open = true; })")


def check_page(page, axe_source: str, shots, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert_fits(page)
    assert axe_violations(page, axe_source) == [], name


@pytest.mark.parametrize(
    ("locale", "language", "width", "scheme"),
    [
        ("es-ES", "es", 390, "light"),
        ("es-ES", "es", 320, "dark"),
        ("de-DE", "de", 390, "dark"),
        ("de-DE", "de", 320, "light"),
        ("de-AT", "de", 320, "dark"),
    ],
)
def test_settings_reminders_appointments_charts_photos_speak_the_phones_language(
    browser, live_app, axe_source, locale, language, width, scheme, tmp_path
):
    own = catalog(language)
    shot = f"{locale}-{width}-{scheme}"
    with phone_in(browser, live_app, locale, width, scheme) as (page, errors):
        onboard(page)  # set-up is not translated on this branch; the reminders offer after it is

        # The reminders offer that follows set-up, opened again.
        page.goto("/get-reminders")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["reminders.offer.title"])
        expect(page.get_by_label(own["reminders.mood.label"])).not_to_be_checked()
        text = page.locator("main").inner_text()
        assert leaked(text, ("reminders.",), language) == []
        check_page(page, axe_source, tmp_path, f"offer-{shot}")

        # Settings, with every panel showing what it can: a link code, a caregiver invite, a calendar link.
        page.goto("/settings")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["settings.title"])
        page.get_by_role("button", name=own["settings.link.create"]).click()
        expect(page.locator(".link-code .code").first).to_be_visible()
        page.get_by_role("button", name=own["settings.caregivers.invite"]).click()
        expect(page.get_by_role("button", name=own["settings.caregivers.new"])).to_be_visible()
        page.get_by_role("button", name=own["settings.calendar.make"]).click()
        expect(page.get_by_role("link", name=own["settings.calendar.subscribe"])).to_be_visible()
        expect(page.locator(".feed-list")).to_contain_text(own["settings.calendar.not_read"])
        expect(page.locator(".devices").last).to_contain_text(own["settings.devices.this"])
        page.get_by_role("button", name=own["settings.data.delete"]).click()
        expect(page.locator("#delete-confirm")).to_contain_text(own["settings.data.delete.question"])
        open_all_details(page)
        assert page.locator(".view").get_attribute("lang") == language
        mine = page.evaluate(
            """(others) => [...document.querySelectorAll('main h1, main h2, main section.card')]
              .filter((el) => !others.includes(el.getAttribute('aria-labelledby')))
              .map((el) => (el.tagName === 'SECTION' ? el.innerText : el.textContent)).join('\\n')""",
            list(OTHERS),
        )
        assert leaked(mine, ("settings.",), language) == []
        check_page(page, axe_source, tmp_path, f"settings-{shot}")

        # Reminders: this device, the devices, every rule with its timing open, quiet hours, the agenda.
        page.goto("/reminders")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["reminders.title"])
        expect(page.locator(".rules li").first).to_be_visible()
        expect(page.locator("section[aria-labelledby=agenda-heading]")).not_to_contain_text(
            own["reminders.agenda.loading"]
        )
        page.get_by_label(own["reminders.quiet.on"]).check()
        expect(page.get_by_label(own["reminders.quiet.from"])).to_be_visible()
        page.get_by_label(own["reminders.name.mood_checkin"]).check()
        open_all_details(page)
        monday = {"es": "lunes", "de": "Montag"}[language]  # the mood check's weekdays, from Intl
        expect(page.locator("[data-kind=mood_checkin] select option").first).to_have_text(monday)
        text = page.locator("main").inner_text()
        assert own["reminders.name.dose"] in text
        assert leaked(text, ("reminders.",), language) == []
        check_page(page, axe_source, tmp_path, f"reminders-{shot}")

        # Appointments: one added (a fasting blood test tomorrow), then its delete question open.
        page.goto("/appointments")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["appointments.title"])
        form = page.locator("#appointment-form")
        form.get_by_label(own["appointments.kind.blood_test"], exact=True).check()
        form.get_by_label(own["appointments.form.date"]).fill((date.today() + timedelta(days=1)).isoformat())
        form.get_by_label(own["appointments.form.time"]).fill("08:30")
        form.get_by_label(own["appointments.form.fasting"]).check()
        page.get_by_role("button", name=own["appointments.form.add.submit"]).click()
        item = page.locator(".appointments li").first
        expect(item).to_contain_text(own["appointments.kind.blood_test"])
        expect(item.locator(".badge")).to_have_text(own["appointments.fasting"])
        item.get_by_role("button", name=re.compile("^" + re.escape(own["appointments.delete"]))).click()
        # the kind in the question is an ICU select: its own article and case in each language
        question = {"es": "¿Borrar el análisis de sangre del", "de": "Die Blutabnahme am"}[language]
        expect(item.locator(".confirm")).to_contain_text(question)
        text = page.locator("main").inner_text()
        assert leaked(text, ("appointments.",), language) == []
        check_page(page, axe_source, tmp_path, f"appointments-{shot}")

        # Charts: the day's capsule, the cumulative dose and its table.
        page.goto("/charts")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["charts.title"])
        expect(page.locator("#dose-chart")).to_contain_text(own["charts.dose.logged_today"])
        open_all_details(page)
        expect(page.locator("#dose-chart th").first).to_have_text(own["charts.dose.week"])
        text = page.locator("main").inner_text()
        assert leaked(text, ("charts.",), language) == []
        check_page(page, axe_source, tmp_path, f"charts-{shot}")

        # Photos: one front photo today, then its delete question.
        page.goto("/photos")
        expect(page.get_by_role("heading", level=1)).to_have_text(own["photos.title"])
        photo = {"name": "today.png", "mimeType": "image/png", "buffer": PNG}
        page.set_input_files("#photo-front", files=[photo])
        day = page.locator(".photo-day")
        expect(day.locator("img")).to_have_count(1)
        expect(day.locator("h2")).to_contain_text(own["photos.day"].replace("{n, number}", "1"))
        day.get_by_role("button", name=re.compile("^" + re.escape(own["photos.delete.ask"]))).click()
        expect(day.locator(".photo-confirm")).to_contain_text(own["photos.delete.question"])
        text = page.locator("main").inner_text()
        assert leaked(text, ("photos.",), language) == []
        check_page(page, axe_source, tmp_path, f"photos-{shot}")

        assert errors == []
