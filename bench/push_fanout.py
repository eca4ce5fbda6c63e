"""Push fan-out benchmark: naive ``webpush()`` loop vs ``PushSender.send_many`` vs the dispatcher.

All three run against the local push service (tests/support/push_service.py, in a child process so
it does not share our GIL) over HTTPS with a throw-away test CA; the service verifies VAPID, decrypts
every body and answers each POST after ``--delay`` seconds (default 50 ms, roughly a real push
service's latency). Side by side in one run:

(a) naive: what tutorials do, one ``pywebpush.webpush()`` call per message (a few hundred messages);
(b) ``PushSender.send_many`` on ``--messages`` prepared messages (no database);
(c) the dispatcher end to end on ``--reminders`` due reminders: a fresh database (an SQLite file, or
    ``--database-url``) is seeded with one patient, course, dose rule, push subscription (minted by
    the push service) and due occurrence per reminder, then ``run_tick`` runs until nothing is left:
    claim -> prepare deliveries -> commit -> encrypt + send -> record.

Every run is verified: each message decrypted by the service exactly once with the expected payload,
no verification failures; for (c) also every occurrence ``sent`` with exactly one ``sent`` delivery
row. The script exits 1 when a check fails.

    .venv/bin/python bench/push_fanout.py                  # 200 naive; 10,000 sender; 10,000 dispatcher
    .venv/bin/python bench/push_fanout.py --quick          # 30 naive; 1,000 sender; 1,000 dispatcher
    .venv/bin/python bench/push_fanout.py --postgres       # (c) on a throw-away PostgreSQL database
    .venv/bin/python bench/push_fanout.py --database-url postgresql+psycopg://postgres@127.0.0.1/empty_db
    .venv/bin/python bench/push_fanout.py --batch-size 2000 --concurrency 512 --profile

``--postgres`` creates a database through ``--pg-admin-url`` (default postgres@127.0.0.1:5432) and
drops it at the end; ``--database-url`` must name an EMPTY database (the script refuses one with
tables). Either way each run builds the schema with the real migrations and drops its tables after.

CPU columns are CPU time per message (load-independent, unlike msg/s): this process (sender +
SQLAlchemy + SQLite), the push service process and, on PostgreSQL on this machine, the database
server backends.

``run_sender_fanout(messages, service)`` and ``run_dispatcher(...)`` are reusable.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import functools
import json
import logging
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric import ec

from backend.push.sender import PushMessage, PushResult, PushSender, PushTarget, make_topic
from backend.push.vapid import VapidKeys
from bench.dbtools import check_empty, drop_everything, patient_course_rule_rows, throwaway_postgres
from tests.support.push_service import PushService, PushServiceProcess

Service = PushService | PushServiceProcess

SUBJECT = "mailto:push-bench@clearcourse.example.org"


class VerificationError(AssertionError):
    """A benchmark run did not deliver exactly what it should have."""


@dataclass
class Run:
    label: str
    messages: int
    seconds: float
    results: list[PushResult] | None = None
    client_cpu: float | None = None  # CPU seconds used by this process during the run
    service_cpu: float | None = None  # CPU seconds used by the push service process, if known
    db_cpu: float | None = None  # CPU seconds of the PostgreSQL backends, if known
    phases: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # name -> wall, cpu, calls
    notes: str = ""

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else float("inf")


def make_messages(service: Service, count: int, *, prefix: str = "m") -> list[PushMessage]:
    """``count`` messages, each to its own new subscription of ``service``."""
    messages = []
    for i, sub in enumerate(service.new_subscriptions(count)):
        target = PushTarget(
            subscription_id=service.subscription_id(sub),
            endpoint=sub["endpoint"],
            p256dh=sub["keys"]["p256dh"],
            auth=sub["keys"]["auth"],
        )
        payload = {"id": f"{prefix}{i}", "kind": "dose", "title": "Time for your capsule", "url": "/today"}
        messages.append(
            PushMessage(target, payload, ttl=3600, urgency="high", topic=make_topic(f"{prefix}{i}"))
        )
    return messages


def verify_exactly_once(service: Service, messages: Sequence[PushMessage]) -> None:
    """Raise VerificationError unless the service decrypted each message exactly once, and nothing else."""
    verify_deliveries(service, {m.target.subscription_id: m.payload for m in messages})


def verify_deliveries(
    service: Service, expected: dict[str, Any], headers: dict[str, dict[str, str]] | None = None
) -> None:
    """Each push-service subscription id in ``expected`` got exactly its payload, once; nothing else.

    ``headers`` (optional): per subscription id, header values the request must have carried.
    """
    failures = service.failures
    if failures:
        raise VerificationError(f"push service refused {len(failures)} requests, e.g. {failures[:3]}")
    deliveries = service.deliveries()
    counts = Counter(d.subscription_id for d in deliveries)
    if (
        len(deliveries) != len(expected)
        or set(counts) != set(expected)
        or any(c != 1 for c in counts.values())
    ):
        dupes = sum(1 for c in counts.values() if c > 1)
        missing = len(set(expected) - set(counts))
        raise VerificationError(
            f"{len(deliveries)} deliveries for {len(expected)} messages: {dupes} dup, {missing} missing"
        )
    for d in deliveries:
        if d.payload != expected[d.subscription_id]:
            raise VerificationError(f"payload mismatch for {d.subscription_id}: {d.payload}")
        for name, value in (headers or {}).get(d.subscription_id, {}).items():
            if d.headers.get(name) != value:
                raise VerificationError(f"{name} {d.headers.get(name)!r} != {value!r} ({d.subscription_id})")


def run_sender_fanout(
    messages: Sequence[PushMessage],
    service: Service,
    *,
    vapid: VapidKeys | None = None,
    concurrency: int = 256,
    verify: bool = True,
) -> Run:
    """Send ``messages`` with one ``PushSender.send_many`` call; time it and (by default) verify."""
    vapid = vapid or VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT)
    sender = PushSender(vapid, concurrency=concurrency, ca_bundle=service.ca_path)
    service.reset()
    service_cpu = _service_cpu(service)
    cpu = time.process_time()
    started = time.perf_counter()
    results = sender.send_many(messages)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    service_cpu = _cpu_delta(service, service_cpu)
    if not all(r.ok for r in results):
        bad = [r for r in results if not r.ok][:3]
        raise VerificationError(f"{sum(not r.ok for r in results)} messages failed, e.g. {bad}")
    if verify:
        verify_exactly_once(service, messages)
    label = f"(b) PushSender.send_many ({concurrency} in flight)"
    return Run(label, len(messages), seconds, results, client_cpu=cpu, service_cpu=service_cpu)


def run_naive_loop(messages: Sequence[PushMessage], service: Service) -> Run:
    """What tutorials do: one ``pywebpush.webpush()`` call per message, in a loop."""
    from pywebpush import webpush

    key = ec.generate_private_key(ec.SECP256R1())
    private_key = base64.urlsafe_b64encode(key.private_numbers().private_value.to_bytes(32, "big")).decode()
    claims: dict = {"sub": SUBJECT}
    saved = os.environ.get("REQUESTS_CA_BUNDLE")
    if service.ca_path:
        os.environ["REQUESTS_CA_BUNDLE"] = service.ca_path
    service.reset()
    service_cpu = _service_cpu(service)
    cpu = time.process_time()
    try:
        started = time.perf_counter()
        for m in messages:
            webpush(
                subscription_info={
                    "endpoint": m.target.endpoint,
                    "keys": {"p256dh": m.target.p256dh, "auth": m.target.auth},
                },
                data=json.dumps(m.payload),
                vapid_private_key=private_key,
                vapid_claims=claims,
                ttl=m.ttl,
                timeout=10,
            )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    finally:
        if saved is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = saved
    verify_exactly_once(service, messages)
    return Run(
        "(a) naive webpush() loop",
        len(messages),
        seconds,
        client_cpu=cpu,
        service_cpu=_cpu_delta(service, service_cpu),
    )


def encryption_cost(messages: Sequence[PushMessage]) -> float:
    """CPU seconds per message of pywebpush's aes128gcm encryption alone (what send_async does first)."""
    from pywebpush import WebPusher

    from backend.push.sender import encode_payload

    cpu = time.process_time()
    for m in messages:
        info = {"endpoint": m.target.endpoint, "keys": {"p256dh": m.target.p256dh, "auth": m.target.auth}}
        WebPusher(info).encode(encode_payload(m.payload), "aes128gcm")
    return (time.process_time() - cpu) / max(1, len(messages))


