"""Issue 7's details: the Plan tab, dark mode, one time format, tap targets, #links, offline wording,
reminders that give up, a device whose account was erased elsewhere, and narrow screens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, morning
from tests.e2e.helpers import IDB, axe_violations, onboard, run_js, session_of, store_counts, wait_until

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"


def test_plan_tab_opens_appointments_and_reminders(page):
    onboard(page)
    tabs = page.get_by_role("navigation", name="Main")
    tabs.get_by_role("link", name="Plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    expect(tabs.get_by_role("link", name="Plan")).to_have_attribute("aria-current", "page")
    page.get_by_role("navigation", name="Plan").get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    expect(tabs.get_by_role("link", name="Plan")).to_have_attribute("aria-current", "page")
    expect(tabs.get_by_role("link")).to_have_count(5)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_scheme_follows_the_phone_and_stays_readable(browser, live_app, axe_source, scheme):
    ctx = browser.new_context(base_url=live_app.url, viewport=PHONE, color_scheme=scheme, locale="en-US")
    morning(ctx)
    try:
        page = ctx.new_page()
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
        assert axe_violations(page, axe_source) == [], f"onboarding, {scheme}"
        onboard(page, doses_per_day=2)
        background = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
        channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
        assert (sum(channels) < 120) == (scheme == "dark"), background
        page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
        expect(page.locator('ul.doses > li[data-slot="1"]')).to_have_attribute("data-status", "taken")
        page.screenshot(path=f"{SHOTS}/today-{scheme}.png", full_page=True)
        for path, heading in [
            ("/", "Day 1 · week 1"),
            ("/timeline", "Your timeline"),
            ("/appointments", "Appointments"),
            ("/reminders", "Reminders"),
            ("/settings", "Settings"),
        ]:
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            page.wait_for_load_state("networkidle")
            page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            assert axe_violations(page, axe_source) == [], f"{path}, {scheme}"
        page.goto("/timeline")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your timeline")
        expect(page.locator("#dose-chart canvas")).to_have_count(1)
        page.screenshot(path=f"{SHOTS}/timeline-{scheme}.png", full_page=True)
    finally:
        ctx.close()


def test_times_follow_the_phone_locale_in_one_format(page):
    """en-US: "8:00 AM" for the plan and "…AM/PM" for the time taken; no 24-hour "08:00" beside them."""
    onboard(page, doses_per_day=2)
    page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
    slot = page.locator('ul.doses > li[data-slot="1"]')
    expect(slot).to_contain_text(re.compile(r"Taken at \d{1,2}:\d{2}\s?[AP]M"))
    doses = page.locator("ul.doses").inner_text()
    assert "8:00 AM" in doses and "8:00 PM" in doses, doses
    assert not re.search(r"\b\d{2}:\d{2}\b(?!\s?[AP]M)", doses), doses


def test_times_in_a_24_hour_locale(browser, live_app):
    ctx = browser.new_context(base_url=live_app.url, viewport=PHONE, locale="en-GB")
    try:
        page = ctx.new_page()
        onboard(page, doses_per_day=2)
        doses = page.locator("ul.doses").inner_text()
        assert "8:00" in doses and "20:00" in doses and "AM" not in doses and "PM" not in doses, doses
    finally:
        ctx.close()


SMALL_TARGETS = """() => [...document.querySelectorAll(
  'main button, main input, main select, main summary, main .source-chip, nav a')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => { const r = el.getBoundingClientRect();
    return [el.outerHTML.slice(0, 60), r.width, r.height]; })
  .filter(([, w, h]) => w < 24 || h < 24)"""


def test_tap_targets_are_at_least_24_px(page):
    """WCAG 2.2 2.5.8: buttons, fields, source chips and tabs are at least 24 × 24 CSS px."""
    page.goto("/onboarding")
    expect(page.get_by_role("button", name="Start my course")).to_be_visible()
    assert page.evaluate(SMALL_TARGETS) == [], "onboarding"
    onboard(page)
    for path in ["/settings", "/timeline", "/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        assert page.evaluate(SMALL_TARGETS) == [], path
    chip = page.locator(".source-chip").first
    expect(chip).to_be_visible()
    assert float(chip.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")) >= 13


def test_in_app_hash_link_scrolls_to_its_target(page):
    onboard(page)
    page.get_by_role("link", name="Signs to stop your capsules and call your prescriber now").click()
    expect(page).to_have_url(re.compile(r"/help#red-flags$"))
    target = page.locator("#red-flags")
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
    # Smooth scrolling settles with the section at the top of the screen, or the page scrolled to its end.
    page.wait_for_function(
        """() => {
          const top = document.getElementById('red-flags').getBoundingClientRect().top;
          const atEnd = scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
          return scrollY > 0 && (Math.abs(top) < 100 || atEnd);
        }"""
    )


def test_offline_onboarding_says_offline(page, context):
    page.goto("/onboarding")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    page.get_by_label("Your weight").fill("70")
    page.get_by_label("Milligrams per day (all doses together)").fill("40")
    page.get_by_label("Standard capsules").check()
    page.get_by_label("Neither").check()
    page.get_by_label("No", exact=True).check()
    context.set_offline(True)
    try:
        page.get_by_role("button", name="Start my course").click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary.get_by_role("heading")).to_have_text("You’re offline")
        expect(summary).not_to_contain_text("Please check")
        expect(page.get_by_label("Your weight")).to_have_value("70")
    finally:
        context.set_offline(False)


def test_turn_on_reminders_gives_up_after_15_seconds(browser, live_app):
    ctx = browser.new_context(base_url=live_app.url, viewport=PHONE, service_workers="allow", locale="en-US")
    try:
        ctx.grant_permissions(["notifications"])
        page = ctx.new_page()
        onboard(page)
        page.goto("/reminders")
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        # A push service that never answers; it counts the calls, so the test knows the wait has begun.
        page.evaluate(
            "() => { window.subscribeCalls = 0; PushManager.prototype.subscribe = () => {"
            " window.subscribeCalls += 1; return new Promise(() => {}); }; }"
        )
        page.clock.install()
        button = page.get_by_role("button", name="Turn on reminders")
        button.click()
        expect(page.get_by_role("button", name="Turning on…")).to_be_visible()
        # The 15 s timer starts once permission is in (an await): only then may the page's clock move on.
        assert wait_until(lambda: page.evaluate("() => window.subscribeCalls"), lambda calls: calls > 0) == 1
        page.clock.run_for(16_000)
        alert = page.get_by_role("alert").filter(has_text="did not answer within 15 seconds")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("try again")
        expect(button).to_be_enabled()
    finally:
        ctx.close()


KV_KEYS = (
    IDB
    + """
