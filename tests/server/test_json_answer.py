"""JSON answers are written by orjson (backend/web/json_answer.py): the same documents as the standard
library writes, compact, keys sorted, UTF-8, ending in a newline."""

from __future__ import annotations

import json
from collections import namedtuple
from datetime import date
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider

from backend.web.json_answer import OrjsonProvider


def _stdlib(obj) -> bytes:
    return (json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def test_long_views_are_the_documents_the_standard_library_writes(patient):
    course = patient.create_course()
    assert patient.patch("/api/v1/me", json={"language": "es"}).status_code == 200
    checkin = patient.put(f"/api/v1/courses/{course['id']}/checkins/{course['start_date']}", json={"skin": 4})
    assert checkin.status_code == 201, checkin.get_json()
    for path in ("report", "timeline", "today", "supply"):
        response = patient.get(f"/api/v1/courses/{course['id']}/{path}")
        assert response.status_code == 200, path
        assert response.mimetype == "application/json"
        body = response.get_data()
        assert body == _stdlib(json.loads(body)), path
    assert "ñ".encode() in patient.get(f"/api/v1/courses/{course['id']}/report").get_data()  # not \u00f1


def test_what_orjson_does_not_write_itself_is_written_as_before(app):
    provider = OrjsonProvider(app)
    point = namedtuple("Point", "x y")
    obj = {"b": [point(1, 2.5)], 3: "three", "a": Decimal("1.5"), "day": date(2026, 3, 29), "text": "Größe"}
    with app.app_context():
        written = provider.dumps(obj)
        assert json.loads(written) == {
            "3": "three",
            "a": "1.5",
            "b": [[1, 2.5]],
            "day": "2026-03-29",  # ISO 8601, where Flask's writer would give an HTTP date
            "text": "Größe",
        }
        assert list(json.loads(written)) == ["3", "a", "b", "day", "text"]  # keys sorted
        same = {k: v for k, v in obj.items() if k not in ("day", 3)}  # the standard library sorts no int key
        assert json.loads(provider.dumps(same)) == json.loads(DefaultJSONProvider(app).dumps(same))
        assert provider.dumps({"a": 1}, indent=2) == '{\n  "a": 1\n}'  # the standard library's options
        response = provider.response({"z": 1, "a": [1, 2]})
        assert response.get_data() == b'{"a":[1,2],"z":1}\n'
        assert response.mimetype == "application/json"
