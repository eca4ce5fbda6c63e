"""Appointments: add, edit, delete, accept suggestions; errors are summarised, focused and tied to fields."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import axe_violations, onboard, session_of

pytestmark = pytest.mark.e2e


def open_appointments(page: Page) -> None:
    onboard(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    expect(page.get_by_text("No upcoming appointments.")).to_be_visible()


def fill_form(page: Page, *, kind: str, date: str, time: str, place: str = "") -> None:
    form = page.locator("#appointment-form")
    form.get_by_label(kind, exact=True).check()
    form.get_by_label("Date").fill(date)
    form.get_by_label("Time").fill(time)
    if place:
        form.get_by_label("Place (optional)").fill(place)


def test_add_edit_and_delete_an_appointment(page, live_app):
    open_appointments(page)
    session = session_of(page)

    fill_form(page, kind="Blood test", date="2099-03-02", time="09:30", place="City Lab")
    page.get_by_label("I need to fast before this test").check()
    page.get_by_role("button", name="Add appointment").click()
    item = page.locator("ul.appointments > li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Blood test")
    expect(item).to_contain_text("fasting")
    expect(item).to_contain_text(re.compile(r"2099 at 9:30\sAM · City Lab"))
    expect(page.locator("#appt-date")).to_have_value("")

    status, stored = live_app.api("GET", f"/courses/{session['courseId']}/appointments", session["token"])
    assert status == 200
    assert [(a["kind"], a["starts_at"][:16], a["place"], a["fasting"]) for a in stored] == [
        ("blood_test", "2099-03-02T09:30", "City Lab", True)
    ]

    item.get_by_role("button", name=re.compile(r"^Edit")).click()
    expect(page.locator("#appointment-form-heading")).to_be_focused()
    expect(page.locator("#appointment-form-heading")).to_have_text("Change appointment")
    page.locator("#appointment-form").get_by_label("Time").fill("11:15")
    page.get_by_role("button", name="Save changes").click()
    expect(item).to_contain_text(re.compile(r"at 11:15\sAM"))
    expect(page.locator("#appointment-form-heading")).to_have_text("Add an appointment")

    item.get_by_role("button", name=re.compile(r"^Delete")).click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("No upcoming appointments.")).to_be_visible()
    assert live_app.api("GET", f"/courses/{session['courseId']}/appointments", session["token"])[1] == []


def test_errors_are_summarised_focused_and_mapped_to_fields(page, axe_source):
    open_appointments(page)

    page.get_by_role("button", name="Add appointment").click()
    summary = page.locator("#appointment-errors")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(2)
    expect(page.locator("#appt-date")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page, axe_source) == []

    fill_form(page, kind="Other", date="1999-12-31", time="10:00")
    page.get_by_role("button", name="Add appointment").click()
    expect(summary).to_be_focused()
    out_of_range = summary.get_by_role("link", name="The date is out of range.")
    expect(out_of_range).to_have_attribute("href", "#appt-date")
    expect(page.locator("#appt-date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#appt-date-error")).to_have_text("The date is out of range.")


def test_accept_a_suggestion_or_change_it_first(page):
    open_appointments(page)
    suggestions = page.locator("ul.suggestions > li")
    expect(suggestions.first).to_be_visible()
    first_reason = suggestions.first.locator(".appointment-title").inner_text()
    first_when = suggestions.first.locator(".appointment-when").inner_text()

    suggestions.first.get_by_role("button", name=re.compile(r"^Add")).click()
    item = page.locator("ul.appointments > li")
    expect(item).to_have_count(1)
    expect(item.first).to_contain_text(first_when.split(" · ")[1].replace("fasting", "").strip())
    expect(suggestions.first.locator(".appointment-title")).not_to_have_text(first_reason)

    suggestions.first.get_by_role("button", name=re.compile(r"^Change first")).click()
    expect(page.locator("#appointment-form-heading")).to_be_focused()
    date = page.locator("#appt-date").input_value()
    assert date, "the suggestion's date is filled in"
    page.locator("#appointment-form").get_by_label("Time").fill("14:45")
    page.get_by_role("button", name="Add appointment").click()
    expect(item).to_have_count(2)
    expect(page.locator("ul.appointments")).to_contain_text(re.compile(r"at 2:45\sPM"))
