"""Flask CLI commands registered on the app."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach CLI command groups (reminders are added by backend.reminders.runner)."""
    try:
        from backend.reminders.runner import register_cli
    except ImportError:
        return
    register_cli(app)
