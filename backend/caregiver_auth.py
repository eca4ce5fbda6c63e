"""Bearer tokens of caregivers: a credential of its own kind, never a device token.

A caregiver token is looked up in `caregivers` only, so `auth_required` (device tokens) refuses it
with 401 on every patient endpoint, and `caregiver_required` refuses a patient's device token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import g, request
from flask_smorest import abort
from sqlalchemy import bindparam, select, update

from backend.auth import LAST_SEEN_GRANULARITY, hash_secret
from backend.extensions import db
from backend.models import Caregiver
from backend.models.types import utcnow


@dataclass(frozen=True)
class AuthenticatedCaregiver:
    id: str
    patient_id: str
    course_id: str


def current_caregiver() -> AuthenticatedCaregiver:
    return g.caregiver


_CAREGIVER_BY_TOKEN = select(
    Caregiver.id, Caregiver.patient_id, Caregiver.course_id, Caregiver.last_seen_at
).where(Caregiver.token_hash == bindparam("token_hash"))


def caregiver_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve `Authorization: Bearer <caregiver token>` to a caregiver, or answer 401."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            abort(401, message="Send Authorization: Bearer <caregiver token>.")
        row = (
            db.session.connection()
            .execute(_CAREGIVER_BY_TOKEN, {"token_hash": hash_secret(token.strip())})
            .first()
        )
        if row is None:
            abort(401, message="That caregiver token is not valid (it may have been removed).")
        now = utcnow()
        if row.last_seen_at is None or now - row.last_seen_at > LAST_SEEN_GRANULARITY:
            db.session.execute(update(Caregiver).where(Caregiver.id == row.id).values(last_seen_at=now))
            db.session.commit()
        g.caregiver = AuthenticatedCaregiver(row.id, row.patient_id, row.course_id)
        return view(*args, **kwargs)

    return wrapper


CAREGIVER_SECURITY = [{"caregiverAuth": []}]
