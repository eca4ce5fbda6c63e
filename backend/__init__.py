"""ClearCourse backend: the app factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, request, send_from_directory
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import PathConverter

from backend import extensions
from backend.config import Config, DevelopmentConfig
from backend.errors import register_error_handlers
from backend.extensions import db, limiter, migrate
from backend.pwa_files import PwaFiles
from backend.ratelimit_storage import storage_uri
from backend.web import register_web
from backend.web.json_answer import OrjsonProvider

__version__ = "0.1.0"


def register_events() -> None:
    """Connect the domain events' listeners (`backend.events`): the reminders service reacts to courses."""
    from backend.services.reminders import connect_events

    connect_events()


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the Flask app. `config` is a Config class, a dict of overrides, or None (env)."""
    instance_path = (
        (config.get("INSTANCE_PATH") if isinstance(config, dict) else getattr(config, "INSTANCE_PATH", None))
        or os.environ.get("INSTANCE_PATH")
        or str(Path.cwd() / "instance")
    )
    app = Flask(__name__, instance_path=str(Path(instance_path).resolve()), static_folder=None)
    app.json = OrjsonProvider(app)
    _load_config(app, config)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))

    check_push_settings(app)
    register_extensions(app)
    register_blueprints(app)
    register_web(app)
    register_events()
    register_error_handlers(app)
    register_commands(app)
    register_frontend(app)
    read_bodies_at_the_edge(app)
    trust_proxies(app)
    return app


def _load_config(app: Flask, config: type[Config] | dict[str, Any] | None) -> None:
    base: type[Config] = Config
    if os.environ.get("CLEARCOURSE_ENV") == "development":
        base = DevelopmentConfig
    if isinstance(config, type):
        base = config
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "clearcourse.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = storage_uri(Path(app.instance_path) / "ratelimits.db")


def _normalise_db_url(url: str) -> str:
    """Let plain postgres:// URLs use the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL, a busy timeout and enforced foreign keys for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    timeout = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={timeout}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def read_bodies_at_the_edge(app: Flask) -> None:
    """Every body read whole before the app (backend.web.body): 413 over the largest limit, chunked too."""
    from backend.web.body import BodyEdge

    largest = max(app.config["MAX_CONTENT_LENGTH"], app.config["MAX_BATCH_BODY_BYTES"])
    app.wsgi_app = BodyEdge(app.wsgi_app, largest)  # type: ignore[method-assign]


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address and scheme from X-Forwarded-*."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def check_push_settings(app: Flask) -> None:
    """Fail at start-up on a bad VAPID contact or key rather than at the first reminder."""
    from backend.push.vapid import parse_private_key, validate_subject

    subject = app.config.get("VAPID_SUBJECT")
    if subject:
        try:
            validate_subject(subject, strict=app.config.get("ENV_NAME") == "production")
        except ValueError as err:
            raise RuntimeError(f"VAPID_SUBJECT is not usable: {err}") from err
    else:
        app.logger.warning(
            "VAPID_SUBJECT is not set: push services (Apple's in particular) want a real mailto: or "
            "https: contact for the operator of this server."
        )
    if app.config.get("VAPID_PRIVATE_KEY"):
        try:
            parse_private_key(app.config["VAPID_PRIVATE_KEY"])
        except ValueError as err:
            raise RuntimeError(f"VAPID_PRIVATE_KEY is not a usable P-256 key: {err}") from err


def register_extensions(app: Flask) -> None:
    from backend import models  # noqa: F401  (registers the tables)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    extensions.api.init_app(app)
    limiter.init_app(app)
    extensions.compress.init_app(app)
    app.after_request(compress_api_reads)


def compress_api_reads(response: Response) -> Response:
    """Brotli/gzip for JSON answers to GET (the API needs no cookies, so compression leaks no secret)."""
    if request.method == "GET":
        return extensions.compress.after_request(response)
    return response


def register_blueprints(app: Flask) -> None:
    from backend.api import register_api

    register_api(extensions.api)

    @app.get("/api/v1/version")
    def version():
        """The API's version: a cheap call clients use to check they reach the server."""
        return jsonify(api=app.config["API_VERSION"], version=__version__)


def register_commands(app: Flask) -> None:
    from backend.commands import register

    register(app)


class AppPathConverter(PathConverter):
    """Any path outside /api/, so unknown API paths answer 404 (not 405) for every method."""

    regex = r"(?!api(?:/|$))[^/].*?"


def register_frontend(app: Flask) -> None:
    """Serve the built PWA at / (compressed, by PwaFiles) with an SPA fallback; /api stays JSON; the web app
    manifest in the phone's language (backend.web.manifest)."""
    from backend.web.manifest import register as register_manifest

    dist = Path(app.config["FRONTEND_DIST"])
    app.url_map.converters["app_path"] = AppPathConverter
    app.wsgi_app = PwaFiles(  # type: ignore[method-assign]
        app.wsgi_app, str(dist), app.config["HSTS_MAX_AGE_SECONDS"]
    )
    register_manifest(app, dist)

    @app.get("/", defaults={"path": ""})
    @app.get("/<app_path:path>")
    @limiter.exempt
    def frontend(path: str):
        if (dist / "index.html").is_file():  # a client-side route: the app shell
            response = send_from_directory(dist, "index.html")
            response.headers["Cache-Control"] = "no-cache"
            return response
        abort(404, description="The app has not been built yet (run `make build`).")
