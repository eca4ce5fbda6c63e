"""Claim cost vs stored reminders: the dispatcher's claim must not slow down as future rows pile up.

Seeds 1,000 due pending occurrences among 10,000 stored ones (the rest pending in the future, fires_at
spread over the next four weeks), times the real ``dispatch.claim_due`` claiming those 1,000 (median
of ``--repeat`` runs after a warm-up, the claimed rows put back to pending between runs, untimed),
then bulk-adds future rows up to 1,000,000 stored in the same database and times it again. Same due
rows, same database: only the number of stored future reminders changes. Prints, per engine, a
markdown table (engine, stored, due, claim ms median/min/max, ratio to the smallest) and the query
plan of both claim statements (expired leases, due pending rows), captured from a real ``claim_due``
call: EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL (in a rolled-back
transaction). Exits 1 when a claim does not return exactly the due rows or a plan does not use the
(status, fires_at) / (status, claimed_until) index.

    .venv/bin/python bench/claim_cost.py                                # SQLite file only
    .venv/bin/python bench/claim_cost.py --postgres                     # + a throw-away PostgreSQL db
    .venv/bin/python bench/claim_cost.py --database-url postgresql+psycopg://postgres@127.0.0.1/empty_db
    .venv/bin/python bench/claim_cost.py --quick                        # 10,000 vs 100,000 stored

Bulk loading: COPY on PostgreSQL (then ANALYZE, as autovacuum would), one executemany transaction on
SQLite (no ANALYZE: the app never runs it). ``--postgres`` creates a database through
``--pg-admin-url`` (default: postgres@127.0.0.1:5432) and drops it at the end; ``--database-url``
must name an EMPTY database (refused otherwise) whose tables are dropped again at the end.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dbtools import check_empty, drop_everything, patient_course_rule_rows, throwaway_postgres

SUBJECT = "mailto:push-bench@clearcourse.example.org"
DUE_INDEX = "ix_reminder_occurrences_status_fires_at"
LEASE_INDEX = "ix_reminder_occurrences_status_claimed_until"
RULES = 1_000  # patients/courses/dose rules the occurrences belong to
OCC_COLUMNS = (
    "id",
    "rule_id",
    "patient_id",
    "occurrence_key",
    "kind",
    "fires_at",
    "expires_at",
    "status",
    "claimed_until",
    "claimed_by",
    "attempts",
    "data",
    "one_off",
    "sent_at",
    "last_error",
    "created_at",
)


class VerificationError(AssertionError):
    pass


@dataclass
class Result:
    engine: str
    stored: int
    due: int
    times_ms: list[float]
    load_seconds: float

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)


# -- database setup -----------------------------------------------------------------------------------


def make_app(database_url: str, instance: str):
    from backend import create_app
    from backend.config import Config

    config = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_PATH=instance,
        ENV_NAME="benchmark",
        VAPID_SUBJECT=SUBJECT,
        RATELIMIT_ENABLED=False,
    )
    app = create_app(config)
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def seed_rules(now: datetime) -> list[tuple[str, str]]:
    """RULES patients with a course and a dose rule each; returns (rule_id, patient_id). App context."""
    from sqlalchemy import insert

    from backend.extensions import db
    from backend.models import Course, Patient, ReminderRule

    patients, courses, rules = [], [], []
    for _ in range(RULES):
        patient, course, rule = patient_course_rule_rows(now)
        patients.append(patient)
        courses.append(course)
        rules.append(rule)
    for model, rows in ((Patient, patients), (Course, courses), (ReminderRule, rules)):
        db.session.execute(insert(model), rows)
    db.session.commit()
    return [(r["id"], r["patient_id"]) for r in rules]


def occurrence_rows(
    rules: Sequence[tuple[str, str]], start: int, count: int, now: datetime, *, due: bool, rng: random.Random
) -> Iterator[tuple]:
    """Rows (OCC_COLUMNS order, Python values) of pending dose occurrences, keys k<start>… .

    Due rows fire in the last 10 minutes; future ones are spread uniformly over the next 4 weeks.
    """
    data = {"course_id": None, "date": "2026-03-01", "slot": 1, "mg": 20, "slots_today": 1}
    for i in range(start, start + count):
        rule_id, patient_id = rules[i % len(rules)]
        if due:
            fires_at = now - timedelta(seconds=rng.uniform(1, 600))
        else:
            fires_at = now + timedelta(seconds=rng.uniform(60, 28 * 86400))
        yield (
            str(uuid.uuid4()),
            rule_id,
            patient_id,
            f"k{i}",
            "dose",
            fires_at,
            fires_at + timedelta(minutes=45),
            "pending",
            None,
            None,
            0,
            data,
            False,
            None,
            None,
            now,
        )


def bulk_insert(engine: Any, rows: Iterator[tuple]) -> None:
    """COPY on PostgreSQL; one executemany transaction on SQLite (values via SQLAlchemy's processors)."""
    from backend.models import ReminderOccurrence

    table = ReminderOccurrence.__table__
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            import json

            conn = raw.driver_connection
            with (
                conn.cursor() as cur,
                cur.copy(f"COPY {table.name} ({', '.join(OCC_COLUMNS)}) FROM STDIN") as cp,
            ):
                for row in rows:
                    cp.write_row((*row[:11], json.dumps(row[11]), *row[12:]))
            conn.commit()
        else:
            processors = [table.c[name].type._cached_bind_processor(engine.dialect) for name in OCC_COLUMNS]
            marks = ", ".join("?" * len(OCC_COLUMNS))
            sql = f"INSERT INTO {table.name} ({', '.join(OCC_COLUMNS)}) VALUES ({marks})"

            def converted() -> Iterator[tuple]:
                for row in rows:
                    yield tuple(
                        v if p is None or v is None else p(v) for p, v in zip(processors, row, strict=True)
                    )

            cur = raw.cursor()
            cur.executemany(sql, converted())
            raw.commit()
            cur.close()
    finally:
        raw.close()


# -- measuring ----------------------------------------------------------------------------------------


def reset_claims() -> None:
    """Put claimed rows back to pending (untimed, between runs). App context."""
    from sqlalchemy import update

    from backend.extensions import db
    from backend.models import ReminderOccurrence as Occ

    db.session.execute(
        update(Occ)
        .where(Occ.status == "claimed")
        .values(status="pending", claimed_until=None, claimed_by=None, attempts=0)
    )
    db.session.commit()


def time_claims(now: datetime, due_ids: set[str], repeat: int) -> list[float]:
    """Milliseconds per claim_due(now, len(due_ids)) call; checks each returns exactly ``due_ids``."""
    from backend.extensions import db
    from backend.reminders.dispatch import claim_due

    times = []
    for run in range(repeat + 1):  # run 0 warms caches and the statement cache; not reported
        reset_claims()
        started = time.perf_counter()
        ids = claim_due(now, len(due_ids), timedelta(minutes=5), "claim-bench")
        elapsed = (time.perf_counter() - started) * 1000
        db.session.remove()
        if set(ids) != due_ids or len(ids) != len(due_ids):
            raise VerificationError(f"claim returned {len(ids)} rows, {len(set(ids) & due_ids)} of them due")
        if run:
            times.append(elapsed)
    return times


def capture_claim_statements(now: datetime, limit: int) -> list[tuple[str, Any]]:
    """The SQL (and parameters) claim_due really sends, captured from one call. App context."""
    from sqlalchemy import event

    from backend.extensions import db
    from backend.reminders.dispatch import claim_due

    captured: list[tuple[str, Any]] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if "reminder_occurrences" in statement and statement.lstrip().upper().startswith(("WITH", "UPDATE")):
            captured.append((statement, parameters))

    reset_claims()
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        claim_due(now, limit, timedelta(minutes=5), "claim-bench")
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
        db.session.remove()
    reset_claims()
    return captured


def explain(engine: Any, statement: str, parameters: Any) -> str:
    """The plan of ``statement`` (not applied: EXPLAIN QUERY PLAN / rolled-back EXPLAIN ANALYZE)."""
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            import psycopg

            conn = raw.driver_connection
            with psycopg.ClientCursor(conn) as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters)
                lines = [r[0] for r in cur.fetchall()]
            conn.rollback()
            return "\n".join(lines)
        cur = raw.cursor()
        cur.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        rows = cur.fetchall()
        cur.close()
        raw.rollback()
        depth: dict[int, int] = {0: -1}
        out = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            out.append("  " * depth[node] + detail)
        return "\n".join(out)
    finally:
        raw.close()


