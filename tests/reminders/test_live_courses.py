"""Reminder work follows the course the patient is on, not every course they ever created (issue 9 §2)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import ReminderOccurrence, ReminderRule
from backend.models.types import utcnow
from backend.services import reminders as service
from tests.reminders.remhelp import API, berlin_today, running_course


def _pending_by_course(patient_id: str) -> dict[str, int]:
    rows = db.session.execute(
        select(ReminderRule.course_id, func.count(ReminderOccurrence.id))
        .join(ReminderRule, ReminderRule.id == ReminderOccurrence.rule_id)
        .where(ReminderOccurrence.patient_id == patient_id, ReminderOccurrence.status == "pending")
        .group_by(ReminderRule.course_id)
    )
    return dict(rows.all())


def _plan(start: date) -> list[dict]:
    return [
        {"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 2, "dose_times": ["08:00", "20:00"]}
    ]


def _materialised_until(course_id: str) -> set:
    return set(
        db.session.scalars(select(ReminderRule.materialised_until).where(ReminderRule.course_id == course_id))
    )


def _ended_course(patient, years_ago: int = 2) -> dict:
    today = berlin_today()
    start = today - timedelta(days=365 * years_ago)
    end = start + timedelta(days=150)
    plan = _plan(start)
    return patient.create_course(
        start_date=start.isoformat(), dose_plan=plan, ended_on=end.isoformat(), confirm_start_date=True
    )


def _upcoming_courses(patient) -> set[str]:
    response = patient.get(f"{API}/reminders/upcoming")
    assert response.status_code == 200, response.get_json()
    return {o["course_id"] for o in response.get_json()}


def test_a_new_course_supersedes_an_open_older_one(app, patient):
    old = running_course(patient, days_ago=30)
    with app.app_context():
        assert _pending_by_course(patient.id).get(old["id"], 0) > 0
    new = running_course(patient, days_ago=2)
    with app.app_context():
        pending = _pending_by_course(patient.id)
        assert old["id"] not in pending  # the older course's future reminders were cancelled
        assert pending[new["id"]] > 0
        cancelled = db.session.scalar(
            select(func.count(ReminderOccurrence.id))
            .join(ReminderRule, ReminderRule.id == ReminderOccurrence.rule_id)
            .where(ReminderRule.course_id == old["id"])
            .where(ReminderOccurrence.last_error == "course no longer current")
        )
        assert cancelled > 0
        # the tick's top-up passes the dormant course by
        service.top_up(utcnow() + timedelta(days=2))
        db.session.commit()
        assert old["id"] not in _pending_by_course(patient.id)
    assert _upcoming_courses(patient) == {new["id"]}


def test_ending_the_newest_course_brings_back_the_open_one_the_app_now_shows(app, patient):
    old = running_course(patient, days_ago=30)
    new = running_course(patient, days_ago=2)
    response = patient.patch(f"{API}/courses/{new['id']}", json={"ended_on": berlin_today().isoformat()})
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        pending = _pending_by_course(patient.id)
    assert pending.get(old["id"], 0) > 0  # dose reminders of the course now current again
    assert old["id"] in _upcoming_courses(patient)


def test_an_ended_course_keeps_its_post_course_reminders_until_they_are_past(app, patient):
    start = berlin_today() - timedelta(days=150)
    plan = _plan(start)
    ended = berlin_today() - timedelta(days=1)
    course = patient.create_course(start_date=start.isoformat(), dose_plan=plan, ended_on=ended.isoformat())
    upcoming = []
    for first, last in ((0, 31), (32, 40)):  # a month at a time, as the app asks
        window = {"from": (berlin_today() + timedelta(days=first)).isoformat()}
        window["to"] = (berlin_today() + timedelta(days=last)).isoformat()
        upcoming += patient.get(f"{API}/reminders/upcoming", query_string=window).get_json()
    kinds = {o["kind"] for o in upcoming if o["course_id"] == course["id"]}
    assert {"final_pregnancy_test", "contraception_end"} <= kinds
    with app.app_context():
        # two months on, nothing is left to remind about: the top-up makes the course dormant
        later = utcnow() + timedelta(days=62)
        service.top_up(later)
        until = _materialised_until(course["id"])
        assert until == {service.DORMANT_UNTIL}


def test_booking_an_appointment_on_an_ended_course_wakes_it(app, patient):
    course = _ended_course(patient)
    with app.app_context():
        assert service.live_courses(patient.id) == set()
    when = (berlin_today() + timedelta(days=5)).isoformat() + "T09:30"
    response = patient.post(
        f"{API}/courses/{course['id']}/appointments", json={"kind": "blood_test", "starts_at": when}
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        assert service.live_courses(patient.id) == {course["id"]}
        until = _materialised_until(course["id"])
        assert service.DORMANT_UNTIL not in until  # materialised again, and topped up by the tick
    upcoming = patient.get(f"{API}/reminders/upcoming").get_json()
    assert any(o["kind"] == "appointment" and o["course_id"] == course["id"] for o in upcoming)


def test_upcoming_and_settings_work_only_on_the_live_course(app, patient, monkeypatch):
    """Nine old courses beside the current one: each request projects the current course only."""
    for _ in range(9):
        _ended_course(patient)
    current = running_course(patient, days_ago=20)
    snapshotted: list[str] = []
    real_snapshot = service.course_and_appointments

    def counting_snapshot(course, now=None):
        snapshotted.append(course.id)
        return real_snapshot(course, now)

    monkeypatch.setattr(service, "course_and_appointments", counting_snapshot)
    assert _upcoming_courses(patient) == {current["id"]}
    assert snapshotted == [current["id"]]

    snapshotted.clear()
    response = patient.put(f"{API}/reminders/settings", json={"quiet_start": "22:00", "quiet_end": "07:00"})
    assert response.status_code == 200, response.get_json()
    assert snapshotted == [current["id"]]

    snapshotted.clear()
    assert patient.get(f"{API}/reminders").status_code == 200
    assert snapshotted == [current["id"]]


def test_the_rules_list_can_be_asked_for_one_course(patient, make_patient):
    old = running_course(patient, days_ago=30)
    new = running_course(patient, days_ago=2)
    every = patient.get(f"{API}/reminders").get_json()
    assert {r["course_id"] for r in every} == {old["id"], new["id"]}
    response = patient.get(f"{API}/reminders", query_string={"course_id": new["id"]})
    assert response.status_code == 200, response.get_json()
    mine = response.get_json()
    assert mine and {r["course_id"] for r in mine} == {new["id"]}
    assert any(r["kind"] == "dose" and r["next"] for r in mine)
    assert all(r["next"] is None for r in every if r["course_id"] == old["id"])  # superseded

    stranger = make_patient()
    response = stranger.get(f"{API}/reminders", query_string={"course_id": new["id"]})
    assert response.status_code == 404
    response = patient.get(f"{API}/reminders", query_string={"course_id": "not-a-uuid"})
    assert response.status_code == 422 and "course_id" in str(response.get_json()["errors"])


def test_saving_the_same_quiet_hours_again_recomputes_nothing(patient, monkeypatch):
    running_course(patient, days_ago=5)
    hours = {"quiet_start": "22:00", "quiet_end": "07:00"}
    assert patient.put(f"{API}/reminders/settings", json=hours).status_code == 200
    recomputed: list[str] = []
    real = service.settings_changed

    def counting(patient_id: str, now=None) -> None:
        recomputed.append(patient_id)
        real(patient_id, now)

    monkeypatch.setattr(service, "settings_changed", counting)
    response = patient.put(f"{API}/reminders/settings", json=hours)
    assert response.status_code == 200 and response.get_json() == hours
    assert recomputed == []
    response = patient.put(f"{API}/reminders/settings", json={"quiet_start": "23:00", "quiet_end": "07:00"})
    assert response.status_code == 200 and recomputed == [patient.id]
