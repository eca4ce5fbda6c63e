"""Schemathesis against the live app (a real HTTP server on this test's database).

Every operation of the OpenAPI spec gets a bounded number of generated requests, valid ones
(positive) and invalid ones (negative), sent by an authenticated patient who owns a real course,
appointment and reminder so the ids in paths lead somewhere. No answer may be a server error and
every answer must match the response schema the spec declares. `make test` runs this on SQLite and
again on PostgreSQL. FUZZ_EXAMPLES (default 5) bounds the examples per operation and mode.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from werkzeug.serving import make_server

from tests.api.apihelp import API, course_from, days_ago

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# Erasing the account would turn every later request into a 401; it has its own tests.
SKIPPED = {("DELETE", f"{API}/me")}


@pytest.fixture
def live_url(app) -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access-log line per request otherwise
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def _owned_ids(base: str, session: requests.Session) -> dict[str, str]:
    created = session.post(f"{base}{API}/patients", json={"label": "fuzz"}).json()
    session.headers["Authorization"] = f"Bearer {created['token']}"
    course = session.post(f"{base}{API}/courses", json=_course()).json()
    appointment = session.post(
        f"{base}{API}/courses/{course['id']}/appointments",
        json={"kind": "blood_test", "starts_at": "2026-03-02T09:30"},
    ).json()
    reminder = session.get(f"{base}{API}/reminders").json()[0]
    return {
        "course_id": course["id"],
        "appointment_id": appointment["id"],
        "reminder_id": reminder["id"],
        "device_id": created["device_id"],
    }


def _course() -> dict:
    from tests.conftest import course_body

    return course_body(**course_from(days_ago(20)))


def test_no_server_error_and_no_schema_violation_on_any_operation(live_url):
    schema = schemathesis.openapi.from_url(f"{live_url}{API}/openapi.json")
    session = requests.Session()
    owned = _owned_ids(live_url, session)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _fuzz(operation, mode, live_url, session, owned)
            if failure:
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {failure}")
    assert operations >= 30
    assert failures == [], "\n\n".join(failures)


def _fuzz(operation, mode, base: str, session: requests.Session, owned: dict[str, str]) -> str | None:
    try:
        strategy = operation.as_strategy(generation_mode=mode)
    except Exception as err:  # an operation with nothing to make invalid has no negative strategy
        return None if mode is GenerationMode.NEGATIVE else f"no strategy: {err}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case) -> None:
        if case.path_parameters:
            for name, value in owned.items():
                if name in case.path_parameters and mode is GenerationMode.POSITIVE:
                    case.path_parameters[name] = value
        response = case.call(base_url=base, session=session)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    try:
        run()
    except Unsatisfiable:  # e.g. no invalid request exists for an operation without parameters
        return None
    except Exception as err:
        return str(err)[:2000]
    return None