# -------------------------------------------------------------------------------------------------
# (c) The dispatcher end to end
# -------------------------------------------------------------------------------------------------


class PhaseTimer:
    """Wall and CPU time spent in named functions (wrapped in place for one run)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()

    def wrap(self, name: str, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.wall[name] += time.perf_counter() - wall
                self.cpu[name] += time.process_time() - cpu
                self.calls[name] += 1

        return timed

    def as_dict(self) -> dict[str, tuple[float, float, int]]:
        return {name: (self.wall[name], self.cpu[name], self.calls[name]) for name in self.wall}


@contextlib.contextmanager
def _patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    saved = obj.__dict__.get(name, _MISSING)
    setattr(obj, name, value)
    try:
        yield
    finally:
        if saved is _MISSING:
            delattr(obj, name)
        else:
            setattr(obj, name, saved)


_MISSING = object()


def _make_app(
    database_url: str,
    instance: str,
    *,
    concurrency: int,
    batch_size: int,
    max_batches: int,
    ca_path: str | None,
    sender_process: bool = False,
):
    from backend import create_app
    from backend.config import Config

    config = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_PATH=instance,
        ENV_NAME="benchmark",
        VAPID_PRIVATE_KEY=_new_vapid_key_pem(),
        VAPID_SUBJECT=SUBJECT,
        PUSH_ALLOW_LOCAL_ENDPOINTS=True,
        PUSH_CA_BUNDLE=ca_path,
        PUSH_CONCURRENCY=concurrency,
        REMINDER_BATCH_SIZE=batch_size,
        REMINDER_MAX_BATCHES=max_batches,
        RATELIMIT_ENABLED=False,
        PUSH_SENDER_PROCESS=sender_process,
    )
    app = create_app(config)
    logging.getLogger().setLevel(logging.WARNING)  # create_app sets INFO; a tick logs per pass
    return app


def _new_vapid_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode("ascii")


def seed_due_reminders(subscriptions: Sequence[dict], now: datetime) -> dict[str, dict]:
    """Bulk-insert one patient, course, dose rule, subscription and due occurrence per subscription.

    Needs an app context. Returns, per push-service subscription id, the expected payload and headers.
    """
    from sqlalchemy import insert

    from backend.extensions import db
    from backend.models import Course, Patient, PushSubscription, ReminderOccurrence, ReminderRule
    from backend.reminders import texts

    patients, courses, rules, subs, occurrences = [], [], [], [], []
    expected: dict[str, dict] = {}
    today = now.date().isoformat()
    for i, info in enumerate(subscriptions):
        patient, course, rule = patient_course_rule_rows(now)
        patient_id, course_id, rule_id = patient["id"], course["id"], rule["id"]
        occ_id = str(uuid.uuid4())
        patients.append(patient)
        courses.append(course)
        rules.append(rule)
        subs.append(
            {
                "id": str(uuid.uuid4()),
                "patient_id": patient_id,
                "endpoint": info["endpoint"],
                "p256dh": info["keys"]["p256dh"],
                "auth": info["keys"]["auth"],
                "created_at": now,
                "last_seen_at": now,
                "failure_count": 0,
            }
        )
        data = {
            "course_id": course_id,
            "date": today,
            "slot": 1,
            "mg": 20,
            "slots_today": 1,
            "dose_time": "08:00",
            "with_meal": True,
        }
        occurrences.append(
            {
                "id": occ_id,
                "rule_id": rule_id,
                "patient_id": patient_id,
                "occurrence_key": f"{today}:1",
                "kind": "dose",
                "fires_at": now - timedelta(seconds=60, milliseconds=i % 60_000),
                "expires_at": now + timedelta(hours=1),
                "status": "pending",
                "attempts": 0,
                "data": data,
                "one_off": False,
                "created_at": now,
            }
        )
        sid = PushService.subscription_id(info)
        expected[sid] = {
            "payload": texts.payload(kind="dose", data=data, occurrence_id=occ_id, reminder_id=rule_id),
            "headers": {"Urgency": "high", "Topic": make_topic(occ_id)},
        }
    for model, rows in (
        (Patient, patients),
        (Course, courses),
        (ReminderRule, rules),
        (PushSubscription, subs),
        (ReminderOccurrence, occurrences),
    ):
        db.session.execute(insert(model), rows)
    db.session.commit()
    return expected


def verify_database(count: int) -> None:
    """Every occurrence is ``sent`` and has exactly one delivery row, ``sent``. Needs an app context."""
    from sqlalchemy import func, select

    from backend.extensions import db
    from backend.models import ReminderDelivery, ReminderOccurrence

    occ = dict(
        db.session.execute(
            select(ReminderOccurrence.status, func.count()).group_by(ReminderOccurrence.status)
        ).all()
    )
    if occ != {"sent": count}:
        raise VerificationError(f"occurrence statuses {occ}, expected {{'sent': {count}}}")
    rows, distinct, sent = db.session.execute(
        select(
            func.count(),
            func.count(func.distinct(ReminderDelivery.occurrence_id)),
            func.count().filter(ReminderDelivery.status == "sent"),
        )
    ).one()
    if not rows == distinct == sent == count:
        raise VerificationError(
            f"{rows} delivery rows for {distinct} occurrences ({sent} sent); expected {count} of each"
        )
    db.session.remove()


def _pg_backend_cpu(engine: Any) -> dict[int, float] | None:
    """CPU seconds per PostgreSQL backend of this database (server on this machine), else None."""
    if engine.dialect.name != "postgresql":
        return None
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    # A connection of its own: one from the app's pool would be the dispatcher's and be excluded.
    monitor = create_engine(engine.url, poolclass=NullPool)
    with monitor.connect() as conn:
        pids = conn.scalars(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        ).all()
    monitor.dispose()
    out = {}
    for pid in pids:
        cpu = _proc_cpu(pid)
        if cpu is None:
            return None
        out[pid] = cpu
    return out


def _proc_cpu(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run_dispatcher(
    service: Service,
    subscriptions: Sequence[dict],
    *,
    database_url: str | None = None,
    concurrency: int = 256,
    batch_size: int = 500,
    max_batches: int = 40,
    profile: cProfile.Profile | None = None,
) -> Run:
    """Seed a fresh database with ``len(subscriptions)`` due reminders and tick until all are sent.

    Times ``run_tick`` passes (claim -> prepare -> commit -> send -> record) from the first claim to
    the last record, then verifies at the push service and in the database.
    """
    from flask_migrate import upgrade

    from backend.extensions import db
    from backend.reminders import dispatch

    tmpdir = tempfile.mkdtemp(prefix="push-bench-dispatch-")
    url = database_url or f"sqlite:///{tmpdir}/bench.db"
    app = _make_app(
        url,
        os.path.join(tmpdir, "instance"),
        concurrency=concurrency,
        batch_size=batch_size,
        max_batches=max_batches,
        ca_path=service.ca_path,
    )
    engine = None
    try:
        with app.app_context():
            engine = db.engine
            if database_url:
                check_empty(engine)
            upgrade()
            now = datetime.now(UTC)
            expected = seed_due_reminders(subscriptions, now)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")  # what autovacuum would have done by the time they're due
            db.session.remove()
            dispatch.get_sender(app)  # VAPID keys and the sender built before the clock starts

        timer = PhaseTimer()
        passes = 0
        sent = 0
        service.reset()
        service_cpu = _service_cpu(service)
        db_cpu = _pg_backend_cpu(engine)
        with (
            _patched(dispatch, "claim_due_rows", timer.wrap("claim", dispatch.claim_due_rows)),
            _patched(dispatch, "_prepare", timer.wrap("prepare", dispatch._prepare)),
            _patched(dispatch, "_record", timer.wrap("record", dispatch._record)),
            _patched(dispatch, "_finish_batch", timer.wrap("finish", dispatch._finish_batch)),
        ):
            if profile is not None:
                profile.enable()
            cpu = time.process_time()
            started = time.perf_counter()
            while True:
                stats = dispatch.run_tick(app)
                passes += 1
                sent += stats.sent
                if stats.claimed == 0 or passes > 1000:
                    break
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            if profile is not None:
                profile.disable()
        service_cpu = _cpu_delta(service, service_cpu)
        db_after = _pg_backend_cpu(engine)
        db_used = (
            None
            if db_cpu is None or db_after is None
            else sum(v - db_cpu.get(pid, 0.0) for pid, v in db_after.items())
        )
        verify_deliveries(
            service,
            {sid: e["payload"] for sid, e in expected.items()},
            {sid: e["headers"] for sid, e in expected.items()},
        )
        with app.app_context():
            verify_database(len(subscriptions))
        if sent != len(subscriptions):
            raise VerificationError(f"run_tick reported {sent} sent, expected {len(subscriptions)}")
        engine_name = "PostgreSQL" if engine.dialect.name == "postgresql" else "SQLite"
        label = f"(c) dispatcher run_tick, {engine_name}"
        return Run(
            label,
            len(subscriptions),
            seconds,
            client_cpu=cpu,
            service_cpu=service_cpu,
            db_cpu=db_used,
            phases=timer.as_dict(),
            notes=f"{passes} ticks, batch {batch_size} x {max_batches}, {concurrency} in flight",
        )
    finally:
        if engine is not None:
            with app.app_context():
                db.session.remove()
                if database_url:
                    drop_everything(engine)
                engine.dispose()
        shutil.rmtree(tmpdir, ignore_errors=True)


# -------------------------------------------------------------------------------------------------
# Reporting
# -------------------------------------------------------------------------------------------------


def _service_cpu(service: Service) -> float | None:
    reader = getattr(service, "cpu_seconds", None)
    return reader() if reader else None


def _cpu_delta(service: Service, before: float | None) -> float | None:
    after = _service_cpu(service)
    return None if before is None or after is None else after - before


def print_table(runs: Sequence[Run], baseline: Run) -> None:
    def ms(cpu: float | None, run: Run) -> str:
        return "-" if cpu is None else f"{cpu * 1000 / run.messages:.2f}"

    print(
        "| method | messages | seconds | msg/s | vs naive | this process CPU ms/msg "
        "| push service CPU ms/msg | PostgreSQL CPU ms/msg |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for run in runs:
        print(
            f"| {run.label} | {run.messages:,} | {run.seconds:.2f} | {run.rate:,.0f} "
            f"| {run.rate / baseline.rate:,.1f}x | {ms(run.client_cpu, run)} | {ms(run.service_cpu, run)} "
            f"| {ms(run.db_cpu, run)} |"
        )


def print_phases(runs: Sequence[Run]) -> None:
    """Where the dispatcher's main thread spent its time, per run (sending runs beside it)."""
    print("| run | phase | calls | wall s | wall % | CPU ms/msg |")
    print("|---|---|--:|--:|--:|--:|")
    for i, run in enumerate(runs, 1):
        ph = run.phases
        record = ph.get("record", (0.0, 0.0, 0))
        finish = ph.get("finish", (0.0, 0.0, 0))
        rows = [
            ("claim (claim_due)", ph.get("claim", (0.0, 0.0, 0))),
            (
                "prepare: load + delivery rows + messages + commit (_prepare)",
                ph.get("prepare", (0.0, 0.0, 0)),
            ),
            ("record outcomes + commit (_record)", record),
            (
                "waiting for the oldest batch's sends (_finish_batch minus _record)",
                (finish[0] - record[0], finish[1] - record[1], finish[2]),
            ),
        ]
        accounted = sum(r[1][0] for r in rows)
        accounted_cpu = sum(r[1][1] for r in rows)
        cpu_total = run.client_cpu or 0.0
        rows.append(
            ("other (top-up, session cleanup)", (run.seconds - accounted, cpu_total - accounted_cpu, 0))
        )
        for name, (wall, cpu, calls) in rows:
            print(
                f"| {i} | {name} | {calls or ''} | {wall:.2f} | {100 * wall / run.seconds:.0f}% "
                f"| {1000 * cpu / run.messages:.3f} |"
            )


