"""Which WSGI server can face browsers directly: idle-connection stalls and raw throughput.

For each server (2 worker processes each) this starts the real app on loopback with a fresh SQLite
file, then
  1. opens N idle TCP connections (what a browser's pre-connect does: connect, send nothing) and
     times a plain `GET /healthz` on a new connection while they stay open (N = 10, then 200);
  2. with no idle connections, loads `GET /api/v1/version` with wrk (`-t2 -c16`) and reports req/s.

Run: `.venv/bin/python bench/serving.py --seconds 8` (needs wrk: scripts/install-apt-packages wrk).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SERVERS: dict[str, list[str]] = {
    "gunicorn sync (2 workers)": ["-m", "gunicorn", "-w", "2", "wsgi:app"],
    "gunicorn gthread (2 workers x 4 threads)": [
        "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4", "wsgi:app",
    ],
    "granian wsgi (2 workers x 4 threads, backend.serve)": [
        "-m", "granian", "--interface", "wsgi", "--workers", "2", "--blocking-threads", "4", "--no-ws",
        "--workers-kill-timeout", "5", "wsgi:app",
    ],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bind_args(server: list[str], port: int) -> list[str]:
    if "granian" in server:
        return [*server[:-1], "--host", "127.0.0.1", "--port", str(port), "--no-log", server[-1]]
    return [*server[:-1], "-b", f"127.0.0.1:{port}", server[-1]]


def get(port: int, path: str, timeout: float) -> tuple[float, int | None]:
    """Seconds until a whole answer arrived on a fresh connection (and its status), or (timeout, None)."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.settimeout(max(0.01, timeout - (time.perf_counter() - started)))
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return timeout, None
    return time.perf_counter() - started, int(data.split(b" ", 2)[1])


def idle_latency(port: int, idle: int, timeout: float) -> str:
    sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(idle)]
    try:
        time.sleep(0.3)
        seconds, status = get(port, "/healthz", timeout)
    finally:
        for sock in sockets:
            sock.close()
    if status is None:
        return f"no answer in {timeout:.0f} s"
    return f"{seconds * 1000:.0f} ms" if status == 200 else f"status {status} after {seconds:.1f} s"


def wrk_rps(port: int, seconds: int) -> float:
    url = f"http://127.0.0.1:{port}/api/v1/version"
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure(name: str, server: list[str], env: dict[str, str], seconds: int, timeout: float) -> dict:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, *bind_args(server, port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90  # every worker imports the app; the machine may be busy
        while time.monotonic() < deadline:
            if get(port, "/healthz", 1.0)[1] == 200:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"{name} did not come up")
        subprocess.run(["wrk", "-t2", "-c16", "-d1s", f"http://127.0.0.1:{port}/api/v1/version"],
                       check=True, capture_output=True)  # warm up both workers
        row = {"server": name, "idle10": idle_latency(port, 10, timeout)}
        time.sleep(1.0)
        row["idle200"] = idle_latency(port, 200, timeout)
        time.sleep(1.0)
        row["rps"] = wrk_rps(port, seconds)
        return row
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of its workers


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per server")
    parser.add_argument("--timeout", type=float, default=10.0, help="how long to wait for /healthz")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: scripts/install-apt-packages wrk", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="cc-serving-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "INSTANCE_PATH": str(workdir),
        "RATELIMIT_ENABLED": "0",
    }
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    rows = [measure(name, server, env, args.seconds, args.timeout) for name, server in SERVERS.items()]
    print(f"\nload average: {os.getloadavg()[0]:.2f}")
    print("| server | GET /healthz, 10 idle connections | GET /healthz, 200 idle connections "
          "| GET /api/v1/version req/s (wrk -t2 -c16) |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row['server']} | {row['idle10']} | {row['idle200']} | {row['rps']:.0f} |")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
