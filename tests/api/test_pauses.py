"""Pausing the capsules over the API: create, end, the 422s naming the field, other patients' 404s, and
what follows a pause — no dose reminder or follow-up, no capsule event in the calendar feed, a projection
that moves, the report's pause list and counts, the export."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from sqlalchemy import select

from backend.extensions import db
from backend.models import CoursePause, ReminderOccurrence
from tests.api.apihelp import API, assert_error, bad_fields, course_from, days_ago, new_uuid, today_in

DOSE_KINDS = {"dose", "dose_followup"}


@pytest.fixture
def course(patient) -> dict:
    return patient.create_course(**course_from(days_ago(10)))


def pauses_path(course: dict) -> str:
    return f"{API}/courses/{course['id']}/pauses"


def start_pause(patient, course: dict, started_on: date, reason: str = "chest_pain", **extra) -> dict:
    response = patient.post(
        pauses_path(course), json={"started_on": started_on.isoformat(), "reason": reason, **extra}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def end_pause(patient, course: dict, pause: dict, resumed_on: date):
    return patient.patch(f"{pauses_path(course)}/{pause['id']}", json={"resumed_on": resumed_on.isoformat()})


def upcoming(patient, first: date, last: date) -> list[dict]:
    response = patient.get(
        f"{API}/reminders/upcoming", query_string={"from": first.isoformat(), "to": last.isoformat()}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def dose_dates(items: list[dict]) -> set[str]:
    return {o["date"] for o in items if o["kind"] in DOSE_KINDS}


def test_a_pause_starts_shows_in_the_course_and_today_and_ends_with_the_restart_day(patient, course):
    today = today_in()
    pause = start_pause(patient, course, today)
    assert pause["started_on"] == today.isoformat() and pause["resumed_on"] is None
    assert pause["reason"] == "chest_pain" and pause["course_id"] == course["id"]
    assert [p["id"] for p in patient.get(pauses_path(course)).get_json()] == [pause["id"]]
    assert patient.get(f"{API}/courses/{course['id']}").get_json()["pauses"] == [pause]

    view = patient.get(f"{API}/courses/{course['id']}/today").get_json()
    assert view["pause"]["id"] == pause["id"] and view["pause"]["reason"] == "chest_pain"
    assert [d["status"] for d in view["doses"]] == ["paused", "paused"]
    timeline = patient.get(f"{API}/courses/{course['id']}/timeline").get_json()
    assert timeline["pause"]["id"] == pause["id"]

    response = end_pause(patient, course, pause, today)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["resumed_on"] == today.isoformat()
    assert end_pause(patient, course, pause, today).status_code == 200  # sent again: nothing changes
    view = patient.get(f"{API}/courses/{course['id']}/today").get_json()
    assert view["pause"] is None and [d["status"] for d in view["doses"]] == ["pending", "pending"]


def test_a_client_made_id_stores_the_pause_once(patient, course, app):
    body = {"id": new_uuid(), "started_on": today_in().isoformat(), "reason": "hives"}
    first = patient.post(pauses_path(course), json=body)
    again = patient.post(pauses_path(course), json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json() and first.get_json()["id"] == body["id"]
    other = patient.post(pauses_path(course), json={**body, "reason": "prescriber"})
    assert "id" in bad_fields_of(other, 409)
    with app.app_context():
        assert len(db.session.scalars(select(CoursePause)).all()) == 1


def bad_fields_of(response, code: int) -> set[str]:
    return set(assert_error(response, code).get("errors", {}).get("json", {}))


def test_each_refused_pause_is_a_422_naming_its_field(patient, course):
    start = date.fromisoformat(course["start_date"])
    today = today_in()

    def post(**body):
        return patient.post(pauses_path(course), json=body)

    assert bad_fields(post(started_on=(start - timedelta(days=1)).isoformat(), reason="hives")) == {
        "started_on"
    }
    assert bad_fields(post(started_on=today.isoformat(), reason="not_a_reason")) == {"reason"}
    assert bad_fields(post(reason="hives")) == {"started_on"}
    assert bad_fields(post(started_on=today.isoformat())) == {"reason"}
    assert bad_fields(
        post(started_on=today.isoformat(), reason="hives", resumed_on=(today - timedelta(days=1)).isoformat())
    ) == {"resumed_on"}

    first = start_pause(
        patient, course, start + timedelta(days=2), resumed_on=(start + timedelta(days=5)).isoformat()
    )
    overlapping = post(started_on=(start + timedelta(days=4)).isoformat(), reason="hives")
    assert bad_fields(overlapping) == {"started_on"}
    assert "overlaps" in overlapping.get_json()["message"]
    into_next = post(
        started_on=(start + timedelta(days=1)).isoformat(),
        resumed_on=(start + timedelta(days=3)).isoformat(),
        reason="hives",
    )
    assert bad_fields(into_next) == {"resumed_on"}

    still = start_pause(patient, course, today - timedelta(days=1))
    second = post(started_on=today.isoformat(), reason="hives")
    assert bad_fields(second) == {"started_on"} and "still going on" in second.get_json()["message"]
    assert bad_fields(end_pause(patient, course, still, today - timedelta(days=2))) == {"resumed_on"}
    assert bad_fields(patient.patch(f"{pauses_path(course)}/{first['id']}", json={})) == {"_schema"}
    # Ending the first pause later would run into nothing, but moving its end into the open one overlaps.
    assert bad_fields(end_pause(patient, course, first, today)) == {"resumed_on"}


def test_a_pause_after_the_course_ended_is_refused(patient):
    start = days_ago(20)
    course = patient.create_course(**course_from(start, ended_on=days_ago(5).isoformat()))
    response = patient.post(
        pauses_path(course), json={"started_on": days_ago(2).isoformat(), "reason": "hives"}
    )
    assert bad_fields(response) == {"started_on"}
    assert "ended" in response.get_json()["message"]
    pause = start_pause(patient, course, days_ago(8))
    assert bad_fields(end_pause(patient, course, pause, days_ago(1))) == {"resumed_on"}


def test_the_start_cannot_move_past_a_pause(patient, course):
    start = date.fromisoformat(course["start_date"])
    start_pause(
        patient, course, start + timedelta(days=2), resumed_on=(start + timedelta(days=4)).isoformat()
    )
    later = (start + timedelta(days=3)).isoformat()
    response = patient.patch(f"{API}/courses/{course['id']}", json={"start_date": later})
    assert bad_fields(response) == {"start_date"}
    assert "pause" in response.get_json()["errors"]["json"]["start_date"][0]


def test_another_patients_course_and_pauses_are_404(patient, make_patient, course):
    pause = start_pause(patient, course, today_in())
    other = make_patient()
    other_course = other.create_course(**course_from(days_ago(3)))
    assert_error(other.get(pauses_path(course)), 404)
    assert_error(
        other.post(pauses_path(course), json={"started_on": today_in().isoformat(), "reason": "hives"}), 404
    )
    assert_error(
        other.patch(f"{pauses_path(course)}/{pause['id']}", json={"resumed_on": today_in().isoformat()}), 404
    )
    assert_error(other.get(f"{pauses_path(other_course)}/{pause['id']}"), 404)
    assert_error(other.delete(f"{pauses_path(other_course)}/{pause['id']}"), 404)
    assert_error(patient.get(f"{pauses_path(course)}/not-a-uuid"), 404)
    assert patient.get(f"{pauses_path(course)}/{pause['id']}").get_json()["resumed_on"] is None


def test_no_dose_reminder_or_follow_up_while_paused_and_all_back_after_the_restart(patient, course, app):
    today = today_in()
    window = (today, today + timedelta(days=5))
    before = upcoming(patient, *window)
    assert {today + timedelta(days=n) for n in range(1, 6)} <= {
        date.fromisoformat(x) for x in dose_dates(before)
    }

    pause = start_pause(patient, course, today)
    during = upcoming(patient, *window)
    assert dose_dates(during) == set()
    with app.app_context():
        rows = db.session.scalars(
            select(ReminderOccurrence).where(
                ReminderOccurrence.kind.in_(DOSE_KINDS), ReminderOccurrence.status == "pending"
            )
        ).all()
        assert [r.data["date"] for r in rows if r.data["date"] >= today.isoformat()] == []
    # Other reminders keep going while paused (here the mood check-in, once switched on).
    mood = next(r for r in patient.get(f"{API}/reminders").get_json() if r["kind"] == "mood_checkin")
    patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True})
    assert any(o["kind"] == "mood_checkin" for o in upcoming(patient, today, today + timedelta(days=8)))

    restart = today + timedelta(days=2)
    assert end_pause(patient, course, pause, restart).status_code == 200
    after = upcoming(patient, *window)
    assert {date.fromisoformat(x) for x in dose_dates(after)} == {
        restart + timedelta(days=n) for n in range(4)
    }
    assert {o["kind"] for o in after} >= DOSE_KINDS
    with app.app_context():
        pending = db.session.scalars(
            select(ReminderOccurrence).where(
                ReminderOccurrence.kind == "dose", ReminderOccurrence.status == "pending"
            )
        ).all()
        assert pending and min(r.data["date"] for r in pending) == restart.isoformat()


def test_the_calendar_feed_has_no_capsule_event_on_a_paused_day(patient, course, client):
    today = today_in()
    feed = patient.post(
        f"{API}/calendar-feeds", json={"course_id": course["id"], "include_doses": True}
    ).get_json()
    start_pause(
        patient, course, today + timedelta(days=1), resumed_on=(today + timedelta(days=4)).isoformat()
    )
    cal = Calendar.from_ical(client.get(urlsplit(feed["url"]).path).data)
    days: set[date] = set()
    for event in cal.walk("VEVENT"):
        if "rrule" not in event:
            continue
        start = event["dtstart"].dt
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
        end = datetime.combine(today + timedelta(days=10), datetime.max.time(), tzinfo=start.tzinfo)
        days |= {o.date() for o in rule.between(start, end, inc=True) if o.date() >= today}
    assert days == {today + timedelta(days=n) for n in range(11)} - {
        today + timedelta(days=n) for n in (1, 2, 3)
    }


def test_the_projection_moves_by_the_paused_days(patient, course):
    def last_capsule() -> date:
        return date.fromisoformat(
            patient.get(f"{API}/courses/{course['id']}/today").get_json()["projected_last_dose_on"]
        )

    before = last_capsule()
    today = today_in()
    pause = start_pause(
        patient, course, today + timedelta(days=1), resumed_on=(today + timedelta(days=8)).isoformat()
    )
    assert last_capsule() == before + timedelta(days=7)
    patient.delete(f"{pauses_path(course)}/{pause['id']}")
    assert last_capsule() == before


def test_the_report_lists_each_pause_and_counts_paused_doses_apart(patient, course):
    start = date.fromisoformat(course["start_date"])
    start_pause(
        patient,
        course,
        start + timedelta(days=2),
        "hives",
        resumed_on=(start + timedelta(days=4)).isoformat(),
    )
    start_pause(patient, course, start + timedelta(days=7), "prescriber")
    report = patient.get(f"{API}/courses/{course['id']}/report").get_json()
    assert [(p["reason"], p["days"]) for p in report["pauses"]] == [("hives", 2), ("prescriber", 4)]
    assert all(p["reason_label"] and p["reason_label"] != p["reason"] for p in report["pauses"])
    adherence = report["adherence"]
    # 2 doses a day: days 2–3 and 7–9 (today, day 10, is not over) are paused, the other past days not logged.
    assert adherence["paused_doses"] == 2 * 5 and adherence["paused_day_count"] == 6
    assert adherence["not_logged_doses"] == 2 * 5 and adherence["planned_doses"] == 10


def test_the_export_holds_every_pause(patient, course):
    pause = start_pause(patient, course, today_in(), "severe_flare")
    exported = patient.file(f"{API}/me/export").get_json()
    [only] = exported["courses"]
    assert only["pauses"] == [pause]


def test_the_openapi_document_describes_the_pause_endpoints(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/courses/{course_id}/pauses"])
    assert {"get", "patch", "delete"} <= set(spec["paths"]["/api/v1/courses/{course_id}/pauses/{pause_id}"])
    reasons = spec["components"]["schemas"]["PauseCreate"]["properties"]["reason"]["enum"]
    assert {"chest_pain", "prescriber", "mood_check"} <= set(reasons)


def test_pauses_per_patient_are_capped_but_a_replay_is_still_answered(app, patient, course, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_PAUSES_PER_PATIENT", 2)
    start = date.fromisoformat(course["start_date"])
    first = {
        "id": new_uuid(),
        "started_on": start.isoformat(),
        "resumed_on": start.isoformat(),
        "reason": "hives",
    }
    assert patient.post(pauses_path(course), json=first).status_code == 201
    start_pause(
        patient, course, start + timedelta(days=1), resumed_on=(start + timedelta(days=2)).isoformat()
    )
    over = patient.post(pauses_path(course), json={"started_on": today_in().isoformat(), "reason": "hives"})
    assert "2 pauses" in assert_error(over, 409)["message"]
    assert patient.post(pauses_path(course), json=first).status_code == 200


def test_two_devices_pausing_at_once_store_one_open_pause(app, patient, course, monkeypatch):
    """Both requests are held where they read the course's pauses: without the course lock both would see
    none and both store an open pause. With it the second waits, then sees the first (PostgreSQL)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite serialises writers on its own; the row lock is PostgreSQL's")
    from backend.services import pauses as service

    barrier = threading.Barrier(2)
    real = service.list_pauses

    def held(course_row):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1.5)
        return real(course_row)

    monkeypatch.setattr(service, "list_pauses", held)
    body = {"started_on": today_in().isoformat(), "reason": "hives"}
    codes: list[int] = []

    def post() -> None:
        response = app.test_client().post(pauses_path(course), json=body, headers=patient.headers)
        codes.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201, 422]
    with app.app_context():
        assert len(db.session.scalars(select(CoursePause)).all()) == 1
