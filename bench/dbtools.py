"""Database helpers shared by the benchmarks: throw-away PostgreSQL databases, empty-check, clean-up."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

BENCH_PLAN = [{"from_date": "2026-01-05", "daily_mg": 20, "doses_per_day": 1, "dose_times": ["08:00"]}]


def patient_course_rule_rows(now: datetime) -> tuple[dict, dict, dict]:
    """Bulk-insert rows for one patient with a once-daily course and its slot-1 dose rule.

    The rule counts as materialised 30 days ahead, so a tick's top-up leaves it alone.
    """
    patient_id, course_id, rule_id = (str(uuid.uuid4()) for _ in range(3))
    patient = {"id": patient_id, "created_at": now}
    course = {
        "id": course_id,
        "patient_id": patient_id,
        "start_date": date(2026, 1, 5),
        "weight_kg": 70.0,
        "target_mg_per_kg": 120.0,
        "timezone": "Europe/Berlin",
        "product": "standard",
        "programme": "eu_ppp",
        "pregnancy_prevention": False,
        "dose_plan": BENCH_PLAN,
        "created_at": now,
        "updated_at": now,
    }
    rule = {
        "id": rule_id,
        "patient_id": patient_id,
        "course_id": course_id,
        "kind": "dose",
        "slot": 1,
        "enabled": True,
        "materialised_until": now + timedelta(days=30),
        "created_at": now,
        "updated_at": now,
    }
    return patient, course, rule


@contextmanager
def throwaway_postgres(admin_url: str, prefix: str = "cc_bench") -> Iterator[str]:
    """CREATE a fresh database through ``admin_url``; yield its SQLAlchemy URL; DROP it afterwards."""
    import psycopg

    admin_url = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_empty(engine: Any) -> None:
    """Refuse a database that already has tables: the benchmarks drop everything they create."""
    from sqlalchemy import inspect

    tables = inspect(engine).get_table_names()
    if tables:
        raise SystemExit(
            f"refusing to use {engine.url.render_as_string(hide_password=True)}: it already has tables "
            f"({', '.join(sorted(tables)[:5])}…). Give an empty database; the benchmark drops what it"
            " creates."
        )


def drop_everything(engine: Any) -> None:
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
