"""Anonymous accounts: creation, device linking, export and erasure."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select

from backend.auth import hash_secret, issue_device_token
from backend.extensions import db
from backend.models import Caregiver, Course, DeviceToken, DoseLog, LinkCode, Patient, PushSubscription
from backend.models.types import utcnow
from backend.reminders import export as reminder_export
from backend.services import record as record_export

# Crockford-style alphabet: no I, L, O, U, 0 or 1 to misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


def create_patient(label: str | None = None, language: str | None = None) -> tuple[Patient, DeviceToken, str]:
    patient = Patient(language=language)
    db.session.add(patient)
    device, token = issue_device_token(patient, label)
    db.session.commit()
    return patient, device, token


def get_patient(patient_id: str) -> Patient:
    return db.session.get(Patient, patient_id)


def set_language(patient_id: str, language: str | None) -> Patient:
    """Store the language the server writes this patient's texts in (None: follow the phone)."""
    patient = db.session.get(Patient, patient_id)
    patient.language = language
    db.session.commit()
    return patient


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_link_code(patient_id: str, ttl_minutes: int) -> tuple[str, LinkCode]:
    """A short, one-use code; only its hash is kept."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = utcnow()
    db.session.execute(delete(LinkCode).where(LinkCode.expires_at < now))
    link = LinkCode(
        code_hash=hash_secret(raw), patient_id=patient_id, expires_at=now + timedelta(minutes=ttl_minutes)
    )
    db.session.add(link)
    db.session.commit()
    return f"{raw[:4]}-{raw[4:]}", link


class DeviceLimitReached(Exception):
    """The patient already has the most devices allowed; the code was not spent."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} devices")
        self.limit = limit


def redeem_link_code(
    code: str, label: str | None, max_devices: int | None = None
) -> tuple[DeviceToken, str] | None:
    """Spend a code atomically and return a new device token, or None if it is unusable.

    DeviceLimitReached (code left unspent) when the patient already has `max_devices` devices.
    """
    now = utcnow()
    code_hash = hash_secret(normalise_code(code))
    spent = db.session.execute(
        LinkCode.__table__.update()
        .where(LinkCode.code_hash == code_hash, LinkCode.used_at.is_(None), LinkCode.expires_at >= now)
        .values(used_at=now)
        .returning(LinkCode.patient_id)
    ).first()
    if spent is None:
        db.session.rollback()
        return None
    patient = db.session.get(Patient, spent.patient_id)
    if patient is None:
        db.session.rollback()
        return None
    if max_devices is not None:
        held = db.session.scalar(
            select(func.count()).select_from(DeviceToken).where(DeviceToken.patient_id == patient.id)
        )
        if held >= max_devices:
            db.session.rollback()
            raise DeviceLimitReached(max_devices)
    device, token = issue_device_token(patient, label)
    db.session.commit()
    return device, token


def list_devices(patient_id: str) -> list[DeviceToken]:
    return list(
        db.session.scalars(
            select(DeviceToken).where(DeviceToken.patient_id == patient_id).order_by(DeviceToken.created_at)
        )
    )


def get_device(patient_id: str, device_id: str) -> DeviceToken | None:
    device = db.session.get(DeviceToken, device_id)
    return device if device is not None and device.patient_id == patient_id else None


def delete_device(device: DeviceToken) -> bool:
    """Unlink the device unless it is the patient's last one (False then: nothing changes).

    The count and the delete run in one transaction; the patient row is locked first (on PostgreSQL)
    so two devices removing each other at once cannot both succeed.
    """
    db.session.execute(select(Patient.id).where(Patient.id == device.patient_id).with_for_update())
    held = db.session.scalar(
        select(func.count()).select_from(DeviceToken).where(DeviceToken.patient_id == device.patient_id)
    )
    if held <= 1:
        db.session.rollback()
        return False
    db.session.delete(device)
    db.session.commit()
    return True


@dataclass(frozen=True)
class PatientRecords:
    """Everything stored about a patient, as rows: the API layer turns it into the export JSON."""

    patient: Patient
    devices: list[DeviceToken]
    courses: list[tuple[Course, list[DoseLog]]]  # each course with its doses, by date and slot
    sections: dict[str, Any]  # other aggregates' sections, already JSON-ready (EXPORT_SECTIONS)


def export_patient(patient_id: str) -> PatientRecords:
    """Everything stored about the patient (the API dumps it with its schemas)."""
    patient = db.session.get(Patient, patient_id)
    courses = db.session.scalars(
        select(Course).where(Course.patient_id == patient_id).order_by(Course.created_at)
    ).all()
    with_doses = [
        (
            course,
            list(
                db.session.scalars(
                    select(DoseLog).where(DoseLog.course_id == course.id).order_by(DoseLog.date, DoseLog.slot)
                )
            ),
        )
        for course in courses
    ]
    sections = {section: exporter(patient_id) for section, exporter in EXPORT_SECTIONS.items()}
    return PatientRecords(patient, list(list_devices(patient_id)), with_doses, sections)


def export_caregivers(patient_id: str) -> list[dict[str, Any]]:
    """The caregivers who joined and the choices about them; never a token hash or a push endpoint."""
    rows = db.session.scalars(
        select(Caregiver).where(Caregiver.patient_id == patient_id).order_by(Caregiver.created_at)
    )
    subs = db.session.scalars(
        select(PushSubscription).where(
            PushSubscription.patient_id == patient_id, PushSubscription.caregiver_id.is_not(None)
        )
    ).all()
    return [
        {
            "id": c.id,
            "course_id": c.course_id,
            "created_at": c.created_at.isoformat(),
            "last_seen_at": c.last_seen_at.isoformat() if c.last_seen_at else None,
            "show_appointments": c.show_appointments,
            "nudge_allowed": c.nudge_allowed,
            "nudge": c.nudge,
            "quiet_start": c.quiet_start.strftime("%H:%M") if c.quiet_start else None,
            "quiet_end": c.quiet_end.strftime("%H:%M") if c.quiet_end else None,
            "push_subscription": any(s.caregiver_id == c.id for s in subs),
        }
        for c in rows
    ]


# Other aggregates add their sections here: section name → exporter(patient_id) → JSON-ready data.
EXPORT_SECTIONS: dict[str, Any] = {
    **reminder_export.SECTIONS,
    **record_export.EXPORT_SECTIONS,
    "caregivers": export_caregivers,
}


def erase_patient(patient_id: str) -> None:
    """Delete the patient; foreign keys cascade to every row that belongs to them."""
    db.session.execute(delete(Patient).where(Patient.id == patient_id))
    db.session.commit()
