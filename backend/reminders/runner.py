"""APScheduler wiring and the `flask reminders tick|run` commands.

APScheduler is only a ticker: one interval job ("tick", coalesce, max one instance) runs
`dispatch.run_tick`; the database decides what is due. A second, quicker job ("push-tests", every
PUSH_TEST_POLL_SECONDS) sends the test notifications web requests queued (`reminders.push_tests`),
so a patient's test arrives in about a second while no web request ever talks to a push service. A
third ("files", every FILE_JOB_POLL_SECONDS) makes the files web requests queued (the data export, the
report PDF: `reminders.file_jobs`), so no web request does work that grows with a patient's history.
The scheduler never runs inside web workers. It runs in `flask reminders run`, a dedicated worker
process: `python -m backend.serve` (the `make run` command) starts exactly one beside the web
server, and at scale several may run side by side on PostgreSQL, where SKIP LOCKED shares the work.
SIGTERM/SIGINT stop it after the current pass.
`flask reminders tick` runs one pass and exits (cron, tests); `flask reminders push-tests` and
`flask reminders files` likewise for the queued test notifications and files.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

import click
from flask import Flask
from flask.cli import AppGroup

from backend.models.types import utcnow

log = logging.getLogger(__name__)

JOB_ID = "tick"
PUSH_TESTS_JOB_ID = "push-tests"
FILES_JOB_ID = "files"


def _tick(app: Flask) -> None:
    from backend.reminders.dispatch import node_name, run_tick
    from backend.reminders.observe import after_tick

    node = node_name()
    started = utcnow()
    try:
        stats = run_tick(app, node=node)
    except Exception:  # keep the scheduler alive; the next tick retries
        log.exception("reminder tick failed")
        return
    after_tick(app, node, started, stats)


def _push_tests(app: Flask) -> None:
    from backend.reminders.push_tests import run_push_tests

    try:
        run_push_tests(app)
    except Exception:  # keep the scheduler alive; the next poll retries
        log.exception("sending test notifications failed")


def _files(app: Flask) -> None:
    from backend.reminders.file_jobs import run_file_jobs

    try:
        run_file_jobs(app)
    except Exception:  # keep the scheduler alive; the next poll retries
        log.exception("making queued files failed")


def build_scheduler(app: Flask, *, blocking: bool = False):
    """A scheduler with the "tick", "push-tests" and "files" jobs (not started)."""
    from datetime import UTC, datetime

    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    seconds = int(app.config.get("SCHEDULER_TICK_SECONDS", 20))
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    scheduler.add_job(
        _tick,
        "interval",
        seconds=seconds,
        args=[app],
        id=JOB_ID,
        name="reminders tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=max(seconds, 30),
        replace_existing=True,
        next_run_time=datetime.now(UTC),  # first pass right away, not one interval later
    )
    for job, setting, job_id, name in (
        (_push_tests, "PUSH_TEST_POLL_SECONDS", PUSH_TESTS_JOB_ID, "test notifications"),
        (_files, "FILE_JOB_POLL_SECONDS", FILES_JOB_ID, "queued files"),
    ):
        scheduler.add_job(
            job,
            "interval",
            seconds=float(app.config.get(setting, 1)),
            args=[app],
            id=job_id,
            name=name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=30,
            replace_existing=True,
        )
    return scheduler


reminders_cli = AppGroup("reminders", help="Reminder dispatcher: one pass (tick) or a worker (run).")


@reminders_cli.command("tick")
@click.option("--batch-size", type=int, default=None, help="Occurrences claimed per batch.")
def tick_command(batch_size: int | None) -> None:
    """Run one dispatch pass and exit (for cron and tests)."""
    from flask import current_app

    from backend.reminders.dispatch import node_name, run_tick
    from backend.reminders.observe import after_tick

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    node, started = node_name(), utcnow()
    stats = run_tick(app, batch_size=batch_size, node=node)
    after_tick(app, node, started, stats)
    click.echo(" ".join(f"{k}={v}" for k, v in stats.as_dict().items()))


@reminders_cli.command("push-tests")
def push_tests_command() -> None:
    """Send the queued test notifications once and exit (what the worker does every second)."""
    from flask import current_app

    from backend.reminders.push_tests import run_push_tests

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"test notifications sent: {run_push_tests(app)}")


@reminders_cli.command("files")
def files_command() -> None:
    """Make the queued files (export, report PDF) once and exit (what the worker does every second)."""
    from flask import current_app

    from backend.reminders.file_jobs import run_file_jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"files made: {run_file_jobs(app)}")


@reminders_cli.command("run")
def run_command() -> None:
    """Tick until SIGTERM/SIGINT (a dedicated dispatcher process)."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()

    def _stop(signum, frame):
        log.info("reminders worker: signal %s, stopping after the current pass", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler = build_scheduler(app)
    scheduler.start()
    click.echo(
        f"reminders worker {os.getpid()}: ticking every {app.config.get('SCHEDULER_TICK_SECONDS', 20)} s"
    )
    try:
        while not stop.wait(1.0):
            pass
    finally:
        from backend.reminders.dispatch import close_sender

        scheduler.shutdown(wait=True)
        close_sender(app)  # after the last pass: close the push connection pool and its loop thread
        click.echo("reminders worker stopped")


def register_cli(app: Flask) -> None:
    app.cli.add_command(reminders_cli)
