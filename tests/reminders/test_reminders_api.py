"""Reminder rules, settings, snooze, upcoming agenda, appointments and suggestions over the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.api.reminders import (
    ReminderOccurrenceSchema,
    ReminderSchema,
    _occurrence_out,
    _rule_out,
    dump_occurrence,
    dump_rule,
)
from backend.services import reminders
from tests.reminders.remhelp import API, rule, running_course

BERLIN = ZoneInfo("Europe/Berlin")


def today(tz=BERLIN) -> date:
    return datetime.now(tz).date()


def fields_of(response) -> set[str]:
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["code"] == 422 and body["message"]
    return {k for loc in body["errors"].values() for k in loc}


def test_reminders_list_rules_with_next_occurrence_in_utc_and_local(patient):
    course = running_course(patient)
    rules = patient.get(f"{API}/reminders").get_json()
    kinds = sorted((r["kind"], r["slot"]) for r in rules)
    assert ("dose", 1) in kinds and ("dose", 2) in kinds and ("dose_followup", None) in kinds
    assert ("final_pregnancy_test", None) in kinds and ("contraception_end", None) in kinds  # prevention on
    assert ("pickup_window", None) not in kinds  # eu_ppp, not iPLEDGE
    dose1 = rule(patient, "dose", 1)
    nxt = dose1["next"]
    assert nxt["reminder_id"] == dose1["id"] and nxt["course_id"] == course["id"]
    fires = datetime.fromisoformat(nxt["fires_at"])
    local = datetime.fromisoformat(nxt["local_time"])
    assert fires.utcoffset() == timedelta(0)
    assert local == fires and local.utcoffset() == fires.astimezone(BERLIN).utcoffset()
    assert local.strftime("%H:%M") == "08:00"
    assert fires > datetime.now(BERLIN)


def test_patch_time_moves_the_next_occurrence(patient):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    response = patient.patch(f"{API}/reminders/{dose1['id']}", json={"time": "07:30"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["time"] == "07:30"
    assert datetime.fromisoformat(body["next"]["local_time"]).strftime("%H:%M") == "07:30"
    # Back to the plan's time.
    body = patient.patch(f"{API}/reminders/{dose1['id']}", json={"time": None}).get_json()
    assert body["time"] is None
    assert datetime.fromisoformat(body["next"]["local_time"]).strftime("%H:%M") == "08:00"


def test_disabling_a_reminder_removes_its_upcoming_occurrences(patient):
    running_course(patient)
    dose2 = rule(patient, "dose", 2)
    body = patient.patch(f"{API}/reminders/{dose2['id']}", json={"enabled": False}).get_json()
    assert body["enabled"] is False and body["next"] is None
    upcoming = patient.get(f"{API}/reminders/upcoming").get_json()
    assert upcoming and all(o["reminder_id"] != dose2["id"] for o in upcoming)
    body = patient.patch(f"{API}/reminders/{dose2['id']}", json={"enabled": True}).get_json()
    assert body["next"] is not None


@pytest.mark.parametrize("value", ["25:00", "24:00", "7:5", "08:60", "noon", 800, ""])
def test_impossible_times_are_422(patient, value):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    assert fields_of(patient.patch(f"{API}/reminders/{dose1['id']}", json={"time": value})) == {"time"}


def test_offsets_are_validated_per_kind(patient):
    running_course(patient)
    follow = rule(patient, "dose_followup")
    assert follow["delay_minutes"] == 60
    assert fields_of(patient.patch(f"{API}/reminders/{follow['id']}", json={"lead_minutes": 10})) == {
        "lead_minutes"
    }
    assert fields_of(patient.patch(f"{API}/reminders/{follow['id']}", json={"delay_minutes": 2})) == {
        "delay_minutes"
    }
    assert fields_of(patient.patch(f"{API}/reminders/{follow['id']}", json={"time": "09:00"})) == {"time"}
    body = patient.patch(f"{API}/reminders/{follow['id']}", json={"delay_minutes": 90}).get_json()
    assert body["delay_minutes"] == 90
    if body["next"]:
        assert datetime.fromisoformat(body["next"]["local_time"]).strftime("%H:%M") in ("09:30", "21:30")


@pytest.mark.parametrize("minutes", [0, 4, 61, 600, -5, "10", 10.5, None])
def test_snooze_out_of_range_is_422(patient, minutes):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    assert fields_of(patient.post(f"{API}/reminders/{dose1['id']}/snooze", json={"minutes": minutes})) == {
        "minutes"
    }


def test_snooze_schedules_a_one_off(patient):
    running_course(patient)
    dose1 = rule(patient, "dose", 1)
    before = datetime.now(BERLIN)
    response = patient.post(f"{API}/reminders/{dose1['id']}/snooze", json={"minutes": 10})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    fires = datetime.fromisoformat(body["fires_at"])
    assert timedelta(minutes=9) < fires - before < timedelta(minutes=11)
    assert body["reminder_id"] == dose1["id"] and body["status"] == "pending" and body["occurrence_id"]
    upcoming = patient.get(f"{API}/reminders/upcoming").get_json()
    assert body["occurrence_id"] in {o["occurrence_id"] for o in upcoming}


def test_another_patients_reminder_is_404(make_patient):
    alice, bob = make_patient(), make_patient()
    running_course(alice)
    dose1 = rule(alice, "dose", 1)
    for response in (
        bob.patch(f"{API}/reminders/{dose1['id']}", json={"enabled": False}),
        bob.post(f"{API}/reminders/{dose1['id']}/snooze", json={"minutes": 10}),
        bob.patch(f"{API}/reminders/nope", json={"enabled": False}),
    ):
        assert response.status_code == 404
        assert response.get_json()["message"] == "No such reminder."
    assert bob.get(f"{API}/reminders").get_json() == []
    assert rule(alice, "dose", 1)["enabled"] is True


def test_upcoming_window_is_at_most_31_days(patient):
    running_course(patient)
    start = today()
    ok = patient.get(f"{API}/reminders/upcoming?from={start}&to={start + timedelta(days=31)}")
    assert ok.status_code == 200
    too_long = patient.get(f"{API}/reminders/upcoming?from={start}&to={start + timedelta(days=32)}")
    assert too_long.status_code == 422 and "31" in too_long.get_json()["message"]
    assert too_long.get_json()["errors"]["query"]["to"]
    backwards = patient.get(f"{API}/reminders/upcoming?from={start}&to={start - timedelta(days=1)}")
    assert backwards.status_code == 422
    assert patient.get(f"{API}/reminders/upcoming?from=2026-02-30").status_code == 422


def test_upcoming_lists_occurrences_with_offsets_across_dst(patient):
    """Berlin around 29 March 2027 (DST): the 08:00 dose is 07:00 UTC before, 06:00 UTC after."""
    start = date(2027, 3, 25)
    running_course(
        patient,
        start_date="2026-11-01",
        dose_plan=[
            {"from_date": "2026-11-01", "daily_mg": 40, "doses_per_day": 2, "dose_times": ["08:00", "20:00"]}
        ],
        target_mg_per_kg=None,
    )
    items = patient.get(f"{API}/reminders/upcoming?from={start}&to=2027-03-31").get_json()
    doses = [o for o in items if o["kind"] == "dose" and o["slot"] == 1]
    by_date = {o["date"]: o for o in doses}
    assert set(by_date) >= {"2027-03-27", "2027-03-28", "2027-03-29"}
    assert by_date["2027-03-27"]["fires_at"] == "2027-03-27T07:00:00+00:00"
    assert by_date["2027-03-27"]["local_time"] == "2027-03-27T08:00:00+01:00"
    assert by_date["2027-03-28"]["fires_at"] == "2027-03-28T06:00:00+00:00"
    assert by_date["2027-03-28"]["local_time"] == "2027-03-28T08:00:00+02:00"
    assert all(o["status"] == "scheduled" and o["occurrence_id"] is None for o in doses)
    assert {o["kind"] for o in items} >= {"dose", "dose_followup"}


def test_quiet_hours_move_reminders_to_the_end_of_the_window(patient):
    running_course(
        patient,
        dose_plan=[
            {
                "from_date": (today() - timedelta(days=10)).isoformat(),
                "daily_mg": 20,
                "doses_per_day": 1,
                "dose_times": ["07:00"],
            }
        ],
    )
    assert patient.get(f"{API}/reminders/settings").get_json() == {"quiet_start": None, "quiet_end": None}
    response = patient.put(f"{API}/reminders/settings", json={"quiet_start": "22:00", "quiet_end": "07:30"})
    assert response.status_code == 200
    assert response.get_json() == {"quiet_start": "22:00", "quiet_end": "07:30"}
    nxt = rule(patient, "dose", 1)["next"]
    assert datetime.fromisoformat(nxt["local_time"]).strftime("%H:%M") == "07:30"


@pytest.mark.parametrize(
    "body",
    [
        {"quiet_start": "22:00"},
        {"quiet_start": "22:00", "quiet_end": "22:00"},
        {"quiet_start": "25:00", "quiet_end": "07:00"},
    ],
)
def test_bad_quiet_hours_are_422(patient, body):
    assert patient.put(f"{API}/reminders/settings", json=body).status_code == 422


# -- appointments ------------------------------------------------------------------------------------------


def appt_body(**overrides):
    day = today() + timedelta(days=5)
    body = {"kind": "blood_test", "starts_at": f"{day}T09:30", "place": "Lab", "fasting": True}
    body.update(overrides)
    return body


def test_appointment_crud_and_its_reminders(patient):
    course = running_course(patient)
    url = f"{API}/courses/{course['id']}/appointments"
    created = patient.post(url, json=appt_body())
    assert created.status_code == 201, created.get_json()
    appt = created.get_json()
    assert appt["starts_at"].startswith(str(today() + timedelta(days=5))) and appt["fasting"] is True
    assert patient.get(url).get_json() == [appt]

    day = today() + timedelta(days=5)
    items = patient.get(f"{API}/reminders/upcoming?from={today()}&to={day}").get_json()
    mine = [o for o in items if o["appointment_id"] == appt["id"]]
    kinds = sorted(o["kind"] for o in mine)
    assert kinds == ["appointment", "appointment", "fasting"]  # evening before, 2 h before, fasting
    times = sorted(datetime.fromisoformat(o["local_time"]).strftime("%Y-%m-%d %H:%M") for o in mine)
    eve = day - timedelta(days=1)
    assert times == [f"{eve} 19:00", f"{eve} 20:00", f"{day} 07:30"]
    fasting = next(o for o in mine if o["kind"] == "fasting")
    assert "for as long as the clinic told you" in fasting["body"]  # MON-3: no fixed number of hours

    moved = patient.patch(f"{url}/{appt['id']}", json={"starts_at": f"{day}T11:00", "fasting": False})
    assert moved.status_code == 200 and moved.get_json()["fasting"] is False
    items = patient.get(f"{API}/reminders/upcoming?from={today()}&to={day}").get_json()
    mine = [o for o in items if o["appointment_id"] == appt["id"]]
    assert sorted(o["kind"] for o in mine) == ["appointment", "appointment"]
    assert f"{day} 09:00" in {
        datetime.fromisoformat(o["local_time"]).strftime("%Y-%m-%d %H:%M") for o in mine
    }

    assert patient.delete(f"{url}/{appt['id']}").status_code == 204
    assert patient.get(url).get_json() == []
    items = patient.get(f"{API}/reminders/upcoming?from={today()}&to={day}").get_json()
    assert not [o for o in items if o["appointment_id"] == appt["id"]]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"starts_at": "2026-02-30T09:00"}, "starts_at"),
        ({"starts_at": "2026-03-01T25:00"}, "starts_at"),
        ({"starts_at": "2026-03-01T09:00+01:00"}, "starts_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"kind": "spa_day"}, "kind"),
        ({"fasting": "maybe"}, "fasting"),
        ({"place": "x" * 201}, "place"),
    ],
)
def test_bad_appointments_are_422(patient, override, field):
    course = running_course(patient)
    response = patient.post(f"{API}/courses/{course['id']}/appointments", json=appt_body(**override))
    assert fields_of(response) == {field}


def test_another_patients_appointments_are_404(make_patient):
    alice, bob = make_patient(), make_patient()
    course = running_course(alice)
    url = f"{API}/courses/{course['id']}/appointments"
    appt = alice.post(url, json=appt_body()).get_json()
    for response in (
        bob.get(url),
        bob.post(url, json=appt_body()),
        bob.get(f"{url}/suggested"),
        bob.patch(f"{url}/{appt['id']}", json={"place": "elsewhere"}),
        bob.delete(f"{url}/{appt['id']}"),
    ):
        assert response.status_code == 404
    other = bob.create_course()
    assert bob.get(f"{API}/courses/{other['id']}/appointments/{appt['id']}").status_code == 404
    assert alice.get(f"{url}/{appt['id']}").get_json()["place"] == "Lab"


def test_suggestions_follow_the_programme(patient):
    start = today() + timedelta(days=14)
    plan = [{"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}]
    us = patient.create_course(start_date=start.isoformat(), dose_plan=plan, programme="us_ipledge")
    items = patient.get(f"{API}/courses/{us['id']}/appointments/suggested").get_json()
    kinds = {i["kind"] for i in items}
    assert kinds == {"dermatologist_visit", "blood_test", "pregnancy_test"}
    tests = [i for i in items if i["kind"] == "pregnancy_test"]
    monthly = [i for i in tests if i["pickup_window_ends"]]
    assert monthly
    for item in monthly:
        day = date.fromisoformat(item["starts_at"][:10])
        assert item["pickup_window_ends"] == str(day + timedelta(days=6))  # PREG-3: day 1 = test date
    labs = [i for i in items if i["kind"] == "blood_test"]
    assert labs[0]["fasting"] is True and "MON-1" in labs[0]["facts"]
    # No final test suggested from a projection: only once the last capsule is recorded (issue 14).
    assert not any("PREG-7" in i["facts"] for i in tests)

    none = patient.create_course(
        start_date=start.isoformat(), dose_plan=plan, programme="none", pregnancy_prevention=False
    )
    items = patient.get(f"{API}/courses/{none['id']}/appointments/suggested").get_json()
    assert "pregnancy_test" not in {i["kind"] for i in items}
    assert all(i["pickup_window_ends"] is None for i in items)


def test_ipledge_pregnancy_test_gets_a_pickup_window_reminder(patient):
    course = running_course(patient, programme="us_ipledge", timezone="America/New_York")
    test_day = today(ZoneInfo("America/New_York")) + timedelta(days=1)
    response = patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": "pregnancy_test", "starts_at": f"{test_day}T10:00", "fasting": False},
    )
    assert response.status_code == 201
    items = patient.get(
        f"{API}/reminders/upcoming?from={test_day}&to={test_day + timedelta(days=7)}"
    ).get_json()
    [pickup] = [o for o in items if o["kind"] == "pickup_window"]
    local = datetime.fromisoformat(pickup["local_time"])
    assert local.date() == test_day + timedelta(days=5) and local.strftime("%H:%M") == "09:00"
    assert f"closes on {(test_day + timedelta(days=6)).strftime('%a %d %b')}" in pickup["body"]


def test_post_course_reminders_one_month_after_the_last_capsule(patient):
    start = today() - timedelta(days=100)
    course = running_course(
        patient,
        start_date=start.isoformat(),
        dose_plan=[
            {"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}
        ],
    )
    last = today() - timedelta(days=3)
    response = patient.patch(f"{API}/courses/{course['id']}", json={"ended_on": last.isoformat()})
    assert response.status_code == 200, response.get_json()
    from backend.reminders.schedule import add_months

    due = add_months(last, 1)
    items = patient.get(f"{API}/reminders/upcoming?from={today()}&to={due}").get_json()
    kinds = {o["kind"]: o for o in items}
    assert "dose" not in kinds  # the course is over
    for kind in ("final_pregnancy_test", "contraception_end"):
        assert datetime.fromisoformat(kinds[kind]["local_time"]).date() == due


def test_dose_rules_report_the_plan_time_in_force_today(patient):
    start = today() - timedelta(days=10)
    running_course(
        patient,
        start_date=start.isoformat(),
        dose_plan=[
            {
                "from_date": start.isoformat(),
                "daily_mg": 40,
                "doses_per_day": 2,
                "dose_times": ["08:00", "20:00"],
            },
            {
                "from_date": (today() - timedelta(days=2)).isoformat(),
                "daily_mg": 60,
                "doses_per_day": 2,
                "dose_times": ["07:15", "19:30"],
            },
            {
                "from_date": (today() + timedelta(days=5)).isoformat(),
                "daily_mg": 40,
                "doses_per_day": 1,
                "dose_times": ["09:00"],
            },
        ],
    )
    dose1, dose2 = rule(patient, "dose", 1), rule(patient, "dose", 2)
    assert (dose1["default_time"], dose2["default_time"]) == ("07:15", "19:30")
    assert dose1["time"] is None
    body = patient.patch(f"{API}/reminders/{dose1['id']}", json={"time": "06:45"}).get_json()
    assert body["time"] == "06:45" and body["default_time"] == "07:15"  # the override does not hide it
    assert rule(patient, "appointment")["default_time"] == "19:00"  # other kinds keep their default


def test_dose_default_time_before_the_course_starts_is_the_first_segments(patient):
    start = today() + timedelta(days=14)
    patient.create_course(
        start_date=start.isoformat(),
        timezone="Pacific/Auckland",
        dose_plan=[
            {"from_date": start.isoformat(), "daily_mg": 20, "doses_per_day": 1, "dose_times": ["21:10"]}
        ],
    )
    [dose] = [r for r in patient.get(f"{API}/reminders").get_json() if r["kind"] == "dose"]
    assert dose["slot"] == 1 and dose["default_time"] == "21:10"


def test_the_written_out_upcoming_dump_is_the_schemas(patient, app):
    """`/reminders/upcoming` is dumped by `dump_occurrence` (marshmallow's per-field work was most of a long
    window's cost): the same JSON as ReminderOccurrenceSchema, for stored and computed occurrences, with and
    without local templates, appointments and follow-ups."""
    course = running_course(patient, days_ago=3)
    soon = date.today() + timedelta(days=5)
    appointment = {"kind": "blood_test", "starts_at": f"{soon}T09:30", "fasting": True}
    assert patient.post(f"{API}/courses/{course['id']}/appointments", json=appointment).status_code == 201
    last = date.today() + timedelta(days=20)
    listed = patient.get(f"{API}/reminders/upcoming?from={date.today()}&to={last}").get_json()
    assert {o["kind"] for o in listed} >= {"dose", "dose_followup", "appointment"}
    assert any(o["local"] for o in listed) and any(o["local"] is None for o in listed)
    assert any(o["occurrence_id"] for o in listed) and any(o["occurrence_id"] is None for o in listed)
    with app.test_request_context():
        start, end = reminders.local_window("Europe/Berlin", date.today(), last)
        items = reminders.occurrences_between(patient.id, start, end, datetime.now(ZoneInfo("UTC")))
        made = [_occurrence_out(item, {}) for item in items]
        assert ReminderOccurrenceSchema(many=True).dump(made) == [dump_occurrence(o) for o in made] == listed


def test_the_written_out_reminder_list_is_the_schemas(patient, app):
    """`GET /reminders` is dumped by `dump_rule`: the same JSON as ReminderSchema for rules with and without a
    next occurrence, set and default times, leads, delays and weekdays."""
    running_course(patient, days_ago=3)
    mood = rule(patient, "mood_checkin")
    assert patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": False}).status_code == 200
    dose = rule(patient, "dose", 1)
    assert patient.patch(f"{API}/reminders/{dose['id']}", json={"time": "07:15"}).status_code == 200
    listed = patient.get(f"{API}/reminders").get_json()
    assert any(r["next"] for r in listed) and any(r["next"] is None for r in listed)
    assert any(r["time"] for r in listed) and any(r["default_time"] for r in listed)
    with app.test_request_context():
        now = datetime.now(ZoneInfo("UTC"))
        rules = reminders.rules_for_patient(patient.id)
        nxt = reminders.next_occurrences(patient.id, now, rules=rules)
        made = [_rule_out(r, nxt.get(r.id), {}) for r in rules]
        assert ReminderSchema(many=True).dump(made) == [dump_rule(r) for r in made] == listed


def test_each_reminders_next_occurrence_is_the_first_in_the_whole_look_ahead(patient, app):
    """`next_occurrences` looks a few days ahead first and only then over the whole 62 days for the rules
    still without one: the answer is the first pending or scheduled occurrence of each enabled rule in the
    whole look-ahead, near (capsules) and far (tests, visits, the refill)."""
    course = running_course(patient, days_ago=20)
    soon = today() + timedelta(days=40)
    appointment = {"kind": "blood_test", "starts_at": f"{soon}T09:30", "fasting": True}
    assert patient.post(f"{API}/courses/{course['id']}/appointments", json=appointment).status_code == 201
    with app.test_request_context():
        now = datetime.now(ZoneInfo("UTC"))
        rules = reminders.rules_for_patient(patient.id)
        whole: dict[str, dict] = {}
        for item in reminders.occurrences_between(patient.id, now, now + timedelta(days=62), now, rules):
            if item["status"] in ("pending", "scheduled") and item["rule"].enabled:
                whole.setdefault(item["rule"].id, item)
        found = reminders.next_occurrences(patient.id, now, rules=rules)
        assert {k: (v["kind"], v["fires_at"], v["data"]) for k, v in found.items()} == {
            k: (v["kind"], v["fires_at"], v["data"]) for k, v in whole.items()
        }
        far = [v for v in found.values() if v["fires_at"] - now > reminders.NEAR_LOOK_AHEAD]
        near = [v for v in found.values() if v["fires_at"] - now <= reminders.NEAR_LOOK_AHEAD]
        assert far and near and any(v["kind"] == "appointment" for v in far)
