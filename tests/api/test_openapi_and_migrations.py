"""OpenAPI document, docs page, health check, migrations versus models, SQLite pragmas (issue 2, §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from backend.extensions import db
from tests.api.apihelp import API, assert_error

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
PUBLIC = {("/api/v1/patients", "post"), ("/api/v1/devices", "post")}
PROTECTED = {
    ("/api/v1/link-codes", "post"),
    ("/api/v1/devices", "get"),
    ("/api/v1/devices/{device_id}", "get"),
    ("/api/v1/devices/{device_id}", "delete"),
    ("/api/v1/me/export", "post"),
    ("/api/v1/files/{job_id}", "get"),
    ("/api/v1/files/{job_id}/content", "get"),
    ("/api/v1/courses/{course_id}/report.pdf", "post"),
    ("/api/v1/me", "delete"),
    ("/api/v1/courses", "post"),
    ("/api/v1/courses", "get"),
    ("/api/v1/courses/{course_id}", "get"),
    ("/api/v1/courses/{course_id}", "patch"),
    ("/api/v1/courses/{course_id}/doses", "get"),
    ("/api/v1/courses/{course_id}/doses/{dose_id}", "put"),
    ("/api/v1/courses/{course_id}/doses/{dose_id}", "get"),
    ("/api/v1/courses/{course_id}/doses/{dose_id}", "delete"),
    ("/api/v1/courses/{course_id}/today", "get"),
    ("/api/v1/courses/{course_id}/timeline", "get"),
}


@pytest.fixture
def spec(client) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_openapi_is_3_1(spec):
    assert spec["openapi"].startswith("3.1.")
    assert spec["info"]["title"]
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}


def test_openapi_lists_every_route(spec):
    listed = {
        (path, method) for path, ops in spec["paths"].items() for method in ops if method != "parameters"
    }
    missing = (PUBLIC | PROTECTED) - listed
    assert not missing, missing


def test_protected_routes_declare_bearer_auth_and_public_ones_do_not(spec):
    for path, method in PROTECTED:
        assert spec["paths"][path][method].get("security") == [{"bearerAuth": []}], (path, method)
    for path, method in PUBLIC:
        assert not spec["paths"][path][method].get("security"), (path, method)


def test_openapi_describes_the_contract_bodies(spec):
    put = spec["paths"]["/api/v1/courses/{course_id}/doses/{dose_id}"]["put"]
    assert "requestBody" in put
    assert {"200", "201", "409", "422"} <= set(put["responses"])
    create = spec["paths"]["/api/v1/courses"]["post"]
    assert "201" in create["responses"] and "requestBody" in create
    patients = spec["paths"]["/api/v1/patients"]["post"]
    assert "201" in patients["responses"]


def test_docs_page_is_html(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True).lower()
    assert "swagger" in page and "openapi.json" in page


def test_healthz_without_a_worker_tick_is_degraded(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["reminder_worker"]["last_tick_at"] is None and body["reminder_worker"]["stale"] is True


def test_healthz_wrong_method_is_json_405(client):
    assert_error(client.post("/healthz"), 405)


def test_migrations_have_one_head_and_the_database_is_at_it(app):
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    assert len(heads) == 1, f"several migration heads, merge them: {heads}"
    with app.app_context(), db.engine.connect() as conn:
        assert set(MigrationContext.configure(conn).get_current_heads()) == heads


def test_migrations_match_the_models(app):
    """The session fixture built the schema with the real migrations; autogenerate must find nothing."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], diff


def test_every_model_table_exists(app):
    from sqlalchemy import inspect

    with app.app_context():
        existing = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= existing


def test_sqlite_pragmas(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip(f"SQLite pragmas do not apply to {db.engine.dialect.name}")
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar().lower() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() > 0


def test_foreign_keys_are_enforced(app):
    """On both databases a dose cannot point at a course that does not exist."""
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    from backend.models import DoseLog

    with app.app_context():
        db.session.add(
            DoseLog(
                id="00000000-0000-4000-8000-000000000000",
                course_id="nope",
                date=date(2026, 1, 5),
                slot=1,
                status="taken",
                mg=20,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_sqlite_table_rebuilds_keep_the_rows_that_reference_the_table(tmp_path):
    """Batch mode rebuilds push_subscriptions on SQLite (copy, DROP, rename) to add device_id's foreign
    key. With foreign keys enforced the DROP would cascade into reminder_deliveries; env.py switches
    them off for the migration, checks them afterwards and switches them on again."""
    from flask_migrate import downgrade, upgrade

    from backend import create_app
    from backend.config import TestConfig

    app = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "migrate.db"),
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    before_device = "5e9f61b81680"
    t = "2026-01-01 00:00:00"
    seed = [
        "INSERT INTO patients VALUES ('p1', :t)",
        "INSERT INTO device_tokens VALUES ('d1', 'p1', 'h', NULL, :t, NULL)",
        "INSERT INTO courses VALUES ('c1', 'p1', '2026-01-01', 70, NULL, 'UTC', 'standard', 'eu_ppp', 1, "
        "'[]', NULL, :t, :t)",
        "INSERT INTO reminder_rules (id, patient_id, course_id, kind, slot, enabled, created_at, "
        "updated_at) VALUES ('r1', 'p1', 'c1', 'dose', 1, 1, :t, :t)",
        "INSERT INTO reminder_occurrences (id, rule_id, patient_id, occurrence_key, kind, fires_at, "
        "expires_at, status, attempts, data, one_off, created_at) "
        "VALUES ('o1', 'r1', 'p1', 'k', 'dose', :t, :t, 'sent', 1, '{}', 0, :t)",
        "INSERT INTO push_subscriptions (id, patient_id, endpoint, p256dh, auth, created_at, "
        "last_seen_at, failure_count) VALUES ('s1', 'p1', 'https://push.example/1', 'k', 'a', :t, :t, 0)",
        "INSERT INTO reminder_deliveries (id, occurrence_id, subscription_id, status, attempts, "
        "created_at) VALUES ('x1', 'o1', 's1', 'sent', 1, :t)",
    ]

    def counts() -> tuple[int, int]:
        with db.engine.connect() as conn:
            subs = conn.execute(text("SELECT count(*) FROM push_subscriptions")).scalar()
            deliveries = conn.execute(text("SELECT count(*) FROM reminder_deliveries")).scalar()
        return subs, deliveries

    with app.app_context():
        upgrade(revision=before_device)
        with db.engine.begin() as conn:
            for statement in seed:
                conn.execute(text(statement), {"t": t})
        upgrade()
        assert counts() == (1, 1)
        with db.engine.connect() as conn:  # the weight history starts with the course's weight (issue 14)
            weight = conn.execute(text("SELECT weight_kg, recorded_on, rebased FROM weight_records")).one()
            assert tuple(weight) == (70, "2026-01-01", 0)
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("SELECT device_id FROM push_subscriptions")).scalar() is None
            fks = conn.execute(text("PRAGMA foreign_key_list(push_subscriptions)")).all()
            assert ("device_tokens", "device_id", "CASCADE") in {(f[2], f[3], f[6]) for f in fks}
        downgrade(revision=before_device)
        assert counts() == (1, 1)
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
