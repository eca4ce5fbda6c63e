"""Weekly mood checks (never scored, self-harm → crisis help) and supply: pick-ups, capsules left, refill."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.models import MoodCheck, SupplyPickup
from backend.record.mood import iso_week
from tests.api.apihelp import API, assert_error, bad_fields, count_rows, course_from, days_ago, today_in
from tests.reminders.remhelp import rule

CALM = {"interest": "not_at_all", "low_mood": "not_at_all", "self_harm_thoughts": False}


@pytest.fixture
def course(patient) -> dict:
    return patient.create_course(**course_from(days_ago(10), doses=1))


def mood_url(course: dict, week: str) -> str:
    return f"{API}/courses/{course['id']}/mood/{week}"


# ------------------------------------------------------------------ mood


def test_mood_put_replace_and_list_over_time(patient, course, app):
    this_week, last_week = iso_week(today_in()), iso_week(days_ago(7))
    first = patient.put(mood_url(course, last_week), json={**CALM, "low_mood": "several_days"})
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["week"] == last_week and body["low_mood"] == "several_days"
    assert body["follow_up"]["crisis"] is False
    assert [a["key"] for a in body["follow_up"]["actions"]] == ["raise_at_visit"]
    assert not {"score", "total", "label", "result"} & set(body)
    assert (
        patient.put(mood_url(course, this_week), json={**CALM, "sexual_function": "some_change"}).status_code
        == 201
    )
    replaced = patient.put(mood_url(course, last_week), json=CALM)
    assert replaced.status_code == 200 and replaced.get_json()["id"] == body["id"]
    listed = patient.get(f"{API}/courses/{course['id']}/mood").get_json()
    assert [(m["week"], m["low_mood"], m["sexual_function"]) for m in listed] == [
        (last_week, "not_at_all", None),
        (this_week, "not_at_all", "some_change"),
    ]
    only = patient.get(f"{API}/courses/{course['id']}/mood?from={this_week}").get_json()
    assert [m["week"] for m in only] == [this_week]
    with app.app_context():
        assert count_rows(MoodCheck) == 2


def test_self_harm_yes_leads_to_crisis_help_whatever_the_other_answers(patient, course):
    body = patient.put(
        mood_url(course, iso_week(today_in())), json={**CALM, "self_harm_thoughts": True}
    ).get_json()
    follow = body["follow_up"]
    assert follow["crisis"] is True and follow["stop"] is True
    keys = [a["key"] for a in follow["actions"]]
    assert keys == ["crisis_line", "stop_tell_prescriber_today", "raise_at_visit"]
    assert "HELP-1" in follow["actions"][0]["facts"]
    assert [(c["call"], c["note"]) for c in follow["calls"]] == [
        ("crisis", None),
        ("emergency", "if you might act on these thoughts or can't keep yourself safe"),
        ("clinic", None),
    ]


@pytest.mark.parametrize(
    "answers,stop",
    [
        ({"interest": "more_than_half_the_days"}, True),
        ({"low_mood": "nearly_every_day"}, True),
        ({"interest": "nearly_every_day", "low_mood": "more_than_half_the_days"}, True),
        ({"interest": "several_days", "low_mood": "several_days"}, False),
        ({}, False),
    ],
)
def test_frequent_low_mood_or_loss_of_interest_says_stop_and_phone_today(patient, course, answers, stop):
    """MOOD-2: "more than half the days" or "nearly every day" to either question is one of the leaflet's
    signs to stop and phone the prescriber: the clinic first, the emergency number, then a crisis line."""
    body = patient.put(mood_url(course, iso_week(today_in())), json={**CALM, **answers}).get_json()
    follow = body["follow_up"]
    assert follow["stop"] is stop and follow["crisis"] is False
    assert not {"score", "total", "label", "result"} & (set(body) | set(follow))
    if stop:
        assert [a["key"] for a in follow["actions"]] == ["mood_stop", "crisis_talk", "raise_at_visit"]
        text = follow["actions"][0]["text"]
        assert "leaflet" in text and "no more capsules" in text and "prescriber today" in text
        assert follow["actions"][0]["stops_capsules"] is True and "MOOD-2" in follow["actions"][0]["facts"]
        assert [c["call"] for c in follow["calls"]] == ["clinic", "emergency", "crisis"]
    else:
        assert [a["key"] for a in follow["actions"]] == ["raise_at_visit"] and follow["calls"] == []


def test_self_harm_and_frequent_answers_keep_the_crisis_line_first(patient, course):
    body = patient.put(
        mood_url(course, iso_week(today_in())),
        json={"interest": "nearly_every_day", "low_mood": "nearly_every_day", "self_harm_thoughts": True},
    ).get_json()
    follow = body["follow_up"]
    assert [a["key"] for a in follow["actions"]] == ["crisis_line", "mood_stop", "raise_at_visit"]
    assert follow["calls"][0]["call"] == "crisis"


@pytest.mark.parametrize(
    "week,body,field",
    [
        ("2026-13", CALM, "week"),
        ("2026-W54", CALM, "week"),
        (None, {**CALM, "interest": "sometimes"}, "interest"),
        (None, {**CALM, "self_harm_thoughts": "no"}, "self_harm_thoughts"),
        (None, {"interest": "not_at_all", "low_mood": "not_at_all"}, "self_harm_thoughts"),
        (None, {**CALM, "sexual_function": "great"}, "sexual_function"),
        (None, {**CALM, "score": 3}, "score"),
    ],
)
def test_bad_mood_input_is_422_naming_the_field(patient, course, week, body, field):
    response = patient.put(mood_url(course, week or iso_week(today_in())), json=body)
    assert field in bad_fields(response)


def test_future_week_is_422_and_other_patient_404(patient, make_patient, course):
    assert "week" in bad_fields(
        patient.put(mood_url(course, iso_week(today_in() + timedelta(days=8))), json=CALM)
    )
    other = make_patient()
    assert_error(other.put(mood_url(course, iso_week(today_in())), json=CALM), 404)
    assert_error(other.get(f"{API}/courses/{course['id']}/mood"), 404)


# ------------------------------------------------------------------ supply


def supply(patient, course) -> dict:
    response = patient.get(f"{API}/courses/{course['id']}/supply")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_supply_is_empty_until_a_pickup(patient, course):
    body = supply(patient, course)
    assert body["pickups"] == [] and body["capsules_left"] is None and body["runs_out_on"] is None


def test_pickup_gives_capsules_left_and_the_day_they_run_out(patient, course, app):
    # 40 mg once a day; 15 × 20 mg today = 300 mg: today + 6 more days (280 mg), then 20 mg is not enough.
    response = patient.post(
        f"{API}/courses/{course['id']}/supply/pickups",
        json={"picked_up_on": today_in().isoformat(), "capsules": 15, "strength_mg": 20},
    )
    assert response.status_code == 201, response.get_json()
    body = supply(patient, course)
    assert body["capsules_left"] == 15 and body["mg_left"] == 300
    assert body["runs_out_on"] == (today_in() + timedelta(days=7)).isoformat()
    assert body["next_supply_needed_on"] == body["runs_out_on"] and body["runs_out_estimated"] is True

    taken = patient.put(
        f"{API}/courses/{course['id']}/doses/6f1d7c1e-4a8e-4a44-9d7e-3c1f0e2b9a11",
        json={
            "date": today_in().isoformat(),
            "slot": 1,
            "status": "taken",
            "mg": 40,
            "taken_at": datetime.now().astimezone().isoformat(),
        },
    )
    assert taken.status_code == 201, taken.get_json()
    body = supply(patient, course)
    assert body["capsules_left"] == 13 and body["runs_out_on"] == (today_in() + timedelta(days=7)).isoformat()


def test_refill_reminder_follows_the_pickups(patient, course):
    refill = rule(patient, "refill")
    block_day = days_ago(10) + timedelta(days=30 - 3)
    assert datetime.fromisoformat(refill["next"]["local_time"]).date() == block_day
    patient.post(
        f"{API}/courses/{course['id']}/supply/pickups",
        json={"picked_up_on": today_in().isoformat(), "capsules": 15, "strength_mg": 20},
    )
    refill = rule(patient, "refill")
    runs_out = today_in() + timedelta(days=7)
    assert datetime.fromisoformat(refill["next"]["local_time"]).date() == runs_out - timedelta(days=3)
    assert "expected to run out" in refill["next"]["body"]
    items = patient.get(f"{API}/reminders/upcoming?from={today_in()}&to={today_in() + timedelta(days=31)}")
    refills = [o for o in items.get_json() if o["kind"] == "refill"]
    assert [datetime.fromisoformat(o["local_time"]).date() for o in refills] == [runs_out - timedelta(days=3)]
    [pickup] = supply(patient, course)["pickups"]
    assert patient.delete(f"{API}/courses/{course['id']}/supply/pickups/{pickup['id']}").status_code == 204
    refill = rule(patient, "refill")
    assert datetime.fromisoformat(refill["next"]["local_time"]).date() == block_day


@pytest.mark.parametrize(
    "body,field",
    [
        ({"picked_up_on": "2026-01-01", "capsules": 0, "strength_mg": 20}, "capsules"),
        ({"picked_up_on": "2026-01-01", "capsules": 30, "strength_mg": 0}, "strength_mg"),
        ({"picked_up_on": "2026-01-01", "capsules": "30", "strength_mg": 20}, "capsules"),
        ({"capsules": 30, "strength_mg": 20}, "picked_up_on"),
        (None, "picked_up_on"),
    ],
)
def test_bad_pickup_is_422(patient, course, app, body, field):
    body = body or {
        "picked_up_on": (today_in() + timedelta(days=2)).isoformat(),
        "capsules": 30,
        "strength_mg": 20,
    }
    assert field in bad_fields(patient.post(f"{API}/courses/{course['id']}/supply/pickups", json=body))
    with app.app_context():
        assert count_rows(SupplyPickup) == 0


def test_supply_of_another_patient_is_404_and_export_has_pickups(patient, make_patient, course):
    patient.post(
        f"{API}/courses/{course['id']}/supply/pickups",
        json={"picked_up_on": today_in().isoformat(), "capsules": 30, "strength_mg": 20},
    )
    other = make_patient()
    assert_error(other.get(f"{API}/courses/{course['id']}/supply"), 404)
    [pickup] = supply(patient, course)["pickups"]
    assert_error(other.delete(f"{API}/courses/{course['id']}/supply/pickups/{pickup['id']}"), 404)
    data = patient.file(f"{API}/me/export").get_json()
    assert [(p["capsules"], p["strength_mg"]) for p in data["supply_pickups"]] == [(30, 20)]
    assert "mood_checks" in data
