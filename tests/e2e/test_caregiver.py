"""A caregiver on a second phone: joins by the patient's invite link, sees the doses update, nothing else."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard, outbox_of, session_of, wait_for_service_worker_control
from tests.e2e.language import assert_fits, catalog, leaked
from tests.e2e.test_push import STUB_PUSH
from tests.e2e.test_push_change import CHANGE

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"
# Words of the patient's screens that the caregiver's must never show.
NEVER_SHOWN = re.compile(r"mood|check-in|pregnan|weight|note|photo|report|mg\b|journal|red flag", re.I)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0


def test_caregiver_sees_a_tick_and_nothing_else_and_can_be_removed(page, browser, live_app, axe_source):
    onboard(page, doses_per_day=2)
    page.goto("/settings")
    page.get_by_role("button", name="Invite a caregiver").click()
    code = page.locator(".link-code .code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    link = page.locator(".code-link").inner_text()
    assert link == f"{live_app.url}/care#code={code}"

    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    errors: list[str] = []
    try:
        carer = other.new_page()
        carer.on("pageerror", lambda error: errors.append(str(error)))
        carer.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        carer.goto(link)
        expect(carer.get_by_label("Caregiver code")).to_have_value(code)
        carer.get_by_role("button", name="Join as a caregiver").click()
        doses = carer.locator("ul.caregiver-doses > li")
        expect(doses).to_have_count(2)
        expect(doses.nth(0)).to_have_attribute("data-status", "pending")
        expect(doses.nth(0)).to_contain_text("Not ticked yet")
        expect(carer.locator("ol.caregiver-days > li")).to_have_count(14)
        assert not NEVER_SHOWN.search(carer.locator("main").inner_text())
        # The code left the address bar once used.
        assert carer.url.endswith("/care")

        # The patient is told a caregiver joined, and ticks dose 1.
        page.reload()
        expect(page.locator("ul.caregivers > li")).to_have_count(1)
        expect(page.locator("ul.caregivers > li")).to_contain_text("Joined")
        page.goto("/")
        page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
        expect(page.locator('ul.doses > li[data-slot="1"]')).to_have_attribute("data-status", "taken")

        # The caregiver's screen follows by itself (it refreshes every 15 s and when shown again).
        expect(doses.nth(0)).to_have_attribute("data-status", "taken", timeout=25_000)
        expect(doses.nth(0)).to_contain_text("Taken")
        expect(doses.nth(1)).to_have_attribute("data-status", "pending")
        assert not NEVER_SHOWN.search(carer.locator("main").inner_text())
        carer.screenshot(path=f"{SHOTS}/caregiver-390.png", full_page=True)
        _no_sideways_scroll(carer)
        assert axe_violations(carer, axe_source) == []
        carer.set_viewport_size({"width": 320, "height": 640})
        _no_sideways_scroll(carer)
        carer.screenshot(path=f"{SHOTS}/caregiver-320.png", full_page=True)
        assert axe_violations(carer, axe_source) == []

        # The patient's preview shows the same.
        page.goto("/settings")
        page.get_by_role("button", name="Preview as your caregiver").click()
        preview = page.locator(".caregiver-preview ul.caregiver-doses > li")
        expect(preview).to_have_count(2)
        expect(preview.nth(0)).to_have_attribute("data-status", "taken")
        page.locator(".caregiver-preview").screenshot(path=f"{SHOTS}/caregiver-preview.png")
        assert axe_violations(page, axe_source) == []

        assert errors == []
        # One tap removes them: the caregiver's phone says so at its next look (the browser logs that 401).
        page.get_by_role("button", name="Remove", exact=True).click()
        expect(page.get_by_text("No caregiver has joined.")).to_be_visible()
        carer.reload()
        expect(carer.get_by_role("button", name="Join as a caregiver")).to_be_visible()
        expect(carer.locator("ul.caregiver-doses")).to_have_count(0)
        expect(carer.get_by_role("alert")).to_contain_text("no longer a caregiver")
        assert [e for e in errors if "401" not in e] == []
    finally:
        other.close()


def _caregiver_phone(browser, live_app, *, width: int, scheme: str, locale: str = "en-US"):
    """A caregiver's phone in Berlin (its time zone picks the help numbers), notifications allowed."""
    ctx = browser.new_context(
        base_url=live_app.url,
        viewport={"width": width, "height": 844},
        color_scheme=scheme,
        locale=locale,
        timezone_id="Europe/Berlin",
        service_workers="allow",
    )
    ctx.set_default_timeout(15_000)
    ctx.grant_permissions(["notifications"], origin=live_app.url)
    return ctx


def _invite_link(page, live_app) -> str:
    session = session_of(page)
    status, invite = live_app.api(
        "POST", f"/courses/{session['courseId']}/caregiver-invites", session["token"], {}
    )
    assert status == 201, invite
    return invite["link"]


def _watch(carer) -> list[str]:
    errors: list[str] = []
    carer.on("pageerror", lambda error: errors.append(str(error)))
    carer.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    return errors


