"""Tests before the start (issue 14): a course joined after it began asks whether they were done, and any
past usual visit or test can be answered later (done / not done / don't know) instead of "missed"."""

from __future__ import annotations

from datetime import timedelta

from tests.api.apihelp import API, bad_fields, course_from, days_ago


def milestones(patient, course: dict) -> list[dict]:
    return patient.get(f"{API}/courses/{course['id']}/timeline").get_json()["milestones"]


def past_usual(patient, course: dict, last) -> list[dict]:
    return [
        m
        for m in milestones(patient, course)
        if m["appointment_kind"] and m["date"] <= last.isoformat() and m["date"] < days_ago(0).isoformat()
    ]


def test_joining_mid_course_answers_the_tests_before_the_start(patient):
    start = days_ago(40)
    course = patient.create_course(**course_from(start, programme="us_ipledge"))
    before = past_usual(patient, course, start)
    # iPLEDGE: screening and confirmation pregnancy tests before the start, the first blood test at it
    assert sorted(m["kind"] for m in before) == ["blood_test", "pregnancy_test", "pregnancy_test"]
    assert {m["state"] for m in before} == {"missed"}
    response = patient.post(f"{API}/courses/{course['id']}/milestones/before-start", json={"answer": "done"})
    assert response.status_code == 200, response.get_json()
    assert len(response.get_json()) == 3
    assert {m["state"] for m in past_usual(patient, course, start)} == {"done"}
    later = [m for m in past_usual(patient, course, days_ago(1)) if m["date"] > start.isoformat()]
    assert later and {m["state"] for m in later} == {"missed"}  # only the ones before the start


def test_a_past_visit_can_be_marked_later_and_changed(patient):
    start = days_ago(40)
    course = patient.create_course(**course_from(start))
    [visit] = [m for m in past_usual(patient, course, days_ago(1)) if m["kind"] == "monthly_visit"][:1]
    url = f"{API}/courses/{course['id']}/milestones/monthly_visit/{visit['date']}"
    for answer in ("unknown", "not_done", "done"):
        response = patient.put(url, json={"answer": answer})
        assert response.status_code == 200 and response.get_json()["answer"] == answer
        [now] = [
            m
            for m in milestones(patient, course)
            if (m["kind"], m["date"]) == ("monthly_visit", visit["date"])
        ]
        assert now["state"] == answer
    exported = patient.file(f"{API}/me/export").get_json()["milestone_answers"]
    assert exported == [
        {"course_id": course["id"], "kind": "monthly_visit", "date": visit["date"], "answer": "done"}
    ]


def test_an_answer_needs_a_past_usual_date_and_a_known_answer(patient):
    start = days_ago(40)
    course = patient.create_course(**course_from(start))
    base = f"{API}/courses/{course['id']}/milestones"
    assert "answer" in bad_fields(patient.put(f"{base}/blood_test/{start}", json={"answer": "maybe"}))
    future = days_ago(-10)
    assert "day" in bad_fields(patient.put(f"{base}/blood_test/{future}", json={"answer": "done"}))
    odd = start + timedelta(days=2)
    assert "day" in bad_fields(patient.put(f"{base}/blood_test/{odd}", json={"answer": "done"}))
