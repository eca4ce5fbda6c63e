"""Browser tests: the real app (gunicorn + SQLite) serving the built PWA, driven by Debian chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "frontend" / "dist"
AXE_JS = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def _missing(reason: str) -> None:
    """Skip on a developer machine, but never let CI pass without running the browser tests."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError("the app did not become healthy in time")


class LiveApp:
    """The running app: its base URL and a copy of frontend/dist it serves (tests may change it)."""

    def __init__(self, url: str, dist: Path, env: dict[str, str]) -> None:
        self.url = url
        self.dist = dist
        self.env = env

    def flask(self, *args: str) -> str:
        """Run a `flask --app wsgi …` command on this app's database (e.g. the reminder worker's jobs)."""
        done = subprocess.run(
            [str(Path(sys.executable).with_name("flask")), "--app", "wsgi", *args],
            cwd=REPO,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout

    def api(self, method: str, path: str, token: str, body: object | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test's report carries the live server's last log lines (CI shows only the report)."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    app = item.funcargs.get("live_app") if hasattr(item, "funcargs") else None
    log = app.dist.parent / "server.log" if isinstance(app, LiveApp) else None
    if log is not None and log.is_file():
        tail = log.read_text(errors="replace").splitlines()[-60:]
        report.sections.append(("live server log (last 60 lines)", "\n".join(tail)))


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    assert (DIST / "index.html").is_file(), "build the PWA first: make build (cd frontend && npm run build)"
    workdir = tmp_path_factory.mktemp("e2e-app")
    dist = workdir / "dist"
    shutil.copytree(DIST, dist)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.db'}",
        "INSTANCE_PATH": str(workdir / "instance"),
        "FRONTEND_DIST": str(dist),
        "RATELIMIT_ENABLED": "0",
        "CLEARCOURSE_ENV": "production",
        # Reminders: loopback push endpoints (the local push service in tests/support). VAPID_SUBJECT stays
        # unset (production mode refuses placeholder contacts; unset, the server warns and uses its
        # development contact); the key is generated once into the temporary instance folder.
        "PUSH_ALLOW_LOCAL_ENDPOINTS": "1",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    log = (workdir / "server.log").open("w")
    proc = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            *("-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "4"),
            *("--access-logfile", "-", "wsgi:app"),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield LiveApp(url, dist, env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def push_service():
    """The local Web Push service (verifies VAPID, decrypts, records payloads), if importable."""
    try:
        from tests.support.push_service import PushService
    except ImportError as error:
        pytest.skip(f"the local push service is not available: {error}")
    with PushService() as service:
        yield service


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def morning(ctx) -> None:
    """Pages in `ctx` start at 08:05 today (local) and time runs on from there: dose 1 (08:00) is due,
    not two hours late, whatever time the suite runs. Only pages see this clock, not the service worker."""
    ctx.clock.install(time=datetime.now().replace(hour=8, minute=5, second=0, microsecond=0))


@pytest.fixture
def context(browser, live_app: LiveApp):
    ctx = browser.new_context(base_url=live_app.url, viewport=PHONE, service_workers="allow", locale="en-US")
    ctx.set_default_timeout(15_000)
    morning(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE_JS.is_file(), "axe-core is missing: run npm ci in frontend/"
    return AXE_JS.read_text()


_audit_dir_used: list[Path] = []


def route_audit_dir() -> Path:
    """Where the route audit (test_route_audit.py) saves its screenshots; named in the run's summary."""
    folder = Path(os.environ.get("ROUTE_AUDIT_DIR") or REPO / "test-results" / "route-audit").resolve()
    if not _audit_dir_used:
        _audit_dir_used.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter) -> None:
    for folder in _audit_dir_used:
        terminalreporter.write_line(f"route audit screenshots: {folder}")
