"""Issue 7 on a phone: catching up at onboarding, Today's fill-in by week, a late tick asks the time, a
logged time can be corrected, the course can be edited, and Today / Timeline read at a glance."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    axe_violations,
    doses_on_server,
    onboard,
    outbox_of,
    session_of,
    skip_reminder_offer,
    wait_until,
)

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"


def at(ctx, hour: int, minute: int = 0) -> None:
    ctx.clock.install(time=datetime.now().replace(hour=hour, minute=minute, second=0, microsecond=0))


def fill_course(page, *, start: date | None = None, daily_mg: str = "40") -> None:
    page.goto("/onboarding")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    if start is not None:
        page.get_by_label("First day of your course").fill(start.isoformat())
    page.get_by_label("Your weight").fill("70")
    page.get_by_label("Milligrams per day (all doses together)").fill(daily_mg)
    page.get_by_label("Standard capsules").check()
    page.get_by_label("Neither").check()
    page.get_by_label("No", exact=True).check()


def synced_doses(page, live_app, done) -> list[dict]:
    """The server's doses once `done(doses)` holds and the device has nothing left to send."""
    doses = wait_until(lambda: doses_on_server(live_app, session_of(page)), done)
    assert wait_until(lambda: outbox_of(page), lambda queued: queued == []) == []
    return doses


def test_catch_up_all_taken_logs_every_earlier_dose_in_one_step(page, live_app):
    start = date.today() - timedelta(days=20)
    fill_course(page, start=start)
    question = page.get_by_role("group", name="How did your capsules go so far?")
    expect(question).to_be_visible()
    page.get_by_role("button", name="Start my course").click()
    expect(page.locator("#error-summary")).to_contain_text("how your capsules went so far")
    question.get_by_label("I took them all").check()
    page.get_by_role("button", name="Start my course").click()
    skip_reminder_offer(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 21 · week 3")
    doses = synced_doses(page, live_app, lambda doses: len(doses) >= 20)
    assert len(doses) == 20
    assert {d["status"] for d in doses} == {"taken"}
    assert sorted(d["date"] for d in doses)[0] == start.isoformat()
    assert all(d["taken_at"][11:16] == "08:00" for d in doses)
    page.reload()
    # Today first (its saved copy shows after start-up), then the fill-in: a count of 0 before the page has
    # drawn would prove nothing.
    expect(page.get_by_text("800 mg", exact=True)).to_be_visible()
    expect(page.locator("#fill-in")).to_have_count(0)


def test_fill_them_in_lists_every_unlogged_day_by_week(page, live_app):
    start = date.today() - timedelta(days=45)
    fill_course(page, start=start)
    page.get_by_label("I’ll fill them in").check()
    page.get_by_role("button", name="Start my course").click()
    expect(page).to_have_url(re.compile(r"/#fill-in$"))
    section = page.locator("#fill-in")
    expect(section).to_be_focused()
    expect(section).to_contain_text("45 earlier doses have no entry yet")
    weeks = section.locator("li.week")
    expect(weeks).to_have_count(7)
    expect(weeks.first).to_contain_text("Week 7")
    weeks.first.get_by_role("button", name=re.compile("^All taken this week")).click()
    expect(section).to_contain_text("42 earlier doses have no entry yet")
    last = section.locator('li.week[data-week="1"]')
    last.get_by_role("button", name=re.compile("^Days")).click()
    rows = last.locator(".missing-list > li")
    expect(rows).to_have_count(7)
    rows.first.get_by_role("button", name=re.compile("^Skipped")).click()
    expect(section).to_contain_text("41 earlier doses have no entry yet")
    doses = synced_doses(page, live_app, lambda doses: len(doses) >= 4)
    assert sorted(d["status"] for d in doses) == ["skipped"] + ["taken"] * 3
    page.screenshot(path=f"{SHOTS}/fill-in.png", full_page=True)


def test_late_tick_defaults_to_now_and_the_time_can_be_corrected(browser, live_app):
    """Ticking hours late means "just now" unless the patient says otherwise (issue 14, item 5)."""
    ctx = browser.new_context(base_url=live_app.url, viewport=PHONE, service_workers="allow", locale="en-US")
    ctx.set_default_timeout(15_000)
    at(ctx, 23, 0)
    try:
        page = ctx.new_page()
        onboard(page, doses_per_day=2)
        first = page.locator('ul.doses > li[data-slot="1"]')
        second = page.locator('ul.doses > li[data-slot="2"]')
        expect(first).to_have_attribute("data-timing", "overdue")
        expect(first.get_by_text("Overdue")).to_be_visible()

        page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
        just_now = first.get_by_role("button", name="Just now")
        expect(just_now).to_be_focused()
        expect(first.get_by_role("button", name="At 8:00 AM as planned")).to_be_visible()
        expect(first.get_by_label("At another time")).to_have_value(re.compile(r"^23:0\d$"))
        page.screenshot(path=f"{SHOTS}/today-late-tick.png")
        just_now.click()
        expect(first).to_have_attribute("data-status", "taken")
        expect(first).to_contain_text(re.compile(r"Taken at 11:0\d PM"))
        [dose] = synced_doses(page, live_app, lambda doses: len(doses) == 1)
        assert dose["taken_at"][11:15] == "23:0", dose

        first.get_by_role("button", name=re.compile("^Undo")).click()
        expect(first).to_have_attribute("data-status", "pending")
        page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
        first.get_by_role("button", name="At 8:00 AM as planned").click()
        expect(first).to_contain_text("Taken at 8:00 AM")

        page.get_by_role("button", name=re.compile(r"^Taken — dose 2")).click()
        second.get_by_label("At another time").fill("21:15")
        second.get_by_role("button", name="Save time").click()
        expect(second).to_contain_text("Taken at 9:15 PM")
        doses = synced_doses(page, live_app, lambda doses: len(doses) == 2)
        assert sorted(d["taken_at"][11:16] for d in doses) == ["08:00", "21:15"]

        first.get_by_role("button", name=re.compile("^Change time")).click()
        page.get_by_label("When did you take it?").fill("07:45")
        page.get_by_role("button", name="Save time").click()
        expect(first).to_contain_text("Taken at 7:45 AM")
        doses = synced_doses(
            page, live_app, lambda doses: any(d["taken_at"][11:16] == "07:45" for d in doses)
        )
        assert sorted(d["taken_at"][11:16] for d in doses) == ["07:45", "21:15"]
    finally:
        ctx.close()


def test_a_tick_on_time_does_not_ask(page, live_app):
    onboard(page)
    page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).click()
    expect(page.get_by_role("button", name="Just now")).to_have_count(0)
    expect(page.locator('ul.doses > li[data-slot="1"]')).to_have_attribute("data-status", "taken")


