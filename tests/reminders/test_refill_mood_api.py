"""Refill (DOSE-10) and weekly mood check-in (MOOD-1, RED-1) reminders over the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from tests.reminders.remhelp import API, rule, running_course

BERLIN = ZoneInfo("Europe/Berlin")


def today() -> date:
    return datetime.now(BERLIN).date()


def _course(patient, days_ago: int = 10, **overrides) -> dict:
    """A once-a-day Berlin course that started `days_ago` days ago."""
    return running_course(patient, days_ago, doses_per_day=1, **overrides)


def upcoming(patient, kind: str, days: int = 62) -> list[dict]:
    """The next `days` days' reminders of `kind`, asked a month at a time as the app asks."""
    found = []
    for first in range(0, days + 1, 32):
        start, end = today() + timedelta(days=first), today() + timedelta(days=min(days, first + 31))
        items = patient.get(f"{API}/reminders/upcoming?from={start}&to={end}")
        assert items.status_code == 200, items.get_json()
        found += [o for o in items.get_json() if o["kind"] == kind]
    return found


def local(item: dict) -> datetime:
    return datetime.fromisoformat(item["local_time"])


def fields_of(response) -> set[str]:
    body = response.get_json()
    assert response.status_code == 422, body
    return {k for loc in body["errors"].values() for k in loc}


def test_refill_is_on_by_default_and_fires_3_days_before_the_next_30_day_supply(patient):
    course = _course(patient)
    refill = rule(patient, "refill")
    assert refill["enabled"] is True and refill["course_id"] == course["id"]
    assert refill["lead_days"] == 3 and refill["time"] is None and refill["default_time"] == "18:00"
    assert refill["weekday"] is None and refill["lead_minutes"] is None and refill["delay_minutes"] is None
    supply_2 = today() - timedelta(days=10) + timedelta(days=30)
    nxt = refill["next"]
    assert nxt["reminder_id"] == refill["id"] and nxt["kind"] == "refill"
    assert local(nxt).date() == supply_2 - timedelta(days=3) and local(nxt).strftime("%H:%M") == "18:00"
    assert datetime.fromisoformat(nxt["fires_at"]).utcoffset() == timedelta(0)
    assert nxt["title"] == "Time to arrange your next prescription"
    assert supply_2.strftime("%a %d %b") in nxt["body"]
    items = upcoming(patient, "refill")
    assert [local(o).date() for o in items] == [
        supply_2 - timedelta(days=3),
        supply_2 + timedelta(days=27),
    ]


def test_refill_lead_days_and_time_can_be_changed(patient):
    _course(patient)
    refill = rule(patient, "refill")
    supply_2 = today() + timedelta(days=20)
    response = patient.patch(f"{API}/reminders/{refill['id']}", json={"lead_days": 7, "time": "08:15"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["lead_days"] == 7 and body["time"] == "08:15"
    assert local(body["next"]).strftime("%Y-%m-%d %H:%M") == f"{supply_2 - timedelta(days=7)} 08:15"
    body = patient.patch(f"{API}/reminders/{refill['id']}", json={"lead_days": None, "time": None}).get_json()
    assert body["lead_days"] == 3 and body["time"] is None
    assert local(body["next"]).strftime("%Y-%m-%d %H:%M") == f"{supply_2 - timedelta(days=3)} 18:00"
    assert [local(o).date() for o in upcoming(patient, "refill", 30)] == [supply_2 - timedelta(days=3)]


def test_no_refill_once_the_supply_outlasts_the_course(patient):
    course = _course(patient)
    last = today()  # the last capsule is today; the 2nd supply would be needed 20 days from now
    assert patient.patch(f"{API}/courses/{course['id']}", json={"ended_on": str(last)}).status_code == 200
    assert rule(patient, "refill")["next"] is None
    assert upcoming(patient, "refill") == []


def test_refill_goes_on_past_the_projected_last_dose(patient):
    """70 kg × 10 mg/kg = 700 mg at 40 mg/day: the projection ends long before the next supply, but the
    prescriber may go on past the total (DOSE-13): the reminder stays and says it may be the last supply."""
    _course(patient, target_mg_per_kg=10)
    nxt = rule(patient, "refill")["next"]
    assert nxt is not None and "This may be your last supply: ask your prescriber." in nxt["body"]
    assert upcoming(patient, "refill")


def test_mood_checkin_is_off_until_the_patient_turns_it_on(patient):
    _course(patient)
    mood = rule(patient, "mood_checkin")
    assert mood["enabled"] is False and mood["next"] is None
    assert mood["weekday"] == 6 and mood["default_time"] == "19:00" and mood["lead_days"] is None
    assert upcoming(patient, "mood_checkin") == []

    response = patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True})
    assert response.status_code == 200, response.get_json()
    nxt = response.get_json()["next"]
    assert local(nxt).weekday() == 6 and local(nxt).strftime("%H:%M") == "19:00"
    assert nxt["title"] == "How have you been feeling this week?"
    assert "crisis line" in nxt["body"] and "tell your doctor now" in nxt["body"]
    items = upcoming(patient, "mood_checkin", 27)
    assert len(items) in (3, 4)  # one a week (3 when this Sunday's has already gone)
    assert all(local(o).weekday() == 6 and local(o).strftime("%H:%M") == "19:00" for o in items)
    gaps = {local(b).date() - local(a).date() for a, b in pairwise(items)}
    assert gaps == {timedelta(days=7)}


