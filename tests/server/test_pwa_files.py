"""The PWA's files go out pre-compressed (brotli, gzip) with long-lived caching only for hashed files."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pytest

from backend import create_app
from backend.config import REPO_ROOT, TestConfig

SCRIPT = b"export const greeting = 'hello';\n" * 200
HTML = b"<!doctype html><html><head><script type=module src=/assets/index-a1b2c3.js></script></head>" * 20
BR_MARK = b"brotli-bytes-made-at-build-time"


def _write(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(raw))
    path.with_name(path.name + ".br").write_bytes(BR_MARK + path.name.encode())


def _app(tmp_path, **config):
    dist = tmp_path / "dist"
    _write(dist / "index.html", HTML)
    _write(dist / "sw.js", SCRIPT)
    _write(dist / "assets" / "index-a1b2c3.js", SCRIPT)
    (dist / "icons").mkdir(exist_ok=True)
    (dist / "icons" / "icon-192.png").write_bytes(b"\x89PNG fake")
    app = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "FRONTEND_DIST": str(dist),
            **config,
        }
    )
    return app.test_client()


@pytest.fixture
def pwa(tmp_path):
    return _app(tmp_path)


EVERY_KIND = [
    "/",
    "/index.html",
    "/sw.js",
    "/assets/index-a1b2c3.js",
    "/icons/icon-192.png",
    "/settings",
    "/no/such/page",
    "/api/v1/version",
    "/api/v1/nothing",
    "/healthz",
    "/%00",
]


@pytest.mark.parametrize("path", EVERY_KIND)
def test_hsts_on_every_answer_over_https_the_pwa_files_too(tmp_path, path):
    direct = _app(tmp_path).get(path, base_url="https://clearcourse.example.org")
    assert direct.headers.get("Strict-Transport-Security", "").startswith("max-age=63072000"), path
    behind = _app(tmp_path, PROXY_HOPS=1).get(path, headers={"X-Forwarded-Proto": "https"})
    assert behind.headers.get("Strict-Transport-Security", "").startswith("max-age="), path
    plain = _app(tmp_path).get(path)
    assert "Strict-Transport-Security" not in plain.headers, path  # never over plain http


def test_hashed_script_is_sent_as_brotli_and_cached_for_a_year(pwa):
    response = pwa.get("/assets/index-a1b2c3.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.data == BR_MARK + b"index-a1b2c3.js"
    assert "Accept-Encoding" in response.headers["Vary"]
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "public" in cache
    assert int(cache.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600


def test_gzip_when_brotli_is_not_accepted_and_identity_when_nothing_is(pwa):
    zipped = pwa.get("/assets/index-a1b2c3.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == SCRIPT
    plain = pwa.get("/assets/index-a1b2c3.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.data == SCRIPT


@pytest.mark.parametrize("path", ["/", "/index.html", "/sw.js"])
def test_shell_and_service_worker_are_revalidated_every_time(pwa, path):
    response = pwa.get(path, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers.get("ETag") or response.headers.get("Last-Modified")


def test_unchanged_file_revalidates_to_304(pwa):
    first = pwa.get("/sw.js", headers={"Accept-Encoding": "br"})
    again = pwa.get("/sw.js", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_client_side_route_gets_the_shell_uncached_and_api_stays_json(pwa):
    route = pwa.get("/reminders")
    assert route.status_code == 200 and b"<!doctype html>" in route.data
    assert route.headers["Cache-Control"] == "no-cache"
    api = pwa.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.mimetype == "application/json"


def test_icons_are_not_marked_immutable(pwa):
    response = pwa.get("/icons/icon-192.png", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == "no-cache"


BUILT = REPO_ROOT / "frontend" / "dist"


@pytest.mark.skipif(not (BUILT / "index.html").is_file(), reason="the PWA is not built (make build)")
def test_the_build_ships_brotli_and_gzip_for_every_script_and_stylesheet():
    scripts = [p for p in BUILT.rglob("*") if p.suffix in {".js", ".css", ".html"}]
    assert scripts
    for path in scripts:
        assert path.with_name(path.name + ".br").is_file(), path
        assert path.with_name(path.name + ".gz").is_file(), path


def test_a_file_changed_after_start_up_is_served_fresh_without_its_stale_variants(pwa, tmp_path):
    first = pwa.get("/sw.js", headers={"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == "br"
    sw = tmp_path / "dist" / "sw.js"
    newer = SCRIPT + b"// next version\n"
    sw.write_bytes(newer)
    os.utime(sw, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # newer than its .br and .gz
    again = pwa.get("/sw.js", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "Content-Encoding" not in again.headers
    assert again.data == newer


def test_a_hashed_file_built_after_start_up_is_served_compressed(pwa, tmp_path):
    _write(tmp_path / "dist" / "assets" / "Later-d4e5f6.js", SCRIPT)
    response = pwa.get("/assets/Later-d4e5f6.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == SCRIPT
    assert "immutable" in response.headers["Cache-Control"]


def test_document_policies_go_only_where_a_document_or_worker_can_open(pwa, tmp_path):
    """A script, style or raster image is only ever used inside a page: it carries nosniff and the referrer
    policy, not the CSP, Permissions-Policy or framing headers (about 530 bytes a request). The shell, the
    service worker's script (a worker takes its CSP from it) and an SVG (a document of its own) keep all."""
    (tmp_path / "dist" / "assets" / "logo-d4e5f6.svg").write_bytes(
        b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    )
    for path in ("/assets/index-a1b2c3.js", "/icons/icon-192.png"):
        headers = pwa.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
            assert name not in headers, (path, name)
    for path in ("/", "/index.html", "/sw.js", "/assets/logo-d4e5f6.svg", "/settings"):
        headers = pwa.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "DENY" and "camera=()" in headers["Permissions-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
