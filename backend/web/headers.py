"""Security and caching headers on every response.

- The PWA gets a strict Content-Security-Policy: its own origin only, no inline script or style,
  no plugins, no framing; images may also be `blob:` URLs, which the PWA makes from the skin photos
  kept on the phone (nothing remote). The API docs page (Swagger UI, served from this origin) allows
  inline style attributes, which Swagger UI sets, and no `blob:` images. JSON answers get
  `default-src 'none'`.
- Everywhere: `nosniff`, `Referrer-Policy: no-referrer`, a Permissions-Policy switching off the
  device features the app never uses, `X-Frame-Options: DENY` for browsers without
  frame-ancestors, and HSTS when the request arrived over HTTPS (directly or, through
  PROXY_HOPS proxies, as said by X-Forwarded-Proto), the PWA's own files included
  (`backend.pwa_files` adds it there, before Flask runs). The PWA's scripts, styles and raster images,
  which only ever load inside a page, carry just `nosniff` and the referrer policy
  (`backend.pwa_files.SUBRESOURCE_SUFFIXES`).
- Every API answer that did not choose its own caching is `Cache-Control: no-store`: they carry a
  patient's health data or secrets (tokens, link codes), which must not stay in any cache.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

APP_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DOCS_CSP = APP_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
    "img-src 'self' data: blob:", "img-src 'self' data:"
)
API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()"
)
DOCS_PREFIX = "/api/v1/docs"
# The same headers on the PWA's files, which WhiteNoise (backend/pwa_files.py) serves before Flask runs.
FILE_HEADERS = {
    "Content-Security-Policy": APP_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
}


def _csp_for(path: str) -> str:
    if path == DOCS_PREFIX or path.startswith(DOCS_PREFIX + "/"):
        return DOCS_CSP
    if path.startswith("/api/") or path in {"/healthz", "/metrics"}:
        return API_CSP
    return APP_CSP


def hsts(seconds: int) -> str:
    return f"max-age={seconds}; includeSubDomains"


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _csp_for(request.path))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        seconds = current_app.config["HSTS_MAX_AGE_SECONDS"]
        headers.setdefault("Strict-Transport-Security", hsts(seconds))
    if request.path.startswith("/api/") or request.path in {"/healthz", "/metrics"}:
        headers.setdefault("Cache-Control", "no-store")
    return response


def register(app: Flask) -> None:
    app.after_request(add_headers)
