"""The API docs page: Swagger UI served from this server, never from a CDN.

Swagger UI's files come from the pinned `flask-swagger-ui` package (its `dist/` folder is the
swagger-ui-dist release named in its VERSION file); the page starts it with a script file of its
own, so the strict Content-Security-Policy holds here too.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import flask_swagger_ui
from flask import Flask, Response, abort, current_app, request, send_from_directory
from markupsafe import escape

SWAGGER_DIST = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
STATIC = Path(__file__).resolve().parent / "static"
ASSETS = frozenset(
    {
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
        "index.css",
        "favicon-32x32.png",
    }
)
DOCS_PATH = "/api/v1/docs"

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="stylesheet" href="{assets}/index.css">
  <link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui" data-spec-url="{spec}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="{assets}/swagger-ui-standalone-preset.js"></script>
  <script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""


def swagger_ui_version() -> str:
    return (SWAGGER_DIST / "VERSION").read_text().strip()


def docs_page() -> Response:
    config = current_app.config
    spec = f"{config['OPENAPI_URL_PREFIX'].rstrip('/')}/{config['OPENAPI_JSON_PATH']}"
    body = PAGE.format(title=escape(config["API_TITLE"]), assets=DOCS_PATH + "/assets", spec=escape(spec))
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def docs_asset(filename: str) -> Response:
    if filename == "swagger-init.js":
        response = send_from_directory(STATIC, filename)
    elif filename in ASSETS:
        response = send_from_directory(SWAGGER_DIST, filename)
    else:
        abort(404)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


SPEC_ENDPOINT = "api-docs.openapi_json"


def serve_spec_made_once(app: Flask) -> None:
    """`/api/v1/openapi.json` from bytes made once per process: the spec never changes while the app
    runs, yet flask-smorest rebuilt the 200 KB document, dumped it and the compression layer compressed
    it again on every request. Here it is dumped on first use and kept plain, gzip and brotli."""
    build = app.view_functions[SPEC_ENDPOINT]
    made: dict[str, bytes] = {}

    def openapi_json() -> Response:
        if not made:
            body = build().get_data()
            made.update(br=brotli.compress(body, quality=11), gzip=gzip.compress(body, 9), identity=body)
        accepted = request.headers.get("Accept-Encoding", "")
        encoding = next((name for name in ("br", "gzip") if name in accepted), "identity")
        response = Response(made[encoding], mimetype="application/json")
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = "Accept-Encoding"
        return response

    app.view_functions[SPEC_ENDPOINT] = openapi_json


def register(app: Flask) -> None:
    from backend.extensions import limiter

    serve_spec_made_once(app)
    app.add_url_rule(DOCS_PATH, "api_docs", limiter.exempt(docs_page), methods=["GET"])
    app.add_url_rule(
        DOCS_PATH + "/assets/<string:filename>", "api_docs_asset", limiter.exempt(docs_asset), methods=["GET"]
    )
