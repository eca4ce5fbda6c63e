"""The report reads check-ins' JSON columns raw and decodes them in one parse (`json_values`): the same
effects and red flags the ORM reads, on SQLite (stored text) and PostgreSQL (decoded by the driver)."""

from __future__ import annotations

from sqlalchemy import String, select, type_coerce

from backend.extensions import db
from backend.models import CheckIn
from backend.services.record import json_values
from tests.api.apihelp import API, course_from, days_ago


def test_the_raw_read_decodes_to_what_the_orm_reads(patient, app):
    course = patient.create_course(**course_from(days_ago(20)))
    base = f"{API}/courses/{course['id']}/checkins"
    sent = [
        {"skin": 6, "effects": {"dry_lips": 3, "headache": 1}},
        {"red_flags": ["chest_pain", "hives"]},
        {"skin": 2, "effects": {}, "red_flags": []},
        {"skin": 9, "effects": {"dry_lips": 0}, "note": "“quoted”, ünïcode, a \\ backslash"},
    ]
    for n, body in enumerate(sent):
        response = patient.put(f"{base}/{days_ago(n + 1)}", json=body)
        assert response.status_code == 201, response.get_json()
    with app.app_context():
        c = CheckIn
        where = c.course_id == course["id"]
        raw = db.session.execute(
            select(c.date, type_coerce(c.effects, String), type_coerce(c.red_flags, String)).where(where)
        ).all()
        fast = sorted(
            zip(
                [r[0] for r in raw],
                json_values([r[1] for r in raw]),
                json_values([r[2] for r in raw]),
                strict=True,
            )
        )
        orm = sorted((x.date, x.effects, x.red_flags) for x in db.session.scalars(select(c).where(where)))
    assert fast == orm
    assert sorted({day: flags for day, _, flags in fast}[days_ago(2)]) == ["chest_pain", "hives"]
    answered = {key: v for key, v in {day: e for day, e, _ in fast}[days_ago(1)].items() if v is not None}
    assert answered == {"dry_lips": 3, "headache": 1}


def test_json_values_keeps_nulls_and_decoded_values_in_place():
    read = json_values(['{"a": 1}', None, '["x", "y,z"]', {"b": 2}])
    assert read == [{"a": 1}, None, ["x", "y,z"], {"b": 2}]
    assert json_values([None, None]) == [None, None] and json_values([]) == []