PROFILE_CATEGORIES = (
    ("idle: waiting on sockets (epoll)", ("epoll", "select.select")),
    ("database: SQLAlchemy + driver", ("sqlalchemy", "psycopg", "sqlite3", "flask_sqlalchemy")),
    ("encryption: http_ece + cryptography", ("http_ece", "cryptography", "pywebpush")),
    ("HTTP + TLS + asyncio: aiohttp, ssl", ("aiohttp", "ssl", "asyncio", "multidict", "yarl", "socket")),
    ("app code: backend/", ("/backend/",)),
)


def print_profile(profile: cProfile.Profile, messages: int, top: int = 12) -> None:
    """Exclusive (self) wall time per category and the top functions of a cProfile run."""
    stats = pstats.Stats(profile)
    by_category: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        text = f"{filename} {func}"
        category = next(
            (name for name, needles in PROFILE_CATEGORIES if any(n in text for n in needles)),
            "other: stdlib, json, logging, …",
        )
        by_category[category] += tottime
        total += tottime
    print("| category (self time, cProfile wall clock) | s | % | ms/msg |")
    print("|---|--:|--:|--:|")
    for name, seconds in sorted(by_category.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% | {1000 * seconds / messages:.3f} |")
    print(f"\ntop {top} functions by self time:\n```")
    stats.sort_stats("tottime").print_stats(top)
    print("```")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="30 naive, 1,000 sender, 1,000 dispatcher")
    parser.add_argument("--messages", type=int, help="messages for PushSender.send_many (10,000)")
    parser.add_argument("--reminders", type=int, help="due reminders for the dispatcher (10,000)")
    parser.add_argument("--naive-messages", type=int, help="messages for the naive loop (200)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of (b) and (c) each (2)")
    parser.add_argument("--concurrency", type=int, default=256, help="requests in flight (PUSH_CONCURRENCY)")
    parser.add_argument("--batch-size", type=int, default=500, help="REMINDER_BATCH_SIZE (500)")
    parser.add_argument("--max-batches", type=int, default=40, help="REMINDER_MAX_BATCHES (40)")
    parser.add_argument("--database-url", help="an EMPTY database for (c); default: a temporary SQLite file")
    parser.add_argument("--postgres", action="store_true", help="(c) on a throw-away PostgreSQL database")
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("REMINDERS_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="where --postgres creates (and drops) its database",
    )
    parser.add_argument("--skip-sender", action="store_true", help="skip (b)")
    parser.add_argument("--profile", action="store_true", help="one more dispatcher run under cProfile")
    parser.add_argument("--delay", type=float, default=0.05, help="service answer delay in seconds")
    args = parser.parse_args(argv)
    naive_n = args.naive_messages or (30 if args.quick else 200)
    sender_n = args.messages or (1_000 if args.quick else 10_000)
    reminders_n = args.reminders or (1_000 if args.quick else 10_000)

    logging.disable(logging.INFO)  # alembic's and the tick's INFO lines
    with contextlib.ExitStack() as stack:
        if args.postgres and not args.database_url:
            args.database_url = stack.enter_context(throwaway_postgres(args.pg_admin_url, "cc_push_bench"))
        return _run(args, naive_n, sender_n, reminders_n)


