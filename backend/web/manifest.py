"""The web app manifest in the phone's language.

The build writes `manifest.webmanifest` with the English description (read from `backend/web/manifest.json`,
the catalog `manifest`). Served from here instead of as a file, its `description` and `lang` follow the
browser's Accept-Language (the phone's language: the install prompt is shown before the patient chooses one),
with `Vary: Accept-Language`, revalidated on every use like the app shell.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, abort, request

from backend.extensions import limiter
from backend.i18n.catalogs import catalog
from backend.i18n.negotiate import best_match

MANIFEST_PATH = "/manifest.webmanifest"


@lru_cache(maxsize=16)
def _manifest(path: str, modified_ns: int, language: str) -> bytes:
    """The built manifest with the texts of `language` (cached per build: `modified_ns` changes with it)."""
    manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    manifest.update(description=catalog("manifest", language)["description"], lang=language)
    return json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()


def register(app: Flask, dist: Path) -> None:
    @app.get(MANIFEST_PATH)
    @limiter.exempt
    def web_manifest() -> Response:
        built = dist / MANIFEST_PATH.lstrip("/")
        if not built.is_file():
            abort(404, description="The app has not been built yet (run `make build`).")
        language = best_match(request.headers.get("Accept-Language"))
        response = Response(
            _manifest(str(built), built.stat().st_mtime_ns, language), mimetype="application/manifest+json"
        )
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Content-Language"] = language
        response.vary.add("Accept-Language")
        response.add_etag()
        return response.make_conditional(request)
