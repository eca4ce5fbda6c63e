"""`pushsubscriptionchange` in Chromium: the worker re-subscribes with the same VAPID key and tells the
server old → new through the outbox, also when the change happens offline.

No browser API fires `pushsubscriptionchange` (Chrome never does; Firefox and Safari do), and Chromium
cannot subscribe without Google's push backend, so the worker's loopback-only test hook
(frontend/src/sw/test-hooks.ts) runs exactly what the event runs, with `pushManager.subscribe`
answered by a subscription the local push service minted.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import onboard, outbox_of, session_of, wait_for_service_worker_control

pytestmark = pytest.mark.e2e

CHANGE = """([old, next]) => new Promise(async (resolve) => {
  const registration = await navigator.serviceWorker.ready;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => resolve(event.data);
  registration.active.postMessage({ type: 'TEST_PUSH_SUBSCRIPTION_CHANGE', old, next }, [channel.port2]);
})"""


def subscriptions(live_app, token: str) -> list[dict]:
    status, body = live_app.api("GET", "/push/subscriptions", token)
    assert status == 200, body
    return body


def wait_until(page: Page, check, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_changed_subscription_is_swapped_on_the_server_even_offline(page, context, live_app, push_service):
    onboard(page)
    wait_for_service_worker_control(page)
    context.grant_permissions(["notifications"], origin=live_app.url)
    token = session_of(page)["token"]
    old = push_service.new_subscription()
    status, registered = live_app.api("POST", "/push/subscriptions", token, old)
    assert status == 201, registered
    status, vapid = live_app.api("GET", "/push/vapid-public-key", token)
    assert status == 200
    key = vapid["public_key"]
    new = push_service.new_subscription()

    context.set_offline(True)
    reply = page.evaluate(CHANGE, [{"endpoint": old["endpoint"], "key": key}, new])
    assert reply["ok"], reply
    assert reply["askedKey"] == key, "re-subscribed with the same VAPID key"
    [queued] = outbox_of(page)
    assert queued["method"] == "POST" and queued["path"] == "/push/subscriptions/change"
    assert queued["body"] == {"old_endpoint": old["endpoint"], "subscription": new}
    [still_old] = subscriptions(live_app, token)
    assert still_old["id"] == registered["id"]

    context.set_offline(False)  # the page flushes the outbox when it is back online
    wait_until(page, lambda: outbox_of(page) == [], "the outbox to be sent")
    [swapped] = subscriptions(live_app, token)
    assert swapped["id"] == registered["id"] and swapped["current"] is True
    assert swapped["last_status"] is None

    # The server now pushes to the new endpoint: a verified, decrypted test notification arrives there.
    status, _ = live_app.api("POST", "/push/test", token)
    assert status == 202
    assert "sent: 1" in live_app.flask("reminders", "push-tests")  # the reminder worker's job
    new_sid = push_service.subscription_id(new)
    assert len(push_service.received(new_sid)) == 1
    assert push_service.received(push_service.subscription_id(old)) == []


def test_an_online_change_is_sent_at_once(page, context, live_app, push_service):
    onboard(page)
    wait_for_service_worker_control(page)
    token = session_of(page)["token"]
    old = push_service.new_subscription()
    assert live_app.api("POST", "/push/subscriptions", token, old)[0] == 201
    new = push_service.new_subscription()
    _, vapid = live_app.api("GET", "/push/vapid-public-key", token)

    reply = page.evaluate(CHANGE, [{"endpoint": old["endpoint"], "key": vapid["public_key"]}, new])
    assert reply["ok"] and reply["report"]["sent"] == 1, reply
    assert outbox_of(page) == []
    [swapped] = subscriptions(live_app, token)
    assert swapped["endpoint_origin"] == push_service.origin
    assert push_service.subscription_id(new) != push_service.subscription_id(old)


def test_each_device_has_its_own_test_button(page, context, live_app, push_service, axe_source):
    """A patient tests one phone: only that phone gets the test, and its line says how it went."""
    import json
    import re

    from playwright.sync_api import expect

    from tests.e2e.helpers import axe_violations
    from tests.e2e.test_push import STUB_PUSH

    mine = push_service.new_subscription()
    context.add_init_script(STUB_PUSH % json.dumps(mine))
    page.set_viewport_size({"width": 320, "height": 844})
    onboard(page)
    wait_for_service_worker_control(page)
    context.grant_permissions(["notifications"], origin=live_app.url)
    token = session_of(page)["token"]
    other = push_service.new_subscription()
    status, _ = live_app.api("POST", "/push/subscriptions", token, {**other, "user_agent": "Old phone"})
    assert status == 201

    page.goto("/reminders")
    page.get_by_role("button", name="Turn on reminders").click()
    devices = page.locator(".push-devices > li")
    expect(devices).to_have_count(2)
    old_phone = devices.filter(has_text="Old phone")
    expect(old_phone).to_contain_text("No reminder has reached this device yet.")

    old_phone.get_by_role("button", name=re.compile(r"^Test Old phone")).click()
    assert "sent: 1" in live_app.flask("reminders", "push-tests")
    expect(old_phone.locator(".test-result")).to_have_text(re.compile(r"^Test sent"))
    expect(old_phone).to_contain_text(re.compile(r"Reminders last reached this device on .+\."))
    assert len(push_service.received(push_service.subscription_id(other))) == 1
    assert push_service.received(push_service.subscription_id(mine)) == []  # only the phone tested
    this_phone = devices.filter(has=page.locator(".badge", has_text="this device"))
    expect(this_phone.locator(".test-result")).to_have_count(0)
    expect(this_phone).to_contain_text("No reminder has reached this phone yet.")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert axe_violations(page, axe_source) == []
    page.screenshot(path=str(live_app.dist.parent / "device-test-320.png"), full_page=True)
