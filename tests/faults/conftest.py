"""Fault tests run the real processes (web server, dispatcher) and break them for real.

Helpers: a database per test (an SQLite file, or a database on a private PostgreSQL cluster this
test run starts itself, never the shared server), the environment those processes read, seeding
due reminders, and process-group start / kill -9.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.pg_cluster import PostgresCluster

REPO = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))
SUBJECT = "mailto:push-test@clearcourse.dev"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """A private PostgreSQL server for this test session (restarted by tests at will)."""
    if not PostgresCluster.available():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    with PostgresCluster() as cluster:
        yield cluster


def vapid_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def process_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """What the app's processes read: database, instance dir, VAPID, local push endpoints."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "VAPID_SUBJECT": SUBJECT,
        "PUSH_ALLOW_LOCAL_ENDPOINTS": "1",
        "RATELIMIT_ENABLED": "0",
        "CLEARCOURSE_ENV": "production",
    }
    env.pop("TEST_DATABASE_URL", None)
    env.update(extra)
    return env


def migrate(app) -> None:
    """Build the schema with the real migrations (in this process: no interpreter start-up to pay)."""
    from flask_migrate import upgrade

    from backend.extensions import db

    with app.app_context():
        upgrade()
        db.session.remove()


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a process in its own process group (so kill -9 takes all of its children too)."""
    handle = open(log, "w")  # noqa: SIM115  # closed with the process (see stop)
    proc = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc.log_handle = handle  # type: ignore[attr-defined]
    return proc


def kill9(proc: subprocess.Popen) -> None:
    """SIGKILL the process and every process in its group, and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.log_handle.close()  # type: ignore[attr-defined]


def stop(proc: subprocess.Popen, timeout: float = 30) -> int:
    """SIGTERM the group and wait; kill -9 if it does not stop in time. Returns the exit code."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill9(proc)
    proc.log_handle.close()  # type: ignore[attr-defined]
    return proc.returncode


def wait_for(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def make_app(database_url: str, instance: Path):
    """An app in the test process on the same database (to seed and to inspect rows)."""
    from backend import create_app
    from backend.config import Config

    config = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_PATH=str(instance),
        VAPID_SUBJECT=SUBJECT,
        PUSH_ALLOW_LOCAL_ENDPOINTS=True,
        RATELIMIT_ENABLED=False,
    )
    return create_app(config)


def seed_due(app, subscriptions: list[dict]) -> dict[str, dict]:
    """One patient, course, rule, subscription and due reminder per push-service subscription."""
    from backend.extensions import db
    from bench.push_fanout import seed_due_reminders

    with app.app_context():
        expected = seed_due_reminders(subscriptions, datetime.now(UTC))
        db.session.remove()
    return expected


def occurrence_rows(app) -> dict[str, tuple[str, str | None]]:
    """occurrence id -> (status, claimed_by)."""
    from sqlalchemy import select

    from backend.extensions import db
    from backend.models import ReminderOccurrence as Occ

    with app.app_context():
        rows = {i: (s, c) for i, s, c in db.session.execute(select(Occ.id, Occ.status, Occ.claimed_by))}
        db.session.remove()
    return rows


def delivery_rows(app) -> list[tuple[str, str]]:
    """(occurrence id, status) of every delivery row."""
    from sqlalchemy import select

    from backend.extensions import db
    from backend.models import ReminderDelivery as Dlv

    with app.app_context():
        rows = [(o, s) for o, s in db.session.execute(select(Dlv.occurrence_id, Dlv.status))]
        db.session.remove()
    return rows
