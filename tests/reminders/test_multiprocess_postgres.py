"""Two dispatcher PROCESSES on PostgreSQL over 3,000 due reminders: each is sent exactly once.

Creates its own database on 127.0.0.1:5432 (user postgres; override with REMINDERS_PG_ADMIN_URL) and
skips only when no PostgreSQL answers there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.support.push_service import PushService

pytestmark = pytest.mark.postgres

ADMIN_URL = os.environ.get("REMINDERS_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WORKER = Path(__file__).with_name("pg_worker.py")
SUBSCRIPTIONS = 30
PER_SUBSCRIPTION = 100  # 3,000 due occurrences


@pytest.fixture
def pg_database():
    psycopg = pytest.importorskip("psycopg")
    name = f"cc_reminders_mp_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str, instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "VAPID_SUBJECT": "mailto:push-test@clearcourse.dev",
        "PUSH_ALLOW_LOCAL_ENDPOINTS": "1",
        "RATELIMIT_ENABLED": "0",
        "CLEARCOURSE_ENV": "test",
    }


def test_two_dispatcher_processes_send_each_reminder_exactly_once(pg_database, tmp_path):
    env = _env(pg_database, tmp_path / "instance")
    with PushService(delay=0.002) as service:
        subs = [service.new_subscription() for _ in range(SUBSCRIPTIONS)]
        subs_file = tmp_path / "subs.json"
        subs_file.write_text(json.dumps(subs))
        setup = subprocess.run(
            [sys.executable, str(WORKER), "setup", str(subs_file), str(PER_SUBSCRIPTION)],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert setup.returncode == 0, setup.stderr[-3000:]

        go = tmp_path / "go"
        workers = [
            subprocess.Popen(
                [sys.executable, str(WORKER), "work", str(go), "100"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        go.write_text("go")
        outputs = []
        for proc in workers:
            out, err = proc.communicate(timeout=240)
            assert proc.returncode == 0, err[-3000:]
            outputs.append(json.loads(out.strip().splitlines()[-1]))

        payloads = service.received()
        assert service.failures == []

    total = SUBSCRIPTIONS * PER_SUBSCRIPTION
    counts = Counter(p["occurrence_id"] for p in payloads)
    assert len(payloads) == total, f"{len(payloads)} pushes for {total} reminders"
    assert len(counts) == total and set(counts.values()) == {1}
    assert sum(o["claimed"] for o in outputs) == total
    assert sum(o["sent"] for o in outputs) == total
    assert all(o["claimed"] > 0 for o in outputs), outputs  # both processes shared the work

    import psycopg

    with psycopg.connect(pg_database.replace("postgresql+psycopg://", "postgresql://")) as conn:
        statuses = dict(
            conn.execute("SELECT status, count(*) FROM reminder_occurrences GROUP BY status").fetchall()
        )
        deliveries = conn.execute(
            "SELECT count(*), count(DISTINCT occurrence_id) FROM reminder_deliveries WHERE status = 'sent'"
        ).fetchone()
        nodes = conn.execute("SELECT count(DISTINCT claimed_by) FROM reminder_occurrences").fetchone()[0]
    assert statuses == {"sent": total}
    assert deliveries == (total, total)
    assert nodes == 2
