"""Settings: link a second device, edit the course, export, and delete everything."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    HeldAnswer,
    axe_violations,
    doses_on_server,
    onboard,
    saved_course,
    session_of,
    store_counts,
    wait_until,
)
from tests.e2e.language import catalog

pytestmark = pytest.mark.e2e


def test_second_device_joins_with_a_link_code(page, browser, live_app):
    onboard(page)
    page.goto("/settings")
    page.get_by_role("button", name="Create a link code").click()
    code = page.locator(".link-code .code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code

    other = browser.new_context(base_url=live_app.url, viewport={"width": 390, "height": 844})
    try:
        phone = other.new_page()
        phone.goto("/")
        phone.get_by_label("Link code").fill(code.lower())
        phone.get_by_label("Name this device (optional)").fill("Tablet")
        phone.get_by_role("button", name="Link this device").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
        assert session_of(phone)["courseId"] == session_of(page)["courseId"]
    finally:
        other.close()

    page.reload()
    devices = page.locator("ul.devices > li")
    expect(devices).to_have_count(2)
    tablet = devices.filter(has_text="Tablet")
    tablet.get_by_role("button", name=re.compile("^Remove")).click()
    expect(devices).to_have_count(1)
    expect(devices.first).to_contain_text("this device")


def test_edit_course_and_finish(page, live_app):
    onboard(page)
    session = session_of(page)
    page.goto("/settings")
    page.get_by_label("Weight").fill("72.5")
    page.get_by_role("button", name="Save course details").click()
    expect(page.get_by_role("status").filter(has_text="Course details saved.")).to_have_count(1)
    _, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert course["weight_kg"] == 72.5

    page.get_by_role("button", name="My prescriber stopped my capsules").click()
    page.get_by_role("button", name="Record my last capsule").click()  # today, the default
    expect(page.get_by_text("Your last capsule was on")).to_be_visible()
    _, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert course["ended_on"] is not None


def test_a_refresh_keeps_a_half_made_edit_and_saving_sends_only_what_changed(page, live_app):
    """Another phone changes the programme while this one's course form is open and half edited: the
    refresh that brings the change leaves the edit in place, and saving keeps the other phone's change."""
    onboard(page)
    session = session_of(page)
    course_path = f"/courses/{session['courseId']}"
    page.goto("/settings")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Save course details"))
    expect(form.get_by_label("Standard")).to_be_checked()
    status, body = live_app.api("PATCH", course_path, session["token"], {"programme": "us_ipledge"})
    assert status == 200, body
    form.get_by_label("Absorica LD").check()
    page.evaluate("dispatchEvent(new Event('online'))")  # the app syncs and reloads the course
    wait_until(lambda: (saved_course(page) or {}).get("programme"), lambda p: p == "us_ipledge")
    expect(page.locator(".rule-status")).to_contain_text("may have been postponed")  # other panel: new
    expect(form.get_by_label("Absorica LD")).to_be_checked()  # this one kept the patient's choice
    form.get_by_role("button", name="Save course details").click()
    expect(page.get_by_role("status").filter(has_text="Course details saved.")).to_have_count(1)
    _, course = live_app.api("GET", course_path, session["token"])
    assert (course["product"], course["programme"]) == ("micronised", "us_ipledge")


def test_invalid_answers_are_explained(page):
    page.goto("/onboarding")
    page.get_by_label("Your weight").fill("5")
    page.get_by_role("button", name="Start my course").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your weight in kilograms")
    expect(page.get_by_label("Your weight")).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link", name=re.compile("Enter your weight")).click()
    expect(page.get_by_label("Your weight")).to_be_focused()


