"""The migration that moves caregivers' push subscriptions into push_subscriptions keeps them (and back)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from backend import create_app
from backend.config import TestConfig
from backend.extensions import db

BEFORE_CAREGIVERS = "5e9f61b81680"
BEFORE_MOVE = "e7c3a9b1d052"
T = "2026-01-01 00:00:00"


def test_a_caregivers_push_subscription_moves_into_push_subscriptions_and_back(tmp_path):
    app = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "migrate.db"),
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with app.app_context():
        upgrade(revision=BEFORE_CAREGIVERS)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO patients VALUES ('p1', :t)"), {"t": T})
            conn.execute(
                text(
                    "INSERT INTO courses VALUES ('c1', 'p1', '2026-01-01', 70, NULL, 'UTC', 'standard', "
                    "'eu_ppp', 1, '[]', NULL, :t, :t)"
                ),
                {"t": T},
            )
        upgrade(revision=BEFORE_MOVE)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO caregivers (id, patient_id, course_id, token_hash, created_at, "
                    "show_appointments, nudge_allowed, nudge, push_endpoint, push_p256dh, push_auth) VALUES "
                    "('g1', 'p1', 'c1', 'h', :t, 0, 1, 1, 'https://push.example/carer', 'k', 'a')"
                ),
                {"t": T},
            )
        upgrade()
        with db.engine.connect() as conn:
            moved = conn.execute(
                text("SELECT patient_id, caregiver_id, endpoint, p256dh, auth FROM push_subscriptions")
            ).all()
            assert [tuple(row) for row in moved] == [("p1", "g1", "https://push.example/carer", "k", "a")]
            assert conn.execute(text("SELECT language FROM caregivers")).scalar() is None
        with db.engine.begin() as conn:  # removing the caregiver takes its subscription (ON DELETE CASCADE)
            conn.execute(text("DELETE FROM caregivers WHERE id = 'g1'"))
            assert conn.execute(text("SELECT count(*) FROM push_subscriptions")).scalar() == 0
            conn.execute(
                text(
                    "INSERT INTO caregivers (id, patient_id, course_id, token_hash, created_at, "
                    "show_appointments, nudge_allowed, nudge) VALUES ('g2', 'p1', 'c1', 'h2', :t, 0, 1, 1)"
                ),
                {"t": T},
            )
            conn.execute(
                text(
                    "INSERT INTO push_subscriptions (id, patient_id, caregiver_id, endpoint, p256dh, auth, "
                    "created_at, last_seen_at, failure_count) "
                    "VALUES ('s2', 'p1', 'g2', 'https://push.example/2', 'k2', 'a2', :t, :t, 0)"
                ),
                {"t": T},
            )
        downgrade(revision=BEFORE_MOVE)
        with db.engine.connect() as conn:
            back = conn.execute(
                text("SELECT id, push_endpoint, push_p256dh, push_auth FROM caregivers")
            ).all()
            assert [tuple(row) for row in back] == [("g2", "https://push.example/2", "k2", "a2")]
            assert conn.execute(text("SELECT count(*) FROM push_subscriptions")).scalar() == 0
        db.engine.dispose()
