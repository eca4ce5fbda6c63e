"""Course truth and the safety path in the browser: "Get help" in one tap from every screen (offline too,
with the chosen country's numbers and the saved clinic number), red-flag links landing on the list, and a
course that reaches its target going on until the patient records the last capsule."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    HeldAnswer,
    axe_violations,
    onboard,
    saved_course,
    session_of,
    wait_for_service_worker_control,
)

pytestmark = pytest.mark.e2e

SCREENS = ["/", "/timeline", "/journal", "/appointments", "/reminders", "/settings", "/sources", "/mood"]


@pytest.fixture
def london(browser, live_app):
    ctx = browser.new_context(
        base_url=live_app.url,
        viewport={"width": 390, "height": 844},
        service_workers="allow",
        locale="en-GB",
        timezone_id="Europe/London",
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def open_help(page) -> None:
    page.get_by_role("banner").get_by_role("link", name="Get help").click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help")


def test_get_help_is_one_tap_from_every_screen(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    open_help(page)  # even before there is a course
    onboard(page)
    for path in SCREENS:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        open_help(page)
        # RED-1..6, 8, 9, 12: RED-7 is under "Call now", RED-10 only where pregnancy prevention applies.
        expect(page.locator("#red-flags li")).to_have_count(9)


def test_help_offline_shows_the_countrys_numbers_and_the_saved_clinic(london, axe_source):
    page = london.new_page()
    onboard(page)
    wait_for_service_worker_control(page)
    # If that reloaded the page, its start-up refresh reads the course from the server and saves it on the
    # device: let it finish before the clinic number is saved, so a read from before cannot land after.
    page.wait_for_load_state("networkidle")
    open_help(page)
    expect(page.get_by_text("Numbers for United Kingdom.")).to_be_visible()
    emergency = page.locator("#emergency")
    expect(emergency.locator('a[href="tel:999"]')).to_be_visible()
    expect(emergency.locator('a[href="tel:116123"]')).to_contain_text("Samaritans")

    page.get_by_label("Your clinic’s phone number").fill("call us")
    page.get_by_role("button", name="Save number").click()
    expect(page.locator("#clinic-phone-error")).to_contain_text("digits")
    page.get_by_label("Your clinic’s phone number").fill("+44 20 7946 0000")
    page.get_by_role("button", name="Save number").click()
    expect(page.locator('#clinic a[href="tel:+442079460000"]')).to_contain_text("Call your clinic")

    london.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help")
    expect(page.locator('#emergency a[href="tel:999"]')).to_be_visible()
    expect(page.locator('#clinic a[href="tel:+442079460000"]')).to_be_visible()
    assert axe_violations(page, axe_source) == []
    london.set_offline(False)

    page.goto("/settings")
    page.wait_for_load_state("networkidle")  # the start-up refresh of the course, as above
    page.get_by_label("Country for help numbers").select_option("US")
    page.locator("#help-settings-heading").locator("xpath=..").get_by_role("button", name="Save").click()
    expect(page.locator(".visually-hidden[role=status]")).to_have_text("Saved.")
    open_help(page)
    expect(page.locator('#emergency a[href="tel:911"]')).to_be_visible()
    expect(page.locator('#emergency a[href="tel:988"]')).to_be_visible()
    expect(page.locator('#emergency a[href="sms:988"]')).to_contain_text("Text 988")
    session = session_of(page)
    assert session["courseId"]


def test_a_slow_refresh_does_not_undo_the_clinic_number_saved_meanwhile(page):
    """Regression: the course list read by a refresh that began before the clinic number was saved used to
    land after the save and put the older course back, on the device and on screen."""
    onboard(page)
    page.wait_for_load_state("networkidle")  # the start-up refresh is done
    courses = HeldAnswer(page, re.compile(r".*/api/v1/courses$"))
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # syncs, then refreshes everything
    courses.wait()

    open_help(page)
    page.get_by_label("Your clinic’s phone number").fill("+44 20 7946 0000")
    page.get_by_role("button", name="Save number").click()
    call = page.locator('#clinic a[href="tel:+442079460000"]')
    expect(call).to_be_visible()
    assert saved_course(page)["clinic_phone"] == "+44 20 7946 0000"

    with page.expect_response(re.compile(r".*/timeline\?.*")):  # the refresh goes on to the timeline
        courses.release()
    expect(call).to_be_visible()
    assert saved_course(page)["clinic_phone"] == "+44 20 7946 0000"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_help_is_axe_clean_and_fits_320(page, axe_source, scheme):
    onboard(page)
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 640})
    open_help(page)
    assert axe_violations(page, axe_source) == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, width
    page.screenshot(path=f"/tmp/help-320-{scheme}.png", full_page=True)


def test_red_flag_links_land_on_the_list(page):
    onboard(page)
    page.get_by_role("link", name="Signs to stop your capsules and call your prescriber now").click()
    expect(page).to_have_url(re.compile(r"/help#red-flags$"))
    heading = page.locator("#red-flags-heading")
    expect(heading).to_be_in_viewport()
    page.goto("/timeline")
    page.get_by_role("link", name="Get help: numbers to call").click()
    expect(page).to_have_url(re.compile(r"/help#red-flags$"))
    expect(heading).to_be_in_viewport()


def test_target_reached_course_goes_on_until_the_last_capsule_is_recorded(page, live_app):
    onboard(page)
    session = session_of(page)
    course_id, token = session["courseId"], session["token"]
    status, course = live_app.api("GET", f"/courses/{course_id}", token)
    zone = course["timezone"]
    today = datetime.now(ZoneInfo(zone)).date()
    start = today - timedelta(days=190)
    plan = [{"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}]
    status, body = live_app.api(
        "PATCH",
        f"/courses/{course_id}",
        token,
        {"start_date": start.isoformat(), "weight_kg": 60, "dose_plan": plan},
    )
    assert status == 200, body
    doses = [
        {
            "id": str(uuid.uuid4()),
            "date": (start + timedelta(days=n)).isoformat(),
            "slot": 1,
            "status": "taken",
            "mg": 40,
            "taken_at": f"{start + timedelta(days=n)}T08:05:00+00:00",
        }
        for n in range(190)
    ]
    status, body = live_app.api("POST", f"/courses/{course_id}/doses/batch", token, {"doses": doses})
    assert status in (200, 201), body

    page.reload()
    card = page.locator("#target-reached")
    expect(card).to_contain_text("You’ve reached the total you entered")
    expect(card).to_contain_text("keep taking your capsules until your prescriber tells you to stop")
    expect(page.locator("ul.doses > li")).to_have_count(1)  # today's capsule is still asked for
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Day 191"))
    page.screenshot(path="/tmp/today-target-reached.png", full_page=True)

    card.get_by_role("button", name="My prescriber stopped my capsules").click()
    field = page.get_by_label("Day of the last capsule")
    expect(field).to_have_value(today.isoformat())
    field.fill((start - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record my last capsule").click()
    expect(page.locator("#last-capsule-error")).to_contain_text("Choose a day from")
    yesterday = today - timedelta(days=1)
    field.fill(yesterday.isoformat())
    page.get_by_role("button", name="Record my last capsule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Course finished")
    status, course = live_app.api("GET", f"/courses/{course_id}", token)
    assert course["ended_on"] == yesterday.isoformat()
    # Today and the timeline are fetched again after the save; leave the screen once both are done.
    live_region = page.locator(".visually-hidden[role=status]")
    expect(live_region).to_have_text(re.compile(r"^Last capsule recorded: "))

    page.goto("/timeline")
    donation = page.locator(".milestones li", has_text="Giving blood is possible again")
    expect(donation).to_have_count(1)
    expect(donation.locator(".badge")).to_have_count(0)  # no longer an estimate

    page.goto("/settings")
    page.get_by_role("button", name="I’m still taking capsules").click()
    # Saved, and today and the timeline fetched again, before leaving the screen.
    expect(page.locator(".visually-hidden[role=status]")).to_have_text("Course reopened.")
    expect(page.get_by_role("button", name="My prescriber stopped my capsules")).to_be_visible()
    page.goto("/")
    expect(page.locator("#target-reached")).to_be_visible()


def test_get_help_does_not_wait_for_the_device_store(london):
    """The header paints before the device's saved data is read, and Get help shows the country's numbers
    even when that store cannot be opened at all (here: every IndexedDB open throws)."""
    london.add_init_script(
        "IDBFactory.prototype.open = function () { throw new DOMException('blocked', 'UnknownError'); };"
    )
    page = london.new_page()
    page.goto("/")
    expect(page.get_by_role("main")).to_contain_text("Loading ClearCourse…")
    open_help(page)
    expect(page.get_by_text("Numbers for United Kingdom.")).to_be_visible()
    expect(page.locator('#emergency a[href="tel:999"]')).to_be_visible()
    expect(page.locator('#emergency a[href="tel:116123"]')).to_contain_text("Samaritans")
