"""Course truth over the API: reaching the target never ends a course; only ended_on does, and it undoes.

The "Why" scenario of the course-truth issue: 60 kg at 40 mg/day, 120 mg/kg (7,200 mg) reached on day
180 by the log, capsules continuing. Before ended_on: today's capsules stay, no post-course reminder is
scheduled and the post-course dates are estimates. After ended_on: all of it flips, and back again.
"""

from __future__ import annotations

from datetime import date, timedelta

from backend.course.dates import month_after
from tests.api.apihelp import API, bad_fields, days_ago, dose_body, new_uuid, plan, today_in

POST_COURSE = {"final_pregnancy_test", "contraception_end"}


def continuing_course(patient) -> tuple[dict, date]:
    """Started 190 days ago, every capsule logged up to yesterday: the target was reached on day 180."""
    start = days_ago(190, "America/New_York")
    course = patient.create_course(
        start_date=start.isoformat(),
        weight_kg=60,
        timezone="America/New_York",
        programme="us_ipledge",
        pregnancy_prevention=True,
        dose_plan=plan(start, 40, doses=1),
    )
    for n in range(190):
        day = start + timedelta(days=n)
        body = dose_body(day, mg=40, taken_at=f"{day}T08:05:00-05:00")
        response = patient.put(f"{API}/courses/{course['id']}/doses/{new_uuid()}", json=body)
        assert response.status_code == 201, response.get_json()
    return course, start


def upcoming(patient, first: date, last: date) -> list[dict]:
    """Every reminder from `first` to `last`, asked a month (at most 31 days on) at a time as the app asks."""
    found = []
    while first <= last:
        end = min(last, first + timedelta(days=31))
        response = patient.get(f"{API}/reminders/upcoming?from={first}&to={end}")
        assert response.status_code == 200, response.get_json()
        found += response.get_json()
        first = end + timedelta(days=1)
    return found


def test_target_reached_course_goes_on_until_the_patient_confirms_the_end(patient):
    course, start = continuing_course(patient)
    url = f"{API}/courses/{course['id']}"
    today = today_in("America/New_York")

    view = patient.get(f"{url}/today").get_json()
    assert view["status"] == "active"
    assert [d["status"] for d in view["doses"]] == ["pending"]  # today's capsule is still asked for
    assert view["target_reached"]["on"] == (start + timedelta(days=179)).isoformat()
    assert "DOSE-13" in view["target_reached"]["facts"]
    assert view["phase"]["key"] == "final_stretch"
    assert view["cumulative_mg"] == 190 * 40 and view["target_percent"] > 100

    timeline = patient.get(f"{url}/timeline").get_json()
    post = [m for m in timeline["milestones"] if m["kind"] in POST_COURSE | {"blood_donation_ok"}]
    assert post and all(m["estimated"] for m in post)
    assert timeline["current_phase"] == "final_stretch"

    # No post-course reminder before the patient confirms; dose reminders go on.
    kinds = {o["kind"] for o in upcoming(patient, today, today + timedelta(days=60))}
    assert "dose" in kinds
    assert not POST_COURSE & kinds

    # "My prescriber stopped my capsules": yesterday was the last one.
    last = today - timedelta(days=1)
    response = patient.patch(url, json={"ended_on": last.isoformat()})
    assert response.status_code == 200, response.get_json()
    view = patient.get(f"{url}/today").get_json()
    assert view["status"] == "finished" and view["doses"] == [] and view["phase"]["key"] == "after"
    assert view["target_reached"] is None
    timeline = patient.get(f"{url}/timeline").get_json()
    final = next(m for m in timeline["milestones"] if m["kind"] == "final_pregnancy_test")
    assert final["estimated"] is False and final["date"] == month_after(last).isoformat()
    occurrences = upcoming(patient, today, today + timedelta(days=60))
    by_kind = {o["kind"]: o for o in occurrences}
    assert set(by_kind) >= POST_COURSE
    assert "dose" not in by_kind  # dose reminders stop with the last capsule

    # Undo: the course is on again, and the post-course reminders are gone.
    assert patient.patch(url, json={"ended_on": None}).status_code == 200
    view = patient.get(f"{url}/today").get_json()
    assert view["status"] == "active" and view["doses"] and view["target_reached"]
    kinds = {o["kind"] for o in upcoming(patient, today, today + timedelta(days=60))}
    assert "dose" in kinds and not POST_COURSE & kinds


