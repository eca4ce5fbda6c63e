"""Helpers for the reminder tests (imported as tests.reminders.remhelp)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.support.push_service import PushService

API = "/api/v1"
BERLIN = ZoneInfo("Europe/Berlin")


def berlin_today() -> date:
    return datetime.now(BERLIN).date()


def running_course(patient, days_ago: int = 10, doses_per_day: int = 2, **overrides) -> dict:
    """A Berlin course that started `days_ago` days ago (so the real clock finds upcoming reminders)."""
    start = berlin_today() - timedelta(days=days_ago)
    times = ["08:00", "20:00"][:doses_per_day]
    body = {
        "start_date": start.isoformat(),
        "dose_plan": [
            {
                "from_date": start.isoformat(),
                "daily_mg": 40,
                "doses_per_day": doses_per_day,
                "dose_times": times,
            }
        ],
    }
    body.update(overrides)
    return patient.create_course(**body)


def rule(patient, kind: str, slot: int | None = None) -> dict:
    """The patient's one reminder rule of that kind (and slot)."""
    [found] = [
        r
        for r in patient.get(f"{API}/reminders").get_json()
        if r["kind"] == kind and (slot is None or r["slot"] == slot)
    ]
    return found


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def subscribe(patient, push_service: PushService) -> dict:
    """Register a fresh subscription of the local push service for `patient`; returns the API body."""
    info = push_service.new_subscription()
    response = patient.post(f"{API}/push/subscriptions", json=info)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    body["push_sid"] = push_service.subscription_id(info)
    return body
