"""Small assertion helpers shared by the API tests (imported as a plain module)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, select

from backend.extensions import db

API = "/api/v1"


def assert_error(response, code: int) -> dict:
    """The one JSON error shape: {code, status, message[, errors]} with code == HTTP status."""
    assert response.status_code == code, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json", response.mimetype
    body = response.get_json()
    assert isinstance(body, dict), body
    assert body["code"] == code
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    assert set(body) <= {"code", "status", "message", "errors", "existing_id"}, body
    return body


def _flatten(errors: Any, prefix: str = "") -> set[str]:
    names: set[str] = set()
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            names.add(path)
            names |= _flatten(value, path)
    return names


def bad_fields(response) -> set[str]:
    """Every dotted field path named in errors.json of a 422 (``dose_plan``, ``dose_plan.0.daily_mg`` …)."""
    body = assert_error(response, 422)
    assert "errors" in body, body
    errors = body["errors"]
    assert set(errors) <= {"json", "query", "path"}, errors
    names: set[str] = set()
    for location in errors.values():
        names |= _flatten(location)
    return names


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_uuid() -> str:
    return str(uuid.uuid4())


def today_in(tz: str = "Europe/Berlin") -> date:
    return datetime.now(ZoneInfo(tz)).date()


def days_ago(n: int, tz: str = "Europe/Berlin") -> date:
    return today_in(tz) - timedelta(days=n)


def plan(start: date | str, daily_mg: float | None = 40, doses: int = 2, **extra: Any) -> list[dict]:
    times = ["08:00", "20:00"][:doses] if doses <= 2 else ["08:00", "14:00", "20:00"][:doses]
    segment: dict[str, Any] = {"from_date": str(start), "doses_per_day": doses, "dose_times": times}
    if daily_mg is not None:
        segment["daily_mg"] = daily_mg
    segment.update(extra)
    return [segment]


def course_from(start: date, daily_mg: float = 40, doses: int = 2, **overrides: Any) -> dict:
    """Overrides for course_body(): a course that started on ``start`` (relative to the real clock),
    confirmed as the app confirms a start more than a year back."""
    confirm = {"confirm_start_date": True} if start < date.today() - timedelta(days=365) else {}
    return {
        "start_date": start.isoformat(),
        "dose_plan": plan(start, daily_mg, doses),
        **confirm,
        **overrides,
    }


def dose_body(day: date | str, slot: int = 1, status: str = "taken", mg: float = 20, **extra: Any) -> dict:
    body: dict[str, Any] = {"date": str(day), "slot": slot, "status": status, "mg": mg}
    if status == "taken":
        body["taken_at"] = f"{day}T08:05:00+01:00"
    body.update(extra)
    return body


def count_rows(model_or_table, *where) -> int:
    table = model_or_table if isinstance(model_or_table, Table) else model_or_table.__table__
    return db.session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def book(
    patient, course: dict, kind: str, day: date, time: str = "10:30", place: str | None = "Clinic A"
) -> dict:
    """Book an appointment through the API (a blood test is a fasting one)."""
    body = {"kind": kind, "starts_at": f"{day.isoformat()}T{time}", "fasting": kind == "blood_test"}
    if place:
        body["place"] = place
    response = patient.post(f"{API}/courses/{course['id']}/appointments", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
