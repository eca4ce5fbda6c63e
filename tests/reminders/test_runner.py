"""Runner: `flask reminders tick` runs one pass and exits 0; the scheduler starts exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "VAPID_SUBJECT": "mailto:push-test@clearcourse.dev",
        "SCHEDULER_TICK_SECONDS": "1",
    }


def test_flask_reminders_tick_runs_one_pass_and_exits_0(tmp_path):
    env = _env(tmp_path)
    upgrade = subprocess.run(
        [FLASK, "--app", "wsgi", "db", "upgrade"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    result = subprocess.run(
        [FLASK, "--app", "wsgi", "reminders", "tick"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "claimed=0" in result.stdout


def test_flask_reminders_run_stops_cleanly_on_sigterm(tmp_path):
    env = _env(tmp_path)
    subprocess.run(
        [FLASK, "--app", "wsgi", "db", "upgrade"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    proc = subprocess.Popen(
        [FLASK, "--app", "wsgi", "reminders", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 30
        line = proc.stdout.readline()
        assert "ticking every" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
        time.sleep(1.5)  # at least one tick
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=max(1, deadline - time.time()))
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    assert "stopped" in out


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every descendant of `pid`, read from /proc."""
    found: list[tuple[int, str]] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        found.append((int(entry.name), parent, cmdline))
    descendants, frontier = [], {pid}
    while frontier:
        level = [(p, c) for p, parent, c in found if parent in frontier]
        descendants.extend(level)
        frontier = {p for p, _ in level}
    return descendants


def test_serve_runs_one_scheduler_beside_several_web_workers(tmp_path):
    """`python -m backend.serve` (the README's run command) starts exactly one reminder worker."""
    import socket
    import urllib.request

    env = _env(tmp_path)
    subprocess.run(
        [FLASK, "--app", "wsgi", "db", "upgrade"], cwd=REPO, env=env, check=True, capture_output=True
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.serve", "--port", str(port), "--workers", "3"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60  # three workers each import the app; the machine may be busy
        while time.monotonic() < deadline:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not come up")
        assert b"ok" in body
        time.sleep(1.0)
        commands = [c for _, c in _children(proc.pid)]
        assert sum("reminders run" in c for c in commands) == 1, commands
        assert sum("granian" in c for c in commands) == 4, commands  # the master and 3 workers
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]
    assert "reminders worker stopped" in out
