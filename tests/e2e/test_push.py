"""Reminders in Chromium: a push shows the right notification, its Taken action logs the dose exactly once
(also offline), Snooze reaches the server, and the Reminders screen subscribes this browser.

A push is delivered to the service worker with CDP `ServiceWorker.deliverPushMessage`. No browser API can
press a notification's action button, so the worker's loopback-only test hook (frontend/src/sw/test-hooks.ts)
runs the same function `notificationclick` runs. Chromium cannot subscribe without Google's push backend,
so the subscribe test stubs `PushManager.prototype.subscribe` with a subscription minted by the local push
service (tests/support/push_service.py), which then receives, verifies and decrypts the real test push.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, CDPSession, Page, expect

from tests.e2e.helpers import (
    axe_violations,
    doses_on_server,
    onboard,
    outbox_of,
    session_of,
    wait_for_service_worker_control,
)

pytestmark = pytest.mark.e2e

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map((n) => ({
    title: n.title, body: n.body, tag: n.tag, data: n.data,
    actions: (n.actions || []).map((a) => a.action),
  }));
}"""

CLICK = """([action, data]) => new Promise(async (resolve) => {
  const registration = await navigator.serviceWorker.ready;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => resolve(event.data);
  registration.active.postMessage({ type: 'TEST_NOTIFICATION_CLICK', action, data }, [channel.port2]);
})"""


class PushTarget:
    """The page's service worker registration as CDP sees it, for `deliverPushMessage`."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.page = page
        self.origin = page.evaluate("() => location.origin")
        self.registrations: dict[str, dict] = {}
        self.cdp: CDPSession = context.new_cdp_session(page)
        self.cdp.on("ServiceWorker.workerRegistrationUpdated", self._updated)
        self.cdp.send("ServiceWorker.enable")
        self.registration_id = self._wait_for_registration()

    def _updated(self, event: dict) -> None:
        for registration in event["registrations"]:
            self.registrations[registration["registrationId"]] = registration

    def _wait_for_registration(self) -> str:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for registration_id, registration in self.registrations.items():
                if registration["scopeURL"] == f"{self.origin}/" and not registration["isDeleted"]:
                    return registration_id
            self.page.wait_for_timeout(100)
        raise AssertionError(f"no service worker registration for {self.origin}: {self.registrations}")

    def push(self, data: dict | str) -> None:
        self.cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": self.origin,
                "registrationId": self.registration_id,
                "data": data if isinstance(data, str) else json.dumps(data),
            },
        )


def notifications(
    page: Page, count: int, until: Callable[[list[dict]], bool] = lambda shown: True
) -> list[dict]:
    """The worker's notifications once there are `count` of them (and `until` holds).

    Up to 20 s: the worker may first have to start; a run with both cores busy showed none within 10 s."""
    deadline = time.monotonic() + 20
    shown: list[dict] = []
    while time.monotonic() < deadline:
        shown = page.evaluate(NOTIFICATIONS)
        if len(shown) == count and until(shown):
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} notification(s), got {shown}")


def click(page: Page, action: str, data: dict) -> str:
    reply = page.evaluate(CLICK, [action, data])
    assert reply["ok"], reply
    return reply["outcome"]


def ready_for_push(page: Page, context: BrowserContext, live_app) -> tuple[dict, PushTarget]:
    onboard(page)
    wait_for_service_worker_control(page)
    context.grant_permissions(["notifications"], origin=live_app.url)
    return session_of(page), PushTarget(context, page)


def dose_rule(live_app, session: dict) -> dict:
    status, rules = live_app.api("GET", "/reminders", session["token"])
    assert status == 200, rules
    return next(r for r in rules if r["kind"] == "dose" and r["slot"] == 1)


def dose_payload(live_app, session: dict) -> dict:
    """What backend/reminders/texts.py sends for today's first capsule."""
    status, today = live_app.api("GET", f"/courses/{session['courseId']}/today", session["token"])
    assert status == 200, today
    dose = today["doses"][0]
    occurrence_id = str(uuid.uuid4())
    return {
        "title": f"Time for your capsule ({dose['mg']:g} mg)",
        "body": "Take it with a meal. Swallow it whole with water.",
        "tag": occurrence_id,
        "url": f"/?dose={today['date']}:1",
        "kind": "dose",
        "occurrence_id": occurrence_id,
        "reminder_id": dose_rule(live_app, session)["id"],
        "course_id": session["courseId"],
        "date": today["date"],
        "slot": 1,
        "mg": dose["mg"],
        "actions": [{"action": "taken", "title": "Taken"}, {"action": "snooze", "title": "Snooze 10 min"}],
    }


