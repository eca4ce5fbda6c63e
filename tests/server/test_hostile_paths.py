"""Every non-API path, walked with the hostile input classes of tests/api/test_hostile_input.py, never
answers 5xx; a path that cannot name a file is a 400 JSON error with the usual security headers.

Run against the real server (`python -m backend.serve`, Granian), over raw sockets: the bytes reach
the app exactly as an attacker would send them.
"""

from __future__ import annotations

import itertools
import json

import pytest

from tests.support.real_server import raw, request_bytes, serve

PATHS = ["/", "/index.html", "/sw.js", "/manifest.webmanifest", "/assets/", "/icons/", "/settings",
         "/healthz", "/metrics", "/nowhere/at/all"]
# Each hostile class turns a path into one that cannot name a file (answer: 400).
UNNAMEABLE = {
    "nul": lambda p: p + "%00",
    "nul-inside": lambda p: p.rstrip("/") + "/a%00b",
    "not-utf8": lambda p: p + "%ff",
    "lone-surrogate": lambda p: p + "%ed%a0%80",
    "overlong-utf8": lambda p: p + "%c0%af",
    "newline": lambda p: p + "%0a",
    "crlf-injection": lambda p: p + "%0d%0aX-Evil:%201",
    "escape": lambda p: p + "%1b[31m",
    "delete": lambda p: p + "%7f",
    "segment-too-long": lambda p: p.rstrip("/") + "/" + "a" * 300,
    "path-too-long": lambda p: p.rstrip("/") + "/a" * 1500,
}
# Odd but nameable: any answer but a 5xx.
ODD = {
    "traversal": lambda p: "/..%2f..%2f..%2fetc%2fpasswd",
    "dot-segments": lambda p: "/assets/../../wsgi.py",
    "backslash": lambda p: p + "%5c..%5cwsgi.py",
    "double-slash": lambda p: "//" + p.lstrip("/"),
    "query-nul": lambda p: p + "?x=%00&%00=1",
    "query-not-utf8": lambda p: p + "?q=%ff%fe",
    "unicode": lambda p: p + "%E2%80%AE%F0%9F%92%8A",
}
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")
BODIES = {
    "deep-json": b"[" * 5000 + b"]" * 5000,
    "long-int": b'{"x": ' + b"9" * 5000 + b"}",
    "nul-string": b'{"x": "a\\u0000b"}',
    "not-json": b"\xff\xfe<<<",
}


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("hostile"), "--workers", "1", "--no-scheduler") as served:
        yield served.port


def _assert_headers(answer, what: str) -> None:
    missing = [h for h in SECURITY_HEADERS if h not in answer.headers]
    assert not missing, f"{what}: {answer.status} without {missing}"


@pytest.mark.parametrize("hostile", sorted(UNNAMEABLE))
def test_a_path_that_cannot_name_a_file_is_a_400_json_error(port, hostile):
    for path, method in itertools.product(PATHS, ("GET", "HEAD", "POST")):
        target = UNNAMEABLE[hostile](path)
        answer = raw(port, request_bytes(method, target))
        assert answer.status == 400, f"{method} {target[:80]}: {answer.status} {answer.body[:200]!r}"
        _assert_headers(answer, f"{method} {target[:80]}")
        assert answer.headers["content-type"].startswith("application/json")
        if method != "HEAD":
            body = answer.json()
            assert body["code"] == 400 and "cannot name" in body["message"]


@pytest.mark.parametrize("hostile", sorted(ODD))
def test_odd_paths_never_answer_a_server_error(port, hostile):
    for path, method in itertools.product(PATHS, ("GET", "HEAD", "DELETE", "OPTIONS")):
        target = ODD[hostile](path)
        answer = raw(port, request_bytes(method, target))
        assert answer.status < 500, f"{method} {target[:80]}: {answer.status}"
        _assert_headers(answer, f"{method} {target[:80]}")
        assert b"wsgi:app" not in answer.body and b"root:" not in answer.body


@pytest.mark.parametrize("kind", sorted(BODIES))
@pytest.mark.parametrize("chunked", [False, True], ids=["length", "chunked"])
def test_hostile_bodies_to_non_api_paths_never_answer_a_server_error(port, kind, chunked):
    payload = BODIES[kind]
    headers = {"Content-Type": "application/json"}
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
        payload = b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
    for path, method in itertools.product(PATHS, ("POST", "PUT", "PATCH", "DELETE")):
        answer = raw(port, request_bytes(method, path, payload, headers))
        assert answer.status < 500, f"{method} {path} {kind}: {answer.status}"
        _assert_headers(answer, f"{method} {path}")
        if answer.headers.get("content-type", "").startswith("application/json"):
            assert json.loads(answer.body)["code"] == answer.status


def test_the_server_logged_no_traceback(port, tmp_path_factory):
    """Refused paths are answers, not errors: nothing in the log looks like a crash."""
    log = next(tmp_path_factory.getbasetemp().glob("hostile*/server.log")).read_text(errors="replace")
    assert "Traceback" not in log and "embedded null byte" not in log
