"""Issue 14 on a phone: doses as prescribed (40 mg + 20 mg), the report a clinician reads in 30 seconds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard, session_of

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
