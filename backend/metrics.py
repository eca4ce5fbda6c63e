"""Prometheus metrics (prometheus-client): HTTP requests, reminders sent / failed, delivery lag.

With PROMETHEUS_MULTIPROC_DIR set (`python -m backend.serve` sets it), every process, the web
workers and the reminder worker alike, writes its values there and `/metrics` on any web worker
adds them all up; without it each process counts for itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter(
    "clearcourse_http_requests",
    "HTTP requests answered, by method (known ones, else other), route template (unmatched for any "
    "unknown path) and status class (2xx…5xx).",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "clearcourse_http_request_duration_seconds",
    "Time to answer an HTTP request, by method (known ones, else other) and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REMINDERS_SENT = Counter("clearcourse_reminders_sent", "Reminders delivered to at least one device.")
REMINDERS_FAILED = Counter(
    "clearcourse_reminders_failed", "Reminders that failed for good (no device took them)."
)
REMINDERS_MISSED = Counter(
    "clearcourse_reminders_missed", "Reminders recorded as missed: their useful window had passed."
)
DELIVERY_LAG = Histogram(
    "clearcourse_reminder_delivery_lag_seconds",
    "From a reminder's due instant to its delivery.",
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600),
)
LAST_TICK = Gauge(
    "clearcourse_reminder_last_tick_timestamp_seconds",
    "Unix time at which a reminder worker last finished a tick.",
    multiprocess_mode="max",
)


def record_tick(sent: int, failed: int, missed: int, lags: Iterable[float], finished_at: float) -> None:
    REMINDERS_SENT.inc(sent)
    REMINDERS_FAILED.inc(failed)
    REMINDERS_MISSED.inc(missed)
    for lag in lags:
        DELIVERY_LAG.observe(max(0.0, lag))
    LAST_TICK.set(finished_at)


def exposition() -> tuple[bytes, str]:
    """The text format of every metric (all processes' when PROMETHEUS_MULTIPROC_DIR is set)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
