"""The built PWA's files, served compressed by WhiteNoise in front of the Flask app.

`npm run build` writes a `.br` and a `.gz` next to each compressible file; WhiteNoise picks the variant the
browser accepts (`Vary: Accept-Encoding`) and answers conditional requests with 304. Files under /assets/
carry Vite's content hash: they are immutable for a year and, once found, kept in memory. Every other file
(index.html, sw.js, the manifest, icons) is `no-cache` and looked up on each request, so a rebuild while
the server runs (or a deploy that swaps `dist/`) is picked up at once instead of serving a stale length
or ETag; a compressed variant older than its file is not used. Paths that are not files (the API,
client-side routes) go on to Flask.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.headers import Headers

from whitenoise import WhiteNoise
from whitenoise.responders import IsDirectoryError, MissingFileError, StaticFile
from whitenoise.string_utils import decode_path_info

from backend.web.guards import path_can_name_a_file
from backend.web.headers import FILE_HEADERS, hsts

HASHED_ASSETS = "/assets/"  # Vite names every file here after its content hash
# Files a browser only ever uses inside a page (scripts, styles, raster images, fonts): the policies that
# govern a document or a worker (CSP, Permissions-Policy, framing) do nothing on them, so they go without,
# which takes about 530 bytes off each of the first load's requests over HTTP/1.1. The service worker's
# script and anything that can open as a document (HTML, SVG, the manifest) keep the whole set.
SUBRESOURCE_SUFFIXES = (".js", ".css", ".png", ".webp", ".jpg", ".woff2")
SUBRESOURCE_HEADERS = ("X-Content-Type-Options", "Referrer-Policy")
NOT_FILES = ("/api/", "/healthz", "/manifest.webmanifest")  # the manifest: in the phone's language, by Flask


class PwaFiles(WhiteNoise):
    def __init__(self, application: Callable, root: str, hsts_seconds: int):
        self.hsts = hsts(hsts_seconds)
        super().__init__(
            application,
            root=root,
            autorefresh=True,  # look files up on demand; hashed ones are then memoised in __call__
            max_age=None,
            allow_all_origins=False,
            immutable_file_test=lambda path, url: url.startswith(HASHED_ASSETS),
            add_headers_function=_file_headers,
        )

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path_info = environ.get("PATH_INFO", "")
        path = decode_path_info(path_info)
        if (
            environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}
            or path.startswith(NOT_FILES)
            or not path_can_name_a_file(path_info)  # Flask answers 400 (backend.web.guards)
        ):
            return self.application(environ, start_response)
        url = "/index.html" if path == "/" else path
        static_file = self.files.get(url)
        if static_file is None:
            try:
                static_file = self.find_file(url)
            except (MissingFileError, IsDirectoryError):
                static_file = None
            if static_file is None:
                return self.application(environ, start_response)
            if url.startswith(HASHED_ASSETS):
                self.files[url] = static_file
        if environ.get("wsgi.url_scheme") == "https":  # set by ProxyFix from X-Forwarded-Proto (PROXY_HOPS)
            return self.serve(static_file, environ, self._with_hsts(start_response))
        return self.serve(static_file, environ, start_response)

    def _with_hsts(self, start_response: Callable) -> Callable:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("Strict-Transport-Security", self.hsts)], exc_info)

        return start

    def get_static_file(self, path: str, url: str, stat_cache: dict | None = None) -> StaticFile:
        """WhiteNoise's, except that a .br/.gz older than its file (an edited build) is not used."""
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        self.add_headers_function(headers, path, url)
        try:
            modified = os.stat(path).st_mtime_ns
        except FileNotFoundError as err:
            raise MissingFileError(path) from err
        encodings = {}
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            with contextlib.suppress(FileNotFoundError):
                if os.stat(path + suffix).st_mtime_ns >= modified:
                    encodings[encoding] = path + suffix
        return StaticFile(path, headers.items(), encodings=encodings, stat_cache=stat_cache)


def _file_headers(headers: Any, path: str, url: str) -> None:
    """No-cache for unhashed files; the security headers (Flask's after_request never sees these files)."""
    if not url.startswith(HASHED_ASSETS):
        headers["Cache-Control"] = "no-cache"
    subresource = url.startswith((HASHED_ASSETS, "/icons/")) and url.endswith(SUBRESOURCE_SUFFIXES)
    for name, value in FILE_HEADERS.items():
        if not subresource or name in SUBRESOURCE_HEADERS:
            headers[name] = value