def test_export_then_delete_everything(page, live_app):
    onboard(page)
    session = session_of(page)
    page.goto("/settings")
    # The start-up refresh saves the course, today and the timeline on the device: let it finish, so no
    # answer from before the account is deleted is written after the device store was emptied.
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    page.get_by_role("button", name="Export my data (JSON)").click()
    expect(page.get_by_text(catalog("en")["jobs.offline"])).to_be_visible()
    page.context.set_offline(False)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Export my data (JSON)").click()
        # The server only queues it; the button says so until the worker has made the file.
        expect(page.get_by_role("button", name=catalog("en")["jobs.export.preparing"])).to_be_disabled()
        live_app.flask("reminders", "files")
    exported = json.loads(download_info.value.path().read_text())
    assert session["courseId"] in json.dumps(exported)
    assert download_info.value.suggested_filename.startswith("clearcourse-export-")

    page.get_by_role("button", name="Delete everything").click()
    expect(page.locator("#delete-confirm")).to_be_focused()
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    status, _ = live_app.api("GET", "/courses", session["token"])
    assert status == 401
    left = store_counts(page)
    assert left == [0, 0, 0]


def test_a_refresh_running_while_everything_is_deleted_writes_nothing_back(page):
    """Regression: a refresh whose course list arrived after "Delete everything" used to save the course on
    the device again, after the patient had asked for everything to be deleted."""
    onboard(page)
    page.goto("/settings")
    page.wait_for_load_state("networkidle")  # the start-up refresh is done
    courses = HeldAnswer(page, re.compile(r".*/api/v1/courses$"))
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # syncs, then refreshes everything
    courses.wait()

    page.get_by_role("button", name="Delete everything").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    assert store_counts(page) == [0, 0, 0]

    # The network then drops (a 401 for today or the timeline would wipe the device again by itself).
    page.route(re.compile(r".*/(today|timeline)\?.*"), lambda route: route.abort())
    courses.release()
    # Gives a wrong write the time to happen (it did within milliseconds).
    assert wait_until(lambda: store_counts(page), lambda counts: counts != [0, 0, 0], timeout=2) == [0, 0, 0]
    assert saved_course(page) is None
    assert store_counts(page) == [0, 0, 0]
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")


def test_earlier_unlogged_doses_can_be_filled_in(page, live_app):
    onboard(page)
    session = session_of(page)
    _, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    today = course["start_date"]
    earlier = (date.fromisoformat(today) - timedelta(days=3)).isoformat()
    plan = [{**course["dose_plan"][0], "from_date": earlier}]
    status, _ = live_app.api(
        "PATCH",
        f"/courses/{session['courseId']}",
        session["token"],
        {"start_date": earlier, "dose_plan": plan},
    )
    assert status == 200
    page.reload()
    expect(page.locator(".missing-line")).to_contain_text("3 earlier doses not logged yet")
    page.get_by_role("link", name="Fill them in").click()
    section = page.locator("#fill-in")
    expect(section).to_be_focused()
    expect(section).to_contain_text("3 earlier doses have no entry yet")
    section.get_by_role("button", name=re.compile("^Days")).first.click()
    section.get_by_role("button", name=re.compile("^Taken — ")).first.click()
    expect(section).to_contain_text("2 earlier doses have no entry yet")
    doses = wait_until(
        lambda: doses_on_server(live_app, session),
        lambda doses: len(doses) > 0,
    )
    assert len(doses) == 1 and doses[0]["status"] == "taken"
    assert earlier <= doses[0]["date"] < today


def test_a_course_is_deleted_after_a_confirmation_and_setup_follows(page, live_app, axe_source):
    """Delete this course (Settings): asks first, deletes it on the server and device; the account stays."""
    onboard(page)
    session = session_of(page)
    page.goto("/settings")
    page.get_by_role("button", name="Delete this course").click()
    confirm = page.locator("#delete-course-confirm")
    expect(confirm).to_be_focused()
    expect(confirm).to_contain_text("dose log, reminders, appointments")
    assert axe_violations(page, axe_source) == [], "the course delete confirmation"
    confirm.get_by_role("button", name="Cancel").click()
    status, _ = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200  # cancelled: nothing deleted

    page.get_by_role("button", name="Delete this course").click()
    page.get_by_role("button", name="Yes, delete this course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    status, _ = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 404
    status, courses = live_app.api("GET", "/courses", session["token"])
    assert (status, courses) == (200, [])  # the account stays
    assert saved_course(page) is None
