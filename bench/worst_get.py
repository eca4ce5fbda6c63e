"""The worst-case cost of every GET, for the biggest patient the caps allow, against GET /api/v1/version.

Seeds one patient at every per-patient cap: MAX_COURSES_PER_PATIENT courses, all live, each started
the earliest a course may (2 years back) with a 60-segment plan (the schema's maximum) and a full dose
log (two doses a day from 30 days before the start, the earliest a dose may be), a check-in every day
with every effect, every red flag and a 2,000-character note (the maxima), a mood check every week;
MAX_APPOINTMENTS_PER_PATIENT appointments, MAX_PICKUPS_PER_PATIENT pick-ups and
MAX_CALENDAR_FEEDS_PER_PATIENT feeds (with doses) and MAX_PAUSES_PER_PATIENT one-day pauses on one
course; MAX_DEVICES_PER_PATIENT devices and MAX_PUSH_SUBSCRIPTIONS_PER_PATIENT push subscriptions; the data
export and the longest report PDF made by the worker's code (timed and printed: no web request makes them).
Then serves the app as the README does
(`python -m backend.serve`, one worker and one thread so requests do not overlap, view cache off so
every computed view is a miss) and asks every GET route of the app's URL map, with its most
expensive parameters (the longest report period, the widest upcoming window, whole lists), on a
keep-alive connection, in `--rounds` sweeps of every route, each in a new shuffled order: per route and
round, `--repeat` × 2 requests of GET /api/v1/version (the floor beside it), two warm-ups and `--repeat`
timed requests. A route's ratio is the median of its rounds' ratios: the same measurement repeated at
three moments, so a passing disturbance on a shared machine decides one round, not the route (the table
shows each route's worst round too). Prints a table sorted by that ratio.

    .venv/bin/python bench/worst_get.py [--repeat 5] [--rounds 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_cost import free_port  # noqa: E402

AIM = 50.0
ZONE = "Europe/Berlin"


def _plan(start: date, today: date) -> list[dict]:
    """60 segments (the most a plan may have) over the course, fixed and cyclic doses alternating."""
    step = max(1, (today - start).days // 60)
    segments = []
    for k in range(60):
        segment = {
            "from_date": start + timedelta(days=k * step),
            "doses_per_day": 2,
            "dose_times": [dtime(8, 0), dtime(20, 0)],
        }
        if k % 2:
            segment["cycle_mg"] = [float(20 + (i % 3) * 10) for i in range(14)]
        else:
            segment["daily_mg"] = 40.0
        segments.append(segment)
    return segments


def seed(env: dict[str, str]) -> dict:
    """The biggest patient the caps allow; returns the token and the ids the routes need."""
    os.environ.update(env)
    from flask_migrate import upgrade

    from backend import create_app
    from backend.api.schemas.record import EFFECT_KEYS, RED_FLAG_KEYS
    from backend.auth import issue_device_token
    from backend.extensions import db
    from backend.models import (
        Appointment,
        CheckIn,
        CoursePause,
        DoseLog,
        FileJob,
        MoodCheck,
        Patient,
        PushSubscription,
        PushTest,
        SupplyPickup,
    )
    from backend.reminders.file_jobs import run_file_jobs
    from backend.services import accounts, calendar_feeds, caregivers, courses

    app = create_app()
    config = app.config
    with app.app_context():
        upgrade()
        patient, _device, token = accounts.create_patient("bench")
        today = datetime.now(UTC).date()
        start = today - timedelta(days=730)
        course_ids = []
        for n in range(config["MAX_COURSES_PER_PATIENT"]):
            course = courses.create_course(
                patient.id,
                {
                    "start_date": start,
                    "weight_kg": 70.0,
                    "target_mg_per_kg": 150.0,
                    "timezone": ZONE,
                    "product": "standard",
                    "programme": "eu_ppp",
                    "pregnancy_prevention": True,
                    "dose_plan": _plan(start, today),
                    "ended_on": None,
                },
            )
            course_ids.append(course.id)
            first = start - timedelta(days=30)
            days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
            db.session.add_all(
                DoseLog(
                    id=str(uuid.uuid4()),
                    course_id=course.id,
                    date=day,
                    slot=slot,
                    status="skipped" if (i + n) % 13 == 0 else "taken",
                    mg=20.0,
                    taken_at=datetime.combine(day, dtime(6 + slot, 5), UTC),
                )
                for i, day in enumerate(days)
                for slot in (1, 2)
            )
            db.session.add_all(
                CheckIn(
                    course_id=course.id,
                    date=day,
                    skin=i % 11,
                    effects={k: 3 for k in EFFECT_KEYS},
                    red_flags=list(RED_FLAG_KEYS),
                    note=("note " * 400)[:2000],
                )
                for i, day in enumerate(days)
            )
            weeks = sorted({f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days if d >= start})
            db.session.add_all(
                MoodCheck(
                    course_id=course.id,
                    week=week,
                    answered_on=today,
                    interest="several_days",
                    low_mood="several_days",
                    self_harm_thoughts=False,
                    sexual_function="some_change",
                )
                for week in weeks
            )
            db.session.commit()
        target = course_ids[0]
        db.session.add_all(
            Appointment(
                course_id=target,
                kind=("blood_test", "dermatologist_visit", "pregnancy_test")[i % 3],
                starts_at_local=datetime.combine(start + timedelta(days=i * 4), dtime(9, 30)),
                place="Clinic " * 10,
                fasting=i % 2 == 0,
            )
            for i in range(config["MAX_APPOINTMENTS_PER_PATIENT"])
        )
        db.session.add_all(
            SupplyPickup(
                course_id=target, picked_up_on=start + timedelta(days=i * 3), capsules=30, strength_mg=20
            )
            for i in range(config["MAX_PICKUPS_PER_PATIENT"])
        )
        db.session.add_all(  # one-day pauses, every third day: as many as the cap allows
            CoursePause(
                course_id=target,
                started_on=start + timedelta(days=i * 3 + 1),
                resumed_on=start + timedelta(days=i * 3 + 2),
                reason="prescriber",
            )
            for i in range(config["MAX_PAUSES_PER_PATIENT"])
        )
        db.session.commit()
        feed_token = None
        for _ in range(config["MAX_CALENDAR_FEEDS_PER_PATIENT"]):
            _feed, feed_token = calendar_feeds.create_feed(
                patient.id, db.session.get(type(course), target), True
            )
        owner = db.session.get(Patient, patient.id)
        for i in range(config["MAX_DEVICES_PER_PATIENT"] - 1):
            issue_device_token(owner, f"phone {i}")
        db.session.add_all(
            PushSubscription(
                patient_id=patient.id,
                endpoint=f"https://fcm.googleapis.com/fcm/send/bench-{i}",
                p256dh="B" + "A" * 86,
                auth="A" * 22,
                user_agent="Bench browser",
            )
            for i in range(config["MAX_PUSH_SUBSCRIPTIONS_PER_PATIENT"])
        )
        code, _invite = caregivers.create_invite(db.session.get(type(course), target), timedelta(hours=1))
        caregiver, _caregiver_token = caregivers.join(code, config["MAX_CAREGIVERS_PER_COURSE"])
        test = PushTest(patient_id=patient.id, status="done", results=[])
        db.session.add(test)
        db.session.commit()
        # The files the worker makes (never a web request): the whole export and the longest report PDF,
        # made here as the worker makes them, timed; the GETs below read their status and the export.
        made = {}
        for kind, params in (
            ("export", {"language": "en"}),
            (
                "report_pdf",
                {
                    "course_id": target,
                    "from": (today - timedelta(days=399)).isoformat(),
                    "to": today.isoformat(),
                    "paper": "a4",
                    "language": "en",
                },
            ),
        ):
            job = FileJob(patient_id=patient.id, kind=kind, params=params, status="queued")
            db.session.add(job)
            db.session.commit()
            job_id = job.id
            started = time.perf_counter()
            run_file_jobs(app)
            db.session.expire_all()  # the worker committed in a session of its own
            done = db.session.get(FileJob, job_id)
            made[kind] = (job_id, time.perf_counter() - started, done.size, done.status)
            print(
                f"worker made {kind}: {done.status} ({done.error}), {done.size or 0:,} bytes stored, "
                f"{made[kind][1]:.1f} s",
                flush=True,
            )
        appointment = db.session.scalars(
            db.select(Appointment.id).where(Appointment.course_id == target)
        ).first()
        dose = db.session.scalars(db.select(DoseLog.id).where(DoseLog.course_id == target)).first()
        pause = db.session.scalars(db.select(CoursePause.id).where(CoursePause.course_id == target)).first()
        device = accounts.list_devices(patient.id)[-1].id
        return {
            "token": token,
            "course": target,
            "appointment": appointment,
            "dose": dose,
            "pause": pause,
            "device": device,
            "push_test": test.id,
            "file_job": made["export"][0],
            "caregiver": caregiver.id,
            "feed_token": feed_token,
            "today": datetime.now(UTC).date(),
            "metrics_token": config["METRICS_TOKEN"],
            "rules": app.url_map,
        }


def reuse(env: dict[str, str], kept: Path) -> dict:
    """The ids of a patient seeded by an earlier run with the same --workdir (its database is kept there)."""
    os.environ.update(env)
    from backend import create_app

    seeded = json.loads(kept.read_text())
    seeded["today"] = date.fromisoformat(seeded["today"])
    seeded["rules"] = create_app().url_map
    return seeded


def worst_paths(seeded: dict, dist: Path) -> dict[str, str]:
    """Every GET rule of the URL map → the most expensive URL for it."""
    today: date = seeded["today"]
    asset = next((dist / "assets").glob("*.js"), None) if (dist / "assets").is_dir() else None
    values = {
        "course_id": seeded["course"],
        "appointment_id": seeded["appointment"],
        "dose_id": seeded["dose"],
        "pause_id": seeded["pause"],
        "device_id": seeded["device"],
        "test_id": seeded["push_test"],
        "job_id": seeded["file_job"],
        "caregiver_id": seeded["caregiver"],
        "token": seeded["feed_token"],
        "day": (today - timedelta(days=3)).isoformat(),
        "filename": "swagger-ui-bundle.js",
        "path": f"assets/{asset.name}" if asset else "settings",
    }
    queries = {
        "/api/v1/courses/<string:course_id>/report": f"?to={today.isoformat()}",
        "/api/v1/reminders/upcoming": f"?from={today}&to={today + timedelta(days=31)}",  # the widest window
        "/api/v1/courses/<string:course_id>/checkins": "?limit=31",  # the largest page
        "/api/v1/courses/<string:course_id>/doses": "?limit=100",
        "/api/v1/courses/<string:course_id>/appointments": "?limit=100",
    }
    paths = {}
    for rule in seeded["rules"].iter_rules():
        if "GET" not in rule.methods:
            continue
        path = rule.rule
        for name in rule.arguments:
            for converter in ("string:", "app_path:", ""):
                path = path.replace(f"<{converter}{name}>", values[name])
        paths[rule.rule] = path + queries.get(rule.rule, "")
    return paths


def timed(
    conn: http.client.HTTPConnection, path: str, headers: dict[str, str], repeat: int
) -> tuple[list[float], int]:
    samples, status = [], 0
    for i in range(repeat + 2):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        status = response.status
        if i >= 2:  # two warm-ups
            samples.append(elapsed)
    return samples, status


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="sweep every route this many times, in a new shuffled order each round: a passing "
        "disturbance on a shared machine then decides one round of a route, not its ratio",
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep the seeded SQLite patient here and reuse it on the next run (skips seeding)",
    )
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="worst-get-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": args.database_url or f"sqlite:///{work / 'bench.db'}",
        "INSTANCE_PATH": str(work / "instance"),
        "VAPID_SUBJECT": "mailto:bench@clearcourse.dev",
        "RATELIMIT_ENABLED": "0",
        "VIEW_CACHE_SIZE": "0",
        "METRICS_TOKEN": "bench-metrics-token",
    }
    kept = work / "seeded.json"
    if args.workdir and kept.exists():
        seeded = reuse(env, kept)
        print(f"reusing the patient seeded in {work}", flush=True)
    else:
        print("seeding the biggest patient the caps allow…", flush=True)
        started = time.monotonic()
        seeded = seed(env)
        print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
        if args.workdir:
            kept.write_text(json.dumps({k: v for k, v in seeded.items() if k != "rules"}, default=str))
    from backend.config import Config

    paths = worst_paths(seeded, Path(Config.FRONTEND_DIST))
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "1",
            "--no-scheduler",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for _ in range(300):
            try:
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                conn.close()
                time.sleep(0.2)
        auth = {"Authorization": f"Bearer {seeded['token']}", "Accept-Encoding": "br, gzip"}
        metrics = {"Authorization": f"Bearer {seeded['metrics_token']}"}
        baseline, _ = timed(conn, "/api/v1/version", auth, args.repeat * 4)
        rounds: dict[str, list[tuple[int, float, float, float]]] = {rule: [] for rule in paths}
        shuffle = random.Random(0).shuffle
        for _ in range(args.rounds):
            order = sorted(paths.items())
            shuffle(order)
            for rule, path in order:
                # The floor again just before each route: on a shared machine the speed drifts during a run,
                # and each route is compared with the floor measured beside it.
                beside, _ = timed(conn, "/api/v1/version", auth, args.repeat * 2)
                samples, status = timed(conn, path, metrics if rule == "/metrics" else auth, args.repeat)
                rounds[rule].append(
                    (status, statistics.median(samples), max(samples), statistics.median(beside))
                )
        rows = []
        for rule, taken in rounds.items():
            ratios = [median / floor for _, median, _, floor in taken]
            rows.append(
                (
                    rule,
                    taken[-1][0],
                    statistics.median(m for _, m, _, _ in taken),
                    max(most for _, _, most, _ in taken),
                    statistics.median(f for _, _, _, f in taken),
                    statistics.median(ratios),
                    max(ratios),
                )
            )
        after, _ = timed(conn, "/api/v1/version", auth, args.repeat * 4)
        base = statistics.median(baseline + after)
    finally:
        server.terminate()
        server.wait(30)

    print(
        f"\nbaseline GET /api/v1/version: median {base * 1000:.2f} ms "
        f"({len(baseline) + len(after)} requests, before and after the routes). {args.rounds} rounds, each "
        f"route in a new shuffled order per round: {args.repeat} timed requests of the route after "
        f"{args.repeat * 2} of GET /api/v1/version just before it; a route's ratio is the median of its "
        "rounds' ratios (its worst round beside it)\n"
    )
    print("| GET route | status | median ms | max ms | version beside it, ms | × version | worst round |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for rule, status, median, most, beside, ratio, worst_round in sorted(rows, key=lambda r: -r[5]):
        worst = max(worst, ratio)
        flag = " **over 50×**" if ratio > AIM else ""
        print(
            f"| `{rule}` | {status} | {median * 1000:.1f} | {most * 1000:.1f} | {beside * 1000:.2f} "
            f"| {ratio:.1f}{flag} | {worst_round:.1f} |"
        )
    print(f"\nworst: {worst:.1f}× (aim: none above {AIM:.0f}×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
