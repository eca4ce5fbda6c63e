"""Load: 200 concurrent patients living their day (bench/locustfile.py) on SQLite and on PostgreSQL.

For each database: a fresh database (an SQLite file; a throw-away PostgreSQL database through
``--pg-admin-url``) migrated with the real migrations, the real server (``python -m backend.serve
--no-scheduler``: Granian, ``--workers`` x ``--threads``), ``--users`` patients each with a course
created over the API beforehand, then Locust (headless) ramps to ``--users`` at ``--spawn-rate`` per
second and holds for the rest of ``--duration``. Prints req/s, p50, p99 and errors per endpoint from
Locust's CSV, for the whole run and for the plateau (Locust's stats history after the ramp).

Rate limits stay on, but raised: every simulated patient comes from 127.0.0.1, one bucket per address.

    .venv/bin/python bench/load_day.py                        # 200 users, 3 min each, SQLite and PostgreSQL
    .venv/bin/python bench/load_day.py --database sqlite --users 50 --duration 60
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.dbtools import throwaway_postgres  # noqa: E402

AIM_P99_MS = 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(database_url: str, workdir: Path, workers: int, threads: int) -> Iterator[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(workdir / "instance"),
        "VAPID_SUBJECT": "mailto:load-test@clearcourse.dev",
        "RATELIMIT_DEFAULT": "1000000 per minute",
        "ACCOUNT_CREATE_LIMIT": "100000 per hour",
        "CLEARCOURSE_ENV": "production",
    }
    subprocess.run(
        [str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "db", "upgrade"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    log = open(workdir / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.serve",
            "--no-scheduler",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            time.sleep(0.2)
        else:
            raise SystemExit(f"server did not start; see {workdir / 'server.log'}")
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def make_patients(base: str, count: int) -> list[dict]:
    start = date.today() - timedelta(days=90)

    def one(_: int) -> dict:
        s = requests.Session()
        patient = s.post(f"{base}/api/v1/patients", timeout=30)
        patient.raise_for_status()
        token = patient.json()["token"]
        s.headers["Authorization"] = f"Bearer {token}"
        body = {
            "start_date": start.isoformat(),
            "weight_kg": 70,
            "target_mg_per_kg": 120,
            "timezone": "Europe/Berlin",
            "product": "standard",
            "programme": "eu_ppp",
            "pregnancy_prevention": False,
            "dose_plan": [
                {
                    "from_date": start.isoformat(),
                    "daily_mg": 40,
                    "doses_per_day": 2,
                    "dose_times": ["08:00", "20:00"],
                }
            ],
        }
        course = s.post(f"{base}/api/v1/courses", json=body, timeout=30)
        course.raise_for_status()
        return {"token": token, "course_id": course.json()["id"], "start": start.isoformat()}

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def run_locust(base: str, patients: list[dict], workdir: Path, args: argparse.Namespace) -> Path:
    pfile = workdir / "patients.json"
    pfile.write_text(json.dumps(patients))
    prefix = workdir / "locust"
    env = {**os.environ, "LOAD_PATIENTS": str(pfile)}
    subprocess.run(
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(REPO / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            f"{args.duration}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--csv-full-history",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=REPO,
        env=env,
        check=False,
        timeout=args.duration + 300,
    )
    return prefix


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return float("nan")


def report(engine: str, prefix: Path, args: argparse.Namespace) -> None:
    with open(f"{prefix}_stats.csv") as fh:
        rows = list(csv.DictReader(fh))
    ramp = args.users / args.spawn_rate
    plateau: dict[str, list[dict]] = {}
    with open(f"{prefix}_stats_history.csv") as fh:
        history = list(csv.DictReader(fh))
    if history:
        t0 = int(history[0]["Timestamp"])
        for h in history:
            if int(h["Timestamp"]) - t0 >= ramp + 5 and int(h["User Count"]) >= args.users:
                plateau.setdefault(h["Name"], []).append(h)
    print(
        f"\n### {engine}: {args.users} patients, ramp {args.spawn_rate}/s, {args.duration} s, "
        f"think {os.environ.get('LOAD_THINK_MIN', '2')}-{os.environ.get('LOAD_THINK_MAX', '6')} s, "
        f"{args.workers} workers x {args.threads} threads\n"
    )
    print("| endpoint | requests | errors | req/s | p50 ms | p99 ms | max ms | p99, last 10 s at full load |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "**all**"
        last = plateau.get(r["Name"], [])
        p99_plateau = last[-1]["99%"] if last else "-"
        print(
            f"| {name} | {r['Request Count']} | {r['Failure Count']} "
            f"| {_float(r['Requests/s']):.1f} "
            f"| {r['50%']} | {r['99%']} | {_float(r['Max Response Time']):.0f} | {p99_plateau} |"
        )
    agg = next(r for r in rows if r["Name"] == "Aggregated")
    met = int(agg["Failure Count"]) == 0 and _float(agg["99%"]) < AIM_P99_MS
    print(f"\naim (0 errors, p99 < {AIM_P99_MS} ms): {'met' if met else 'NOT met'}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists() and failures.read_text().count("\n") > 1:
        print("\nfailures:\n```\n" + failures.read_text()[:2000] + "```")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=180)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("REMINDERS_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    engines = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for engine in engines:
        workdir = Path(tempfile.mkdtemp(prefix=f"load-{engine}-"))
        try:
            with contextlib.ExitStack() as stack:
                if engine == "sqlite":
                    url = f"sqlite:///{workdir / 'load.db'}"
                else:
                    url = stack.enter_context(throwaway_postgres(args.pg_admin_url, "cc_load"))
                base = stack.enter_context(server(url, workdir, args.workers, args.threads))
                patients = make_patients(base, args.users)
                prefix = run_locust(base, patients, workdir, args)
                report("SQLite" if engine == "sqlite" else "PostgreSQL", prefix, args)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