def run_engine(
    label: str, database_url: str, sizes: Sequence[int], due: int, repeat: int, *, own_database: bool
) -> tuple[list[Result], list[tuple[int, str, str]]]:
    from flask_migrate import upgrade

    from backend.extensions import db

    tmpdir = tempfile.mkdtemp(prefix="claim-bench-")
    app = make_app(database_url, os.path.join(tmpdir, "instance"))
    results: list[Result] = []
    plans: list[tuple[int, str, str]] = []
    rng = random.Random(20260329)
    try:
        with app.app_context():
            engine = db.engine
            if not own_database:
                check_empty(engine)
            upgrade()
            try:
                now = datetime.now(UTC).replace(microsecond=0)
                rules = seed_rules(now)
                due_rows = list(occurrence_rows(rules, 0, due, now, due=True, rng=rng))
                due_ids = {r[0] for r in due_rows}
                stored = 0
                for size in sorted(sizes):
                    started = time.perf_counter()
                    if stored == 0:
                        bulk_insert(engine, iter(due_rows))
                        stored = due
                    bulk_insert(
                        engine, occurrence_rows(rules, stored, size - stored, now, due=False, rng=rng)
                    )
                    stored = size
                    if engine.dialect.name == "postgresql":
                        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                            conn.exec_driver_sql("VACUUM ANALYZE reminder_occurrences")
                    loaded = time.perf_counter() - started
                    count = db.session.execute(db.text("SELECT count(*) FROM reminder_occurrences")).scalar()
                    db.session.remove()
                    if count != size:
                        raise VerificationError(f"{count} rows stored, expected {size}")
                    times = time_claims(now, due_ids, repeat)
                    results.append(Result(label, size, due, times, loaded))
                    for statement, parameters in capture_claim_statements(now, due):
                        plans.append((size, statement, explain(engine, statement, parameters)))
            finally:
                db.session.remove()
                if not own_database:
                    drop_everything(engine)
                engine.dispose()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return results, plans


