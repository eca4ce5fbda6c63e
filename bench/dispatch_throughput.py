"""Dispatcher throughput against its own floors, in one run, against one push service (issue 9 §10).

The local push service runs in its own process in COUNTING mode (``PushService(verify=False)``: no
VAPID check, no decryption, it only counts POSTs per subscription and answers 201 after ``--delay``),
over HTTPS with a throw-away test CA, so the machine's CPU goes to the code under test. Side by side:

(floor)      pywebpush ``WebPusher.send_async`` on one shared aiohttp session with a cached VAPID
             header and a semaphore of ``--concurrency``: no database, no retries, no classification;
(send_many)  ``PushSender.send_many`` on the same prepared messages (one call), plain and with the
             process's start-up heap frozen (``gc.freeze()``, as the sender process does); the ratios
             use the faster of the two;
(dispatcher) ``run_tick`` end to end on ``--reminders`` due reminders seeded into a fresh database
             (claim -> prepare deliveries -> encrypt + send -> record), pipelined;
             on SQLite in this process, and on PostgreSQL in 1 and in 2 worker processes
             (``--processes``) that start together on a go signal and share the rows by SKIP LOCKED;
             each with its sender in a child process (``SenderProcess``, PUSH_SENDER_PROCESS, the
             default) and, for comparison, in a thread beside the claiming one (``--sender``).

Each method runs ``--repeat`` times; the tables use the best run of each (the least disturbed by the
other engineers' processes on the same two cores) and print every run. Every dispatcher run is
checked: each reminder POSTed exactly once (service counts), every occurrence ``sent`` with exactly
one ``sent`` delivery row. Exits 1 when a check fails.

    .venv/bin/python bench/dispatch_throughput.py                 # 10,000 messages / reminders
    .venv/bin/python bench/dispatch_throughput.py --quick         # 2,000
    .venv/bin/python bench/dispatch_throughput.py --no-postgres   # SQLite only

PostgreSQL runs create a throw-away database through ``--pg-admin-url`` (default
postgres@127.0.0.1:5432) and drop it at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from cryptography.hazmat.primitives.asymmetric import ec

from backend.push.sender import PushMessage, PushSender, encode_payload
from backend.push.vapid import VapidKeys
from bench.dbtools import drop_everything, throwaway_postgres
from bench.push_fanout import (
    SUBJECT,
    VerificationError,
    _make_app,
    _proc_cpu,
    make_messages,
    seed_due_reminders,
    verify_database,
)
from tests.support.push_service import PushServiceProcess

REMINDERS_PER_MINUTE = 100_000


@dataclass
class Run:
    method: str
    messages: int
    seconds: float
    cpu: float | None = None  # CPU seconds of the measured process(es)
    service_cpu: float | None = None
    main_cpu: float | None = None  # of `cpu`: the dispatcher threads (claim, prepare, record)
    db_cpu: float | None = None  # PostgreSQL backends serving the dispatcher(s)
    sender_cpu: float | None = None  # of `cpu`: the dispatchers' sender child processes
    busiest_cpu: float | None = None  # the busiest single measured process (one interpreter, one core)

    @property
    def total_cpu(self) -> float | None:
        """CPU seconds of every process involved (measured + push service + database backends)."""
        if self.cpu is None or self.service_cpu is None:
            return None
        return self.cpu + self.service_cpu + (self.db_cpu or 0.0)

    @property
    def rate(self) -> float:
        return self.messages / self.seconds


def _cpu_ms(cpu: float | None, n: int) -> str:
    return "-" if cpu is None else f"{cpu * 1000 / n:.2f}"


def check_counts(service: PushServiceProcess, expected: Sequence[str], label: str, retries: int = 0) -> None:
    """Each expected subscription POSTed exactly once; ``retries``: extra attempts the sender reported.

    A retried attempt (a timeout under load, say) may have reached the service: those are the only
    repeats allowed, and they are reported, not hidden.
    """
    counts = service.counts()
    wanted = set(expected)
    dupes = sum(1 for sid, c in counts.items() if sid in wanted and c > 1)
    missing = len(wanted - set(counts))
    extra = len(set(counts) - wanted)
    repeats = sum(c - 1 for sid, c in counts.items() if sid in wanted and c > 1)
    if missing or extra or repeats > retries:
        raise VerificationError(
            f"{label}: {dupes} sent more than once ({repeats} repeats, {retries} retried attempts), "
            f"{missing} never sent, {extra} unexpected"
        )
    if repeats:
        print(f"note: {label}: {repeats} repeats, all from {retries} retried attempts", flush=True)


# -- floor ----------------------------------------------------------------------------------------


async def _floor(messages: Sequence[PushMessage], vapid: VapidKeys, concurrency: int, ca: str | None) -> int:
    from pywebpush import WebPusher

    ssl_context = ssl.create_default_context(cafile=ca) if ca else True
    connector = aiohttp.TCPConnector(limit=concurrency, ssl=ssl_context)
    headers = dict(vapid.authorization_header(messages[0].target.endpoint))  # one origin: cached once
    semaphore = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=60)  # a floor: no retries, so no timeouts from a busy machine

    async def one(m: PushMessage, session: aiohttp.ClientSession) -> int:
        info = {"endpoint": m.target.endpoint, "keys": {"p256dh": m.target.p256dh, "auth": m.target.auth}}
        async with semaphore:
            resp = await WebPusher(info, aiohttp_session=session).send_async(
                encode_payload(m.payload),
                {**headers, "Urgency": m.urgency, "Topic": m.topic or ""},
                ttl=m.ttl,
                content_encoding="aes128gcm",
                timeout=timeout,
            )
            return resp.status

    async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
        statuses = await asyncio.gather(*(one(m, session) for m in messages))
    return sum(1 for s in statuses if s == 201)


def run_floor(messages: Sequence[PushMessage], service: PushServiceProcess, concurrency: int) -> Run:
    vapid = VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT)
    service.reset()
    svc = service.cpu_seconds()
    cpu, started = time.process_time(), time.perf_counter()
    ok = asyncio.run(_floor(messages, vapid, concurrency, service.ca_path))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if ok != len(messages):
        raise VerificationError(f"floor: {len(messages) - ok} messages not accepted")
    check_counts(service, [service.subscription_id(m.target.endpoint) for m in messages], "floor")
    return Run(
        "floor: pywebpush send_async, shared session, cached VAPID",
        len(messages),
        seconds,
        cpu,
        _delta(service, svc),
    )


def run_send_many(
    messages: Sequence[PushMessage], service: PushServiceProcess, concurrency: int, frozen: bool = False
) -> Run:
    """`PushSender.send_many` in this process; `frozen`: with the heap so far moved out of the cyclic GC's
    reach (`gc.freeze()`), as the dispatcher's sender process does after start-up: the same peer, minus
    the collections that re-scan this process's start-up objects."""
    sender = PushSender(
        VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT),
        concurrency=concurrency,
        ca_bundle=service.ca_path,
    )
    service.reset()
    if frozen:
        gc.collect()
        gc.freeze()
    svc = service.cpu_seconds()
    cpu, started = time.process_time(), time.perf_counter()
    results = sender.send_many(messages)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if frozen:
        gc.unfreeze()
    sender.close()
    if not all(r.ok for r in results):
        raise VerificationError(f"send_many: {sum(not r.ok for r in results)} messages failed")
    retried = sum(r.attempts - 1 for r in results)
    check_counts(
        service, [service.subscription_id(m.target.endpoint) for m in messages], "send_many", retried
    )
    label = "PushSender.send_many" + (" (start-up heap frozen, as in the sender process)" if frozen else "")
    return Run(label, len(messages), seconds, cpu, _delta(service, svc))


