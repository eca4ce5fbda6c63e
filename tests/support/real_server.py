"""The real server, started as the README starts it (`python -m backend.serve`), and raw HTTP to it.

`serve(tmp, **env)` migrates a fresh SQLite file (or the DATABASE_URL given), starts
`python -m backend.serve` on a free port and yields a `Served` once `/healthz` answers. `raw()` speaks
HTTP/1.1 over a plain socket, so a test can send what no HTTP library would (a NUL in the request
line, a chunked body, a made-up method) and read exactly what came back.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes

    def json(self):
        return json.loads(self.body)


def parse_answer(data: bytes) -> Answer:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _unchunk(body)
    return Answer(int(lines[0].split(" ", 2)[1]), headers, body)


def _unchunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


def raw(port: int, request: bytes, timeout: float = 10.0) -> Answer:
    """Send `request` as is (add `Connection: close` yourself) and read the answer to the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                data += chunk
    return parse_answer(data)


def request_bytes(
    method: str, target: str | bytes, body: bytes | None = None, headers: dict[str, str] | None = None
) -> bytes:
    line = (target if isinstance(target, bytes) else target.encode("latin-1"))
    head = [method.encode("latin-1") + b" " + line + b" HTTP/1.1", b"Host: localhost", b"Connection: close"]
    for name, value in (headers or {}).items():
        head.append(f"{name}: {value}".encode("latin-1"))
    if body is not None and "Transfer-Encoding" not in (headers or {}):
        head.append(f"Content-Length: {len(body)}".encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + (body or b"")


def call(
    port: int,
    method: str,
    path: str,
    json_body: object = None,
    token: str | None = None,
    timeout: float = 10.0,
    headers: dict[str, str] | None = None,
) -> Answer:
    extra = dict(headers or {})
    body = None
    if json_body is not None:
        body = json.dumps(json_body).encode()
        extra["Content-Type"] = "application/json"
    if token:
        extra["Authorization"] = f"Bearer {token}"
    return raw(port, request_bytes(method, path, body, extra), timeout)


def all_pages(port: int, path: str, token: str | None = None) -> list:
    """A paged list whole: GET `path`, then every `Link: <…>; rel="next"` page after it."""
    items: list = []
    while path:
        answer = call(port, "GET", path, token=token)
        assert answer.status == 200, answer.body[:300]
        items += answer.json()
        link = answer.headers.get("link", "")
        path = link[link.index("<") + 1 : link.index(">")] if 'rel="next"' in link else ""
    return items


@dataclass
class Served:
    port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def server_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'served.db'}",
        "INSTANCE_PATH": str(tmp / "instance"),
        "VAPID_SUBJECT": "mailto:push-test@clearcourse.dev",
        "RATELIMIT_ENABLED": "0",
    }
    env.pop("TEST_DATABASE_URL", None)
    env.update(extra)
    return env


@contextlib.contextmanager
def serve(tmp: Path, *args: str, **extra: str) -> Iterator[Served]:
    """`python -m backend.serve --port P *args` with `server_env(tmp, **extra)`, up and migrated."""
    tmp.mkdir(parents=True, exist_ok=True)
    env = server_env(tmp, **extra)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    log = tmp / "server.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.serve", "--port", str(port), *args],
        cwd=REPO,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90  # each worker imports the app; the machine may be busy
        while True:
            try:
                if call(port, "GET", "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the server did not come up:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield Served(port, env, log, proc)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
