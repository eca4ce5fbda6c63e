"""Shared fixtures: one app per session on a real database, emptied between tests.

The database is an SQLite file by default; set TEST_DATABASE_URL (postgresql+psycopg://…) to run the
same tests on PostgreSQL. The schema is built by the real migrations, never by create_all().
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from backend import create_app
from backend.config import TestConfig
from backend.extensions import db


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        }
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty every table after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class Patient:
    """A test patient: a client that sends its bearer token on every call."""

    client: FlaskClient
    id: str
    token: str
    device_id: str
    courses: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, **kwargs: Any):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method.upper(), headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any):
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any):
        return self.call("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any):
        return self.call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.call("DELETE", path, **kwargs)

    def file(self, path: str, **kwargs: Any):
        """POST `path` (a file the background worker makes: the export, the report PDF), run the worker
        once as `flask reminders files` does, and download the made file."""
        from backend.reminders.file_jobs import run_file_jobs

        queued = self.post(path, **kwargs)
        assert queued.status_code == 202, queued.get_json()
        run_file_jobs(self.client.application)
        status = self.get(queued.headers["Location"]).get_json()
        assert status["status"] == "done", status
        return self.get(status["file_url"])

    def create_course(self, **overrides: Any) -> dict:
        response = self.post("/api/v1/courses", json=course_body(**overrides))
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        self.courses.append(body["id"])
        return body


def _course_start() -> date:
    """The default course's start: the Monday on or before 300 days ago in Berlin, so whatever the real
    date a course made in any test has a past long enough for dates in its first 7 months (an end, a
    second segment) and needs no confirm_start_date (a fixed date would need it once more than a year
    back, and be refused once more than two)."""
    day = datetime.now(ZoneInfo("Europe/Berlin")).date() - timedelta(days=300)
    return day - timedelta(days=day.weekday())


COURSE_START = _course_start()


def course_body(**overrides: Any) -> dict:
    """A valid course: 70 kg, 120 mg/kg, 40 mg twice a day from COURSE_START (a Monday), Berlin."""
    body = {
        "start_date": COURSE_START.isoformat(),
        "weight_kg": 70,
        "target_mg_per_kg": 120,
        "timezone": "Europe/Berlin",
        "product": "standard",
        "programme": "eu_ppp",
        "pregnancy_prevention": True,
        "dose_plan": [
            {
                "from_date": COURSE_START.isoformat(),
                "daily_mg": 40,
                "doses_per_day": 2,
                "dose_times": ["08:00", "20:00"],
            }
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def make_patient(client: FlaskClient):
    def make() -> Patient:
        response = client.post("/api/v1/patients")
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return Patient(client=client, id=body["id"], token=body["token"], device_id=body["device_id"])

    return make


@pytest.fixture
def patient(make_patient) -> Patient:
    return make_patient()
