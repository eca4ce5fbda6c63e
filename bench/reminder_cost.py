"""Reminder queries cost per live course, not per course ever created (issue 9 §2).

One patient holds N courses: N-1 older ones (every other one ended a year ago, the rest left open and
superseded when a newer course was started, each with a five-month dose log) and the current course,
started 60 days ago with its dose log. Through the Flask test client (the app's own cost: routing,
auth, queries, projection, serialisation; no HTTP server), each request is repeated and the median
wall time and CPU time kept:

  GET /api/v1/reminders/upcoming   (the agenda: stored + computed occurrences for 14 days)
  GET /api/v1/reminders            (the rules, each with its next occurrence)
  PUT /api/v1/reminders/settings   (quiet hours changed: recompute and re-materialise)

In the same run, for each N:
  floor  N = 1: the patient's only course is the current one;
  live   this code: the current course only (the others are dormant);
  peer   the same patient and data with every course treated as live (the behaviour before: each
         request projected and recomputed every course the patient ever created).

    .venv/bin/python bench/reminder_cost.py                      # SQLite file, N = 1, 5, 10
    .venv/bin/python bench/reminder_cost.py --postgres           # and a throw-away PostgreSQL database
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dbtools import throwaway_postgres  # noqa: E402

ENDPOINTS = ("GET /reminders/upcoming", "GET /reminders", "PUT /reminders/settings")


def _course(start: date, ended_on: date | None) -> dict:
    plan = [{"from_date": start, "daily_mg": 40.0, "doses_per_day": 2, "dose_times": [dtime(8), dtime(20)]}]
    return {
        "start_date": start,
        "weight_kg": 70.0,
        "target_mg_per_kg": 150.0,
        "timezone": "Europe/Berlin",
        "product": "standard",
        "programme": "eu_ppp",
        "pregnancy_prevention": True,
        "dose_plan": plan,
        "ended_on": ended_on,
    }


def _dose_log(course_id: str, start: date, days: int) -> list:
    from backend.models import DoseLog

    return [
        DoseLog(
            id=str(uuid.uuid4()),
            course_id=course_id,
            date=start + timedelta(days=offset),
            slot=slot,
            status="taken",
            mg=20.0,
            taken_at=datetime.combine(start + timedelta(days=offset), dtime(7 + slot), UTC),
        )
        for offset in range(days)
        for slot in (1, 2)
    ]


def seed(app, courses: int) -> tuple[str, str]:
    """A patient with `courses` courses (the last one current); returns (patient id, bearer token)."""
    from backend.extensions import db
    from backend.services import accounts
    from backend.services import courses as course_service

    today = date.today()
    with app.app_context():
        patient, _device, token = accounts.create_patient("bench")
        for index in range(courses - 1):
            start = today - timedelta(days=400 + 30 * index)
            ended = start + timedelta(days=150) if index % 2 == 0 else None
            course = course_service.create_course(patient.id, _course(start, ended))
            db.session.add_all(_dose_log(course.id, start, 150))
            db.session.commit()
        start = today - timedelta(days=60)
        course = course_service.create_course(patient.id, _course(start, None))
        db.session.add_all(_dose_log(course.id, start, 60))
        db.session.commit()
        return patient.id, token


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `repeat` calls (after one warm-up call)."""
    call()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def measure(app, token: str, repeat: int) -> dict[str, tuple[float, float]]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    settings = [
        {"quiet_start": "22:00", "quiet_end": "07:00"},
        {"quiet_start": "21:30", "quiet_end": "07:30"},
    ]
    quiet = iter(settings * 1000)

    def get(path: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, response.get_json()
            return response

        return call

    def put_settings() -> object:
        response = client.put("/api/v1/reminders/settings", json=next(quiet), headers=headers)
        assert response.status_code == 200, response.get_json()
        return response

    calls = (get("/api/v1/reminders/upcoming"), get("/api/v1/reminders"), put_settings)
    return {name: timed(call, repeat) for name, call in zip(ENDPOINTS, calls, strict=True)}


@contextmanager
def every_course_live(app, patient_id: str) -> Iterator[None]:
    """The behaviour before: every course of the patient is live and kept materialised."""
    from unittest import mock

    from backend.extensions import db
    from backend.models import Course
    from backend.services import reminders as service

    def all_courses(patient_id: str, now: datetime | None = None) -> set[str]:
        return set(db.session.scalars(db.select(Course.id).where(Course.patient_id == patient_id)))

    with mock.patch.object(service, "live_courses", all_courses):
        with app.app_context():
            for course in db.session.scalars(db.select(Course).where(Course.patient_id == patient_id)):
                service.rematerialise_course(course)
            db.session.commit()
        yield


def run(database_url: str, sizes: list[int], repeat: int) -> list[tuple[int, str, str, float, float]]:
    from flask_migrate import upgrade

    from backend import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
    rows = []
    for size in sizes:
        patient_id, token = seed(app, size)
        variants = [("live", nullcontext())]
        if size > 1:
            variants.append(("peer", every_course_live(app, patient_id)))
        for variant, context in variants:
            with context:
                for name, (wall, cpu) in measure(app, token, repeat).items():
                    rows.append((size, variant, name, wall, cpu))
    return rows


def table(title: str, rows: list[tuple[int, str, str, float, float]]) -> None:
    """Ratios on CPU time: the app's own work, whatever else the machine's two cores are doing."""
    floor = {name: cpu for size, variant, name, _, cpu in rows if size == 1}
    print(f"\n### {title}\n")
    print("| courses | variant | endpoint | median ms | median CPU ms | CPU × floor (1 course) |")
    print("|--:|---|---|--:|--:|--:|")
    for size, variant, name, wall, cpu in rows:
        label = "floor" if size == 1 else variant
        print(f"| {size} | {label} | {name} | {wall:.1f} | {cpu:.1f} | {cpu / floor[name]:.2f} |")


def main() -> int:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--sizes", default="1,5,10", help="courses per patient (and 1: the floor)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)  # one database in this process
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")} | {1})
    if args.database_url:
        table("PostgreSQL", run(args.database_url, sizes, args.repeat))
        return 0
    print(f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        table("SQLite file", run(f"sqlite:///{tmp}/bench.db", sizes, args.repeat))
    if args.postgres:
        # a fresh interpreter: the app and its engine are built once per process
        with throwaway_postgres(args.pg_admin_url, "cc_reminder_cost") as url:
            cmd = [sys.executable, __file__, "--sizes", args.sizes, "--repeat", str(args.repeat)]
            subprocess.run([*cmd, "--database-url", url], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
