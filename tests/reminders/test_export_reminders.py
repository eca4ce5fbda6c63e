"""The data export (POST /me/export, made by the worker) includes appointments, reminder rules and
settings, and push subscriptions — no keys."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from backend.extensions import db
from backend.models import PushSubscription
from tests.reminders.remhelp import API, subscribe

BERLIN = ZoneInfo("Europe/Berlin")


def test_export_contains_the_reminders_data_and_no_push_secret(make_patient, push_service, app):
    patient, other = make_patient(), make_patient()
    start = datetime.now(BERLIN).date() - timedelta(days=10)
    course = patient.create_course(
        start_date=start.isoformat(),
        dose_plan=[
            {"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}
        ],
    )
    other.create_course()
    day = datetime.now(BERLIN).date() + timedelta(days=5)
    appt = patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={
            "kind": "blood_test",
            "starts_at": f"{day}T09:30",
            "place": "Lab",
            "notes": "bring form",
            "fasting": True,
        },
    ).get_json()
    rules = patient.get(f"{API}/reminders").get_json()
    dose = next(r for r in rules if r["kind"] == "dose")
    refill = next(r for r in rules if r["kind"] == "refill")
    mood = next(r for r in rules if r["kind"] == "mood_checkin")
    assert patient.patch(f"{API}/reminders/{dose['id']}", json={"time": "07:45"}).status_code == 200
    assert patient.patch(f"{API}/reminders/{refill['id']}", json={"lead_days": 5}).status_code == 200
    assert (
        patient.patch(f"{API}/reminders/{mood['id']}", json={"enabled": True, "weekday": 2}).status_code
        == 200
    )
    assert (
        patient.put(
            f"{API}/reminders/settings", json={"quiet_start": "22:00", "quiet_end": "07:00"}
        ).status_code
        == 200
    )
    sub = subscribe(patient, push_service)
    subscribe(other, push_service)
    with app.app_context():
        row = db.session.get(PushSubscription, sub["id"])
        secrets = [row.endpoint, row.p256dh, row.auth]
    secrets += [patient.token, hashlib.sha256(patient.token.encode()).hexdigest()]

    response = patient.file(f"{API}/me/export")
    assert response.status_code == 200
    data = response.get_json()

    [exported_appt] = data["appointments"]
    assert exported_appt["id"] == appt["id"] and exported_appt["course_id"] == course["id"]
    assert exported_appt["starts_at"] == f"{day}T09:30" and exported_appt["fasting"] is True
    assert exported_appt["place"] == "Lab" and exported_appt["notes"] == "bring form"

    by_kind = {(r["kind"], r["slot"]): r for r in data["reminder_rules"]}
    assert {r["id"] for r in data["reminder_rules"]} == {r["id"] for r in rules}
    assert by_kind[("dose", 1)]["time"] == "07:45" and by_kind[("dose", 1)]["enabled"] is True
    assert by_kind[("refill", None)]["offset_minutes"] == 5 * 24 * 60
    assert (
        by_kind[("mood_checkin", None)]["enabled"] is True and by_kind[("mood_checkin", None)]["weekday"] == 2
    )
    assert by_kind[("dose_followup", None)]["offset_minutes"] is None  # the default

    assert data["reminder_settings"]["quiet_start"] == "22:00"
    assert data["reminder_settings"]["quiet_end"] == "07:00"

    [exported_sub] = data["push_subscriptions"]
    assert exported_sub["id"] == sub["id"] and exported_sub["device_id"] == patient.device_id
    assert exported_sub["endpoint_origin"] == push_service.origin
    assert exported_sub["created_at"] and exported_sub["last_status"] is None
    assert {"last_success_at", "last_failure_at"} <= set(exported_sub)

    text = response.get_data(as_text=True)
    for secret in secrets:
        assert secret not in text
    for word in ("p256dh", 'auth"', "token", 'endpoint"'):
        assert word not in text.lower(), word
    assert other.id not in text and json.loads(text) == data


def test_export_of_a_patient_without_reminders_data(patient):
    data = patient.file(f"{API}/me/export").get_json()
    assert data["appointments"] == [] and data["reminder_rules"] == [] and data["push_subscriptions"] == []
    assert data["reminder_settings"] is None