def _delta(service: PushServiceProcess, before: float | None) -> float | None:
    after = service.cpu_seconds()
    return None if before is None or after is None else after - before


# -- dispatcher -----------------------------------------------------------------------------------


def _seed(
    url: str,
    instance: str,
    subscriptions: Sequence[dict],
    args: argparse.Namespace,
    ca: str | None,
    sender_process: bool = False,
):
    from flask_migrate import upgrade

    from backend.extensions import db

    app = _make_app(
        url,
        instance,
        concurrency=args.concurrency,
        batch_size=args.batch_size,
        max_batches=args.max_batches,
        ca_path=ca,
        sender_process=sender_process,
    )
    with app.app_context():
        engine = db.engine
        upgrade()
        seed_due_reminders(subscriptions, datetime.now(UTC))
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        db.session.remove()
    return app


def _retried(app) -> int:
    """Attempts beyond the first, over all delivery rows (the sender's in-process retries)."""
    from sqlalchemy import func, select

    from backend.extensions import db
    from backend.models import ReminderDelivery

    with app.app_context():
        extra = db.session.scalar(select(func.sum(ReminderDelivery.attempts - 1))) or 0
        db.session.remove()
    return int(extra)


def _verify(app, count: int) -> None:
    from backend.extensions import db

    with app.app_context():
        verify_database(count)
        db.session.remove()


