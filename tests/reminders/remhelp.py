"""Helpers for the reminder tests (imported as tests.reminders.remhelp)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.support.push_service import PushService

API = "/api/v1"


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
