"""Run the whole app from one command: Granian for the web, one reminder worker beside it.

Granian (WSGI interface) reads each request whole in its Rust event loop before a worker thread
runs the Flask app, so idle or slow client connections (a browser's pre-connects, a phone on a
weak network) cost a socket, not a worker: the app can face browsers directly.

The scheduler runs in exactly one process (`flask reminders run`), never inside the web
workers, so however many workers serve requests, each reminder is dispatched by one ticker.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from backend.access_log import CONFIG as ACCESS_LOG_CONFIG
from backend.config import as_bool


def web_command(host: str, port: str, workers: str, threads: str) -> list[str]:
    """The Granian command line serving `wsgi:app`."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        "--access-log",
        "--log-config",
        str(ACCESS_LOG_CONFIG),
        "--workers-kill-timeout",
        "10",
        "wsgi:app",
    ]


def limits_warning(workers: int, env: Mapping[str, str]) -> str | None:
    """What to say at start-up when rate limits would be counted separately by each worker."""
    if workers <= 1 or not as_bool(env.get("RATELIMIT_ENABLED"), True):
        return None
    if not (env.get("RATELIMIT_STORAGE_URI") or "").startswith("memory://"):
        return None  # unset: the machine's shared SQLite counters (backend/ratelimit_storage.py)
    return (
        f"warning: {workers} web workers count rate limits separately (RATELIMIT_STORAGE_URI=memory://); "
        "leave it unset to share them on this machine, or set redis://host:6379."
    )


def metrics_env(env: Mapping[str, str]) -> dict[str, str]:
    """PROMETHEUS_MULTIPROC_DIR for every child (emptied now), so /metrics adds up all processes."""
    directory = env.get("PROMETHEUS_MULTIPROC_DIR") or str(
        Path(env.get("INSTANCE_PATH") or Path.cwd() / "instance") / "metrics"
    )
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    return {**env, "PROMETHEUS_MULTIPROC_DIR": str(path)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "2"))
    parser.add_argument(
        "--threads",
        default=os.environ.get("WEB_THREADS", "4"),
        help="threads per web worker running the app (requests are read before they reach one)",
    )
    parser.add_argument("--no-scheduler", action="store_true", help="serve the web app only")
    args = parser.parse_args(argv)

    warning = limits_warning(int(args.workers), os.environ)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    env = metrics_env(os.environ)
    children: list[subprocess.Popen] = []
    if not args.no_scheduler and as_bool(os.environ.get("SCHEDULER_ENABLED"), True):
        children.append(
            subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "run"], env=env)
        )
    children.append(subprocess.Popen(web_command(args.host, args.port, args.workers, args.threads), env=env))
    print(f"ClearCourse is running on http://{args.host}:{args.port}  (Ctrl+C stops it)", flush=True)

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while not stopping:
        for child in children:
            code = child.poll()
            if code is not None:
                exit_code = code
                stopping = True
        time.sleep(0.2)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    return exit_code


if __name__ == "__main__":
    raise SystemExit(main())
