"""Lists that grow with a course are paged like check-ins (issue 16 §2): at most `limit` (100) items a
request, `Link: <…>; rel="next"` naming the next page, following every page gives the whole list once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from backend.api.schemas.courses import DoseSchema, dump_dose
from backend.extensions import db
from backend.models import Appointment, DoseLog
from tests.api.apihelp import API, bad_fields, course_from, days_ago, dose_body, new_uuid


def _follow(patient, path: str) -> list[list[dict]]:
    """Every page from `path` on, following the Link header."""
    response = patient.get(path)
    assert response.status_code == 200, response.get_json()
    pages = [response.get_json()]
    while link := response.headers.get("Link"):
        assert link.endswith('>; rel="next"')
        response = patient.get(link[1 : link.index(">")])
        assert response.status_code == 200, response.get_json()
        pages.append(response.get_json())
    return pages


def test_doses_come_in_pages_of_whole_days(patient, app):
    course = patient.create_course(**course_from(days_ago(260)))
    days = [days_ago(n) for n in range(250, 0, -1)]
    with app.app_context():
        db.session.add_all(
            DoseLog(id=new_uuid(), course_id=course["id"], date=day, slot=slot, status="taken", mg=20)
            for day in days
            for slot in (1, 2)
        )
        db.session.commit()
    pages = _follow(patient, f"{API}/courses/{course['id']}/doses?to={days_ago(2).isoformat()}")
    assert [len(page) for page in pages] == [200, 200, 98]  # 100 days of two doses, then the rest
    listed = [(d["date"], d["slot"]) for page in pages for d in page]
    assert listed == [(day.isoformat(), slot) for day in days[:-1] for slot in (1, 2)]
    small = patient.get(f"{API}/courses/{course['id']}/doses?limit=3&from={days[0].isoformat()}")
    assert [d["date"] for d in small.get_json()] == [d.isoformat() for d in days[:3] for _ in (1, 2)]
    assert small.headers["Link"] == (
        f'<{API}/courses/{course["id"]}/doses?from={days[3].isoformat()}&limit=3>; rel="next"'
    )
    assert bad_fields(patient.get(f"{API}/courses/{course['id']}/doses?limit=101")) == {"limit"}


def test_the_plain_dose_dump_equals_the_schema(patient, app):
    course = patient.create_course(**course_from(days_ago(5)))
    bodies = (dose_body(days_ago(3)), dose_body(days_ago(2), status="skipped"), dose_body(days_ago(1), mg=30))
    for body in bodies:
        assert patient.put(f"{API}/courses/{course['id']}/doses/{new_uuid()}", json=body).status_code == 201
    with app.app_context():
        rows = list(db.session.scalars(db.select(DoseLog).where(DoseLog.course_id == course["id"])))
        assert len(rows) == 3
        for row in rows:
            assert dump_dose(row) == DoseSchema().dump(row)
    listed = patient.get(f"{API}/courses/{course['id']}/doses").get_json()
    assert {d["status"] for d in listed} == {"taken", "skipped"} and {d["mg"] for d in listed} == {20.0, 30.0}


def test_appointments_come_in_pages_and_equal_times_are_neither_lost_nor_repeated(patient, make_patient, app):
    course = patient.create_course(**course_from(days_ago(100)))
    with app.app_context():
        db.session.add_all(
            Appointment(
                course_id=course["id"],
                kind="blood_test",
                # pairs at the same minute: the page boundary must still fall between them cleanly
                starts_at_local=datetime.combine(days_ago(90) + timedelta(days=i // 2), time(9, 30)),
            )
            for i in range(150)
        )
        db.session.commit()
        ordered = [
            a.id
            for a in db.session.scalars(
                db.select(Appointment).order_by(Appointment.starts_at_local, Appointment.id)
            )
        ]
    pages = _follow(patient, f"{API}/courses/{course['id']}/appointments?limit=51")
    assert [len(page) for page in pages] == [51, 51, 48]
    assert [a["id"] for page in pages for a in page] == ordered
    assert len(_follow(patient, f"{API}/courses/{course['id']}/appointments")) == 2  # 100 by default
    other = make_patient().create_course()
    foreign = f"{API}/courses/{other['id']}/appointments?after={ordered[0]}"
    assert patient.get(foreign).status_code == 404
    assert bad_fields(patient.get(f"{API}/courses/{course['id']}/appointments?after=nope")) == {"after"}


def test_openapi_documents_the_pages(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    for path in ("/api/v1/courses/{course_id}/doses", "/api/v1/courses/{course_id}/appointments"):
        get = spec["paths"][path]["get"]
        assert "Link" in get["responses"]["200"]["headers"], path
        assert any(p["name"] == "limit" for p in get["parameters"]), path
