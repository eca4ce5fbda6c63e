"""Settings read from environment variables, with safe defaults.

Every variable is listed in README.md ("Configuration").
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

REPO_ROOT = Path(__file__).resolve().parent.parent


def as_bool(value: str | None, default: bool = False) -> bool:
    """Read a boolean environment value ("1", "true", "yes", "on" are true)."""
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


class Config:
    """Production-safe defaults; the embedded SQLite file lives under instance/."""

    TESTING = False
    ENV_NAME = _env("CLEARCOURSE_ENV", "production")
    # None means "an SQLite file in the app's instance folder" (resolved in create_app).
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")
    # hide_parameters: an error's log line never prints the statement's values (keys, tokens).
    # JSON columns (a course's plan, a reminder's data) are read by orjson: the same values, faster.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {
        "pool_pre_ping": True,
        "hide_parameters": True,
        "json_deserializer": orjson.loads,
    }
    MAX_CONTENT_LENGTH = int(_env("MAX_BODY_BYTES", str(64 * 1024)))
    MAX_BATCH_BODY_BYTES = int(_env("MAX_BATCH_BODY_BYTES", str(512 * 1024)))  # POST …/doses/batch only
    HSTS_MAX_AGE_SECONDS = int(_env("HSTS_MAX_AGE_SECONDS", str(2 * 365 * 24 * 3600)))

    # What one patient may keep (409 beyond): far above a real course, far below an abuse.
    MAX_COURSES_PER_PATIENT = int(_env("MAX_COURSES_PER_PATIENT", "10"))
    MAX_APPOINTMENTS_PER_PATIENT = int(_env("MAX_APPOINTMENTS_PER_PATIENT", "200"))
    MAX_PAUSES_PER_PATIENT = int(_env("MAX_PAUSES_PER_PATIENT", "200"))
    MAX_PUSH_SUBSCRIPTIONS_PER_PATIENT = int(_env("MAX_PUSH_SUBSCRIPTIONS_PER_PATIENT", "10"))
    MAX_DEVICES_PER_PATIENT = int(_env("MAX_DEVICES_PER_PATIENT", "10"))
    MAX_CALENDAR_FEEDS_PER_PATIENT = int(_env("MAX_CALENDAR_FEEDS_PER_PATIENT", "10"))
    MAX_PICKUPS_PER_PATIENT = int(_env("MAX_PICKUPS_PER_PATIENT", "200"))  # over all courses
    MAX_LINK_CODES_PER_PATIENT = int(_env("MAX_LINK_CODES_PER_PATIENT", "5"))  # unused, not expired
    MAX_CAREGIVERS_PER_COURSE = int(_env("MAX_CAREGIVERS_PER_COURSE", "5"))
    CAREGIVER_INVITE_TTL_HOURS = int(_env("CAREGIVER_INVITE_TTL_HOURS", "24"))

    METRICS_ENABLED = as_bool(_env("METRICS_ENABLED"), True)
    METRICS_TOKEN = _env("METRICS_TOKEN")  # when set, GET /metrics needs Authorization: Bearer <it>

    # None: an SQLite file in the instance folder shared by every process of this machine (resolved
    # in create_app; backend/ratelimit_storage.py); redis://… for several machines.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI")
    # One budget per client over all routes together (Flask-Limiter's application limit), unknown
    # paths included (backend/web/ratelimits.py); RATELIMIT_DEFAULT names it for operators.
    RATELIMIT_APPLICATION = _env("RATELIMIT_DEFAULT", "300 per minute")
    RATELIMIT_ENABLED = as_bool(_env("RATELIMIT_ENABLED"), True)
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = _env("RATELIMIT_KEY_PREFIX", "clearcourse")
    ACCOUNT_CREATE_LIMIT = _env("ACCOUNT_CREATE_LIMIT", "20 per hour")
    CAREGIVER_JOIN_LIMIT = _env("CAREGIVER_JOIN_LIMIT", "10 per minute")  # invite guesses, as for link codes

    # JSON answers to GET, compressed on the fly (flask-compress); the PWA is compressed at build time.
    COMPRESS_REGISTER = False  # applied by create_app to GET requests only
    COMPRESS_MIMETYPES = ["application/json"]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 1024

    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none, trust no such header).
    PROXY_HOPS = int(_env("PROXY_HOPS", "0"))

    FRONTEND_DIST = _env("FRONTEND_DIST", str(REPO_ROOT / "frontend" / "dist"))
    LINK_CODE_TTL_MINUTES = int(_env("LINK_CODE_TTL_MINUTES", "10"))
    VIEW_CACHE_SIZE = int(_env("VIEW_CACHE_SIZE", "2048"))  # computed today/timeline bodies per process

    # Reminders and push (see backend/reminders, backend/push).
    SCHEDULER_TICK_SECONDS = int(_env("SCHEDULER_TICK_SECONDS", "20"))
    VAPID_PRIVATE_KEY = _env("VAPID_PRIVATE_KEY")
    VAPID_SUBJECT = _env("VAPID_SUBJECT")
    PUSH_ALLOW_LOCAL_ENDPOINTS = as_bool(_env("PUSH_ALLOW_LOCAL_ENDPOINTS"), False)
    PUSH_SERVICE_ALLOWLIST = [h for h in (_env("PUSH_SERVICE_ALLOWLIST", "") or "").split(",") if h]
    PUSH_CA_BUNDLE = _env("PUSH_CA_BUNDLE")
    PUSH_CONCURRENCY = int(_env("PUSH_CONCURRENCY", "256"))  # requests in flight per dispatcher
    PUSH_TIMEOUT_SECONDS = float(_env("PUSH_TIMEOUT_SECONDS", "10"))  # one request
    PUSH_DEADLINE_SECONDS = float(_env("PUSH_DEADLINE_SECONDS", "30"))  # one message, all attempts
    # Test notifications: sent by the reminder worker (polled every PUSH_TEST_POLL_SECONDS), at most
    # PUSH_TESTS_PER_WINDOW per patient per PUSH_TEST_WINDOW_MINUTES (429 beyond), one in flight.
    PUSH_TEST_POLL_SECONDS = float(_env("PUSH_TEST_POLL_SECONDS", "1"))
    PUSH_TESTS_PER_WINDOW = int(_env("PUSH_TESTS_PER_WINDOW", "5"))
    PUSH_TEST_WINDOW_MINUTES = int(_env("PUSH_TEST_WINDOW_MINUTES", "10"))
    # Files made by the worker (data export, report PDF), polled every FILE_JOB_POLL_SECONDS: at most
    # FILE_JOBS_PER_WINDOW per patient per FILE_JOB_WINDOW_MINUTES (429 beyond); a made file can be
    # downloaded for FILE_JOB_KEEP_MINUTES, then it is deleted.
    FILE_JOB_POLL_SECONDS = float(_env("FILE_JOB_POLL_SECONDS", "1"))
    FILE_JOBS_PER_WINDOW = int(_env("FILE_JOBS_PER_WINDOW", "10"))
    FILE_JOB_WINDOW_MINUTES = int(_env("FILE_JOB_WINDOW_MINUTES", "10"))
    FILE_JOB_KEEP_MINUTES = float(_env("FILE_JOB_KEEP_MINUTES", "15"))
    # The dispatcher sends from a child process of its own (backend/push/sender_process.py), so the
    # encrypting and sending run on another core than claiming and recording; off: a thread beside them.
    PUSH_SENDER_PROCESS = as_bool(_env("PUSH_SENDER_PROCESS"), True)
    REMINDER_HORIZON_DAYS = int(_env("REMINDER_HORIZON_DAYS", "3"))  # occurrences materialised ahead
    REMINDER_BATCH_SIZE = int(_env("REMINDER_BATCH_SIZE", "500"))  # occurrences per claim
    REMINDER_MAX_BATCHES = int(_env("REMINDER_MAX_BATCHES", "40"))  # claims per tick
    REMINDER_LEASE_SECONDS = int(_env("REMINDER_LEASE_SECONDS", "300"))  # a dead dispatcher's claim expires
    REMINDER_PIPELINE_DEPTH = int(_env("REMINDER_PIPELINE_DEPTH", "2"))  # batches claimed, not yet recorded

    API_TITLE = "ClearCourse API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    # The docs page (/api/v1/docs) is served by backend/web/docs.py from a pinned local Swagger UI.
    API_SPEC_OPTIONS = {
        "info": {
            "description": (
                "ClearCourse: an isotretinoin course companion. It records and reminds; it does "
                "not replace your dermatologist."
            )
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "caregiverAuth": {"type": "http", "scheme": "bearer", "description": "A caregiver token."},
            }
        },
    }


class DevelopmentConfig(Config):
    """Local development (CLEARCOURSE_ENV=development): loopback push endpoints allowed."""

    ENV_NAME = "development"
    PUSH_ALLOW_LOCAL_ENDPOINTS = as_bool(_env("PUSH_ALLOW_LOCAL_ENDPOINTS"), True)


class TestConfig(Config):
    """Used by the test suite; TEST_DATABASE_URL selects PostgreSQL."""

    TESTING = True
    ENV_NAME = "test"
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False
    PUSH_ALLOW_LOCAL_ENDPOINTS = True
    PUSH_SENDER_PROCESS = as_bool(_env("PUSH_SENDER_PROCESS"), False)  # tests that need it turn it on
    VAPID_SUBJECT = "mailto:push-test@clearcourse.example.org"