def _run(args: argparse.Namespace, naive_n: int, sender_n: int, reminders_n: int) -> int:
    try:
        # The service runs in its own process: in-process it would share (and fight over) the GIL.
        with PushServiceProcess(tls=True, delay=args.delay) as service:
            print(
                f"local push service {service.origin} (TLS, test CA), answer delay {args.delay * 1000:.0f} ms"
            )
            naive = run_naive_loop(make_messages(service, naive_n, prefix="n"), service)
            runs = [naive]
            if not args.skip_sender:
                messages = make_messages(service, sender_n)
                for _ in range(args.repeat):
                    runs.append(run_sender_fanout(messages, service, concurrency=args.concurrency))
                enc = encryption_cost(messages[:500])
            subscriptions = service.new_subscriptions(reminders_n)
            dispatcher_runs = []
            for _ in range(args.repeat):
                dispatcher_runs.append(
                    run_dispatcher(
                        service,
                        subscriptions,
                        database_url=args.database_url,
                        concurrency=args.concurrency,
                        batch_size=args.batch_size,
                        max_batches=args.max_batches,
                    )
                )
            runs += dispatcher_runs
            print("all runs verified: every message decrypted by the service exactly once with the expected")
            print(
                "payload, no VAPID/header/decryption failures; (c): every occurrence sent, one delivery"
                " row each\n"
            )
            print_table(runs, naive)
            print(f"\n(c): {dispatcher_runs[0].notes}")
            if not args.skip_sender:
                print(
                    f"encryption alone (pywebpush WebPusher.encode, aes128gcm): {enc * 1000:.3f} CPU ms/msg"
                )
            print("\nwhere the dispatcher's time goes (phases of run_tick):\n")
            print_phases(dispatcher_runs)
            if args.profile:
                profile = cProfile.Profile()
                prof_run = run_dispatcher(
                    service,
                    subscriptions,
                    database_url=args.database_url,
                    concurrency=args.concurrency,
                    batch_size=args.batch_size,
                    max_batches=args.max_batches,
                    profile=profile,
                )
                print(
                    "\nprofiled dispatcher run (cProfile; slower than unprofiled):"
                    f" {prof_run.seconds:.2f} s\n"
                )
                print_profile(profile, prof_run.messages)
            print(f"\n{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    except VerificationError as exc:
        print(f"VERIFICATION FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
