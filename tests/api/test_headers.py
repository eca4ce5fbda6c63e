"""Security headers on every response, no-store on API answers, the docs page without a CDN."""

from __future__ import annotations

import pytest

from tests.api.apihelp import API

PWA_CSP_MUST = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
]


def _common(response) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain http


def test_the_pwa_gets_a_strict_csp(client):
    response = client.get("/")
    _common(response)
    csp = response.headers["Content-Security-Policy"]
    for directive in PWA_CSP_MUST:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp


def test_every_api_answer_carrying_data_or_secrets_is_no_store(client, patient):
    course = patient.create_course()
    answers = [
        client.post(f"{API}/patients"),
        patient.post(f"{API}/link-codes", json={}),
        patient.get(f"{API}/courses"),
        patient.get(f"{API}/courses/{course['id']}"),
        patient.get(f"{API}/courses/{course['id']}/doses"),
        patient.get(f"{API}/courses/{course['id']}/today"),
        patient.get(f"{API}/courses/{course['id']}/timeline"),
        patient.get(f"{API}/courses/{course['id']}/appointments"),
        patient.get(f"{API}/reminders"),
        patient.get(f"{API}/reminders/upcoming"),
        patient.get(f"{API}/reminders/settings"),
        patient.get(f"{API}/devices"),
        patient.get(f"{API}/push/subscriptions"),
        patient.file(f"{API}/me/export"),
        patient.get(f"{API}/courses/no-such-course"),
        client.get(f"{API}/courses"),
    ]
    for response in answers:
        assert response.status_code < 500
        assert "no-store" in response.headers["Cache-Control"], (response.request.path, response.headers)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        _common(response)


def test_hsts_only_over_https(client):
    response = client.get(f"{API}/version", base_url="https://clearcourse.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "Strict-Transport-Security" not in client.get(f"{API}/version").headers


def test_docs_page_loads_swagger_ui_from_this_server(client):
    page = client.get(f"{API}/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    for asset in (
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
        "swagger-init.js",
    ):
        assert f"{API}/docs/assets/{asset}" in html
        response = client.get(f"{API}/docs/assets/{asset}")
        assert response.status_code == 200 and len(response.get_data()) > 100, asset
    assert client.get(f"{API}/docs/assets/../../config.py").status_code == 404
    assert client.get(f"{API}/docs/assets/LICENSE").status_code == 404


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/api/v1/openapi.json"])
def test_operational_endpoints_have_the_headers_too(app, client, path):
    from backend.web.metrics import metrics_token

    response = client.get(path, headers={"Authorization": f"Bearer {metrics_token(app)}"})
    assert response.status_code == 200
    _common(response)


def _directive(csp: str, name: str) -> list[str]:
    [directive] = [d.split()[1:] for d in csp.split(";") if d.split() and d.split()[0] == name]
    return directive


def test_only_the_pwa_may_show_blob_images(client):
    """The skin photos are shown from blob: URLs made on the phone: the PWA's pages and files allow them, and
    nothing more (no remote images); the docs page and the API do not."""
    for path in ("/", "/photos", "/sw.js"):
        csp = client.get(path).headers["Content-Security-Policy"]
        assert _directive(csp, "img-src") == ["'self'", "data:", "blob:"], path
        assert "blob:" not in csp.replace("img-src 'self' data: blob:", ""), csp
    assert "blob:" not in client.get(f"{API}/docs").headers["Content-Security-Policy"]
    assert "blob:" not in client.get(f"{API}/version").headers["Content-Security-Policy"]