def test_push_shows_the_reminder_with_taken_and_snooze(page, context, live_app):
    session, target = ready_for_push(page, context, live_app)
    payload = dose_payload(live_app, session)

    target.push(payload)
    [shown] = notifications(page, 1)
    assert shown["title"] == payload["title"]
    assert shown["body"] == payload["body"]
    assert shown["tag"] == payload["occurrence_id"]
    assert shown["actions"] == ["taken", "snooze"]
    assert shown["data"]["url"] == payload["url"]

    follow_up = "Not marked yet: your 08:00 capsule"
    target.push({**payload, "title": follow_up, "kind": "dose_followup"})
    [replaced] = notifications(page, 1, until=lambda shown: shown[0]["title"] == follow_up)
    assert replaced["tag"] == payload["tag"], "same tag: the repeat replaces the first one"

    target.push("this is not JSON")
    fallback = next(n for n in notifications(page, 2) if n["tag"] != payload["tag"])
    assert fallback["title"] == "ClearCourse reminder"
    assert fallback["actions"] == []


def test_taken_from_the_notification_logs_the_dose_exactly_once(page, context, live_app):
    session, target = ready_for_push(page, context, live_app)
    target.push(dose_payload(live_app, session))
    [shown] = notifications(page, 1)

    assert click(page, "taken", shown["data"]) == "sent"
    assert click(page, "taken", shown["data"]) == "already-logged"
    doses = doses_on_server(live_app, session)
    assert [(d["date"], d["slot"], d["status"], d["mg"]) for d in doses] == [
        (shown["data"]["date"], 1, "taken", shown["data"]["mg"])
    ]

    slot = page.locator('ul.doses > li[data-slot="1"]')
    expect(slot).to_have_attribute("data-status", "taken")
    page.reload()
    expect(slot).to_have_attribute("data-status", "taken")
    assert click(page, "taken", shown["data"]) == "already-logged"
    assert len(doses_on_server(live_app, session)) == 1


def test_taken_while_logged_elsewhere_is_not_doubled(page, context, live_app):
    """The slot was logged on another device: the server's 409 drops the notification's write."""
    session, _ = ready_for_push(page, context, live_app)
    payload = dose_payload(live_app, session)
    other_device_dose = str(uuid.uuid4())
    status, _ = live_app.api(
        "PUT",
        f"/courses/{session['courseId']}/doses/{other_device_dose}",
        session["token"],
        {
            "date": payload["date"],
            "slot": 1,
            "status": "taken",
            "mg": payload["mg"],
            "taken_at": datetime.now(UTC).isoformat(),
        },
    )
    assert status == 201

    assert click(page, "taken", payload) == "sent"
    assert [d["id"] for d in doses_on_server(live_app, session)] == [other_device_dose]
    assert outbox_of(page) == []


def test_taken_offline_is_queued_and_sent_once_back_online(page, context, live_app):
    session, target = ready_for_push(page, context, live_app)
    target.push(dose_payload(live_app, session))
    [shown] = notifications(page, 1)

    context.set_offline(True)
    assert click(page, "taken", shown["data"]) == "queued"
    assert click(page, "taken", shown["data"]) == "already-logged"
    queued = outbox_of(page)
    assert len(queued) == 1 and queued[0]["method"] == "PUT" and queued[0]["body"]["status"] == "taken"
    assert doses_on_server(live_app, session) == []
    slot = page.locator('ul.doses > li[data-slot="1"]')
    expect(slot.locator(".badge-pending")).to_have_text("Waiting to sync")

    context.set_offline(False)
    expect(slot.locator(".badge-pending")).to_have_count(0)
    expect(slot).to_have_attribute("data-status", "taken")
    assert outbox_of(page) == []
    doses = doses_on_server(live_app, session)
    assert [(d["id"], d["status"]) for d in doses] == [(queued[0]["path"].rsplit("/", 1)[1], "taken")]

    page.reload()
    expect(slot).to_have_attribute("data-status", "taken")
    assert click(page, "taken", shown["data"]) == "already-logged"
    assert len(doses_on_server(live_app, session)) == 1


