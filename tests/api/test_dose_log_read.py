"""The dose log's fast read (`logged_doses`: the driver's rows, dates converted by hand) gives exactly what the ORM
gives: the same dates, and the same aware UTC instants, on SQLite and PostgreSQL; without detail, the same
doses without ids and times taken."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.extensions import db
from backend.models import DoseLog
from backend.services.courses import logged_doses
from tests.api.apihelp import API, course_from, days_ago


def test_the_fast_read_is_what_the_orm_reads(patient, app):
    course = patient.create_course(**course_from(days_ago(20)))
    sent = [
        (days_ago(3), 1, "taken", f"{days_ago(3)}T08:05:00+00:00"),
        (days_ago(3), 2, "taken", f"{days_ago(3)}T21:59:59.123456+02:00"),  # another offset, microseconds
        (days_ago(2), 1, "skipped", None),
        (days_ago(1), 2, "taken", f"{days_ago(1)}T23:30:00-05:00"),  # the next day in UTC
    ]
    for day, slot, status, taken_at in sent:
        body = {"date": day.isoformat(), "slot": slot, "status": status, "mg": 20}
        if taken_at:
            body["taken_at"] = taken_at
        response = patient.put(f"{API}/courses/{course['id']}/doses/{uuid.uuid4()}", json=body)
        assert response.status_code == 201, response.get_json()
    with app.app_context():
        fast = sorted(logged_doses(course["id"]))
        lean = sorted(logged_doses(course["id"], detail=False))
        orm = sorted(
            (d.date, d.slot, d.status, d.mg, d.id, d.taken_at)
            for d in db.session.scalars(select(DoseLog).where(DoseLog.course_id == course["id"]))
        )
    assert [tuple(dose) for dose in fast] == orm
    assert len(fast) == 4
    assert all(d.taken_at is None or d.taken_at.utcoffset().total_seconds() == 0 for d in fast)
    assert [type(d.date).__name__ for d in fast] == ["date"] * 4
    # Without detail (every view but Today): the same doses, without their ids and times taken.
    assert [tuple(dose) for dose in lean] == [(*d[:4], None, None) for d in orm]
    assert [type(d.date).__name__ for d in lean] == ["date"] * 4
