"""Bearer-token authentication for anonymous patients."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import g, request
from flask_smorest import abort

from backend.extensions import db
from backend.models import DeviceToken, Patient
from backend.models.types import utcnow

TOKEN_BYTES = 32
LAST_SEEN_GRANULARITY = timedelta(minutes=10)


def hash_secret(secret: str) -> str:
    """SHA-256 is enough here: tokens are 256 random bits, never user-chosen."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def issue_device_token(patient: Patient, label: str | None = None) -> tuple[DeviceToken, str]:
    """Create a device token row and return it with the clear token (shown once)."""
    token = new_token()
    device = DeviceToken(patient=patient, token_hash=hash_secret(token), label=label)
    db.session.add(device)
    return device, token


def current_device() -> DeviceToken:
    return g.device


def current_patient_id() -> str:
    return g.device.patient_id


def auth_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve `Authorization: Bearer <token>` to a device, or answer 401."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            abort(401, message="Send Authorization: Bearer <token>.")
        device = db.session.execute(
            db.select(DeviceToken).where(DeviceToken.token_hash == hash_secret(token.strip()))
        ).scalar_one_or_none()
        if device is None:
            abort(401, message="That token is not valid (it may have been revoked).")
        now = utcnow()
        if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_GRANULARITY:
            device.last_seen_at = now
            db.session.commit()
        g.device = device
        return view(*args, **kwargs)

    return wrapper


SECURITY = [{"bearerAuth": []}]
