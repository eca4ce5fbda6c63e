"""The report reads check-ins as the driver hands them (`driver_rows`) and decodes the JSON columns in one
parse (`json_values`): the same days, effects and red flags the ORM reads, within the period's bounds, on
SQLite and PostgreSQL (both read as the stored text, `json_text`)."""

from __future__ import annotations

from sqlalchemy import select

from backend.extensions import db
from backend.models import CheckIn
from backend.services.columns import as_date, driver_rows, json_values
from backend.services.record import _REPORT_CHECKINS
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
        raw = driver_rows(_REPORT_CHECKINS, course_id=course["id"], start=days_ago(4), end=days_ago(1))
        fast = sorted(
            zip(
                [as_date(r[0]) for r in raw],
                json_values([r[2] for r in raw]),
                json_values([r[3] for r in raw]),
                strict=True,
            )
        )
        orm = sorted((x.date, x.effects, x.red_flags) for x in db.session.scalars(select(c).where(where)))
        inner = driver_rows(_REPORT_CHECKINS, course_id=course["id"], start=days_ago(3), end=days_ago(2))
    assert fast == orm
    assert len(fast) == 4
    assert all(isinstance(r[2], str) and isinstance(r[3], str) for r in raw)  # texts, for one parse
    assert sorted(as_date(r[0]) for r in inner) == [days_ago(3), days_ago(2)]  # both bounds kept, no more
    assert sorted({day: flags for day, _, flags in fast}[days_ago(2)]) == ["chest_pain", "hives"]
    answered = {key: v for key, v in {day: e for day, e, _ in fast}[days_ago(1)].items() if v is not None}
    assert answered == {"dry_lips": 3, "headache": 1}


def test_json_values_keeps_nulls_and_decoded_values_in_place():
    read = json_values(['{"a": 1}', None, '["x", "y,z"]', {"b": 2}])
    assert read == [{"a": 1}, None, ["x", "y,z"], {"b": 2}]
    assert json_values([None, None]) == [None, None] and json_values([]) == []
