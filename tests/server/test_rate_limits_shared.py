"""The README's rate limits hold for the whole server (issue 16, item 7).

The real server as the README starts it (`python -m backend.serve`: two web workers, no
RATELIMIT_STORAGE_URI, so the default storage: one SQLite file shared by the machine's processes).
Every request opens a new connection, so the requests spread over both workers; the counts must be
the configured numbers, not one per worker, and not one per route.
"""

from __future__ import annotations

import pytest

from tests.support.real_server import call, serve

BUDGET = 20


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    with serve(
        tmp_path_factory.mktemp("limits"),
        "--workers",
        "2",
        "--no-scheduler",
        RATELIMIT_ENABLED="1",
        RATELIMIT_DEFAULT=f"{BUDGET} per minute",
        ACCOUNT_CREATE_LIMIT="3 per minute",
        PROXY_HOPS="1",  # lets each test be its own client (X-Forwarded-For), as behind a proxy
    ) as served:
        assert "RATELIMIT_STORAGE_URI" not in served.env
        yield served.port


def _status(port: int, method: str, path: str, client: str) -> int:
    return call(port, method, path, headers={"X-Forwarded-For": client}).status


def test_the_default_limit_is_one_budget_over_all_routes_and_both_workers(port):
    paths = ["/api/v1/version", "/api/v1/sources", "/api/v1/rule-sets", "/api/v1/helplines"]
    statuses = [_status(port, "GET", paths[i % len(paths)], "203.0.113.10") for i in range(BUDGET + 10)]
    assert statuses.count(200) == BUDGET, statuses
    assert statuses.count(429) == 10
    assert _status(port, "GET", "/api/v1/version", "203.0.113.11") == 200  # another client has its own


def test_account_creation_is_counted_once_for_the_whole_server(port):
    statuses = [_status(port, "POST", "/api/v1/patients", "203.0.113.20") for _ in range(8)]
    assert statuses == [201, 201, 201, 429, 429, 429, 429, 429]


def test_unknown_paths_and_made_up_methods_spend_a_budget_too(port):
    client = "203.0.113.30"
    statuses = [_status(port, "GET", f"/api/v1/nothing-{i}", client) for i in range(BUDGET // 2)]
    statuses += [_status(port, f"BREW{i}", "/api/v1/version", client) for i in range(BUDGET // 2 + 5)]
    assert statuses.count(429) == 5, statuses
    assert set(statuses) <= {404, 405, 429}
    answer = call(port, "GET", "/api/v1/nothing-else", headers={"X-Forwarded-For": client})
    assert answer.status == 429 and int(answer.headers["retry-after"]) > 0
    assert answer.json()["code"] == 429
