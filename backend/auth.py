"""Bearer-token authentication for anonymous patients."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import g, request
from flask_smorest import abort
from sqlalchemy import bindparam, select, update

from backend.extensions import db
from backend.i18n import set_locale
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


@dataclass(frozen=True)
class AuthenticatedDevice:
    """Who is calling: the device whose token was presented, and its patient."""

    id: str
    patient_id: str


def current_device() -> AuthenticatedDevice:
    return g.device


def current_patient_id() -> str:
    return g.device.patient_id


# Built once and run on the session's connection: this query precedes every authenticated call.
_DEVICE_BY_TOKEN = (
    select(DeviceToken.id, DeviceToken.patient_id, DeviceToken.last_seen_at, Patient.language)
    .join(Patient, Patient.id == DeviceToken.patient_id)
    .where(DeviceToken.token_hash == bindparam("token_hash"))
)


def auth_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve `Authorization: Bearer <token>` to a device, or answer 401.

    Every authenticated call runs this, so it reads four columns rather than an ORM object (the
    patient's language sets the locale the answer is written in).
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            abort(401, message="Send Authorization: Bearer <token>.")
        row = (
            db.session.connection()
            .execute(_DEVICE_BY_TOKEN, {"token_hash": hash_secret(token.strip())})
            .first()
        )
        if row is None:
            abort(401, message="That token is not valid (it may have been revoked).")
        now = utcnow()
        if row.last_seen_at is None or now - row.last_seen_at > LAST_SEEN_GRANULARITY:
            db.session.execute(update(DeviceToken).where(DeviceToken.id == row.id).values(last_seen_at=now))
            db.session.commit()
        g.device = AuthenticatedDevice(id=row.id, patient_id=row.patient_id)
        if row.language:  # the patient's choice beats the phone's Accept-Language
            set_locale(row.language)
        return view(*args, **kwargs)

    return wrapper


SECURITY = [{"bearerAuth": []}]
