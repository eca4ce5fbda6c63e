"""API cost over the framework floor.

Serves the real app with gunicorn (2 sync workers) on loopback, seeds one course with a six-month
dose log, and loads three endpoints with wrk in the same run:
  floor     GET /api/v1/version                (trivial JSON, no database)
  today     GET /api/v1/courses/{id}/today     (auth + course + dose log + projection)
  timeline  GET /api/v1/courses/{id}/timeline  (auth + course + dose log + phases and milestones)
It prints requests/s, p50 and p99 for each and the ratio to the floor, then the two views again
with the view cache off (VIEW_CACHE_SIZE=0): the cost of recomputing them on every request.

    .venv/bin/python bench/api_cost.py [--seconds 8] [--connections 4] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(env: dict[str, str], days: int) -> tuple[str, str]:
    """Create a patient and a course whose dose log covers `days` days (two doses a day)."""
    os.environ.update(env)
    from flask_migrate import upgrade

    from backend import create_app
    from backend.extensions import db
    from backend.models import DoseLog
    from backend.services import accounts, courses

    app = create_app()
    with app.app_context():
        upgrade()
        patient, _device, token = accounts.create_patient("bench")
        start = date.today() - timedelta(days=days)
        course = courses.create_course(
            patient.id,
            {
                "start_date": start,
                "weight_kg": 70.0,
                "target_mg_per_kg": 150.0,
                "timezone": "Europe/Berlin",
                "product": "standard",
                "programme": "eu_ppp",
                "pregnancy_prevention": True,
                "dose_plan": [
                    {
                        "from_date": start,
                        "daily_mg": 40.0,
                        "doses_per_day": 2,
                        "dose_times": [dtime(8, 0), dtime(20, 0)],
                    },
                    {
                        "from_date": start + timedelta(days=60),
                        "cycle_mg": [40.0, 80.0],
                        "doses_per_day": 2,
                        "dose_times": [dtime(8, 0), dtime(20, 0)],
                    },
                ],
                "ended_on": None,
            },
        )
        rows = []
        for offset in range(days):
            day = start + timedelta(days=offset)
            for slot in (1, 2):
                skipped = offset % 17 == 0 and slot == 2
                rows.append(
                    DoseLog(
                        id=str(uuid.uuid4()),
                        course_id=course.id,
                        date=day,
                        slot=slot,
                        status="skipped" if skipped else "taken",
                        mg=20.0 if offset < 60 else 30.0,
                        taken_at=None if skipped else datetime.combine(day, dtime(7 + slot, 5), UTC),
                    )
                )
        db.session.add_all(rows)
        db.session.commit()
        return course.id, token


def run_wrk(url: str, token: str | None, seconds: int, connections: int) -> dict[str, float]:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", url]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"non-2xx answers from {url}:\n{out}")

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": latency("50"), "p99": latency("99")}


def measure(
    env: dict[str, str], paths: list[tuple[str, str, str | None]], seconds: int, connections: int
) -> list[tuple[str, dict[str, float]]]:
    """Serve the app with gunicorn (2 sync workers) under `env` and load each path with wrk."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for _label, path, token in paths:  # warm up every worker
            run_wrk(base + path, token, 1, connections)
        return [(label, run_wrk(base + path, token, seconds, connections)) for label, path, token in paths]
    finally:
        server.terminate()
        server.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--days", type=int, default=182, help="length of the seeded dose log")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: scripts/install-apt-packages wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    env = {
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.db'}",
        "INSTANCE_PATH": str(workdir),
        "RATELIMIT_ENABLED": "0",
    }
    course_id, token = seed(env, args.days)
    paths = [
        ("floor: GET /api/v1/version", "/api/v1/version", None),
        ("GET /courses/{id}/today", f"/api/v1/courses/{course_id}/today", token),
        ("GET /courses/{id}/timeline", f"/api/v1/courses/{course_id}/timeline", token),
    ]
    results = measure(env, paths, args.seconds, args.connections)
    # The same views recomputed on every request (as after each dose write, or on a new day).
    results += [
        (label + " (uncached)", r)
        for label, r in measure({**env, "VIEW_CACHE_SIZE": "0"}, paths[1:], args.seconds, args.connections)
    ]

    floor = results[0][1]
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"\nAPI cost over the framework floor — gunicorn 2 sync workers, wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s, {engine}, dose log of {args.days} days × 2 doses\n"
    )
    print("| endpoint | req/s | p50 ms | p99 ms | p50 × floor | p99 × floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in results:
        print(
            f"| {label} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['p50'] / floor['p50']:.2f} | {r['p99'] / floor['p99']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
