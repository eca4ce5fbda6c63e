"""kill -9 of the whole web server (master and workers) while patients are writing doses.

Every write the server acknowledged (201) is there after a restart, unchanged; nothing stored is
half-written (each stored dose is exactly one that a client sent). On an SQLite file and on
PostgreSQL (a private cluster this test run starts, never the shared server).
"""

from __future__ import annotations

import itertools
import socket
import threading
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from tests.faults.conftest import kill9, make_app, migrate, process_env, start, stop, wait_for

pytestmark = pytest.mark.faults

WRITERS = 6
KILL_AFTER = 60  # acknowledged writes before the kill


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(env: dict[str, str], port: int, log: Path):
    import sys

    proc = start([sys.executable, "-m", "backend.serve", "--port", str(port), "--workers", "2"], env, log)

    def up() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok
        except requests.RequestException:
            return False

    wait_for(up, 60, "the web server to answer /healthz", interval=0.2)
    return proc


def _course(base: str) -> tuple[str, dict[str, str], date]:
    patient = requests.post(f"{base}/patients", timeout=10)
    assert patient.status_code == 201, patient.text
    headers = {"Authorization": f"Bearer {patient.json()['token']}"}
    start_day = date.today() - timedelta(days=300)
    body = {
        "start_date": start_day.isoformat(),
        "weight_kg": 70,
        "target_mg_per_kg": 120,
        "timezone": "Europe/Berlin",
        "product": "standard",
        "programme": "eu_ppp",
        "pregnancy_prevention": False,
        "dose_plan": [
            {
                "from_date": start_day.isoformat(),
                "daily_mg": 40,
                "doses_per_day": 2,
                "dose_times": ["08:00", "20:00"],
            }
        ],
    }
    course = requests.post(f"{base}/courses", json=body, headers=headers, timeout=10)
    assert course.status_code == 201, course.text
    return course.json()["id"], headers, start_day


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'web.db'}"
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"web_{uuid.uuid4().hex[:8]}")


def test_acknowledged_dose_writes_survive_kill_9_of_the_web_server(database_url, tmp_path):
    env = process_env(database_url, tmp_path / "instance", SCHEDULER_ENABLED="0")
    app = make_app(database_url, tmp_path / "instance")
    migrate(app)
    with app.app_context():
        from backend.extensions import db

        db.engine.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    server = _serve(env, port, tmp_path / "web1.log")
    course_id, headers, first_day = _course(base)

    slots = iter(itertools.product(range(300), (1, 2)))
    lock = threading.Lock()
    acknowledged: dict[str, dict] = {}
    sent: dict[str, dict] = {}
    stop_writing = threading.Event()

    def writer() -> None:
        session = requests.Session()
        while not stop_writing.is_set():
            with lock:
                nxt = next(slots, None)
            if nxt is None:
                return
            day, slot = nxt
            dose_id = str(uuid.uuid4())
            body = {
                "date": (first_day + timedelta(days=day)).isoformat(),
                "slot": slot,
                "status": "skipped",
                "mg": 20,
            }
            with lock:
                sent[dose_id] = body
            try:
                response = session.put(
                    f"{base}/courses/{course_id}/doses/{dose_id}", json=body, headers=headers, timeout=10
                )
            except requests.RequestException:
                return  # the server is gone
            assert response.status_code == 201, response.text
            with lock:
                acknowledged[dose_id] = body

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: len(acknowledged) >= KILL_AFTER, 60, "writes to be acknowledged", interval=0.01)
    finally:
        kill9(server)  # writers are mid-request
        stop_writing.set()
        for t in threads:
            t.join(30)
    in_flight = len(sent) - len(acknowledged)

    server = _serve(env, port, tmp_path / "web2.log")
    try:
        response = requests.get(
            f"{base}/courses/{course_id}/doses",
            params={"from": first_day.isoformat(), "to": (first_day + timedelta(days=300)).isoformat()},
            headers=headers,
            timeout=10,
        )
        assert response.status_code == 200, response.text
        stored = {d["id"]: d for d in response.json()}
    finally:
        stop(server)

    missing = set(acknowledged) - set(stored)
    assert not missing, f"{len(missing)} acknowledged writes lost"
    for dose_id, dose in stored.items():
        assert dose_id in sent, "a dose nobody sent"
        body = sent[dose_id]
        assert (dose["date"], dose["slot"], dose["status"], dose["mg"]) == (
            body["date"],
            body["slot"],
            body["status"],
            body["mg"],
        )
    assert len(stored) <= len(acknowledged) + in_flight
    with app.app_context():
        from backend.extensions import db

        db.engine.dispose()
