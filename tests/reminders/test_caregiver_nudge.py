"""The caregiver's one-hour nudge and the patient's "a caregiver joined" notice, through the real
dispatcher and the local push service (which checks VAPID and decrypts every message).

The default course (Berlin, 08:00 and 20:00, 20 mg each) on 10 March 2026 (CET, UTC+1): the 08:00
dose is due 07:00 UTC, its nudge an hour later, 08:00 UTC (09:00 in Berlin).
"""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import PushSubscription, ReminderOccurrence
from backend.reminders import dispatch
from tests.reminders.remhelp import API, subscribe, utc

MAR10 = utc(2026, 3, 10, 6, 0)
NUDGE_DUE = utc(2026, 3, 10, 8, 0)  # 09:00 in Berlin
SOON_AFTER = NUDGE_DUE + timedelta(seconds=5)


class Carer:
    """A caregiver's phone: its token, and its subscription on the local push service."""

    def __init__(self, client, token: str, caregiver_id: str) -> None:
        self.client, self.token, self.id = client, token, caregiver_id
        self.sid: str | None = None

    def call(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(f"{API}{path}", method=method, headers=headers, **kwargs)


def join(client, patient, course_id: str, language: str = "en") -> Carer:
    code = patient.post(f"{API}/courses/{course_id}/caregiver-invites").get_json()["code"]
    response = client.post(
        f"{API}/caregiving/join", json={"code": code}, headers={"Accept-Language": language}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Carer(client, body["token"], body["id"])


def turn_on(carer: Carer, push_service, quiet: tuple[str, str] | None = None, language: str = "en") -> Carer:
    settings = {"nudge": True}
    if quiet:
        settings.update(quiet_start=quiet[0], quiet_end=quiet[1])
    headers = {"Accept-Language": language}
    assert carer.call("PUT", "/caregiving/settings", json=settings, headers=headers).status_code == 200
    info = push_service.new_subscription()
    response = carer.call("PUT", "/caregiving/push-subscription", json=info, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["push"] is True
    carer.sid = push_service.subscription_id(info)
    return carer


@pytest.fixture
def setup(client, patient, push_service, materialise):
    """A patient with a device, whose course is shared with one caregiver who turned the nudge on."""

    def make(quiet: tuple[str, str] | None = None, language: str = "en"):
        course = patient.create_course()
        device = subscribe(patient, push_service)
        carer = turn_on(join(client, patient, course["id"], language), push_service, quiet, language)
        materialise(course["id"], MAR10)
        return course, device, carer

    return make


def nudges(push_service, sid: str) -> list[dict]:
    return [p for p in push_service.received(sid) if p["kind"] == "caregiver_nudge"]


def log_dose(patient, course_id: str, status: str = "taken") -> None:
    body = {"date": "2026-03-10", "slot": 1, "status": status, "mg": 20}
    if status == "taken":
        body["taken_at"] = "2026-03-10T08:40:00+01:00"
    response = patient.put(f"{API}/courses/{course_id}/doses/{uuid.uuid4()}", json=body)
    assert response.status_code == 201, response.get_json()


def test_one_nudge_an_hour_after_an_unticked_dose_no_drug_name_and_it_opens_the_caregiver_view(
    setup, patient, push_service, tick
):
    _course, device, carer = setup()
    tick(NUDGE_DUE - timedelta(seconds=30))
    assert nudges(push_service, carer.sid) == []  # not before the hour
    tick(SOON_AFTER)
    tick(SOON_AFTER + timedelta(minutes=1))
    [nudge] = nudges(push_service, carer.sid)
    assert nudge["title"] == "The 08:00 dose hasn't been ticked"
    assert nudge["body"].startswith("An hour after its time it is not marked taken or skipped yet.")
    assert nudge["url"] == "/care"
    assert "actions" not in nudge and nudge["reminder_id"] is None
    text = f"{nudge['title']} {nudge['body']}".lower()
    assert not {"isotretino", "mg", "capsule", "20"} & {
        w for w in ("isotretino", "mg", "capsule", "20") if w in text
    }
    assert not {"mg", "slot", "date"} & nudge.keys()  # no amount on a lock screen's payload either
    assert nudges(push_service, device["push_sid"]) == []  # never to the patient's own phone
    assert [d for d in push_service.received(carer.sid) if d["kind"] != "caregiver_nudge"] == []


def test_several_dispatchers_at_once_send_the_nudge_once(setup, app, sender, push_service):
    _course, _device, carer = setup()
    results = []

    def run(node: str) -> None:
        results.append(dispatch.run_tick(app, now=SOON_AFTER, sender=sender, node=node))

    threads = [threading.Thread(target=run, args=(f"node-{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(nudges(push_service, carer.sid)) == 1


def test_the_nudge_is_written_in_the_caregivers_language(setup, push_service, tick):
    _course, _device, carer = setup(language="es")
    tick(SOON_AFTER)
    [nudge] = nudges(push_service, carer.sid)
    assert nudge["title"] == "La dosis de las 08:00 no está marcada"
    assert nudge["local"]["values"] == {"dose_time": "08:00"}  # the phone writes the time its own way


@pytest.mark.parametrize("status", ["taken", "skipped"])
def test_no_nudge_when_the_dose_was_ticked(setup, patient, push_service, tick, occurrences, status):
    course, _device, carer = setup()
    log_dose(patient, course["id"], status)
    [nudge] = [o for o in occurrences("caregiver_nudge") if o["key"] == "2026-03-10:1"]
    assert nudge["status"] == "cancelled"  # at once, before it fires
    tick(SOON_AFTER)
    assert nudges(push_service, carer.sid) == []


def test_inside_quiet_hours_it_waits_for_their_end_and_goes_only_if_still_unticked(setup, push_service, tick):
    _course, _device, carer = setup(quiet=("08:30", "09:30"))
    tick(SOON_AFTER)
    assert nudges(push_service, carer.sid) == []  # 09:00 is quiet
    tick(SOON_AFTER + timedelta(minutes=29))
    assert nudges(push_service, carer.sid) == []
    tick(NUDGE_DUE + timedelta(minutes=30, seconds=5))  # 09:30 in Berlin: the end of quiet hours
    [nudge] = nudges(push_service, carer.sid)
    assert "held during your quiet hours" in nudge["body"]
    tick(NUDGE_DUE + timedelta(minutes=40))
    assert len(nudges(push_service, carer.sid)) == 1


def test_a_held_nudge_is_dropped_when_the_dose_is_ticked_meanwhile(setup, patient, push_service, tick):
    course, _device, carer = setup(quiet=("08:30", "09:30"))
    tick(SOON_AFTER)
    log_dose(patient, course["id"])
    tick(NUDGE_DUE + timedelta(minutes=30, seconds=5))
    assert nudges(push_service, carer.sid) == []


def test_a_nudge_held_past_halfway_to_the_next_dose_is_dropped(setup, push_service, tick):
    _course, _device, carer = setup(quiet=("08:30", "14:30"))  # 14:30 is nearer the 20:00 dose
    for minutes in (0, 60, 330, 331):
        tick(SOON_AFTER + timedelta(minutes=minutes))
    assert nudges(push_service, carer.sid) == []


#: Changes after which no nudge comes for the 08:00 dose of 10 March (each answered 200 or 201).
NO_NUDGE_AFTER = {
    "a paused day": lambda patient, carer, course: patient.post(
        f"{API}/courses/{course['id']}/pauses", json={"started_on": "2026-03-09", "reason": "hives"}
    ),
    "the course ended": lambda patient, carer, course: patient.patch(
        f"{API}/courses/{course['id']}", json={"ended_on": "2026-03-09"}
    ),
    "the patient disallows it": lambda patient, carer, course: patient.patch(
        f"{API}/caregivers/{carer.id}", json={"nudge_allowed": False}
    ),
    "the caregiver turned it off": lambda patient, carer, course: carer.call(
        "PUT", "/caregiving/settings", json={"nudge": False}
    ),
}


@pytest.mark.parametrize("change", NO_NUDGE_AFTER.values(), ids=NO_NUDGE_AFTER.keys())
def test_no_nudge_after(change, setup, patient, push_service, materialise, tick):
    course, _device, carer = setup()
    response = change(patient, carer, course)
    assert response.status_code in (200, 201), response.get_json()
    materialise(course["id"], MAR10)
    tick(SOON_AFTER)
    assert nudges(push_service, carer.sid) == []


def test_only_the_caregivers_who_want_it_get_it(client, setup, patient, push_service, tick, materialise):
    course, _device, carer = setup()
    quiet_one = join(client, patient, course["id"])
    info = push_service.new_subscription()
    assert quiet_one.call("PUT", "/caregiving/push-subscription", json=info).status_code == 200
    materialise(course["id"], MAR10)
    tick(SOON_AFTER)
    assert len(nudges(push_service, carer.sid)) == 1
    assert push_service.received(push_service.subscription_id(info)) == []  # its nudge is off


def test_a_removed_caregiver_gets_none_and_its_subscription_is_gone(setup, patient, push_service, tick, app):
    _course, _device, carer = setup()
    assert patient.delete(f"{API}/caregivers/{carer.id}").status_code == 204
    tick(SOON_AFTER)
    assert push_service.received(carer.sid) == []
    with app.app_context():
        assert (
            db.session.scalars(
                select(PushSubscription).where(PushSubscription.caregiver_id.is_not(None))
            ).all()
            == []
        )


def test_a_caregiver_phone_is_none_of_the_patients_devices(setup, patient, push_service, app):
    _course, device, carer = setup()
    listed = patient.get(f"{API}/push/subscriptions").get_json()
    assert [s["id"] for s in listed] == [device["id"]]
    assert "caregivers" not in {r["kind"] for r in patient.get(f"{API}/reminders").get_json()}
    with app.app_context():
        [sub] = db.session.scalars(select(PushSubscription).where(PushSubscription.caregiver_id == carer.id))
    assert_refused = patient.delete(f"{API}/push/subscriptions/{sub.id}")
    assert assert_refused.status_code == 404
    exported = patient.file(f"{API}/me/export").get_json()
    assert [s["id"] for s in exported["push_subscriptions"]] == [device["id"]]
    assert "caregivers" not in {r["kind"] for r in exported["reminder_rules"]}
    assert exported["caregivers"][0]["push_subscription"] is True


def test_the_patient_is_told_once_when_a_caregiver_joins(client, patient, push_service, tick, app):
    course = patient.create_course()
    device = subscribe(patient, push_service)
    carer = join(client, patient, course["id"])
    info = push_service.new_subscription()
    assert carer.call("PUT", "/caregiving/push-subscription", json=info).status_code == 200
    with app.app_context():
        [notice] = db.session.scalars(
            select(ReminderOccurrence).where(ReminderOccurrence.kind == "caregiver_joined")
        ).all()
        fires = notice.fires_at
    tick(fires + timedelta(seconds=2))
    tick(fires + timedelta(seconds=30))
    [told] = [p for p in push_service.received(device["push_sid"]) if p["kind"] == "caregiver_joined"]
    assert told["title"] == "A caregiver joined"
    assert "nothing else" in told["body"] and told["url"] == "/settings#caregivers-heading"
    assert push_service.received(push_service.subscription_id(info)) == []  # not to the caregiver


def test_the_join_notice_in_the_patients_language(client, patient, push_service, tick, app):
    assert patient.patch(f"{API}/me", json={"language": "de"}).status_code == 200
    course = patient.create_course()
    device = subscribe(patient, push_service)
    join(client, patient, course["id"], language="es")  # the caregiver's language does not matter here
    with app.app_context():
        fires = db.session.scalar(
            select(ReminderOccurrence.fires_at).where(ReminderOccurrence.kind == "caregiver_joined")
        )
    tick(fires + timedelta(seconds=2))
    [told] = [p for p in push_service.received(device["push_sid"]) if p["kind"] == "caregiver_joined"]
    assert told["title"] == "Eine Vertrauensperson ist dabei"