def test_today_reads_at_a_glance_on_a_phone(page):
    onboard(page)
    headings = page.locator("main section > h2").all_inner_texts()
    order = [h for h in headings if h in ("Today’s capsules", "Progress", "Coming up")]
    assert order == ["Today’s capsules", "Progress", "Coming up"], headings
    phase = page.locator("#phase-heading")
    doses_box = page.locator("#doses-heading").bounding_box()
    phase_box = phase.bounding_box()
    assert doses_box["y"] < phase_box["y"] < page.locator("#progress-heading").bounding_box()["y"]
    capsules = page.locator("section", has=page.locator("#doses-heading")).bounding_box()
    assert capsules["y"] + capsules["height"] < PHONE["height"], "today's capsules fit the first screen"
    text = page.locator("#phase-more")
    lines = text.evaluate("(el) => Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight))")
    assert lines <= 3
    more = page.get_by_role("button", name="More about this phase")
    expect(more).to_have_attribute("aria-expanded", "false")
    more.click()
    expect(page.get_by_role("button", name="Less")).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=f"{SHOTS}/today-390.png")


def test_timeline_scans_and_has_a_chart_with_a_table(page, live_app):
    start = date.today() - timedelta(days=40)
    fill_course(page, start=start)
    page.get_by_label("I took them all").check()
    page.get_by_role("button", name="Start my course").click()
    skip_reminder_offer(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 41 · week 6")
    synced_doses(page, live_app, lambda doses: len(doses) >= 40)
    session = session_of(page)
    visit_day = (date.today() + timedelta(days=20)).isoformat()
    status, _ = live_app.api(
        "POST",
        f"/courses/{session['courseId']}/appointments",
        session["token"],
        {
            "kind": "dermatologist_visit",
            "starts_at": f"{visit_day}T09:30",
            "place": "Skin clinic",
            "notes": None,
            "fasting": False,
        },
    )
    assert status == 201
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your timeline")
    booked = page.locator(".milestones li", has=page.locator(".milestone-booked"))
    expect(booked).to_have_count(1)
    expect(booked).to_contain_text(re.compile(r"booked 9:30\sAM · Skin clinic"))

    phases = page.locator("ol.phases > li")
    open_phases = page.locator("ol.phases > li > details[open]")
    expect(open_phases).to_have_count(1)
    assert phases.count() > 1
    expect(page.locator('ol.phases > li[aria-current="step"] > details')).to_have_attribute("open", "")

    page.locator(".past-milestones > summary").click()
    descriptions = page.locator(".milestones li p.muted").all_inner_texts()
    assert descriptions and len(descriptions) == len(set(descriptions)), "each text once"
    page.locator(".past-milestones > summary").click()

    chart = page.locator("#dose-chart")
    expect(chart.locator("canvas")).to_have_count(1)
    expect(chart).to_contain_text("Logged by today: 1,600 mg")
    chart.get_by_text("Show the numbers as a table").click()
    table = chart.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader")).to_have_text(["Week", "Date", "Logged (mg)", "Plan (mg)"])
    today_row = table.locator("tr.row-today")
    expect(today_row).to_contain_text("1,600")

    past = page.locator(".past-milestones")
    expect(past).to_contain_text(re.compile(r"Earlier: \d+ \(\d+ done"))
    past.locator("summary").click()
    expect(past.locator('li[data-kind="course_start"]')).to_have_attribute("data-state", "done")
    expect(past.locator('li[data-kind="monthly_visit"]').first).to_have_attribute("data-state", "missed")
    page.screenshot(path=f"{SHOTS}/timeline-390.png", full_page=True)


def test_edit_course_start_weight_in_lb_product_and_programme(page, live_app):
    onboard(page)
    session = session_of(page)
    page.goto("/settings")
    start = page.get_by_label("First day of your course")
    start.fill((date.today() - timedelta(days=400)).isoformat())
    page.get_by_role("button", name="Save course details").click()
    confirm = page.locator("#edit-start-confirm")
    expect(confirm).to_be_focused()
    expect(confirm).to_contain_text("more than a year ago")
    confirm.get_by_role("button", name="Change the date").click()
    expect(start).to_be_focused()
    earlier = (date.today() - timedelta(days=10)).isoformat()
    start.fill(earlier)

    page.locator("#edit-weight-unit").select_option("lb")
    page.get_by_label("Weight").fill("10")
    page.get_by_role("button", name="Save course details").click()
    expect(page.locator("#course-errors")).to_contain_text("between 45 and 771 lb")
    page.get_by_label("Weight").fill("154")
    capsules = page.get_by_role("group", name="Which capsules do you have?")
    capsules.get_by_label("A with-or-without-food product").check()
    programme = page.get_by_role("group", name="Pregnancy prevention programme")
    programme.get_by_label("EU or UK pregnancy prevention programme").check()
    page.get_by_role("button", name="Save course details").click()
    expect(page.get_by_role("status").filter(has_text="Course details saved.")).to_have_count(1)
    _, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert course["start_date"] == earlier
    assert course["weight_kg"] == pytest.approx(69.9, abs=0.05)
    assert course["product"] == "food_independent"
    assert course["programme"] == "eu_ppp"
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 11 · week 2")


def test_start_far_ahead_asks_at_onboarding(page):
    fill_course(page, start=date.today() + timedelta(days=90))
    page.get_by_role("button", name="Start my course").click()
    confirm = page.locator("#start-confirm")
    expect(confirm).to_be_focused()
    expect(confirm).to_contain_text("more than 60 days from now")
    confirm.get_by_role("button", name="Yes, that’s right").click()
    skip_reminder_offer(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your course starts soon")


def test_a_start_over_a_year_back_is_confirmed_and_over_two_years_refused(page, live_app):
    """The server asks the same confirmation as the app (and refuses a start over 2 years back)."""
    fill_course(page, start=date.today() - timedelta(days=800))
    page.get_by_label("I’ll fill them in").check()
    page.get_by_role("button", name="Start my course").click()
    expect(page.locator("#error-summary")).to_contain_text("started in the last two years")
    start = date.today() - timedelta(days=400)
    page.get_by_label("First day of your course").fill(start.isoformat())
    page.get_by_role("button", name="Start my course").click()
    confirm = page.locator("#start-confirm")
    expect(confirm).to_contain_text("more than a year ago")
    confirm.get_by_role("button", name="Yes, that’s right").click()
    expect(page).to_have_url(re.compile(r"/#fill-in$"))
    session = session_of(page)
    _, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert course["start_date"] == start.isoformat()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_screens_at_320_px_are_axe_clean(browser, live_app, axe_source, scheme):
    """Onboarding's catch-up question, Today with the late-time question and the fill-in list, the Timeline
    chart and table, and the course editor: no sideways scroll at 320 px and no axe violations."""
    ctx = browser.new_context(
        base_url=live_app.url, viewport={"width": 320, "height": 640}, color_scheme=scheme, locale="en-US"
    )
    ctx.set_default_timeout(15_000)
    at(ctx, 11, 0)

    def check(page, name: str) -> None:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        assert axe_violations(page, axe_source) == [], f"{name}, {scheme}"
        page.screenshot(path=f"{SHOTS}/{name}-320-{scheme}.png", full_page=True)

    try:
        page = ctx.new_page()
        fill_course(page, start=date.today() - timedelta(days=15))
        page.get_by_label("I’ll fill them in").check()
        check(page, "onboarding")
        page.get_by_role("button", name="Start my course").click()
        expect(page.locator("#fill-in")).to_be_focused()
        page.locator("#fill-in").get_by_role("button", name=re.compile("^Days")).first.click()
        page.get_by_role("button", name=re.compile(r"^Taken — dose 1")).first.click()
        expect(page.get_by_role("button", name="Just now")).to_be_visible()
        check(page, "today")
        page.goto("/timeline")
        expect(page.locator("#dose-chart canvas")).to_have_count(1)
        page.get_by_text("Show the numbers as a table").click()
        check(page, "timeline")
        page.goto("/settings")
        expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
        page.locator("#edit-weight-unit").select_option("lb")
        check(page, "settings")
    finally:
        ctx.close()


def test_all_taken_this_week_offline_waits_in_the_outbox(page, context, live_app):
    start = date.today() - timedelta(days=8)
    fill_course(page, start=start)
    page.get_by_label("I’ll fill them in").check()
    page.get_by_role("button", name="Start my course").click()
    section = page.locator("#fill-in")
    expect(section).to_contain_text("8 earlier doses have no entry yet")
    context.set_offline(True)
    try:
        week_one = section.locator('li.week[data-week="1"]')
        week_one.get_by_role("button", name=re.compile("^All taken this week")).click()
        expect(section).to_contain_text("1 earlier dose has no entry yet")
        # The list hides the week at the tap, before the batch is written to the outbox: wait for it.
        records = wait_until(lambda: outbox_of(page), lambda records: len(records) > 0)
        assert [(r["method"], r["path"].rsplit("/", 1)[-1], len(r["body"]["doses"])) for r in records] == [
            ("POST", "batch", 7)
        ]
        assert len({d["id"] for d in records[0]["body"]["doses"]}) == 7
    finally:
        context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    doses = synced_doses(page, live_app, lambda doses: len(doses) >= 7)
    page.wait_for_function("() => !document.querySelector('.badge-pending')")
    assert len(doses) == 7 and {d["status"] for d in doses} == {"taken"}