def _mode(sender_process: bool) -> str:
    return "sender process" if sender_process else "sender thread"


def _start_sender(app) -> int | None:
    """Start the dispatcher's sender (its child process, if configured) before timing; the child's pid."""
    from backend.push.sender_process import SenderProcess
    from backend.reminders import dispatch

    with app.app_context():
        sender = dispatch.get_dispatch_sender(app)
        return sender.start() if isinstance(sender, SenderProcess) else None


def run_dispatcher_inline(
    service: PushServiceProcess, subscriptions: Sequence[dict], args: argparse.Namespace, sender_process: bool
) -> Run:
    """The dispatcher in this process on a fresh SQLite file."""
    from backend.extensions import db
    from backend.reminders import dispatch

    tmp = tempfile.mkdtemp(prefix="dispatch-bench-")
    try:
        app = _seed(
            f"sqlite:///{tmp}/bench.db",
            f"{tmp}/instance",
            subscriptions,
            args,
            service.ca_path,
            sender_process,
        )
        child = _start_sender(app)
        child_cpu = _proc_cpu(child) if child else None
        service.reset()
        svc = service.cpu_seconds()
        cpu, main, started = time.process_time(), time.thread_time(), time.perf_counter()
        sent = 0
        while True:
            stats = dispatch.run_tick(app)
            sent += stats.sent
            if stats.claimed == 0:
                break
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        main = time.thread_time() - main
        child_cpu = _proc_cpu(child) - child_cpu if child else None
        service_cpu = _delta(service, svc)
        dispatch.close_sender(app)
        check_counts(
            service, [service.subscription_id(s) for s in subscriptions], "dispatcher", _retried(app)
        )
        _verify(app, len(subscriptions))
        if sent != len(subscriptions):
            raise VerificationError(f"dispatcher reported {sent} sent of {len(subscriptions)}")
        with app.app_context():
            db.engine.dispose()
        return Run(
            f"dispatcher run_tick ({_mode(sender_process)}), SQLite, 1 dispatcher",
            len(subscriptions),
            seconds,
            cpu + (child_cpu or 0.0),
            service_cpu,
            main,
            sender_cpu=child_cpu,
            busiest_cpu=max(cpu, child_cpu or 0.0),
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_dispatcher_processes(
    service: PushServiceProcess,
    subscriptions: Sequence[dict],
    args: argparse.Namespace,
    url: str,
    n: int,
    sender_process: bool,
) -> Run:
    """``n`` dispatcher processes on one PostgreSQL database, started together on a go file."""
    tmp = tempfile.mkdtemp(prefix="dispatch-bench-")
    try:
        app = _seed(url, f"{tmp}/instance", subscriptions, args, service.ca_path, sender_process)
        go = os.path.join(tmp, "go")
        spec = {
            "url": url,
            "instance": f"{tmp}/instance",
            "ca": service.ca_path,
            "go": go,
            "concurrency": args.concurrency,
            "batch_size": args.batch_size,
            "max_batches": args.max_batches,
            "sender_process": sender_process,
        }
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", json.dumps(spec)], stdout=subprocess.PIPE, text=True
            )
            for _ in range(n)
        ]
        for w in workers:  # each says "ready" once its app is built
            assert w.stdout is not None
            if w.stdout.readline().strip() != "ready":
                raise VerificationError("a dispatcher worker failed to start")
        service.reset()
        svc = service.cpu_seconds()
        started = time.time()
        Path(go).touch()
        reports = []
        for w in workers:
            out, _ = w.communicate(timeout=1800)
            if w.returncode != 0:
                raise VerificationError(f"dispatcher worker exited {w.returncode}")
            reports.append(json.loads(out.strip().splitlines()[-1]))
        seconds = max(r["end"] for r in reports) - started
        service_cpu = _delta(service, svc)
        check_counts(
            service, [service.subscription_id(s) for s in subscriptions], f"dispatcher x{n}", _retried(app)
        )
        _verify(app, len(subscriptions))
        sent = sum(r["sent"] for r in reports)
        if sent != len(subscriptions):
            raise VerificationError(f"workers reported {sent} sent of {len(subscriptions)}")
        split = "/".join(str(r["sent"]) for r in reports)
        cpu = sum(r["cpu"] + (r["sender_cpu"] or 0.0) for r in reports)
        main = sum(r["main_cpu"] for r in reports)
        sender_cpu = None if reports[0]["sender_cpu"] is None else sum(r["sender_cpu"] for r in reports)
        busiest = max(max(r["cpu"], r["sender_cpu"] or 0.0) for r in reports)
        db_cpu = None if any(r["db_cpu"] is None for r in reports) else sum(r["db_cpu"] for r in reports)
        from backend.extensions import db

        with app.app_context():
            drop_everything(db.engine)
            db.engine.dispose()
        plural = "s" if n > 1 else ""
        label = f"dispatcher run_tick ({_mode(sender_process)}), PostgreSQL, {n} dispatcher{plural}"
        return Run(
            f"{label} (sent {split})" if n > 1 else label,
            len(subscriptions),
            seconds,
            cpu,
            service_cpu,
            main,
            db_cpu,
            sender_cpu,
            busiest,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def worker(spec_json: str) -> None:
    """A dispatcher process: build the app, say ready, wait for the go file, tick until nothing is due."""
    from backend.reminders import dispatch

    spec = json.loads(spec_json)
    logging.disable(logging.INFO)
    app = _make_app(
        spec["url"],
        spec["instance"],
        concurrency=spec["concurrency"],
        batch_size=spec["batch_size"],
        max_batches=spec["max_batches"],
        ca_path=spec["ca"],
        sender_process=spec["sender_process"],
    )
    child = _start_sender(app)
    print("ready", flush=True)
    while not os.path.exists(spec["go"]):
        time.sleep(0.002)
    child_cpu = _proc_cpu(child) if child else None
    cpu, main = time.process_time(), time.thread_time()
    sent = 0
    while True:
        stats = dispatch.run_tick(app)
        sent += stats.sent
        if stats.claimed == 0:
            break
    end = time.time()
    cpu, main = time.process_time() - cpu, time.thread_time() - main
    child_cpu = _proc_cpu(child) - child_cpu if child else None
    dispatch.close_sender(app)
    report = {
        "sent": sent,
        "end": end,
        "cpu": cpu,
        "main_cpu": main,
        "sender_cpu": child_cpu,
        "db_cpu": _own_backend_cpu(app),
    }
    print(json.dumps({**report, "pid": os.getpid()}), flush=True)


def _own_backend_cpu(app) -> float | None:
    """CPU seconds of the PostgreSQL backend this worker's dispatcher used (its one pooled connection).

    The backend was started by the worker's first tick, so this is (nearly) all of its work for the run;
    read from /proc, so only for a server on this machine (else None). Autovacuum, WAL writer and
    checkpointer are not included: a lower bound of the database's share.
    """
    from sqlalchemy import text

    from backend.extensions import db

    with app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()
    return _proc_cpu(int(pid)) if pid else None


# -- report ---------------------------------------------------------------------------------------


def best(runs: Sequence[Run], method_prefix: str) -> Run | None:
    chosen = [r for r in runs if r.method.startswith(method_prefix)]
    return max(chosen, key=lambda r: r.rate) if chosen else None


def report(runs: Sequence[Run]) -> None:
    print("every run:\n")
    print(
        "| method | messages | seconds | msg/s | CPU ms/msg (measured processes) "
        "| of which claim/prepare/record thread | of which sender process "
        "| push service CPU ms/msg | PostgreSQL backends CPU ms/msg | all processes CPU ms/msg |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in runs:
        print(
            f"| {r.method} | {r.messages:,} | {r.seconds:.2f} | {r.rate:,.0f} | {_cpu_ms(r.cpu, r.messages)} "
            f"| {_cpu_ms(r.main_cpu, r.messages)} | {_cpu_ms(r.sender_cpu, r.messages)} "
            f"| {_cpu_ms(r.service_cpu, r.messages)} "
            f"| {_cpu_ms(r.db_cpu, r.messages)} | {_cpu_ms(r.total_cpu, r.messages)} |"
        )
    floor = best(runs, "floor")
    send_many = best(runs, "PushSender")
    rows: list[tuple[Run | None, str]] = [
        (floor, "floor"),
        (best(runs, "PushSender.send_many ("), "send_many, start-up heap frozen"),
        (best(runs, "PushSender.send_many"), "send_many, best of both (the peer)"),
    ]
    for mode in ("sender process", "sender thread"):
        prefix = f"dispatcher run_tick ({mode}), "
        rows += [
            (best(runs, prefix + "SQLite"), f"dispatcher ({mode}), SQLite, 1 dispatcher"),
            (best(runs, prefix + "PostgreSQL, 1"), f"dispatcher ({mode}), PostgreSQL, 1 dispatcher"),
            (best(runs, prefix + "PostgreSQL, 2"), f"dispatcher ({mode}), PostgreSQL, 2 dispatchers"),
        ]
    print("\nbest run of each (ratios in this run):\n")
    print("| method | msg/s | × floor | × send_many |")
    print("|---|--:|--:|--:|")
    for run, name in rows:
        if run is None:
            continue
        vs_floor = run.rate / floor.rate if floor else float("nan")
        vs_send = run.rate / send_many.rate if send_many else float("nan")
        print(f"| {name} | {run.rate:,.0f} | {vs_floor:.2f} | {vs_send:.2f} |")
    print()
    for mode in ("sender process", "sender thread"):
        prefix = f"dispatcher run_tick ({mode}), "
        sqlite, one, two = (best(runs, prefix + x) for x in ("SQLite", "PostgreSQL, 1", "PostgreSQL, 2"))
        if not (sqlite or one):
            continue
        label = f"[{mode}{', the default' if mode == 'sender process' else ', for comparison'}]"
        if send_many:
            pairs = ((sqlite, "SQLite"), (one, "PostgreSQL"))
            shown = [f"{r.rate / send_many.rate:.2f} ({name})" for r, name in pairs if r]
            print(f"{label} aim: dispatcher >= 0.85 x send_many: {', '.join(shown)}")
        if one and two:
            print(f"{label} aim: 2 dispatchers on PostgreSQL >= 1.6 x one: {two.rate / one.rate:.2f}")
            capacity(one, two, label)
        if one and mode == "sender process":
            per_process = one.rate * 60
            need = -(-REMINDERS_PER_MINUTE // int(per_process))
            print(
                f"{label} 100,000 reminders due in one minute at {one.rate:,.0f} msg/s per dispatcher "
                f"({per_process:,.0f} a minute): {need} dispatcher(s), each with two cores of its own"
                " (this machine's rate; the push service and PostgreSQL elsewhere)"
            )


def capacity(one: Run, two: Run, label: str) -> None:
    """What this machine's cores allow two dispatchers: CPU per message of every process involved.

    Two dispatchers, the push service and the database backends share all cores, so together they
    deliver at most cores / (CPU per message of all of them). Divided by what one dispatcher measured,
    that is the best "two vs one" this machine can show, whatever the dispatchers' code; cheaper
    dispatchers lower it (the fixed push service and database share weighs more). One interpreter keeps
    at most one core busy: one dispatcher's own bound is 1 / (CPU per message of its busiest process).
    """
    cores = os.cpu_count() or 1
    if two.total_cpu is None or one.busiest_cpu is None:
        return
    per_msg = two.total_cpu / two.messages  # seconds of CPU, all processes, per message
    two_max = cores / per_msg
    print(
        f"{label} capacity: 2 dispatchers used {per_msg * 1000:.2f} CPU ms per message over all processes "
        f"(dispatchers {_cpu_ms(two.cpu, two.messages)}, "
        f"push service {_cpu_ms(two.service_cpu, two.messages)}, "
        f"PostgreSQL backends {_cpu_ms(two.db_cpu, two.messages)}): {cores} cores allow them at most "
        f"{two_max:,.0f} msg/s with nothing else running; 1 dispatcher measured {one.rate:,.0f} msg/s "
        f"(its busiest process {one.busiest_cpu * 1000 / one.messages:.2f} CPU ms/msg, so at most "
        f"{one.messages / one.busiest_cpu:,.0f} msg/s on a core of its own) -> best possible 2-vs-1 ratio "
        f"here {two_max / one.rate:.2f} (measured {two.rate / one.rate:.2f}); 1.6 needs "
        f"{1.6 * one.rate * per_msg:.1f} cores at this CPU per message"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="2,000 messages and reminders")
    parser.add_argument("--messages", type=int, help="messages and reminders per run (10,000)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--max-batches", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.05, help="push service answer delay (50 ms)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--processes", type=int, default=2, help="dispatcher processes for the scale-out run")
    parser.add_argument(
        "--sender",
        choices=("process", "thread", "both"),
        default="both",
        help="the dispatcher's sender: its own child process (the default config), a thread, or both",
    )
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("REMINDERS_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0
    n = args.messages or (2_000 if args.quick else 10_000)
    logging.disable(logging.INFO)
    runs: list[Run] = []
    try:
        with contextlib.ExitStack() as stack:
            service = stack.enter_context(PushServiceProcess(tls=True, delay=args.delay, verify=False))
            print(
                f"push service {service.origin}: counting mode, TLS, {args.delay * 1000:.0f} ms per answer; "
                f"{n:,} messages per run, {args.concurrency} in flight, batches of {args.batch_size}\n"
            )
            messages = make_messages(service, n)
            subscriptions = service.new_subscriptions(n)
            pg_url = (
                None
                if args.no_postgres
                else stack.enter_context(throwaway_postgres(args.pg_admin_url, "cc_dispatch_bench"))
            )
            modes = {"process": [True], "thread": [False], "both": [True, False]}[args.sender]
            for _ in range(args.repeat):  # interleaved, so a busy moment hits every method alike
                steps = [
                    lambda: run_floor(messages, service, args.concurrency),
                    lambda: run_send_many(messages, service, args.concurrency),
                    lambda: run_send_many(messages, service, args.concurrency, frozen=True),
                ]
                for mode in modes:
                    steps.append(lambda mode=mode: run_dispatcher_inline(service, subscriptions, args, mode))
                    if pg_url:
                        steps += [
                            lambda mode=mode: run_dispatcher_processes(
                                service, subscriptions, args, pg_url, 1, mode
                            ),
                            lambda mode=mode: run_dispatcher_processes(
                                service, subscriptions, args, pg_url, args.processes, mode
                            ),
                        ]
                for step in steps:
                    run = step()
                    runs.append(run)
                    print(f"  {run.method}: {run.rate:,.0f} msg/s", flush=True)
            report(runs)
            print(f"\n{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    except VerificationError as exc:
        print(f"VERIFICATION FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
