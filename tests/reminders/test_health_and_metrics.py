"""/healthz reports the database and the reminder worker's last tick; /metrics counts requests, reminders."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import REGISTRY
from sqlalchemy.exc import OperationalError

from backend.extensions import db
from backend.models import ReminderOccurrence
from backend.models.types import utcnow
from backend.reminders import heartbeat, observe
from tests.reminders.remhelp import API, subscribe, utc

MAR10 = utc(2026, 3, 10, 6, 0)
DOSE_DUE = utc(2026, 3, 10, 7, 0)


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_fresh_tick_makes_healthz_ok_and_an_old_one_degraded(app, client):
    with app.app_context():
        heartbeat.record_tick("host:1", utcnow() - timedelta(hours=2))
        heartbeat.record_tick("host:2", utcnow() - timedelta(seconds=5))
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    worker = body["reminder_worker"]
    assert worker["stale"] is False and 0 <= worker["last_tick_age_seconds"] < 60
    with app.app_context():
        heartbeat.record_tick("host:2", utcnow() - timedelta(minutes=30))
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["reminder_worker"]["last_tick_age_seconds"] >= 1800


def test_healthz_is_503_when_the_database_does_not_answer(app, client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down, raising=False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_a_tick_records_heartbeat_sent_and_delivery_lag(
    app, client, patient, push_service, materialise, tick
):
    course = patient.create_course()
    subscribe(patient, push_service)
    materialise(course["id"], MAR10)
    sent_before = sample("clearcourse_reminders_sent_total")
    lag_count_before = sample("clearcourse_reminder_delivery_lag_seconds_count")
    lag_sum_before = sample("clearcourse_reminder_delivery_lag_seconds_sum")

    stats = tick(DOSE_DUE + timedelta(seconds=30), node="metrics-node")
    assert stats.sent == 1
    observe.after_tick(app, "metrics-node", DOSE_DUE, stats)

    assert sample("clearcourse_reminders_sent_total") == sent_before + 1
    assert sample("clearcourse_reminder_delivery_lag_seconds_count") == lag_count_before + 1
    lag = sample("clearcourse_reminder_delivery_lag_seconds_sum") - lag_sum_before
    with app.app_context():
        occ = db.session.scalars(
            db.select(ReminderOccurrence).where(ReminderOccurrence.status == "sent")
        ).one()
        assert abs(lag - (occ.sent_at - occ.fires_at).total_seconds()) < 1e-3
    assert sample("clearcourse_reminder_last_tick_timestamp_seconds") > 0
    assert client.get("/healthz").get_json()["status"] == "ok"


def _scrape(app, client) -> str:
    from backend.web.metrics import metrics_token

    response = client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token(app)}"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_metrics_endpoint_counts_requests_by_route(app, client, patient):
    before = sample("clearcourse_http_requests_total", method="GET", route="/api/v1/courses", status="2xx")
    assert patient.get(f"{API}/courses").status_code == 200
    text = _scrape(app, client)
    assert "clearcourse_http_requests_total" in text and "clearcourse_reminders_failed_total" in text
    assert "clearcourse_reminder_delivery_lag_seconds_bucket" in text
    after = sample("clearcourse_http_requests_total", method="GET", route="/api/v1/courses", status="2xx")
    assert after == before + 1
    # Route templates, never ids: the label set stays small.
    course = patient.create_course()
    patient.get(f"{API}/courses/{course['id']}")
    assert course["id"] not in _scrape(app, client)


def _series(text: str) -> set[str]:
    return {line.split(" ")[0] for line in text.splitlines() if line.startswith("clearcourse_http_")}


def test_nothing_a_client_sends_grows_the_label_set(app, client):
    """Made-up methods, unknown paths and odd status codes all land in a few fixed series."""
    for index in range(3):
        client.open(f"/api/v1/nothing-{index}", method="GET")
        client.open(f"/api/v1/nothing-{index}/{'x' * 500}", method="POST")
        client.open("/api/v1/version", method="M" * 1000 + str(index))
        client.open(f"/api/v1/courses/{index}", method=f"BREW{index}")
    first = _series(_scrape(app, client))
    for index in range(3, 60):
        client.open(f"/api/v1/nothing-{index}", method="GET")
        client.open(f"/api/v1/nothing-{index}/{'x' * 500}", method="POST")
        client.open("/api/v1/version", method="M" * 1000 + str(index))
        client.open(f"/api/v1/courses/{index}", method=f"BREW{index}")
    text = _scrape(app, client)
    assert _series(text) == first
    assert "MMMM" not in text and "nothing-" not in text and "BREW" not in text
    labels = {
        label
        for line in text.splitlines()
        if line.startswith("clearcourse_http_requests_total{")
        for label in line[line.index("{") + 1 : line.index("}")].split(",")
    }
    methods = {label.split("=")[1].strip('"') for label in labels if label.startswith("method=")}
    statuses = {label.split("=")[1].strip('"') for label in labels if label.startswith("status=")}
    assert "other" in methods
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}
    assert statuses <= {"1xx", "2xx", "3xx", "4xx", "5xx"}
    assert sample("clearcourse_http_requests_total", method="GET", route="unmatched", status="4xx") >= 60


def test_metrics_need_a_token_by_default(app, client, tmp_path):
    """No METRICS_TOKEN: a token is generated into the instance folder (0600); without it, 401."""
    from backend.web.metrics import TOKEN_FILE

    assert not app.config.get("METRICS_TOKEN")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401
    token_file = __import__("pathlib").Path(app.instance_path) / TOKEN_FILE
    token = token_file.read_text().strip()
    assert len(token) >= 40 and token_file.stat().st_mode & 0o077 == 0
    assert client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_metrics_token_guards_the_endpoint(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-metrics")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"}).status_code == 200
