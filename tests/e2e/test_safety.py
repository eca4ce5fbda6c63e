"""The safety net in the browser (issue 13): the right button first for every kind of result, a crisis line
for the patient's country (or the honest "no line" path), the pregnancy flags only where they apply, the
mood check acting on its answers, and "who sees the answers" beside every check-in and result. At 390×844
and 320 wide, light and dark, axe clean, nothing wider than the screen; screenshots in /tmp/h2-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard, session_of, wait_until
from tests.e2e.test_pause import pauses_on_server
from tests.e2e.test_record import journal_loaded, open_journal

pytestmark = pytest.mark.e2e

AIRWAY = "Swelling of your face, lips, tongue or throat, or finding it hard to breathe"
SELF_HARM = "Thoughts that you would be better off dead, or of hurting yourself or ending your life"
YELLOW = "Yellow skin or eyes, or dark pee"
PREGNANCY_FLAGS = ("A late or missed period, or a positive pregnancy test", "Sex without contraception")
SIZES = [("390", {"width": 390, "height": 844}), ("320", {"width": 320, "height": 640})]


def set_course(page, live_app, **changes) -> dict:
    """PATCHes the course on the server (country, clinic number, pregnancy prevention), then reloads."""
    session = session_of(page)
    status, body = live_app.api("PATCH", f"/courses/{session['courseId']}", session["token"], changes)
    assert status == 200, body
    page.reload()
    return session


def journal_in(page, live_app, **changes) -> None:
    """A new course with these settings, on the Journal once its saved check-ins have been read."""
    onboard(page)
    session = set_course(page, live_app, **changes)
    open_journal(page)
    journal_loaded(page, session)


def check_in(page, *labels: str) -> None:
    for label in labels:
        page.get_by_label(label).check()
    page.get_by_role("button", name="Save check-in").click()


def calls_of(panel):
    return panel.locator(".emergency-calls a.call")


def fits(page, width: int) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, scroll


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_airway_and_self_harm_put_the_emergency_number_first(
    page, live_app, axe_source, scheme, size, viewport
):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(viewport)
    journal_in(page, live_app, country="US")
    expect(page.locator(".checkin .who-sees")).to_contain_text("not your clinic and not ClearCourse")
    check_in(page, AIRWAY, SELF_HARM)

    panel = page.locator("#triage")
    expect(panel).to_have_attribute("data-case", "emergency")
    expect(panel.get_by_role("heading")).to_have_text("Get help now")
    calls = calls_of(panel)
    expect(calls.nth(0)).to_have_attribute("href", "tel:911")
    expect(calls.nth(1)).to_have_attribute("href", "tel:988")
    expect(calls.nth(2)).to_have_attribute("href", "sms:988")
    expect(panel.locator(".who-sees")).to_contain_text("Nobody watches these answers as you give them")
    # The first advice is the emergency number, then stopping; the crisis line follows.
    expect(panel.locator(".fact-list li").first).to_contain_text("Call your emergency number now")
    expect(panel.get_by_text("Confirmed by the server")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    fits(page, viewport["width"])
    assert axe_violations(page, axe_source) == []
    panel.screenshot(path=f"/tmp/h2-airway-self-harm-{size}-{scheme}.png")


def test_self_harm_alone_puts_the_crisis_line_first_with_the_emergency_number_labelled(page, live_app):
    journal_in(page, live_app, country="US")
    check_in(page, SELF_HARM)
    panel = page.locator("#triage")
    expect(panel.get_by_role("heading")).to_have_text("Please talk to someone now")
    calls = calls_of(panel)
    expect(calls.nth(0)).to_have_attribute("href", "tel:988")
    expect(calls.nth(1)).to_have_attribute("href", "sms:988")
    expect(calls.nth(2)).to_have_attribute("href", "tel:911")
    expect(calls.nth(2)).to_contain_text("if you might act on these thoughts or can't keep yourself safe")
    expect(panel).to_contain_text("tell your prescriber today")
    panel.screenshot(path="/tmp/h2-self-harm-us.png")


def test_urgent_with_a_saved_clinic_number_calls_the_clinic_first(page, live_app):
    journal_in(page, live_app, country="GB", clinic_phone="+44 20 7946 0000")
    check_in(page, YELLOW)
    panel = page.locator("#triage")
    expect(panel.get_by_role("heading")).to_have_text("Stop your capsules and call your prescriber now")
    calls = calls_of(panel)
    expect(calls.nth(0)).to_have_attribute("href", "tel:+442079460000")
    expect(calls.nth(0)).to_contain_text("Call your clinic")
    expect(calls.nth(1)).to_have_attribute("href", "tel:999")
    expect(calls.nth(1)).to_contain_text("if you can't reach them or feel very unwell")
    expect(calls).to_have_count(2)
    panel.screenshot(path="/tmp/h2-urgent-clinic-first.png")


def test_urgent_without_a_clinic_number_links_to_where_it_is_saved(page, live_app):
    journal_in(page, live_app, country="GB")
    check_in(page, YELLOW)
    first = calls_of(page.locator("#triage")).first
    expect(first).to_have_text("Save your clinic’s number")
    first.click()
    expect(page).to_have_url(re.compile(r"/help#clinic$"))
    expect(page.get_by_label("Your clinic’s phone number")).to_be_visible()


def test_germanys_self_harm_result_shows_telefonseelsorge(page, live_app):
    journal_in(page, live_app, country="DE")
    check_in(page, SELF_HARM)
    panel = page.locator("#triage")
    first = calls_of(panel).first
    expect(first).to_have_attribute("href", "tel:08001110111")
    expect(first).to_contain_text("TelefonSeelsorge")
    expect(calls_of(panel).nth(1)).to_have_attribute("href", "tel:112")
    expect(panel).to_contain_text("a crisis line can talk with you now")
    panel.screenshot(path="/tmp/h2-self-harm-de.png")


def test_a_country_with_no_line_we_can_name_promises_none(page, live_app):
    journal_in(page, live_app, country="BG")
    check_in(page, SELF_HARM)
    panel = page.locator("#triage")
    expect(panel).not_to_contain_text("a crisis line can talk with you now")
    expect(panel.locator(".no-line")).to_contain_text("We can’t name a checked crisis line for Bulgaria")
    calls = calls_of(panel)
    expect(calls.nth(0)).to_have_attribute("href", "tel:112")
    expect(calls.nth(1)).to_have_attribute("href", "https://findahelpline.com/")
    panel.screenshot(path="/tmp/h2-self-harm-bg.png")


def test_a_patient_who_cannot_become_pregnant_never_sees_the_pregnancy_flags(page, live_app):
    onboard(page)  # answers "No" to "Could you become pregnant?"
    open_journal(page)
    journal_loaded(page, session_of(page))
    expect(page.locator(".red-flags input[type=checkbox]").first).to_be_visible()
    for label in PREGNANCY_FLAGS:
        expect(page.get_by_label(re.compile(re.escape(label)))).to_have_count(0)
    page.goto("/help")
    expect(page.locator("#red-flags li")).to_have_count(9)
    expect(page.locator("#red-flags")).not_to_contain_text("pregnancy test")
    expect(page.locator("main")).not_to_contain_text("emergency contraception")

    session = set_course(page, live_app, pregnancy_prevention=True)
    expect(page.locator("#red-flags li")).to_have_count(11)
    expect(page.locator("#red-flags")).to_contain_text("Get emergency contraception today")
    open_journal(page)
    journal_loaded(page, session)
    check_in(page, "Sex without contraception, or contraception that may have failed")
    panel = page.locator("#triage")
    expect(panel.locator(".fact-list li").first).to_contain_text("Get emergency contraception today")
    expect(panel.locator(".fact-list li").nth(1)).to_contain_text("Stop taking your capsules")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_mood_check_acts_on_frequent_low_mood(page, live_app, axe_source, scheme):
    page.emulate_media(color_scheme=scheme)
    onboard(page)
    set_course(page, live_app, country="US", clinic_phone="+1 202 555 0100")
    page.goto("/mood")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly mood check")
    expect(page.locator("form .who-sees")).to_contain_text("Nobody watches these answers")
    expect(page.get_by_role("group", name=re.compile("better off dead"))).to_contain_text(
        "Since your last check"
    )
    page.get_by_role("group", name=re.compile("little interest")).get_by_label("Nearly every day").check()
    page.get_by_role("group", name=re.compile("down, low")).get_by_label("Some days").check()
    page.get_by_role("group", name=re.compile("better off dead")).get_by_label("No").check()
    alert = page.locator("#crisis")
    expect(alert.get_by_role("heading")).to_have_text("Stop your capsules and phone your prescriber today")
    expect(alert).to_contain_text("The medicine's leaflet lists these feelings among the signs to stop")
    calls = calls_of(alert)
    expect(calls.nth(0)).to_contain_text("Call your clinic")
    expect(calls.nth(1)).to_have_attribute("href", "tel:911")
    expect(calls.nth(2)).to_have_attribute("href", "tel:988")
    expect(alert).not_to_contain_text("score")
    page.set_viewport_size({"width": 320, "height": 640})
    fits(page, 320)
    assert axe_violations(page, axe_source) == []
    page.screenshot(path=f"/tmp/h2-mood-stop-320-{scheme}.png", full_page=True)
    page.get_by_role("button", name="Save this week's answers").click()
    expect(page.get_by_role("status").filter(has_text="next visit")).to_be_visible()


def test_help_lists_the_same_levels_and_youth_lines_only_for_under_18s(page, live_app, axe_source):
    onboard(page)
    set_course(page, live_app, country="GB")
    page.goto("/help")
    emergency = page.locator("#emergency")
    expect(emergency.get_by_role("heading")).to_have_text("Call your emergency number now if you have")
    expect(emergency).to_contain_text("Chest pain")
    expect(emergency).to_contain_text("A fit (seizure), fainting")
    expect(page.locator("#red-flags")).not_to_contain_text("Chest pain")
    expect(page.locator("#flare")).to_contain_text("Contact your dermatology team today")
    expect(emergency.locator('a[href="sms:85258?body=SHOUT"]')).to_contain_text("Text SHOUT to 85258")
    expect(emergency.locator('a[href="tel:08001111"]')).to_have_count(0)
    emergency.get_by_role("group", name=re.compile("under 18")).get_by_label("Yes").check()
    expect(emergency.locator('a[href="tel:08001111"]')).to_contain_text("Childline")
    page.reload()  # kept on this phone
    expect(page.locator('#emergency a[href="tel:08001111"]')).to_be_visible()
    page.get_by_role("button", name="Remove my answer").click()
    expect(page.locator('#emergency a[href="tel:08001111"]')).to_have_count(0)
    assert axe_violations(page, axe_source) == []
    page.screenshot(path="/tmp/h2-help-gb.png", full_page=True)

    page.goto("/timeline")
    report = page.locator("#report-now")
    expect(report.locator(".report-emergency")).to_contain_text("Chest pain")
    expect(report.locator(".report-urgent")).not_to_contain_text("Chest pain")
    expect(report).not_to_contain_text(
        "Stop your capsules and call your prescriber now if you notice any of these"
    )


def test_the_sources_page_lists_every_help_number_with_its_source(page):
    onboard(page)
    page.goto("/sources")
    numbers = page.locator("#help-numbers").locator("xpath=..")
    expect(numbers.locator("#help-DE")).to_contain_text("TelefonSeelsorge, 0800 111 0 111")
    expect(numbers.locator("#help-DK")).to_contain_text("verify: hours")
    expect(numbers.locator("#help-BG")).to_contain_text("none we can name")
    expect(numbers.locator("#help-IT")).to_contain_text("normal call cost")


STOP_CASES = [
    ([AIRWAY], {}, "swelling_or_breathing"),
    ([SELF_HARM], {}, "self_harm_thoughts"),
    ([YELLOW], {}, "yellow_skin_dark_urine"),
    ([], {"Seeing less well in the dark than before: Mild": True}, "night_vision"),
]


@pytest.mark.parametrize(("flags", "effects", "reason"), STOP_CASES, ids=[c[2] for c in STOP_CASES])
def test_every_result_that_says_stop_offers_the_pause(page, live_app, flags, effects, reason):
    journal_in(page, live_app, country="US")
    for label in effects:
        page.get_by_label(label).check()
    check_in(page, *flags)
    panel = page.locator("#triage")
    stop = panel.get_by_role("button", name="I have stopped my capsules")
    stop.click()
    expect(panel.get_by_role("status")).to_contain_text("Pause recorded")
    session = session_of(page)
    [pause] = wait_until(lambda: pauses_on_server(live_app, session), lambda found: len(found) > 0)
    assert pause["reason"] == reason


def test_a_severe_flare_alone_offers_no_pause_and_the_mood_check_does(page, live_app):
    journal_in(page, live_app, country="US")
    check_in(page, "Acne much worse than before, with crusts or bleeding spots, a fever or painful joints")
    panel = page.locator("#triage")
    expect(panel.get_by_role("heading")).to_have_text("Contact your dermatology team today")
    expect(panel.get_by_role("button", name="I have stopped my capsules")).to_have_count(0)

    page.goto("/mood")
    page.get_by_role("group", name=re.compile("down, low")).get_by_label("More than half the days").check()
    alert = page.locator("#crisis")
    alert.get_by_role("button", name="I have stopped my capsules").click()
    expect(alert.get_by_role("status")).to_contain_text("Pause recorded")
    session = session_of(page)
    [pause] = wait_until(lambda: pauses_on_server(live_app, session), lambda found: len(found) > 0)
    assert pause["reason"] == "mood_check"