def snooze_repeats(live_app, session: dict, payload: dict, before: datetime) -> list[dict]:
    today = before.date()
    window = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
    status, upcoming = live_app.api("GET", f"/reminders/upcoming?{window}", session["token"])
    assert status == 200, upcoming
    return [
        o
        for o in upcoming
        if o["reminder_id"] == payload["reminder_id"]
        and timedelta(minutes=9) <= datetime.fromisoformat(o["fires_at"]) - before <= timedelta(minutes=11)
    ]


def test_snooze_from_the_notification_schedules_a_repeat(page, context, live_app):
    """A payload without an occurrence id (nothing has gone out on this test server) snoozes the rule."""
    session, _ = ready_for_push(page, context, live_app)
    payload = {**dose_payload(live_app, session), "occurrence_id": None}
    before = datetime.now(UTC)

    assert click(page, "snooze", payload) == "sent"
    assert outbox_of(page) == []
    assert len(snooze_repeats(live_app, session, payload, before)) == 1


def test_snooze_names_the_occurrence_the_patient_saw(page, context, live_app):
    """The worker forwards the notification's occurrence id: the server refuses an unknown one (404), so
    two taps create no repeat at all (without the id, each tap would snooze the rule again)."""
    session, _ = ready_for_push(page, context, live_app)
    payload = dose_payload(live_app, session)
    before = datetime.now(UTC)

    click(page, "snooze", payload)
    click(page, "snooze", payload)
    assert outbox_of(page) == []
    assert snooze_repeats(live_app, session, payload, before) == []


