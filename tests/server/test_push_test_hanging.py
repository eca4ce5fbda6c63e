"""Test notifications to push endpoints that never answer cannot tie up the web server (issue 16, item 1).

The real server, started as the README starts it (`python -m backend.serve`: two web workers and the
reminder worker), gets 50 `POST /push/test` at once from ten patients whose 50 devices all point at an
endpoint that accepts the connection and never answers. Every request is answered at once (202: the
reminder worker sends), `/healthz` keeps answering within a second throughout, and each test ends
with a timeout per device within the total deadline.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.real_server import call, serve

PATIENTS, DEVICES, REQUESTS = 10, 5, 50
DEADLINE = 3  # PUSH_DEADLINE_SECONDS of the served app


class HangingEndpoint:
    """Accepts every connection and never answers (holds the sockets until closed)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=512)
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)
            self.accepted += 1

    def close(self) -> None:
        self.listener.close()
        for conn in self.held:
            conn.close()


def _b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _subscription(port: int, name: str) -> dict:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {
        "endpoint": f"http://127.0.0.1:{port}/push/{name}",
        "keys": {"p256dh": _b64u(point), "auth": _b64u(b"0123456789abcdef")},
    }


@pytest.fixture
def hanging():
    endpoint = HangingEndpoint()
    yield endpoint
    endpoint.close()


def test_fifty_tests_against_a_hanging_endpoint_leave_healthz_answering(tmp_path, hanging):
    with serve(
        tmp_path,
        "--workers",
        "2",
        "--threads",
        "4",
        PUSH_ALLOW_LOCAL_ENDPOINTS="1",
        PUSH_DEADLINE_SECONDS=str(DEADLINE),
        PUSH_SENDER_PROCESS="0",
    ) as served:
        port = served.port
        tokens = []
        for index in range(PATIENTS):
            token = call(port, "POST", "/api/v1/patients").json()["token"]
            for device in range(DEVICES):
                answer = call(
                    port,
                    "POST",
                    "/api/v1/push/subscriptions",
                    _subscription(hanging.port, f"{index}-{device}"),
                    token,
                )
                assert answer.status == 201, answer.body
            tokens.append(token)

        def ask(token: str) -> tuple[float, int, str]:
            started = time.monotonic()
            answer = call(port, "POST", "/api/v1/push/test", token=token, timeout=60)
            return time.monotonic() - started, answer.status, answer.json()["id"]

        with ThreadPoolExecutor(REQUESTS) as pool:
            asked = list(pool.map(ask, [tokens[i % PATIENTS] for i in range(REQUESTS)]))
        assert {status for _, status, _ in asked} == {202}
        slowest = max(seconds for seconds, _, _ in asked)
        assert slowest < 1.0, f"a POST /push/test took {slowest:.2f} s"
        test_ids = {
            token: test_id
            for (_, _, test_id), token in zip(
                asked, [tokens[i % PATIENTS] for i in range(REQUESTS)], strict=True
            )
        }

        # While the worker's 50 messages hang, the web answers at once.
        waits = []
        until = time.monotonic() + DEADLINE + 2
        while time.monotonic() < until:
            started = time.monotonic()
            answer = call(port, "GET", "/healthz", timeout=5)
            waits.append(time.monotonic() - started)
            assert answer.status == 200
            time.sleep(0.1)
        assert max(waits) < 1.0, f"/healthz took {max(waits):.2f} s while test notifications hung"
        assert hanging.accepted >= PATIENTS * DEVICES  # the worker did try every device

        # Each test ends within the deadline (plus the worker's poll) with a timeout per device.
        finished_by = time.monotonic() + 20
        for token, test_id in test_ids.items():
            while True:
                test = call(port, "GET", f"/api/v1/push/tests/{test_id}", token=token).json()
                if test["status"] == "done" or time.monotonic() > finished_by:
                    break
                time.sleep(0.2)
            assert test["status"] == "done", test
            assert len(test["results"]) == DEVICES
            assert all(not r["ok"] and "timeout" in r["error"] for r in test["results"])
