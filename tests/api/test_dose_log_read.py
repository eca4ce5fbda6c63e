"""The fast reads of the driver's rows, dates converted by hand, give exactly what the ORM gives, on SQLite
and PostgreSQL: the dose log (`logged_doses`: the same dates and aware UTC instants; without detail, the
same doses without ids and times taken), the pauses and the booked appointments."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.extensions import db
from backend.models import Appointment, CoursePause, DoseLog
from backend.services.courses import booked_appointments, course_pauses, logged_doses
from tests.api.apihelp import API, book, course_from, days_ago


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


def test_pauses_and_appointments_read_fast_are_what_the_orm_reads(patient, app):
    course = patient.create_course(**course_from(days_ago(40)))
    pauses = f"{API}/courses/{course['id']}/pauses"
    ended = {"id": str(uuid.uuid4()), "started_on": str(days_ago(20)), "reason": "prescriber"}
    assert patient.post(pauses, json=ended).status_code in (200, 201)
    resumed = patient.patch(f"{pauses}/{ended['id']}", json={"resumed_on": str(days_ago(18))})
    assert resumed.status_code == 200, resumed.get_json()
    going_on = {"id": str(uuid.uuid4()), "started_on": str(days_ago(2)), "reason": "hives"}
    assert patient.post(pauses, json=going_on).status_code in (200, 201)
    book(patient, course, "blood_test", days_ago(-3), "07:45")
    book(patient, course, "dermatologist_visit", days_ago(-9), "16:05", place=None)
    with app.app_context():
        fast_pauses = [tuple(vars(p).values()) for p in course_pauses(course["id"])]
        orm_pauses = [
            (p.started_on, p.resumed_on, p.reason, p.id)
            for p in db.session.scalars(
                select(CoursePause)
                .where(CoursePause.course_id == course["id"])
                .order_by(CoursePause.started_on)
            )
        ]
        fast_booked = sorted(tuple(vars(a).values()) for a in booked_appointments(course["id"]))
        orm_booked = sorted(
            (a.id, a.kind, a.starts_at_local, a.place, a.fasting)
            for a in db.session.scalars(select(Appointment).where(Appointment.course_id == course["id"]))
        )
    assert fast_pauses == orm_pauses
    assert [p[1] for p in fast_pauses] == [days_ago(18), None]
    assert fast_booked == orm_booked
    assert sorted(type(a[2]).__name__ for a in fast_booked) == ["datetime", "datetime"]
    assert sorted(a[4] for a in fast_booked) == [False, True]
