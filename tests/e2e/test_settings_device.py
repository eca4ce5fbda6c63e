"""Settings a patient sets once: the weight unit stays chosen on this phone, the calendar link is made,
copied and turned off in Settings, and the programme-rules choice is an aligned radio group."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard, session_of

pytestmark = pytest.mark.e2e


def test_the_weight_unit_is_kept_on_this_phone_until_its_data_is_deleted(page):
    onboard(page)  # 70 kg
    page.goto("/settings")
    weight = page.locator("#edit-weight")
    expect(weight).to_have_value("70")
    page.locator("#edit-weight-unit").select_option("lb")
    expect(weight).to_have_value("154.3")

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    expect(page.locator("#edit-weight-unit")).to_have_value("lb")
    expect(weight).to_have_value("154.3")

    page.get_by_role("button", name="Delete everything").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page).to_have_url(re.compile(r"/onboarding$"))
    expect(page.locator("#weight-unit")).to_have_value("kg")


def test_the_calendar_link_is_made_copied_and_turned_off_in_settings(page, context, live_app):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    onboard(page)
    session = session_of(page)
    page.goto("/settings")
    calendar = page.locator("section", has=page.get_by_role("heading", name="Calendar", exact=True))
    calendar.get_by_role("button", name="Make a calendar link").click()
    expect(calendar.get_by_role("link", name="Subscribe in your calendar")).to_have_attribute(
        "href", re.compile(r"^webcal://.+\.ics$")
    )
    address = calendar.get_by_label("Or copy the address into your calendar app")
    expect(address).to_have_value(re.compile(r"^http://.+\.ics$"))
    url = address.input_value()
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200 and b"BEGIN:VCALENDAR" in answer.read()

    calendar.get_by_role("button", name="Copy").click()
    expect(calendar.get_by_role("status")).to_contain_text("Link copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == url

    links = calendar.locator(".feed-list li")
    expect(links).to_have_count(1)
    expect(links).to_contain_text("(on this phone)")
    expect(links).to_contain_text("Not read by a calendar yet.")  # listed before the read above
    calendar.get_by_role("button", name=re.compile(r"^Turn off…")).click()
    confirm = calendar.get_by_role("group", name="Turn this link off?")
    confirm.get_by_role("button", name="Keep it").click()
    expect(links).to_have_count(1)
    calendar.get_by_role("button", name=re.compile(r"^Turn off…")).click()
    confirm.get_by_role("button", name="Turn it off").click()
    expect(links).to_have_count(0)
    expect(calendar.get_by_role("button", name="Make a calendar link")).to_be_visible()
    status, feeds = live_app.api("GET", "/calendar-feeds", session["token"])
    assert status == 200 and feeds == []
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(url, timeout=10)
    assert gone.value.code == 404

    page.reload()  # this phone no longer offers the old address
    expect(calendar.get_by_role("button", name="Make a calendar link")).to_be_visible()
    expect(calendar.get_by_role("link", name="Subscribe in your calendar")).to_have_count(0)


def test_programme_rules_are_one_aligned_radio_group(page, live_app):
    onboard(page)
    session = session_of(page)
    status, body = live_app.api(
        "PATCH", f"/courses/{session['courseId']}", session["token"], {"programme": "us_ipledge"}
    )
    assert status == 200, body
    page.goto("/settings")
    group = page.get_by_role("group", name="Programme rules")
    radios = group.get_by_role("radio")
    expect(radios).to_have_count(2)
    expect(radios.first).to_be_checked()
    legend = group.locator("legend").bounding_box()
    boxes = [radios.nth(i).bounding_box() for i in range(2)]
    ids = [radios.nth(i).get_attribute("id") for i in range(2)]
    labels = [group.locator(f"label[for='{radio_id}']").bounding_box() for radio_id in ids]
    assert abs(boxes[0]["x"] - boxes[1]["x"]) < 1, boxes
    assert abs(boxes[0]["x"] - legend["x"]) < 2, (boxes, legend)  # no inset box around the group
    for radio_id, radio, label in zip(ids, boxes, labels, strict=True):
        assert label["x"] > radio["x"] + radio["width"]
        assert abs(label["y"] - radio["y"]) < 6, (radio, label)
        version = group.locator(f"label[for='{radio_id}'] .choice-hint").bounding_box()
        assert version["y"] >= label["y"] + 12, (label, version)  # the version on its own line, not run on
    assert group.evaluate("(el) => getComputedStyle(el).borderTopWidth") == "0px"
