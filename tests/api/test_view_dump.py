"""Today and the timeline are written out by `plain_dumper` (no per-field marshmallow work): the same JSON as
their schemas give, for courses in different states (doses logged, missed and skipped, a dose today, a
paused course, a cyclic plan without a target, a course not started yet) and on several days of each."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from backend.api.courses import dump_timeline, dump_today
from backend.api.schemas.views import TimelineSchema, TodaySchema
from backend.extensions import db
from backend.models import Course
from backend.services import courses
from tests.api.apihelp import API, book, course_from, days_ago, dose_body, plan, today_in


def _put_dose(patient, course: dict, **body) -> None:
    response = patient.put(f"{API}/courses/{course['id']}/doses/{uuid.uuid4()}", json=dose_body(**body))
    assert response.status_code == 201, response.get_json()


def test_the_plain_dump_of_today_and_the_timeline_is_the_schemas(patient, app):
    logged = patient.create_course(**course_from(days_ago(40)))
    for n in range(2, 12):
        _put_dose(patient, logged, day=days_ago(n), slot=1, mg=20)
    _put_dose(patient, logged, day=days_ago(3), slot=2, status="skipped", mg=20)
    _put_dose(patient, logged, day=today_in(), slot=1, mg=20.5)
    book(patient, logged, "blood_test", today_in() + timedelta(days=5), "09:30", "Lab")
    paused = patient.create_course(**course_from(days_ago(20)))
    response = patient.post(
        f"{API}/courses/{paused['id']}/pauses", json={"started_on": today_in().isoformat(), "reason": "hives"}
    )
    assert response.status_code == 201, response.get_json()
    cyclic = patient.create_course(
        **course_from(
            days_ago(15), target_mg_per_kg=None, dose_plan=plan(days_ago(15), None, 1, cycle_mg=[40, 80])
        )
    )
    assert cyclic["dose_plan"][0]["cycle_mg"] == [40, 80]
    later = patient.create_course(**course_from(today_in() + timedelta(days=9)))
    today_schema, timeline_schema = TodaySchema(), TimelineSchema()
    compared = 0
    with app.app_context():
        for made in (logged, paused, cyclic, later):
            course = db.session.get(Course, made["id"])
            for day in (
                course.start_date - timedelta(days=1),
                course.start_date,
                today_in(),
                today_in() + timedelta(40),
            ):
                for view, schema, dump in (
                    (courses.today_view(course, day), today_schema, dump_today),
                    (courses.timeline_view(course, day), timeline_schema, dump_timeline),
                ):
                    plain = dump(view)
                    assert plain == schema.dump(view)
                    assert json.dumps(plain, sort_keys=True) == json.dumps(schema.dump(view), sort_keys=True)
                    compared += 1
    assert compared == 32