return (async () => {
  const db = await openDb();
  const keys = await ask(db.transaction('kv').objectStore('kv').getAllKeys());
  db.close();
  return keys;
})();
"""
)


def assert_no_patient_data_left(page) -> None:
    """Only public content (the facts and their sources) may stay in the device store."""
    _, today_rows, outbox_rows = store_counts(page)
    assert (today_rows, outbox_rows) == (0, 0)
    assert [key for key in run_js(page, KV_KEYS) if key != "sources"] == []


def test_account_erased_elsewhere_returns_to_onboarding(page, live_app):
    onboard(page)
    session = session_of(page)
    status, _ = live_app.api("DELETE", "/me", session["token"])
    assert status in (200, 204)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    expect(page.get_by_role("status").filter(has_text="This device was disconnected")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    assert_no_patient_data_left(page)


def test_a_write_refused_as_unauthorized_also_returns_to_onboarding(page, live_app):
    onboard(page)
    session = session_of(page)
    live_app.api("DELETE", "/me", session["token"])
    page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    assert_no_patient_data_left(page)


def test_undo_stays_on_one_line_at_320_px(context):
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    onboard(page, doses_per_day=2)
    page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
    undo = page.get_by_role("button", name=re.compile(r"^Undo — dose 1"))
    expect(undo).to_be_visible()
    lines = undo.evaluate(
        """(el) => {
          const range = document.createRange();
          range.selectNodeContents(el.firstChild);
          return range.getClientRects().length;
        }"""
    )
    assert lines == 1
    page.screenshot(path=f"{SHOTS}/today-320.png", full_page=True)
