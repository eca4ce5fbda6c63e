"""An unexpected failure answers 500 in the one JSON error shape and leaks nothing."""

from __future__ import annotations

from backend.services import courses
from tests.api.apihelp import API, assert_error


def test_unhandled_exception_is_a_json_500_without_details(patient, monkeypatch):
    course = patient.create_course()

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(courses, "build_today", explode)
    response = patient.get(f"{API}/courses/{course['id']}/today?date=2026-01-06")
    body = assert_error(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert body["message"] == "Something went wrong on our side."
    # The app keeps serving afterwards.
    monkeypatch.undo()
    assert patient.get(f"{API}/courses/{course['id']}").status_code == 200
