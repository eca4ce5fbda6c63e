"""Pausing the capsules in the browser: a red flag that says stop → "I have stopped my capsules" → Today
leads with the pause, no capsule to tick and no dose reminder scheduled → "My prescriber says restart" →
capsules and their reminders back. Also a pause from Settings made offline, sent once. At 390×844 and 320
wide, light and dark; axe clean; nothing wider than the screen."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import morning
from tests.e2e.helpers import axe_violations, onboard, outbox_of, phone_context, session_of, wait_until
from tests.e2e.test_record import journal_loaded, open_journal

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"
DOSE_KINDS = {"dose", "dose_followup"}
OFFLINE = "net::ERR_INTERNET_DISCONNECTED"  # a request tried while the test holds the phone offline


@pytest.fixture
def phone(browser, live_app, request):
    """A page at the asked width and colour scheme; fails on any uncaught error or console error."""
    width, scheme = request.param
    ctx = phone_context(browser, live_app, width, scheme, timeout_ms=20_000)
    morning(ctx)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and OFFLINE not in msg.text else None,
    )
    yield page, f"{width}-{scheme}", width
    ctx.close()
    assert not errors, errors


def pauses_on_server(live_app, session) -> list[dict]:
    status, body = live_app.api("GET", f"/courses/{session['courseId']}/pauses", session["token"])
    assert status == 200, body
    return body


def dose_reminders(live_app, session, first: date, last: date) -> list[dict]:
    status, body = live_app.api(
        "GET", f"/reminders/upcoming?from={first.isoformat()}&to={last.isoformat()}", session["token"]
    )
    assert status == 200, body
    return [o for o in body if o["kind"] in DOSE_KINDS]


def looks_right(page, axe_source: str, width: int, shot: str) -> None:
    """Nothing wider than the screen, no axe violation, and a screenshot to look at."""
    page.screenshot(path=f"{SHOTS}/h1-{shot}.png", full_page=True)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    wide = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > w + 0.5)
          .map((e) => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 30))
          .slice(0, 5)""",
        width,
    )
    assert overflow <= 0, f"{overflow}px wider than the {width}px screen: {wide}"
    # axe checks the whole page wherever it is scrolled, but counts a target that happens to pass under the
    # sticky "Get help" header as too close to that link: check from the top, where nothing is under it.
    page.evaluate("() => window.scrollTo({ top: 0, behavior: 'instant' })")
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("phone", [(390, "light"), (320, "dark")], indirect=True)
def test_red_flag_stop_pause_then_restart(phone, live_app, axe_source):
    page, name, width = phone
    onboard(page, doses_per_day=2)
    session = session_of(page)
    today = date.fromisoformat(page.evaluate("() => new Date().toISOString().slice(0, 10)"))
    week = (today, today + timedelta(days=5))
    assert dose_reminders(live_app, session, *week), "dose reminders are scheduled before the pause"

    open_journal(page)
    journal_loaded(page, session)
    page.get_by_label("Chest pain").check()
    page.get_by_role("button", name="Save check-in").click()
    panel = page.locator("#triage")
    expect(panel).to_have_attribute("data-level", "emergency")  # chest pain: emergency care (RED-13)
    stop = panel.get_by_role("button", name="I have stopped my capsules")
    expect(stop).to_be_visible()
    assert pauses_on_server(live_app, session) == [], "the app never pauses on its own"
    looks_right(page, axe_source, width, f"triage-{name}")

    stop.click()
    expect(panel.get_by_role("status")).to_contain_text("Pause recorded")
    expect(stop).to_have_count(0)
    panel.screenshot(path=f"{SHOTS}/h1-triage-recorded-{name}.png")
    [pause] = wait_until(lambda: pauses_on_server(live_app, session), lambda found: len(found) > 0)
    assert (pause["reason"], pause["started_on"], pause["resumed_on"]) == (
        "chest_pain",
        today.isoformat(),
        None,
    )
    assert wait_until(lambda: dose_reminders(live_app, session, *week), lambda found: found == []) == []

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    card = page.locator("#pause")
    expect(card.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Capsules paused since \w{3}, "))
    expect(card).to_contain_text("You reported: chest pain.")
    expect(card).to_contain_text("Your prescriber decides when you restart.")
    expect(page.locator("ul.doses")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Taken"))).to_have_count(0)
    expect(page.locator("#phase-heading")).to_have_count(0)  # the pause leads; no "keep going"
    card.screenshot(path=f"{SHOTS}/h1-pause-card-{name}.png")
    looks_right(page, axe_source, width, f"today-paused-{name}")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    here = page.locator("li.phase-current")
    expect(here).to_contain_text("Your capsules are on hold.")
    expect(here).not_to_contain_text("Keep going")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()

    card.get_by_role("button", name="My prescriber says restart").click()
    day = page.get_by_label("First day with capsules again")
    expect(day).to_be_focused()
    expect(day).to_have_value(today.isoformat())
    looks_right(page, axe_source, width, f"restart-{name}")
    page.get_by_role("button", name="Restart my capsules").click()

    expect(page.locator("#pause")).to_have_count(0)
    expect(page.locator("ul.doses > li")).to_have_count(2)
    expect(page.get_by_role("button", name=re.compile(r"^Taken"))).to_have_count(2)
    [ended] = wait_until(
        lambda: pauses_on_server(live_app, session),
        lambda found: found and found[0]["resumed_on"] is not None,
    )
    assert ended["id"] == pause["id"] and ended["resumed_on"] == today.isoformat()
    # The restart is stored first and the reminders recomputed right after it: poll until they are.
    wanted = {(today + timedelta(days=n)).isoformat() for n in range(1, 6)}
    back = wait_until(
        lambda: dose_reminders(live_app, session, *week), lambda found: {o["date"] for o in found} >= wanted
    )
    assert {o["date"] for o in back} >= wanted
    assert outbox_of(page) == []
    looks_right(page, axe_source, width, f"today-restarted-{name}")


@pytest.mark.parametrize("phone", [(390, "dark"), (320, "light")], indirect=True)
def test_settings_pause_offline_shows_at_once_and_is_stored_once(phone, live_app, axe_source):
    page, name, width = phone
    onboard(page)
    session = session_of(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Pause my capsules").click()
    start = page.get_by_label("First day without capsules")
    expect(start).to_be_focused()
    looks_right(page, axe_source, width, f"settings-pause-{name}")

    page.context.set_offline(True)
    page.get_by_role("button", name="Record the pause").click()
    expect(page.get_by_role("button", name="My prescriber says restart")).to_be_visible()
    assert [(r["method"], r["body"]["reason"]) for r in outbox_of(page)] == [("POST", "prescriber")]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.locator("#pause")).to_contain_text("Your prescriber paused them.")
    expect(page.locator("ul.doses")).to_have_count(0)

    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    [pause] = wait_until(lambda: pauses_on_server(live_app, session), lambda found: len(found) > 0)
    assert pause["reason"] == "prescriber" and pause["resumed_on"] is None
    wait_until(lambda: outbox_of(page), lambda records: records == [])
    page.reload()
    expect(page.locator("#pause")).to_contain_text("Your prescriber paused them.")
    assert len(pauses_on_server(live_app, session)) == 1
    looks_right(page, axe_source, width, f"today-settings-paused-{name}")

    page.goto("/reminders")  # the capsule reminders say why nothing is scheduled; the others go on
    expect(page.locator('ul.rules > li[data-kind="dose"]')).to_contain_text(
        "Paused: none until your prescriber"
    )
    expect(page.locator('ul.rules > li[data-kind="appointment"]')).not_to_contain_text("Paused")

    page.goto("/charts")  # a paused day is neither taken nor missed
    expect(page.locator(".adherence-calendar .cal-day.day-paused")).to_have_count(1)
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    expect(page.get_by_role("region", name="Capsules by day table")).to_contain_text("Paused")
    expect(page.get_by_role("region", name="Capsules by day table")).not_to_contain_text("Missed")
