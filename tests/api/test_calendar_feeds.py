"""Calendar feeds: secret revocable URLs, iCalendar parsed back with DST-correct times, stable UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.api.apihelp import API, assert_error, bad_fields, course_from, days_ago

BERLIN = ZoneInfo("Europe/Berlin")
# Berlin springs forward on Sunday 28 March 2027: 09:30 is 08:30 UTC the day before, 07:30 UTC the day after.
BEFORE_DST = "2027-03-27T09:30"
AFTER_DST = "2027-03-29T09:30"


@pytest.fixture
def course(patient) -> dict:
    return patient.create_course(**course_from(days_ago(10)))


def create(patient, course: dict, **extra) -> dict:
    response = patient.post(f"{API}/calendar-feeds", json={"course_id": course["id"], **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fetch(client, feed: dict):
    return client.get(urlsplit(feed["url"]).path)


def parsed(client, feed: dict) -> Calendar:
    response = fetch(client, feed)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def add_appointment(patient, course: dict, **body) -> dict:
    response = patient.post(f"{API}/courses/{course['id']}/appointments", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_feed_url_is_secret_and_subscribable(patient, course, client):
    feed = create(patient, course)
    assert feed["url"].startswith("http") and feed["url"].endswith(".ics")
    assert feed["webcal_url"] == "webcal://" + feed["url"].split("://", 1)[1]
    token = urlsplit(feed["url"]).path.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    listed = patient.get(f"{API}/calendar-feeds").get_json()
    assert [f["id"] for f in listed] == [feed["id"]] and "url" not in listed[0]
    assert fetch(client, feed).status_code == 200  # no Authorization header: the URL is the credential


def test_appointments_are_dst_correct_with_place_fasting_and_real_vtimezone(patient, course, client):
    add_appointment(patient, course, kind="blood_test", starts_at=BEFORE_DST, place="Lab 3", fasting=True)
    add_appointment(patient, course, kind="dermatologist_visit", starts_at=AFTER_DST, notes="my private note")
    body = fetch(client, create(patient, course)).get_data(as_text=True)
    cal = Calendar.from_ical(body)
    by_summary = events(cal)
    blood, visit = by_summary["Blood test"], by_summary["Dermatologist visit"]
    assert blood["dtstart"].dt.astimezone(UTC) == datetime(2027, 3, 27, 8, 30, tzinfo=UTC)
    assert visit["dtstart"].dt.astimezone(UTC) == datetime(2027, 3, 29, 7, 30, tzinfo=UTC)
    assert blood["dtstart"].params["TZID"] == "Europe/Berlin"
    assert str(blood["location"]) == "Lab 3" and "8 hours" in str(blood["description"])
    assert "my private note" not in body and course["id"] not in body and patient.id not in body

    [vtz] = cal.walk("VTIMEZONE")
    assert str(vtz["tzid"]) == "Europe/Berlin"
    offsets = {str(c.name): c["tzoffsetto"].td for c in vtz.subcomponents}
    assert offsets["STANDARD"] == timedelta(hours=1) and offsets["DAYLIGHT"] == timedelta(hours=2)
    # The VTIMEZONE itself (not the machine's zoneinfo) puts both sides of the change right.
    tz = vtz.to_tz()
    assert datetime(2027, 3, 27, 9, 30, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 3, 29, 9, 30, tzinfo=tz).utcoffset() == timedelta(hours=2)


def test_post_course_dates_are_marked_estimated_until_the_last_capsule_is_recorded(patient, course, client):
    feed = create(patient, course)
    cal = parsed(client, feed)
    post = [e for e in cal.walk("VEVENT") if "X-CLEARCOURSE-ESTIMATED" in e]
    assert {str(e["summary"]) for e in post} >= {
        "Final pregnancy test (estimate)",
        "Estimated last capsule",
    }
    assert all(str(e["summary"]).lower().count("estimate") == 1 for e in post)  # one "Estimated" per title
    uids = {str(e["uid"]) for e in cal.walk("VEVENT")}

    ended = days_ago(1)
    assert (
        patient.patch(f"{API}/courses/{course['id']}", json={"ended_on": ended.isoformat()}).status_code
        == 200
    )
    cal = parsed(client, feed)
    final = next(e for e in cal.walk("VEVENT") if str(e["summary"]) == "Final pregnancy test")
    assert "X-CLEARCOURSE-ESTIMATED" not in final
    assert final["dtstart"].dt == date(ended.year + (ended.month == 12), ended.month % 12 + 1, ended.day)
    assert str(final["uid"]) in uids  # the same event, updated


def test_appointment_change_updates_the_same_event(patient, course, client):
    appt = add_appointment(patient, course, kind="pregnancy_test", starts_at=BEFORE_DST)
    feed = create(patient, course)
    first = events(parsed(client, feed))["Pregnancy test"]
    patient.patch(f"{API}/courses/{course['id']}/appointments/{appt['id']}", json={"starts_at": AFTER_DST})
    second = events(parsed(client, feed))["Pregnancy test"]
    assert str(first["uid"]) == str(second["uid"])
    assert second["dtstart"].dt.astimezone(UTC) == datetime(2027, 3, 29, 7, 30, tzinfo=UTC)


def test_daily_capsules_are_one_recurring_event_per_slot_with_an_alarm(patient, course, client):
    without = parsed(client, create(patient, course))
    assert not [e for e in without.walk("VEVENT") if "RRULE" in e]
    feed = create(patient, course, include_doses=True)
    cal = parsed(client, feed)
    capsules = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    assert all("UNTIL" not in e["rrule"] for e in capsules)  # a projected end is only an estimate (DOSE-13)
    assert sorted(str(e["summary"]) for e in capsules) == [
        "Capsules, 20 mg (dose 1 of 2)",
        "Capsules, 20 mg (dose 2 of 2)",
    ]
    for event, hour in zip(sorted(capsules, key=lambda e: str(e["summary"])), (8, 20), strict=True):
        assert event["rrule"]["FREQ"] == ["DAILY"]
        start = event["dtstart"].dt
        assert (start.hour, start.minute) == (hour, 0) and event["dtstart"].params["TZID"] == "Europe/Berlin"
        assert [a["action"] for a in event.walk("VALARM")] == ["DISPLAY"]

    ended = days_ago(1)
    assert (
        patient.patch(f"{API}/courses/{course['id']}", json={"ended_on": ended.isoformat()}).status_code
        == 200
    )
    for event in (e for e in parsed(client, feed).walk("VEVENT") if "RRULE" in e):
        [until] = event["rrule"]["UNTIL"]
        assert until.astimezone(BERLIN).date() == ended


def test_revoked_feed_is_404_and_others_cannot_touch_it(patient, make_patient, course, client):
    feed = create(patient, course)
    other = make_patient()
    assert_error(other.delete(f"{API}/calendar-feeds/{feed['id']}"), 404)
    assert_error(other.post(f"{API}/calendar-feeds", json={"course_id": course["id"]}), 404)
    assert fetch(client, feed).status_code == 200
    assert patient.delete(f"{API}/calendar-feeds/{feed['id']}").status_code == 204
    assert_error(fetch(client, feed), 404)
    assert_error(client.get(f"{API}/calendar/not-a-token.ics"), 404)
    assert patient.get(f"{API}/calendar-feeds").get_json() == []


def test_bad_feed_body_is_422(patient, course):
    assert "course_id" in bad_fields(patient.post(f"{API}/calendar-feeds", json={}))
    assert "include_doses" in bad_fields(
        patient.post(f"{API}/calendar-feeds", json={"course_id": course["id"], "include_doses": "yes"})
    )


def test_erasing_the_patient_removes_the_feed(patient, course, client):
    feed = create(patient, course)
    exported = patient.file(f"{API}/me/export").get_json()
    assert [f["id"] for f in exported["calendar_feeds"]] == [feed["id"]]
    token = urlsplit(feed["url"]).path.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in str(exported)
    assert patient.delete(f"{API}/me").status_code == 204
    assert_error(fetch(client, feed), 404)


def test_an_appointment_that_replaces_no_usual_date_is_its_own_event(patient, course, client):
    """A second blood test in a month, and a kind with no usual date, add events of their own (was a 500)."""
    add_appointment(patient, course, kind="blood_test", starts_at=BEFORE_DST)
    add_appointment(patient, course, kind="blood_test", starts_at=AFTER_DST)
    add_appointment(patient, course, kind="other", starts_at="2027-04-02T11:00")
    cal = parsed(client, create(patient, course))
    starts = sorted(
        e["dtstart"].dt.astimezone(UTC) for e in cal.walk("VEVENT") if str(e["summary"]) == "Blood test"
    )
    assert datetime(2027, 3, 27, 8, 30, tzinfo=UTC) in starts
    assert datetime(2027, 3, 29, 7, 30, tzinfo=UTC) in starts
    assert any(
        e["dtstart"].dt.astimezone(UTC) == datetime(2027, 4, 2, 9, 0, tzinfo=UTC) for e in cal.walk("VEVENT")
    )
