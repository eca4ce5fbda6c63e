"""create_app refuses a VAPID contact or key that push services would reject."""

from __future__ import annotations

import pytest

from backend import create_app


def _app(tmp_path, **settings):
    # RATELIMIT_ENABLED stays off: Flask-Limiter keeps its state on the shared extension object.
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "RATELIMIT_ENABLED": False, **settings}
    )


@pytest.mark.parametrize("subject", ["mailto:ops@localhost", "ops@clearcourse.org", "http://clearcourse.org"])
def test_unusable_vapid_subject_stops_start_up(tmp_path, subject):
    with pytest.raises(RuntimeError, match="VAPID_SUBJECT"):
        _app(tmp_path, VAPID_SUBJECT=subject)


def test_placeholder_domain_is_refused_in_production_only(tmp_path):
    with pytest.raises(RuntimeError, match="VAPID_SUBJECT"):
        _app(tmp_path, VAPID_SUBJECT="mailto:ops@example.org", ENV_NAME="production")
    app = _app(tmp_path, VAPID_SUBJECT="mailto:ops@example.org", ENV_NAME="development")
    assert app.config["VAPID_SUBJECT"] == "mailto:ops@example.org"


def test_real_contact_starts(tmp_path):
    app = _app(tmp_path, VAPID_SUBJECT="mailto:push-admin@clearcourse.org", ENV_NAME="production")
    assert app.config["ENV_NAME"] == "production"


def test_garbage_private_key_stops_start_up(tmp_path):
    with pytest.raises(RuntimeError, match="VAPID_PRIVATE_KEY"):
        _app(tmp_path, VAPID_PRIVATE_KEY="not-a-key")