def check_plans(engine: str, plans: Sequence[tuple[int, str, str]]) -> None:
    """Each captured claim statement must go through its index (no full scan of the table)."""
    for size, statement, plan in plans:
        wanted = LEASE_INDEX if "claimed_until <" in statement else DUE_INDEX
        if wanted not in plan:
            raise VerificationError(f"{engine}, {size:,} stored: the claim does not use {wanted}:\n{plan}")
        if engine == "SQLite" and "SCAN reminder_occurrences" in plan:
            raise VerificationError(f"SQLite, {size:,} stored: full scan in the claim plan:\n{plan}")
        if engine == "PostgreSQL" and "Seq Scan on reminder_occurrences" in plan:
            raise VerificationError(f"PostgreSQL, {size:,} stored: Seq Scan in the claim plan:\n{plan}")


def print_results(results: Sequence[Result], repeat: int) -> None:
    print(
        f"| engine | stored | due | claim ms (median of {repeat}) | min | max | ratio vs smallest | load s |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    base: dict[str, float] = {}
    for r in results:
        base.setdefault(r.engine, r.median)
        print(
            f"| {r.engine} | {r.stored:,} | {r.due:,} | {r.median:.1f} | {min(r.times_ms):.1f} "
            f"| {max(r.times_ms):.1f} | {r.median / base[r.engine]:.2f} | {r.load_seconds:.1f} |"
        )


def print_plans(engine: str, plans: Sequence[tuple[int, str, str]], sizes: Sequence[int]) -> None:
    largest = max(sizes)
    for size, statement, plan in plans:
        if size != largest:
            continue
        which = "expired leases" if "claimed_until <" in statement else "due pending rows"
        kind = "EXPLAIN (ANALYZE, BUFFERS)" if engine == "PostgreSQL" else "EXPLAIN QUERY PLAN"
        print(f"\n{engine}, {size:,} stored, claim of {which} — {kind}:\n```sql")
        print(" ".join(statement.split()))
        print("```\n```")
        print(plan)
        print("```")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10,000 vs 100,000 stored, 5 runs")
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="stored counts")
    parser.add_argument("--repeat", type=int, help="timed claims per size (default 9; --quick 5)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL, in a throw-away database")
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("REMINDERS_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="where --postgres creates (and drops) its database",
    )
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database to use instead of --postgres")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [10_000, 1_000_000])
    repeat = args.repeat or (5 if args.quick else 9)
    if min(sizes) <= args.due:
        parser.error("every stored size must exceed --due")

    logging.disable(logging.INFO)  # alembic's INFO lines
    all_results: list[Result] = []
    try:
        engines: list[tuple[str, Any]] = []
        if not args.skip_sqlite:
            engines.append(("SQLite", None))
        if args.database_url:
            engines.append(("PostgreSQL", args.database_url))
        elif args.postgres:
            engines.append(("PostgreSQL", "throwaway"))
        for label, url in engines:
            if label == "SQLite":
                with tempfile.TemporaryDirectory(prefix="claim-bench-sqlite-") as tmp:
                    results, plans = run_engine(
                        label, f"sqlite:///{tmp}/claim.db", sizes, args.due, repeat, own_database=True
                    )
            elif url == "throwaway":
                with throwaway_postgres(args.pg_admin_url, "cc_claim_bench") as pg_url:
                    results, plans = run_engine(label, pg_url, sizes, args.due, repeat, own_database=True)
            else:
                results, plans = run_engine(label, url, sizes, args.due, repeat, own_database=False)
            check_plans(label, plans)
            all_results += results
            print_plans(label, plans, sizes)
        print(
            f"\nclaim_due(now, {args.due}) on {args.due:,} due pending rows;"
            " every claim returned exactly them\n"
        )
        print_results(all_results, repeat)
        print(f"\n{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    except VerificationError as exc:
        print(f"VERIFICATION FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
