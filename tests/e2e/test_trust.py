"""Issue 14 on a phone: doses as prescribed (40 mg + 20 mg), the report a clinician reads in 30 seconds."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard, phone_context, session_of, skip_reminder_offer
from tests.e2e.test_catch_up import fill_course

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"


def test_each_dose_keeps_its_prescribed_amount(page, live_app):
    onboard(page, per_dose=("40", "20"))
    expect(page.locator('ul.doses > li[data-slot="1"] .dose-title')).to_contain_text("8:00 AM · 40 mg")
    expect(page.locator('ul.doses > li[data-slot="2"] .dose-title')).to_contain_text("8:00 PM · 20 mg")
    session = session_of(page)
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200 and course["dose_plan"][0]["doses"] == [
        {"time": "08:00", "mg": 40.0},
        {"time": "20:00", "mg": 20.0},
    ]
    page.goto("/settings")
    expect(page.get_by_text("40 mg at 8:00 AM and 20 mg at 8:00 PM (60 mg a day)")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/h5-settings-per-dose.png", full_page=True)


def test_the_weight_mg_per_kg_is_counted_by_is_said_on_today_and_in_settings(page, live_app):
    """A change on the day the course was set up corrects the start weight (the API tests cover a later
    change, kept beside the start weight, and a re-based one)."""
    onboard(page)
    progress = page.locator("section[aria-labelledby=progress-heading]")
    expect(progress).to_contain_text("by your start weight (70 kg)")
    page.goto("/settings")
    expect(page.get_by_text("Your mg/kg is counted by your start weight (70 kg).")).to_be_visible()
    page.locator("#edit-weight").fill("80")
    rebased = page.get_by_label("My prescriber re-based my plan on this new number")
    expect(rebased).not_to_be_checked()
    page.screenshot(path=f"{SHOTS}/h5-settings-weight.png")
    page.get_by_role("button", name="Save course details").click()
    expect(page.get_by_text("Your mg/kg is counted by your start weight (80 kg).")).to_be_visible()
    expect(rebased).to_have_count(0)
    session = session_of(page)
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200 and course["weight_kg"] == 80
    assert [(w["weight_kg"], w["rebased"]) for w in course["weights"]] == [(80, False)]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(progress).to_contain_text("by your start weight (80 kg)")


def test_absorica_ld_is_its_own_choice_and_the_2026_rules_say_verify(page, live_app):
    onboard(page)
    session = session_of(page)
    status, body = live_app.api(
        "PATCH", f"/courses/{session['courseId']}", session["token"], {"programme": "us_ipledge"}
    )
    assert status == 200, body
    page.goto("/settings")
    page.get_by_label("Absorica LD").check()
    page.get_by_role("button", name="Save course details").click()
    expect(page.get_by_text("Course details saved.")).to_be_attached()
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert course["product"] == "micronised"
    rules = page.locator(".rule-status")
    expect(rules).to_contain_text("may have been postponed")
    expect(rules.locator(".badge-verify")).to_have_text("Verify")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_text("Your capsules are Absorica LD")).to_be_visible()


def seed_report(live_app, session) -> None:
    """Three days of a 40 mg course: a taken day, a skipped dose, a red flag and a self-harm "yes"."""
    course = f"/courses/{session['courseId']}"
    token = session["token"]
    start = (date.today() - timedelta(days=6)).isoformat()
    plan = [{"from_date": start, "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}]
    status, body = live_app.api("PATCH", course, token, {"start_date": start, "dose_plan": plan})
    assert status == 200, body
    for n, status_ in ((6, "taken"), (5, "skipped")):
        day = (date.today() - timedelta(days=n)).isoformat()
        dose = {"date": day, "slot": 1, "status": status_, "mg": 40}
        if status_ == "taken":
            dose["taken_at"] = f"{day}T08:05:00+00:00"
        status, body = live_app.api("PUT", f"{course}/doses/{uuid.uuid4()}", token, dose)
        assert status == 201, body
    flag = {"red_flags": ["chest_pain"]}
    assert live_app.api("PUT", f"{course}/checkins/{date.today() - timedelta(days=1)}", token, flag)[0] == 201
    week = (date.today() - timedelta(days=7)).isocalendar()
    mood = {"interest": "several_days", "low_mood": "not_at_all", "self_harm_thoughts": True}
    assert live_app.api("PUT", f"{course}/mood/{week[0]}-W{week[1]:02d}", token, mood)[0] in (200, 201)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 320])
def test_the_report_page_reads_on_a_phone_without_sideways_scrolling(
    browser, live_app, axe_source, scheme, width
):
    ctx = phone_context(browser, live_app, width, scheme)
    try:
        page = ctx.new_page()
        onboard(page)
        seed_report(live_app, session_of(page))
        page.goto("/report")
        report = page.locator(".report-page")
        start = date.today() - timedelta(days=6)
        expect(report.locator(".report-period")).to_have_text(
            re.compile(rf"^Period: .*{start:%b} {start.day}, {start.year} to .+")
        )
        sections = report.locator("h3").all_inner_texts()
        assert sections[0] == "Safety summary" and sections.index("Course") > 0, sections
        expect(report).to_contain_text("Chest pain")
        expect(report).to_contain_text("“Yes” to thoughts of self-harm")
        expect(report.locator("dl[aria-label='Adherence']")).to_contain_text("Not logged")
        expect(report).not_to_contain_text("issed")  # never "missed" for what was not recorded
        expect(report.locator("dl[aria-label='Course']")).to_contain_text("Standard capsules")
        expect(report.locator(".write-in dt")).to_have_text(["Patient's name:", "Date of birth:"])
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"the report scrolls sideways by {overflow}px at {width}"
        assert axe_violations(page, axe_source) == [], (width, scheme)
        page.screenshot(path=f"{SHOTS}/h5-report-{width}-{scheme}.png", full_page=True)
        if width == 390 and scheme == "light":
            for paper in ("A4", "Letter"):  # printing: the browser's own PDF of the page on each paper
                page.pdf(path=f"{SHOTS}/h5-report-print-{paper}.pdf", format=paper)
    finally:
        ctx.close()


def test_onboarding_fills_in_no_total_and_stores_none_when_there_is_none(page, live_app):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    expect(page.get_by_label("No total given, or a low-dose course")).to_be_checked()
    page.get_by_label("My prescriber gave a total (mg per kg)").check()
    expect(page.get_by_label("Your prescriber’s total")).to_have_value("")  # no silent 120 mg/kg
    page.get_by_label("No total given, or a low-dose course").check()
    page.get_by_label("Your weight").fill("70")
    page.get_by_label("Milligrams per day (all doses together)").fill("40")
    page.get_by_label("Standard capsules").check()
    page.get_by_label("Neither").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Start my course").click()
    skip_reminder_offer(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
    session = session_of(page)
    status, course = live_app.api("GET", f"/courses/{session['courseId']}", session["token"])
    assert status == 200 and course["target_mg_per_kg"] is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_after_the_last_capsule_today_leads_with_it_and_what_still_applies(
    browser, live_app, axe_source, scheme
):
    ctx = phone_context(browser, live_app, 320, scheme)
    try:
        page = ctx.new_page()
        onboard(page)
        session = session_of(page)
        start = date.today() - timedelta(days=60)
        ended = date.today() - timedelta(days=5)
        plan = [{"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}]
        body = {"start_date": start.isoformat(), "dose_plan": plan, "ended_on": ended.isoformat()}
        body["pregnancy_prevention"] = True
        status, answer = live_app.api("PATCH", f"/courses/{session['courseId']}", session["token"], body)
        assert status == 200, answer
        page.reload()
        card = page.locator("#after-course")
        expect(card.get_by_role("heading", level=2)).to_have_text(
            f"Your last capsule was on {ended:%a}, {ended:%b} {ended.day}, {ended.year}."
        )
        expect(page.locator("main .card").first).to_have_id("after-course")  # it leads
        expect(card.get_by_role("heading", level=3)).to_have_text("Still applies until …")
        items = card.locator("li")
        expect(items).to_have_count(4)
        expect(items.nth(1)).to_contain_text("No giving blood until")
        expect(items.nth(3)).to_contain_text("until at least")
        expect(page.get_by_text("Keep going")).to_have_count(0)
        expect(page.get_by_text("to go)")).to_have_count(0)
        expect(page.locator("#while-on")).to_have_count(0)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, overflow
        assert axe_violations(page, axe_source) == [], scheme
        page.screenshot(path=f"{SHOTS}/h5-after-course-320-{scheme}.png", full_page=True)
    finally:
        ctx.close()


def test_joining_mid_course_asks_about_the_tests_before_the_start_and_the_timeline_can_mark_one_done(
    page, live_app
):
    start = date.today() - timedelta(days=45)
    fill_course(page, start=start)
    page.get_by_label("I took them all").check()
    page.get_by_label("Yes, they were done").check()
    page.get_by_role("button", name="Start my course").click()
    skip_reminder_offer(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Day 46"))
    page.goto("/timeline")
    page.locator("details.past-milestones > summary").click()
    baseline = page.locator(f'ol.milestones li[data-kind="blood_test"]:has(time[datetime="{start}"])')
    expect(baseline).to_have_attribute("data-state", "done")
    missed = page.locator('ol.milestones li[data-state="missed"]').first
    expect(missed).to_be_visible()
    kind = missed.get_attribute("data-kind")
    day = missed.locator("time").get_attribute("datetime")
    missed.get_by_role("button", name=re.compile("^It was done")).click()
    answered = page.locator(f'ol.milestones li[data-kind="{kind}"]:has(time[datetime="{day}"])')
    expect(answered).to_have_attribute("data-state", "done")
    page.screenshot(path=f"{SHOTS}/h5-timeline-answers.png", full_page=True)
    session = session_of(page)
    status, job = live_app.api("POST", "/me/export", session["token"])
    assert status == 202
    live_app.flask("reminders", "files")  # the worker makes the export
    status, exported = live_app.api("GET", f"/files/{job['id']}/content", session["token"])
    assert status == 200 and {(a["kind"], a["date"]) for a in exported["milestone_answers"]} >= {
        ("blood_test", start.isoformat()),
        (kind, day),
    }
