"""Over-limit bodies are 413 however they are sent, never cut and stored; the connection says when it
closes (issue 16, item 6). Against the real server (`python -m backend.serve`, Granian), over raw sockets.
"""

from __future__ import annotations

import json
import socket
import uuid
from datetime import date, timedelta

import pytest

from tests.api.apihelp import course_from
from tests.conftest import course_body
from tests.support.real_server import all_pages, call, parse_answer, raw, request_bytes, serve

LIMIT = 64 * 1024  # MAX_BODY_BYTES
BATCH_LIMIT = 512 * 1024  # MAX_BATCH_BODY_BYTES


def _course(start: date) -> dict:
    return course_body(**course_from(start))


def _chunked(body: bytes, size: int = 8192) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("bodies"), "--workers", "1", "--no-scheduler") as served:
        token = call(served.port, "POST", "/api/v1/patients").json()["token"]
        yield served.port, token


def _post(port: int, path: str, body: bytes, token: str, chunked: bool):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
        body = _chunked(body)
    return raw(port, request_bytes("POST", path, body, headers))


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_413_and_nothing_is_stored(server, chunked):
    """Valid JSON padded past the limit: cut at the limit it would still parse (and was stored)."""
    port, token = server
    body = json.dumps(_course(date.today() - timedelta(days=5))).encode() + b" " * LIMIT
    answer = _post(port, "/api/v1/courses", body, token, chunked)
    assert answer.status == 413, answer.body
    assert answer.json()["code"] == 413
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert call(port, "GET", "/api/v1/courses", token=token).json() == []


def test_a_chunked_body_within_the_limit_is_read_whole(server):
    port, token = server
    body = json.dumps(_course(date.today() - timedelta(days=5))).encode() + b" " * (LIMIT // 2)
    answer = _post(port, "/api/v1/courses", body, token, chunked=True)
    assert answer.status == 201, answer.body
    courses = call(port, "GET", "/api/v1/courses", token=token).json()
    assert [c["id"] for c in courses] == [answer.json()["id"]]


def test_a_chunked_batch_beyond_the_default_limit_but_within_its_own_is_accepted(server):
    port, token = server
    start = date.today() - timedelta(days=300)
    course = call(
        port, "POST", "/api/v1/courses", _course(start), token
    ).json()
    doses = [
        {
            "id": str(uuid.uuid4()),
            "date": (start + timedelta(days=i // 2)).isoformat(),
            "slot": i % 2 + 1,
            "status": "skipped",
            "mg": 20,
        }
        for i in range(590)
    ]
    body = json.dumps({"doses": doses}).encode()
    assert LIMIT < len(body) < BATCH_LIMIT
    answer = _post(port, f"/api/v1/courses/{course['id']}/doses/batch", body, token, chunked=True)
    assert answer.status in (200, 201), answer.body[:300]
    stored = all_pages(port, f"/api/v1/courses/{course['id']}/doses", token)
    assert len(stored) == 590 and len({d["id"] for d in stored}) == 590


def _two_on_one_connection(port: int, first: bytes) -> tuple[bytes, bytes | None]:
    """Send `first` and then a GET on the same keep-alive connection: both answers (None: closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(first)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head = parse_answer(data)
        length = int(head.headers.get("content-length", "0"))
        while len(data.partition(b"\r\n\r\n")[2]) < length:
            data += sock.recv(65536)
        try:
            sock.sendall(b"GET /api/v1/version HTTP/1.1\r\nHost: localhost\r\n\r\n")
            second = sock.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            second = b""
    return data, second or None


def _keep_alive_post(body_length: int) -> bytes:
    head = (
        b"POST /api/v1/patients HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % body_length
    )
    return head + b"{}" + b" " * (body_length - 2)


def test_an_unread_body_ends_with_connection_close_and_the_connection_closes(server):
    port, _ = server
    first, second = _two_on_one_connection(port, _keep_alive_post(BATCH_LIMIT + 4096))
    answer = parse_answer(first)
    assert answer.status == 413
    assert answer.headers.get("connection") == "close"
    assert second is None  # and it did close


def test_a_body_read_at_the_edge_keeps_the_connection(server):
    port, _ = server
    first, second = _two_on_one_connection(port, _keep_alive_post(LIMIT + 4096))
    answer = parse_answer(first)
    assert answer.status == 413
    assert "connection" not in answer.headers
    assert second is not None and second.startswith(b"HTTP/1.1 200")
