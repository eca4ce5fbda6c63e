"""The core promise: the saved course shows offline, and a dose logged offline reaches the server once."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    add_outbox_record,
    doses_on_server,
    onboard,
    outbox_of,
    session_of,
    wait_for_service_worker_control,
    wait_until,
)

pytestmark = pytest.mark.e2e


def test_offline_reload_shows_saved_today(page, context):
    onboard(page)
    wait_for_service_worker_control(page)
    expect(page.locator("ul.doses > li")).to_have_count(1)
    phase_title = page.locator("#phase-heading").inner_text()

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
    expect(page.locator("#phase-heading")).to_have_text(phase_title)
    expect(page.locator("ul.doses > li")).to_have_count(1)
    expect(page.locator(".banner-offline")).to_contain_text(
        re.compile(r"Offline — showing what was saved at \d")
    )

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    expect(page.locator('li[aria-current="step"]')).to_have_count(1)

    page.goto("/timeline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your timeline")
    context.set_offline(False)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your timeline")
    expect(page.locator(".banner-offline")).to_have_count(0)


def test_dose_logged_offline_syncs_exactly_once(page, context, live_app):
    onboard(page)
    wait_for_service_worker_control(page)
    session = session_of(page)

    context.set_offline(True)
    page.reload()
    expect(page.locator(".banner-offline")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()

    slot = page.locator('ul.doses > li[data-slot="1"]')
    expect(slot).to_have_attribute("data-status", "taken")
    expect(slot.locator(".badge-pending")).to_have_text("Waiting to sync")
    expect(page.locator(".sync-count")).to_have_text("1 change waiting to sync")
    # The send attempt runs after the change is shown; its failure is written when it comes back.
    queued = wait_until(lambda: outbox_of(page), lambda queued: bool(queued and queued[0]["lastError"]))
    assert len(queued) == 1 and queued[0]["method"] == "PUT"
    assert queued[0]["lastError"], "the offline attempt should have been recorded"
    dose_id = queued[0]["path"].rsplit("/", 1)[1]

    page.reload()
    expect(slot.locator(".badge-pending")).to_have_text("Waiting to sync")
    assert len(outbox_of(page)) == 1

    context.set_offline(False)
    expect(slot.locator(".badge-pending")).to_have_count(0)
    expect(page.locator(".sync-count")).to_have_text("")
    expect(page.locator(".banner-offline")).to_have_count(0)
    assert outbox_of(page) == []

    doses = doses_on_server(live_app, session)
    assert [(d["id"], d["slot"], d["status"]) for d in doses] == [(dose_id, 1, "taken")]

    for _ in range(2):
        page.reload()
        expect(slot).to_have_attribute("data-status", "taken")
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(500)
    assert len(doses_on_server(live_app, session)) == 1


def test_replayed_write_is_not_doubled(page, live_app):
    """A record sent but not yet removed (tab closed mid-flight) is replayed: the server keeps one row."""
    onboard(page)
    session = session_of(page)
    page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
    slot = page.locator('ul.doses > li[data-slot="1"]')
    expect(slot).to_have_attribute("data-status", "taken")
    expect(slot.locator(".badge-pending")).to_have_count(0)
    # The outbox sends after the screen has changed: wait for the dose on the server.
    [dose] = wait_until(lambda: doses_on_server(live_app, session), lambda doses: len(doses) > 0)

    # The tap also asked for a Background Sync: the service worker may flush the outbox at any moment, so
    # the record is added and counted while holding the outbox's lock, as the app's own senders do.
    queued = add_outbox_record(
        page,
        {
            "id": str(uuid.uuid4()),
            "method": "PUT",
            "path": f"/api/v1/courses/{session['courseId']}/doses/{dose['id']}",
            "body": {k: dose[k] for k in ("date", "slot", "status", "mg", "taken_at")},
            "meta": None,
            "createdAt": 0,
            "attempts": 0,
            "lastError": None,
            "nextAttemptAt": 0,
        },
    )
    assert queued == 1
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
    assert wait_until(lambda: outbox_of(page), lambda queued: queued == []) == []
    assert [d["id"] for d in doses_on_server(live_app, session)] == [dose["id"]]
