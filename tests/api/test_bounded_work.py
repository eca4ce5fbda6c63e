"""Every request's work is bounded (issue 16, item 2): a course cannot start before the earliest
plausible course (2 years back), a start over a year back needs the same confirmation as an edit, and
one doctor report covers at most 400 days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.extensions import db
from backend.models import Course
from tests.api.apihelp import API, assert_error, bad_fields, count_rows, days_ago, plan
from tests.conftest import course_body


def _start(days_back: int, **extra) -> dict:
    start = days_ago(days_back)
    return course_body(start_date=start.isoformat(), dose_plan=plan(start, 40, 2), **extra)


@pytest.mark.parametrize("days_back", [366, 500, 730])
def test_a_start_more_than_a_year_back_needs_confirmation_when_created(app, patient, days_back):
    refused = patient.post(f"{API}/courses", json=_start(days_back))
    assert bad_fields(refused) == {"start_date"}
    assert "confirm_start_date" in refused.get_json()["errors"]["json"]["start_date"][0]
    with app.app_context():
        assert count_rows(Course) == 0
    created = patient.post(f"{API}/courses", json=_start(days_back, confirm_start_date=True))
    assert created.status_code == 201, created.get_json()
    assert "confirm_start_date" not in created.get_json()


def test_a_start_within_a_year_needs_no_confirmation(patient):
    assert patient.post(f"{API}/courses", json=_start(300)).status_code == 201


@pytest.mark.parametrize("start", ["2000-01-01", "2010-06-15", None])
def test_no_course_starts_before_the_earliest_plausible_one_even_confirmed(app, patient, start):
    body = _start(731, confirm_start_date=True)
    if start:
        body = course_body(
            start_date=start, dose_plan=plan(date.fromisoformat(start), 40, 2), confirm_start_date=True
        )
    refused = patient.post(f"{API}/courses", json=body)
    assert bad_fields(refused) == {"start_date"}
    assert "at most 2 years ago" in refused.get_json()["errors"]["json"]["start_date"][0]
    with app.app_context():
        assert count_rows(Course) == 0


def test_an_edit_cannot_move_the_start_before_the_earliest_plausible_course(app, patient):
    body = _start(30)
    course = patient.create_course(start_date=body["start_date"], dose_plan=body["dose_plan"])
    early = days_ago(731)
    refused = patient.patch(
        f"{API}/courses/{course['id']}",
        json={"start_date": early.isoformat(), "dose_plan": plan(early, 40, 2), "confirm_start_date": True},
    )
    assert "start_date" in bad_fields(refused)
    with app.app_context():
        assert db.session.get(Course, course["id"]).start_date.isoformat() == course["start_date"]


def test_the_course_form_in_the_spec_documents_the_confirmation(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    create = spec["paths"]["/api/v1/courses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = create["$ref"].rsplit("/", 1)[-1]
    assert "confirm_start_date" in spec["components"]["schemas"][name]["properties"]


@pytest.fixture
def long_course(patient):
    """A confirmed course that started 700 days ago (the longest the caps allow)."""
    response = patient.post(f"{API}/courses", json=_start(700, confirm_start_date=True))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize(
    ("suffix", "method", "accepted"), [("report", "GET", 200), ("report.pdf", "POST", 202)]
)
def test_a_report_of_more_than_400_days_is_422_naming_from(patient, long_course, suffix, method, accepted):
    today = days_ago(0)
    path = f"{API}/courses/{long_course['id']}/{suffix}"
    response = patient.call(
        method, f"{path}?from={(today - timedelta(days=400)).isoformat()}&to={today.isoformat()}"
    )
    assert bad_fields(response) == {"from"}
    assert "at most 400 days" in response.get_json()["errors"]["query"]["from"][0]
    assert bad_fields(patient.call(method, f"{path}?from=2000-01-01")) == {"from"}
    far = (today + timedelta(days=500)).isoformat()
    assert bad_fields(patient.call(method, f"{path}?from={long_course['start_date']}&to={far}")) == {"from"}
    exactly = patient.call(
        method, f"{path}?from={(today - timedelta(days=399)).isoformat()}&to={today.isoformat()}"
    )
    assert exactly.status_code == accepted


def test_the_default_report_of_a_long_course_is_its_last_400_days(patient, long_course):
    today = days_ago(0)
    report = patient.get(f"{API}/courses/{long_course['id']}/report").get_json()
    assert report["to"] == today.isoformat()
    assert report["from"] == (today - timedelta(days=399)).isoformat()
    to = today - timedelta(days=500)  # the course up to then is shorter than 400 days
    earlier = patient.get(f"{API}/courses/{long_course['id']}/report?to={to.isoformat()}").get_json()
    assert earlier["from"] == long_course["start_date"] and earlier["to"] == to.isoformat()


def test_an_unknown_report_is_still_404_before_the_period_is_judged(patient):
    assert_error(patient.get(f"{API}/courses/nope/report?from=2000-01-01"), 404)


def test_the_pdf_of_a_plan_with_the_most_segments_is_a_pdf_not_a_500(patient):
    """A plan may have 60 segments; in one table cell they overflowed a page: a 500 (bench/worst_get.py)."""
    start = days_ago(300)
    segments = [{**plan(start + timedelta(days=5 * k), 40, 2)[0]} for k in range(60)]
    body = course_body(start_date=start.isoformat(), dose_plan=segments)
    course = patient.post(f"{API}/courses", json=body)
    assert course.status_code == 201, course.get_json()
    response = patient.file(f"{API}/courses/{course.get_json()['id']}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