def test_caregiver_phone_in_the_dark_at_320_get_help_nudge_and_offline(
    page, browser, live_app, push_service, axe_source
):
    onboard(page, doses_per_day=2)
    link = _invite_link(page, live_app)
    subscription = push_service.new_subscription()
    other = _caregiver_phone(browser, live_app, width=320, scheme="dark")
    other.add_init_script(STUB_PUSH % json.dumps(subscription))
    try:
        carer = other.new_page()
        errors = _watch(carer)
        carer.goto(link)
        carer.get_by_role("button", name="Join as a caregiver").click()
        expect(carer.locator("ul.caregiver-doses > li")).to_have_count(2)
        expect(carer.locator(".caregiver-updated")).to_contain_text("Last updated")
        assert carer.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
        assert_fits(carer)
        assert axe_violations(carer, axe_source) == [], "caregiver view, dark, 320 px"

        # "Get help" is on screen from the header, with the phone's country's emergency number.
        help_link = carer.get_by_role("link", name="Get help")
        expect(help_link).to_be_in_viewport()
        help_link.click()
        expect(carer.locator("#get-help")).to_be_focused()
        expect(carer.locator("#get-help")).to_contain_text("Numbers for Germany.")
        expect(carer.locator('#get-help a[data-kind="emergency"]')).to_have_attribute("href", "tel:112")
        assert not NEVER_SHOWN.search(carer.locator("ul.caregiver-doses").inner_text())
        assert_fits(carer)
        carer.screenshot(path=f"{SHOTS}/caregiver-help-dark-320.png", full_page=True)
        assert axe_violations(carer, axe_source) == [], "Get help open"

        # The nudge: one switch; it subscribes with the server's key and stores the subscription.
        switch = carer.get_by_role("checkbox", name="Nudge me when a dose isn't ticked")
        expect(switch).not_to_be_checked()
        assert carer.evaluate("() => window.__permissionRequests") == 0, "never prompt on load"
        switch.click()  # checked once the server has it
        expect(carer.get_by_text("Notifications are on on this phone.")).to_be_visible()
        expect(switch).to_be_checked()
        assert carer.evaluate("() => window.__permissionRequests") == 1
        page.goto("/settings")
        expect(page.locator("ul.caregivers > li")).to_contain_text("Their nudge is on.")
        carer.screenshot(path=f"{SHOTS}/caregiver-nudge-dark-320.png", full_page=True)
        assert axe_violations(carer, axe_source) == [], "nudge on"

        # Offline, the view opens from this phone's last copy and says when that was.
        wait_for_service_worker_control(carer)
        expect(carer.locator("ul.caregiver-doses > li")).to_have_count(2)
        other.set_offline(True)
        carer.reload()
        expect(carer.locator(".caregiver-updated")).to_contain_text("You seem to be offline")
        expect(carer.locator(".caregiver-updated")).to_contain_text("updated")
        expect(carer.locator("ul.caregiver-doses > li")).to_have_count(2)
        expect(carer.locator("ol.caregiver-days > li")).to_have_count(14)
        assert_fits(carer)
        carer.screenshot(path=f"{SHOTS}/caregiver-offline-dark-320.png", full_page=True)
        assert axe_violations(carer, axe_source) == [], "offline copy"
        assert errors == []
    finally:
        other.close()


def test_a_spanish_caregiver_reads_the_view_in_spanish(page, browser, live_app, axe_source):
    onboard(page, doses_per_day=2)
    link = _invite_link(page, live_app)
    other = _caregiver_phone(browser, live_app, width=390, scheme="light", locale="es-ES")
    try:
        carer = other.new_page()
        errors = _watch(carer)
        carer.goto(link)
        spanish = catalog("es")
        carer.get_by_role("button", name=spanish["caregiver.join.submit"]).click()
        expect(carer.locator("ul.caregiver-doses > li").first).to_contain_text(
            spanish["caregiver.dose.pending"]
        )
        expect(carer.get_by_role("heading", level=2, name=spanish["caregiver.nudge.heading"])).to_be_visible()
        carer.get_by_role("link", name=spanish["caregiver.get_help"]).click()
        expect(carer.locator("#get-help")).to_contain_text(spanish["caregiver.help.crisis"])
        text = carer.locator("main").inner_text()
        assert leaked(text, ("caregiver.",), "es") == []
        assert_fits(carer)
        assert axe_violations(carer, axe_source) == []
        assert errors == []
    finally:
        other.close()


READ_CAREGIVER_TOKEN = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('clearcourse');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction('kv').objectStore('kv').get('caregiver');
    get.onsuccess = () => resolve(get.result);
  };
})"""


def test_a_caregiver_phones_changed_subscription_goes_to_its_own_endpoint(
    page, browser, live_app, push_service
):
    onboard(page)
    link = _invite_link(page, live_app)
    patient_token = session_of(page)["token"]
    other = _caregiver_phone(browser, live_app, width=390, scheme="light")
    try:
        carer = other.new_page()
        carer.goto(link)
        carer.get_by_role("button", name="Join as a caregiver").click()
        expect(carer.locator("ul.caregiver-doses > li")).to_have_count(1)
        wait_for_service_worker_control(carer)
        token = carer.evaluate(READ_CAREGIVER_TOKEN)
        old, new = push_service.new_subscription(), push_service.new_subscription()
        status, _ = live_app.api("PUT", "/caregiving/push-subscription", token, old)
        assert status == 200
        _, vapid = live_app.api("GET", "/caregiving/vapid-public-key", token)

        reply = carer.evaluate(CHANGE, [{"endpoint": old["endpoint"], "key": vapid["public_key"]}, new])
        assert reply["ok"] and reply["askedKey"] == vapid["public_key"], reply
        assert outbox_of(carer) == []  # nothing queued for a patient's account
        # The caregiver's subscription is now the new endpoint: the old one is free, the new one taken.
        assert live_app.api("POST", "/push/subscriptions", patient_token, new)[0] == 409
        assert live_app.api("POST", "/push/subscriptions", patient_token, old)[0] == 201
        status, view = live_app.api("GET", "/caregiving", token)
        assert status == 200 and view["push"] is True
    finally:
        other.close()
