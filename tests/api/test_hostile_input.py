"""Hostile input never reaches a 5xx: each class of bad input is refused at the edge, on every endpoint.

The eight cases of issue 9 (deep nesting, a 5,000-digit integer, an integer too big for a float, a
lone surrogate, a NUL byte, a date or a date-time at the edge of the calendar, concurrent duplicate
push registrations) are each sent to several endpoints, some without a token. What may not be
parsed safely is 400; a value is 422 naming its field; nothing is written.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.errors import handle_unexpected
from backend.extensions import db
from backend.models import Appointment, Course, DeviceToken, DoseLog, Patient, PushSubscription
from tests.api.apihelp import API, assert_error, bad_fields, count_rows, days_ago, new_uuid
from tests.conftest import course_body


def b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def push_body(endpoint: str = "http://127.0.0.1:9/push/hostile", **extra) -> dict:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"endpoint": endpoint, "keys": {"p256dh": b64u(point), "auth": b64u(b"0123456789abcdef")}, **extra}


@dataclass
class Target:
    """One writing endpoint: how to reach it and a valid body to spoil."""

    name: str
    method: str
    path: Callable[[dict], str]
    body: Callable[[], dict]
    authed: bool = True


def _dose(world: dict) -> dict:
    return {
        "date": world["day"],
        "slot": 1,
        "status": "taken",
        "mg": 20,
        "taken_at": world["day"] + "T08:00:00+01:00",
    }


TARGETS = [
    Target("create patient", "POST", lambda w: f"{API}/patients", lambda: {"label": "phone"}, authed=False),
    Target(
        "redeem code", "POST", lambda w: f"{API}/devices", lambda: {"code": "ABCD-EFGH", "label": "x"}, False
    ),
    Target("create course", "POST", lambda w: f"{API}/courses", course_body),
    Target("patch course", "PATCH", lambda w: f"{API}/courses/{w['course']}", lambda: {"weight_kg": 71}),
    Target(
        "put dose",
        "PUT",
        lambda w: f"{API}/courses/{w['course']}/doses/{new_uuid()}",
        lambda: {"date": days_ago(2).isoformat(), "slot": 1, "status": "skipped", "mg": 20},
    ),
    Target(
        "add appointment",
        "POST",
        lambda w: f"{API}/courses/{w['course']}/appointments",
        lambda: {"kind": "blood_test", "starts_at": "2026-03-02T09:30", "place": "Lab", "notes": "fast"},
    ),
    Target("subscribe", "POST", lambda w: f"{API}/push/subscriptions", push_body),
    Target(
        "quiet hours",
        "PUT",
        lambda w: f"{API}/reminders/settings",
        lambda: {"quiet_start": "22:00", "quiet_end": "07:00"},
    ),
]


@pytest.fixture
def world(patient) -> dict:
    course = patient.create_course(
        start_date=days_ago(20).isoformat(),
        dose_plan=[
            {
                "from_date": days_ago(20).isoformat(),
                "daily_mg": 40,
                "doses_per_day": 2,
                "dose_times": ["08:00", "20:00"],
            }
        ],
    )
    return {"patient": patient, "course": course["id"], "day": days_ago(2).isoformat()}


def send(world: dict, target: Target, data: bytes | str, **kwargs):
    patient = world["patient"]
    headers = patient.headers if target.authed else {}
    return patient.client.open(
        target.path(world),
        method=target.method,
        data=data,
        headers={**headers, **kwargs.pop("headers", {})},
        content_type=kwargs.pop("content_type", "application/json"),
        **kwargs,
    )


def rows(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: count_rows(model)
            for model in (Patient, DeviceToken, Course, DoseLog, Appointment, PushSubscription)
        }


IDS = [t.name for t in TARGETS]


NESTED = {
    "1,000 open brackets": "[" * 1000,
    "1,000 balanced": "[" * 1000 + "]" * 1000,
    "60,000 open": "[" * 60_000,
    "40 levels inside a field": '{"label": ' + "[" * 40 + "]" * 40 + "}",
}


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_deeply_nested_json_is_400(world, app, target):
    before = rows(app)
    for name, body in NESTED.items():
        response = send(world, target, body)
        assert response.status_code == 400, (name, response.status_code)
        assert_error(response, 400)
    assert rows(app) == before


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_integer_longer_than_pythons_digit_limit_is_400(world, app, target):
    before = rows(app)
    body = json.dumps(target.body())[:-1] + ', "slot": ' + "1" + "0" * 5000 + "}"
    assert_error(send(world, target, body), 400)
    assert rows(app) == before


@pytest.mark.parametrize(
    ("target", "field"),
    [(TARGETS[2], "weight_kg"), (TARGETS[3], "weight_kg"), (TARGETS[4], "mg")],
    ids=["create course", "patch course", "put dose"],
)
def test_integer_too_big_for_a_float_is_422_naming_the_field(world, app, target, field):
    before = rows(app)
    big = "1" + "0" * 399  # 1e399 written out: a valid JSON integer, no float can hold it
    body = json.dumps({**target.body(), field: 0}).replace(f'"{field}": 0', f'"{field}": {big}')
    assert field in bad_fields(send(world, target, body))
    assert rows(app) == before


STRING_FIELDS = [
    (TARGETS[0], "label"),
    (TARGETS[1], "label"),
    (TARGETS[2], "timezone"),
    (TARGETS[5], "notes"),
    (TARGETS[5], "place"),
    (TARGETS[6], "user_agent"),
    (TARGETS[6], "endpoint"),
]


@pytest.mark.parametrize("bad", ["\ud800", "a\udfffb", "nul\u0000byte"], ids=["high", "low", "nul"])
@pytest.mark.parametrize(("target", "field"), STRING_FIELDS, ids=[f"{t.name}.{f}" for t, f in STRING_FIELDS])
def test_unstorable_strings_are_422_naming_the_field(world, app, target, field, bad):
    before = rows(app)
    body = json.dumps({**target.body(), field: bad})  # json.dumps escapes: "\ud800", "\u0000"
    assert field in bad_fields(send(world, target, body))
    assert rows(app) == before


def test_unstorable_strings_inside_lists_and_keys_are_named(world, app):
    body = course_body()
    body["dose_plan"][0]["dose_times"] = ["08:00", "2\u00000:00"]
    names = bad_fields(send(world, TARGETS[2], json.dumps(body)))
    assert "dose_plan.0.dose_times.1" in names
    keyed = json.dumps({**course_body(), "bad\ud800key": 1})
    assert_error(send(world, TARGETS[2], keyed), 422)
    assert rows(app)["Course"] == 1


def test_nul_in_a_path_is_404_and_in_a_query_is_422(world):
    patient = world["patient"]
    assert_error(patient.get(f"{API}/courses/ab%00cd"), 404)
    assert_error(patient.get(f"{API}/courses/{world['course']}/appointments/x%00y"), 404)
    assert_error(patient.delete(f"{API}/push/subscriptions/%00"), 404)
    assert "from" in bad_fields(patient.get(f"{API}/reminders/upcoming?from=2026%00-01-01"))


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-02"])
def test_upcoming_reminders_outside_the_date_range_is_422(world, day):
    patient = world["patient"]
    assert "from" in bad_fields(patient.get(f"{API}/reminders/upcoming?from={day}"))
    assert "to" in bad_fields(patient.get(f"{API}/reminders/upcoming?to={day}"))
    assert "from" in bad_fields(patient.get(f"{API}/courses/{world['course']}/doses?from={day}"))


@pytest.mark.parametrize(
    "taken_at",
    [
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59-01:00",
        "1990-05-05T08:00+02:00",
    ],
)
def test_taken_at_at_the_edge_of_the_calendar_is_422(world, app, taken_at):
    patient = world["patient"]
    body = {**_dose(world), "taken_at": taken_at}
    response = patient.put(f"{API}/courses/{world['course']}/doses/{new_uuid()}", json=body)
    assert "taken_at" in bad_fields(response)
    assert rows(app)["DoseLog"] == 0


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_a_write_that_is_not_json_is_415(world, app, target, content_type):
    before = rows(app)
    assert_error(send(world, target, json.dumps(target.body()), content_type=content_type), 415)
    assert rows(app) == before


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_a_chunked_body_without_json_content_type_is_415(world, app, target):
    patient = world["patient"]
    headers = {**(patient.headers if target.authed else {}), "Transfer-Encoding": "chunked"}
    response = patient.client.open(
        target.path(world),
        method=target.method,
        input_stream=io.BytesIO(json.dumps(target.body()).encode()),
        headers=headers,
    )
    assert_error(response, 415)


@pytest.mark.parametrize("target", [t for t in TARGETS if t.name != "create patient"], ids=IDS[1:])
@pytest.mark.parametrize("body", [None, b"", b"  \n"], ids=["missing", "empty", "blank"])
def test_an_empty_or_missing_body_is_422(world, app, target, body):
    patient = world["patient"]
    headers = patient.headers if target.authed else {}
    kwargs = {} if body is None else {"data": body, "content_type": "application/json"}
    before = rows(app)
    response = patient.client.open(target.path(world), method=target.method, headers=headers, **kwargs)
    assert_error(response, 422)
    assert rows(app) == before


def test_an_empty_settings_put_keeps_the_quiet_hours(world):
    patient = world["patient"]
    url = f"{API}/reminders/settings"
    assert patient.put(url, json={"quiet_start": "22:00", "quiet_end": "07:00"}).status_code == 200
    assert_error(patient.put(url, data="22:00-07:00", content_type="text/plain"), 415)
    assert_error(patient.put(url), 422)
    assert patient.get(url).get_json() == {"quiet_start": "22:00", "quiet_end": "07:00"}


def test_a_patient_may_still_be_created_without_a_body(client):
    response = client.post(f"{API}/patients")
    assert response.status_code == 201, response.get_json()


INSERT_SUBSCRIPTION = text(
    "INSERT INTO push_subscriptions (id, patient_id, endpoint, p256dh, auth) VALUES (:i, :p, :e, :k, :a)"
)


def test_statement_parameters_are_never_logged(app, world, caplog):
    """Neither SQLAlchemy's error text nor the error log carries the statement's values (push keys).

    PostgreSQL's own message quotes the failing row, so the error handler logs no driver message.
    """
    secret = "p256dh-secret-value-" + new_uuid()
    values = {"i": new_uuid(), "p": "no-such-patient", "e": "https://x.example/1", "k": secret, "a": secret}
    with app.app_context():
        assert db.engine.hide_parameters
        with pytest.raises(DBAPIError) as caught, db.engine.begin() as conn:
            conn.execute(INSERT_SUBSCRIPTION, values)
    assert "[SQL parameters hidden" in str(caught.value)
    with app.test_request_context(f"{API}/push/subscriptions", method="POST"), caplog.at_level(logging.INFO):
        response = handle_unexpected(caught.value)
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text or "NotNullViolation" in caplog.text
    assert secret not in caplog.text


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_edge_of_the_calendar_on_the_newer_endpoints(world, app, day):
    """The same bounds on the endpoints added later: dose patch and batch, supply pick-ups, the report."""
    patient, course = world["patient"], world["course"]
    dose_url = f"{API}/courses/{course}/doses/{new_uuid()}"
    assert patient.put(dose_url, json=_dose(world)).status_code == 201
    patch = patient.patch(dose_url, json={"taken_at": f"{day}T00:00:00+01:00"})
    assert "taken_at" in bad_fields(patch)
    batch = patient.post(
        f"{API}/courses/{course}/doses/batch",
        json={"doses": [{**_dose(world), "id": new_uuid(), "slot": 2, "taken_at": f"{day}T00:00:00-01:00"}]},
    )
    assert_error(batch, 422)
    pickup = {"picked_up_on": day, "capsules": 30, "strength_mg": 20}
    assert "picked_up_on" in bad_fields(patient.post(f"{API}/courses/{course}/supply/pickups", json=pickup))
    assert "from" in bad_fields(patient.get(f"{API}/courses/{course}/report?from={day}"))
    assert rows(app)["DoseLog"] == 1


def test_every_api_blueprint_reads_its_body_at_the_edge(app):
    """A new resource built on flask_smorest.Blueprint itself would skip the safe parse and the 422 rule."""
    import flask_smorest

    from backend.api.blueprint import Blueprint

    smorest = [bp for bp in app.blueprints.values() if isinstance(bp, flask_smorest.Blueprint)]
    assert len(smorest) >= 10
    assert [bp.name for bp in smorest if not isinstance(bp, Blueprint)] == []
