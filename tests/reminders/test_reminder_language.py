"""Reminders are written in the patient's stored language: a real push through the local push service."""

from __future__ import annotations

from datetime import timedelta

from tests.reminders.remhelp import API, subscribe, utc

MAR10 = utc(2026, 3, 10, 6, 0)
DOSE_DUE = utc(2026, 3, 10, 7, 0)


def test_a_spanish_patient_gets_the_capsule_reminder_in_spanish(patient, push_service, materialise, tick):
    assert patient.patch(f"{API}/me", json={"language": "es"}).status_code == 200
    course = patient.create_course()
    device = subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    tick(DOSE_DUE + timedelta(seconds=5))
    [payload] = push_service.received(device["push_sid"])
    assert payload["title"] == "Hora de la cápsula 1 de 2 (20 mg)"
    assert "con una comida" in payload["body"] and "with a meal" not in payload["body"]  # DOSE-5
    assert [a["title"] for a in payload["actions"]] == ["Tomada", "Posponer 10 min"]
    assert [a["action"] for a in payload["actions"]] == ["taken", "snooze"]  # ids stay the same


def test_the_same_pass_writes_each_patient_in_their_own_language(
    make_patient, push_service, materialise, tick
):
    german, english = make_patient(), make_patient()
    assert german.patch(f"{API}/me", json={"language": "de"}).status_code == 200
    devices = {}
    for who in (german, english):
        materialise(who.create_course()["id"], MAR10)
        devices[who.id] = subscribe(who, push_service)
    tick(DOSE_DUE + timedelta(seconds=5))
    [de] = push_service.received(devices[german.id]["push_sid"])
    [en] = push_service.received(devices[english.id]["push_sid"])
    assert de["title"] == "Zeit für Kapsel 1 von 2 (20 mg)" and "Mahlzeit" in de["body"]
    assert en["title"] == "Time for capsule 1 of 2 (20 mg)"