def test_tapping_a_notification_opens_the_right_screen(page, context, live_app):
    ready_for_push(page, context, live_app)
    page.goto("/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    appointment_id = str(uuid.uuid4())
    assert click(page, "", {"kind": "appointment", "url": f"/appointments?id={appointment_id}"}) == "opened"
    expect(page).to_have_url(re.compile(rf"/appointments\?id={appointment_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")

    assert click(page, "", {"kind": "dose", "url": "https://elsewhere.example/phish"}) == "opened"
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_capsule_reminder_opens_today_on_its_dose(page, context, live_app):
    """Tapping a capsule reminder lands on Today with that slot marked and "Taken" focused."""
    session, _ = ready_for_push(page, context, live_app)
    payload = dose_payload(live_app, session)
    page.goto("/settings")
    assert click(page, "", payload) == "opened"
    expect(page).to_have_url(re.compile(rf"/\?dose={payload['date']}:1$"))
    slot = page.locator("li.dose[data-slot='1']")
    expect(slot).to_have_class(re.compile(r"\bdose-highlight\b"))
    expect(slot.get_by_role("button", name=re.compile(r"^Taken"))).to_be_focused()
    expect(page.locator("li.dose.dose-highlight")).to_have_count(1)


STUB_PUSH = """
(() => {
  const fake = %s;
  window.__permissionRequests = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => { window.__permissionRequests += 1; return ask(...args); };
  const decode = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const make = (key) => ({
    endpoint: fake.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: key },
    toJSON: () => fake,
    unsubscribe: async () => { localStorage.removeItem('fake-push-key'); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    localStorage.setItem('fake-push-key', btoa(String.fromCharCode(...key)));
    return make(key.buffer);
  };
  PushManager.prototype.getSubscription = async function () {
    const saved = localStorage.getItem('fake-push-key');
    return saved ? make(decode(saved).buffer) : null;
  };
})();
"""


def test_reminders_screen_subscribes_and_sends_a_test(page, context, live_app, push_service, axe_source):
    subscription = push_service.new_subscription()
    sid = push_service.subscription_id(subscription)
    context.add_init_script(STUB_PUSH % json.dumps(subscription))
    session, target = ready_for_push(page, context, live_app)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan").click()
    page.get_by_role("navigation", name="Plan").get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    expect(page.get_by_text("No device gets reminders yet.")).to_be_visible()
    assert page.evaluate("() => window.__permissionRequests") == 0, "never prompt on load"

    page.get_by_role("button", name="Turn on reminders").click()
    expect(page.locator(".push-setup")).to_have_attribute("data-state", "on")
    assert page.evaluate("() => window.__permissionRequests") == 1
    device = page.locator(".push-devices > li")
    expect(device).to_have_count(1)
    expect(device).to_contain_text("this device")
    expect(device).to_contain_text("No reminder has reached this phone yet.")

    status, subscriptions = live_app.api("GET", "/push/subscriptions", session["token"])
    assert status == 200
    assert [s["endpoint_origin"] for s in subscriptions] == [push_service.origin]
    first_seen = subscriptions[0]["last_seen_at"]

    page.get_by_role("button", name="Send a test notification").click()
    expect(page.get_by_role("button", name="Sending…")).to_be_disabled()  # queued for the worker
    assert "sent: 1" in live_app.flask("reminders", "push-tests")  # the reminder worker's job
    expect(device.locator(".test-result")).to_have_text(re.compile(r"^Test sent"))
    expect(device).to_contain_text(re.compile(r"Reminders last reached this phone on .+\."))
    expect(device).to_contain_text("its push service accepted the last one")
    assert axe_violations(page, axe_source) == [], "reminders on, with a test result"
    [delivered] = push_service.received(sid)
    assert delivered["title"] == "ClearCourse test notification"
    assert push_service.failures == []

    target.push(delivered)
    [shown] = notifications(page, 1)
    assert shown["title"] == "ClearCourse test notification"
    assert shown["actions"] == []

    page.reload()
    expect(page.locator(".push-setup")).to_have_attribute("data-state", "on")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        _, subscriptions = live_app.api("GET", "/push/subscriptions", session["token"])
        if subscriptions[0]["last_seen_at"] > first_seen:
            break
        page.wait_for_timeout(100)
    assert len(subscriptions) == 1
    assert subscriptions[0]["last_seen_at"] > first_seen, "the subscription is re-sent at every start"

    page.get_by_role("button", name="Turn off on this device").click()
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_visible()
    assert live_app.api("GET", "/push/subscriptions", session["token"])[1] == []


IPHONE_VIEWPORT = {"width": 390, "height": 844}
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def test_iphone_safari_tab_explains_add_to_home_screen(browser, live_app):
    ctx = browser.new_context(base_url=live_app.url, user_agent=IPHONE_SAFARI, viewport=IPHONE_VIEWPORT)
    try:
        page = ctx.new_page()
        onboard(page)
        page.goto("/reminders")
        expect(page.get_by_text("Add to Home Screen")).to_be_visible()
        expect(page.get_by_role("button", name="Turn on reminders")).to_have_count(0)
    finally:
        ctx.close()


def test_blocked_and_unsupported_browsers_get_clear_text(page, context):
    context.add_init_script("Object.defineProperty(Notification, 'permission', { get: () => 'denied' });")
    onboard(page)
    page.goto("/reminders")
    expect(page.get_by_text("Notifications are blocked for ClearCourse in this browser.")).to_be_visible()
    expect(page.get_by_role("button", name="Turn on reminders")).to_have_count(0)

    context.add_init_script("delete window.PushManager;")
    page.reload()
    expect(page.get_by_text("This browser cannot show reminders.")).to_be_visible()


def test_notification_times_and_days_are_written_in_the_phones_locale(page, context, live_app):
    """backend/reminders/texts.py sends `{name}` templates; the worker writes them with Intl."""
    from backend.reminders import texts

    _, target = ready_for_push(page, context, live_app)
    data = {
        "appointment_kind": "blood_test",
        "starts_at_local": "2026-03-10T21:30",
        "when": "tomorrow",
        "place": "City Lab",
        "appointment_id": str(uuid.uuid4()),
    }
    payload = texts.payload(kind="appointment", data=data, occurrence_id=str(uuid.uuid4()), reminder_id=None)
    assert payload["title"] == "Tomorrow: blood test at 21:30"  # the English fallback
    expected_time, expected_day = page.evaluate(
        """() => [
          new Intl.DateTimeFormat(undefined, {hour: 'numeric', minute: '2-digit', timeZone: 'UTC'})
            .format(Date.UTC(2000, 0, 1, 21, 30)),
          new Intl.DateTimeFormat(
            undefined, {weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC'}
          ).format(new Date('2026-03-10T00:00:00Z')),
        ]"""
    )
    assert expected_time != "21:30" or expected_day != "Tue 10 Mar"  # the locale writes them its own way
    target.push(payload)
    [shown] = notifications(page, 1)
    assert shown["title"] == f"Tomorrow: blood test at {expected_time}"
    assert shown["body"] == f"{expected_day} at City Lab."

    unusable = {"at": "25:99", "day": "x"}
    broken = {**payload, "tag": "broken", "local": {**payload["local"], "values": unusable}}
    target.push(broken)
    fallback = next(n for n in notifications(page, 2) if n["tag"] == "broken")
    assert fallback["title"] == payload["title"] and fallback["body"] == payload["body"]