def test_ended_on_must_lie_between_the_start_and_the_patients_today(patient):
    start = days_ago(20)
    course = patient.create_course(start_date=start.isoformat(), dose_plan=plan(start))
    url = f"{API}/courses/{course['id']}"
    for bad in (
        (start - timedelta(days=1)).isoformat(),
        (today_in() + timedelta(days=2)).isoformat(),
        "2026-02-30",
        "soon",
        12,
    ):
        assert "ended_on" in bad_fields(patient.patch(url, json={"ended_on": bad})), bad
    assert patient.get(url).get_json()["ended_on"] is None
    future = (today_in() + timedelta(days=2)).isoformat()
    assert "ended_on" in bad_fields(patient.post(f"{API}/courses", json={**_body(), "ended_on": future}))
    assert patient.patch(url, json={"ended_on": start.isoformat()}).status_code == 200
    assert patient.patch(url, json={"ended_on": today_in().isoformat()}).status_code == 200


def test_rule_set_defaults_to_the_programme_and_must_belong_to_it(patient):
    us = patient.create_course(programme="us_ipledge")
    assert us["rule_set"] == "us_ipledge"
    moved = patient.patch(f"{API}/courses/{us['id']}", json={"rule_set": "us_ipledge_2026"})
    assert moved.status_code == 200 and moved.get_json()["rule_set"] == "us_ipledge_2026"
    today = patient.get(f"{API}/courses/{us['id']}/today").get_json()
    assert today["rule_set"]["id"] == "us_ipledge_2026" and today["rule_set"]["lockout_days"] is None
    missed = [i for i in today["dose_guidance"] if "DOSE-11" in i["facts"]]
    assert len(missed) == 1

    assert "rule_set" in bad_fields(patient.patch(f"{API}/courses/{us['id']}", json={"rule_set": "eu_ppp"}))
    assert "rule_set" in bad_fields(patient.patch(f"{API}/courses/{us['id']}", json={"rule_set": "nope"}))
    assert "rule_set" in bad_fields(
        patient.post(f"{API}/courses", json={**_body(), "programme": "eu_ppp", "rule_set": "us_ipledge"})
    )
    switched = patient.patch(f"{API}/courses/{us['id']}", json={"programme": "eu_ppp"}).get_json()
    assert switched["rule_set"] == "eu_ppp"  # a new programme takes its current rule set


def test_rule_sets_and_helplines_are_public_reference_data(client):
    sets = client.get(f"{API}/rule-sets").get_json()
    assert {s["id"] for s in sets} == {"us_ipledge", "us_ipledge_2026", "eu_ppp", "none"}
    ipledge = next(s for s in sets if s["id"] == "us_ipledge")
    assert ipledge["tests_before_start"] == 2 and ipledge["pickup_window_days"] == 7
    assert ipledge["missed_dose"]["facts"] == ["DOSE-11"]
    lines = {c["code"]: c for c in client.get(f"{API}/helplines").get_json()}
    assert lines["US"]["emergency"]["number"] == "911" and lines["US"]["crisis"][0]["number"] == "988"
    assert lines["GB"]["crisis"][0]["number"] == "116 123" and lines["DE"]["emergency"]["number"] == "112"
    assert lines["GB"]["text_line"]["number"] == "85258" and lines["GB"]["youth"][0]["verify"] == ["hours"]
    assert lines["DE"]["crisis"][0]["name"] == "TelefonSeelsorge" and lines["BG"]["crisis"] == []
    assert lines["DE"]["crisis"][0]["source"]["url"].startswith("https://")
    assert "Europe/London" in lines["GB"]["zones"]


def test_country_defaults_from_the_time_zone_and_clinic_phone_is_kept(patient):
    assert patient.create_course(timezone="Europe/London")["country"] == "GB"
    assert patient.create_course(timezone="America/Chicago")["country"] == "US"
    assert patient.create_course(timezone="Asia/Tokyo")["country"] is None
    chosen = patient.create_course(timezone="Europe/Berlin", country="IE", clinic_phone="+353 1 234 5678")
    assert chosen["country"] == "IE" and chosen["clinic_phone"] == "+353 1 234 5678"
    url = f"{API}/courses/{chosen['id']}"
    for bad in ("XX", "gb", 44):
        assert "country" in bad_fields(patient.patch(url, json={"country": bad})), bad
    for bad in ("call me", "12", "+" + "1" * 40, "0800\x00123"):
        assert "clinic_phone" in bad_fields(patient.patch(url, json={"clinic_phone": bad})), bad
    assert (
        patient.patch(url, json={"clinic_phone": "(020) 7946-0000"}).get_json()["clinic_phone"]
        == "(020) 7946-0000"
    )
    export = patient.file(f"{API}/me/export").get_json()
    assert "(020) 7946-0000" in {c["clinic_phone"] for c in export["courses"]}
    assert patient.delete(f"{API}/me").status_code == 204
    assert patient.get(url).status_code == 401


def _body() -> dict:
    from tests.conftest import course_body

    return course_body()
