"""Reminders offered at the right moment: right after set-up one screen turns them on (or says what an
iPhone needs first), offers the weekly mood check with neutral lock-screen words, and can be skipped;
Today then says "Reminders are off on this phone" until they are on or the patient says "Not now"."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from backend.i18n import catalog
from tests.e2e.conftest import PHONE, morning
from tests.e2e.helpers import IDB, run_js, session_of, skip_reminder_offer, start_course, wait_until
from tests.e2e.test_push import IPHONE_SAFARI, STUB_PUSH, PushTarget, notifications, ready_for_push

MOOD_CHECKIN_TITLE = catalog("reminders", "en")["mood_checkin"]["title"]

pytestmark = pytest.mark.e2e

KV = (  # the device store's value under the key `arg`, null when there is none
    IDB
    + """
return (async () => {
  const db = await openDb();
  const saved = await ask(db.transaction('kv').objectStore('kv').get(arg));
  db.close();
  return saved === undefined ? null : saved;
})();
"""
)


def mood_rule(live_app, session) -> dict:
    status, rules = live_app.api("GET", f"/reminders?course_id={session['courseId']}", session["token"])
    assert status == 200, rules
    return next(r for r in rules if r["kind"] == "mood_checkin")


def test_after_set_up_one_screen_offers_reminders_and_the_mood_check_and_can_be_skipped(page, live_app):
    start_course(page)
    expect(page).to_have_url(re.compile(r"/get-reminders$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get reminders on this phone")
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_visible()
    session = session_of(page)
    assert mood_rule(live_app, session)["enabled"] is False  # off until asked for

    mood = page.get_by_label("Remind me once a week to answer the mood check")
    expect(mood).not_to_be_checked()
    mood.check()
    expect(page.locator(".visually-hidden[role=status]")).to_have_text("Weekly mood check reminder on.")
    assert mood_rule(live_app, session)["enabled"] is True

    words = page.get_by_role("group", name="On the lock screen, the mood check reminder says")
    expect(words.get_by_role("radio").first).to_be_checked()
    words.get_by_label("Only “Your weekly check-in is ready.”").check()
    expect(page.locator(".visually-hidden[role=status]")).to_have_text("Saved on this phone.")
    assert run_js(page, KV, "lock-screen-wording") == "neutral"

    page.get_by_role("button", name="Skip for now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
    nudge = page.locator(".reminder-nudge")
    expect(nudge).to_contain_text("Reminders are off on this phone.")
    nudge.get_by_role("link", name="Turn them on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get reminders on this phone")
    expect(page.get_by_label("Remind me once a week to answer the mood check")).to_be_checked()
    page.get_by_role("button", name="Skip for now").click()
    nudge.get_by_role("button", name="Not now").click()
    expect(nudge).to_have_count(0)
    # Kept on the device before the page goes (a reload at once could cut the write short).
    assert wait_until(lambda: run_js(page, KV, "reminder-nudge-dismissed"), lambda kept: kept is True) is True
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
    page.wait_for_load_state("networkidle")
    expect(nudge).to_have_count(0)


def test_safari_on_an_iphone_is_told_to_add_to_the_home_screen_first(browser, live_app):
    ctx = browser.new_context(
        base_url=live_app.url, viewport=PHONE, user_agent=IPHONE_SAFARI, locale="en-US", has_touch=True
    )
    try:
        morning(ctx)
        page = ctx.new_page()
        start_course(page)
        offer = page.locator("section", has=page.get_by_role("heading", name="Reminders on this phone"))
        expect(offer).to_contain_text("only work once ClearCourse is on your Home Screen")
        expect(offer.get_by_role("listitem")).to_have_count(3)
        expect(offer.get_by_role("listitem").nth(1)).to_contain_text("Add to Home Screen")
        expect(offer.get_by_role("button", name="Turn on reminders")).to_have_count(0)
        skip_reminder_offer(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
        expect(page.locator(".reminder-nudge")).to_be_visible()
    finally:
        ctx.close()


def test_reminders_on_hide_the_line_and_the_lock_screen_shows_the_chosen_words(
    page, context, live_app, push_service
):
    context.add_init_script(STUB_PUSH % json.dumps(push_service.new_subscription()))
    session, target = ready_for_push(page, context, live_app)
    expect(page.locator(".reminder-nudge")).to_contain_text("Reminders are off on this phone.")
    page.goto("/reminders")
    page.get_by_role("button", name="Turn on reminders").click()
    expect(page.locator(".push-setup")).to_have_attribute("data-state", "on")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".reminder-nudge")).to_have_count(0)

    def mood_push(target: PushTarget) -> None:
        occurrence_id = str(uuid.uuid4())
        target.push(
            {
                "title": MOOD_CHECKIN_TITLE,
                "body": "Take a moment for yourself.",
                "tag": occurrence_id,
                "url": "/?checkin=mood",
                "kind": "mood_checkin",
                "occurrence_id": occurrence_id,
                "reminder_id": mood_rule(live_app, session)["id"],
                "course_id": session["courseId"],
                "actions": [{"action": "snooze", "title": "Snooze 10 min"}],
            }
        )

    mood_push(target)
    [shown] = notifications(page, 1)
    assert shown["title"] == MOOD_CHECKIN_TITLE

    page.goto("/reminders")
    page.get_by_label("Only “Your weekly check-in is ready.”").check()
    expect(page.locator(".visually-hidden[role=status]")).to_have_text("Saved on this phone.")
    mood_push(target)
    shown = notifications(page, 2, until=lambda all_: any(n["title"] == "ClearCourse" for n in all_))
    neutral = next(n for n in shown if n["title"] == "ClearCourse")
    assert neutral["body"] == "Your weekly check-in is ready."
    assert neutral["data"]["url"] == "/?checkin=mood"  # a tap still opens the mood check