def test_mood_checkin_weekday_and_time_move_it(patient):
    _course(patient)
    mood = rule(patient, "mood_checkin")
    body = patient.patch(
        f"{API}/reminders/{mood['id']}", json={"enabled": True, "weekday": 2, "time": "17:30"}
    ).get_json()
    assert body["weekday"] == 2 and body["time"] == "17:30"
    items = upcoming(patient, "mood_checkin", 20)
    assert items and all(local(o).weekday() == 2 and local(o).strftime("%H:%M") == "17:30" for o in items)
    assert local(body["next"]) == local(items[0])
    body = patient.patch(f"{API}/reminders/{mood['id']}", json={"weekday": None}).get_json()
    assert body["weekday"] == 6 and local(body["next"]).weekday() == 6


def test_mood_checkins_continue_for_4_weeks_after_the_last_capsule(patient):
    course = _course(patient, days_ago=100)
    last = today() - timedelta(days=3)
    assert patient.patch(f"{API}/courses/{course['id']}", json={"ended_on": str(last)}).status_code == 200
    mood = rule(patient, "mood_checkin")
    patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True, "weekday": last.weekday()})
    dates = [local(o).date() for o in upcoming(patient, "mood_checkin")]
    assert dates == [last + timedelta(days=7 * n) for n in (1, 2, 3, 4)]
    assert upcoming(patient, "refill") == []


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("refill", {"lead_days": 0}, "lead_days"),
        ("refill", {"lead_days": 15}, "lead_days"),
        ("refill", {"lead_days": -1}, "lead_days"),
        ("refill", {"lead_days": "3"}, "lead_days"),
        ("refill", {"lead_days": 2.5}, "lead_days"),
        ("refill", {"weekday": 1}, "weekday"),
        ("refill", {"lead_minutes": 60}, "lead_minutes"),
        ("refill", {"time": "18:60"}, "time"),
        ("mood_checkin", {"weekday": 7}, "weekday"),
        ("mood_checkin", {"weekday": -1}, "weekday"),
        ("mood_checkin", {"weekday": "sunday"}, "weekday"),
        ("mood_checkin", {"weekday": 1.5}, "weekday"),
        ("mood_checkin", {"lead_days": 3}, "lead_days"),
        ("mood_checkin", {"delay_minutes": 30}, "delay_minutes"),
        ("dose", {"lead_days": 3}, "lead_days"),
        ("dose", {"weekday": 0}, "weekday"),
    ],
)
def test_bad_refill_and_mood_changes_are_422_naming_the_field(patient, kind, body, field):
    _course(patient)
    target = rule(patient, kind)
    assert fields_of(patient.patch(f"{API}/reminders/{target['id']}", json=body)) == {field}
    after = rule(patient, kind)
    assert (after["enabled"], after["lead_days"], after["weekday"], after["time"]) == (
        target["enabled"],
        target["lead_days"],
        target["weekday"],
        target["time"],
    )


def test_another_patients_refill_and_mood_reminders_are_404(make_patient):
    alice, bob = make_patient(), make_patient()
    _course(alice)
    for kind, body in (("refill", {"lead_days": 5}), ("mood_checkin", {"enabled": True, "weekday": 1})):
        target = rule(alice, kind)
        for response in (
            bob.patch(f"{API}/reminders/{target['id']}", json=body),
            bob.post(f"{API}/reminders/{target['id']}/snooze", json={"minutes": 10}),
        ):
            assert response.status_code == 404
            assert response.get_json()["message"] == "No such reminder."
    assert bob.get(f"{API}/reminders").get_json() == []
    assert rule(alice, "refill")["lead_days"] == 3
    assert rule(alice, "mood_checkin")["enabled"] is False


@pytest.mark.parametrize("kind", ["refill", "mood_checkin"])
def test_snoozing_before_any_reminder_went_out_still_renders(patient, kind):
    _course(patient)
    target = rule(patient, kind)
    if kind == "mood_checkin":  # opt-in: a switched-off reminder cannot be snoozed
        off = patient.post(f"{API}/reminders/{target['id']}/snooze", json={"minutes": 10})
        assert off.status_code == 409 and "switched off" in off.get_json()["message"]
        assert patient.patch(f"{API}/reminders/{target['id']}", json={"enabled": True}).status_code == 200
    response = patient.post(f"{API}/reminders/{target['id']}/snooze", json={"minutes": 10})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == kind and body["title"] and body["body"]


@pytest.mark.parametrize(
    ("programme", "prevention", "on"),
    [("us_ipledge", True, True), ("eu_ppp", True, True), ("eu_ppp", False, True), ("none", False, False)],
)
def test_refill_starts_on_only_under_ipledge_or_ppp(patient, programme, prevention, on):
    """DOSE-10 (30-day prescriptions) is an iPLEDGE / PPP rule; elsewhere the patient may opt in."""
    _course(patient, programme=programme, pregnancy_prevention=prevention)
    refill = rule(patient, "refill")
    assert refill["enabled"] is on
    assert (refill["next"] is not None) is on
    assert bool(upcoming(patient, "refill")) is on
    if not on:
        body = patient.patch(f"{API}/reminders/{refill['id']}", json={"enabled": True}).get_json()
        assert body["enabled"] is True and body["next"]["kind"] == "refill"
        assert upcoming(patient, "refill")
