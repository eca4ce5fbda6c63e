"""Flask CLI commands registered on the app."""

from __future__ import annotations

from flask import Flask

from backend.reminders.runner import register_cli


def register(app: Flask) -> None:
    """Attach the CLI command groups (`flask reminders tick|run`)."""
    register_cli(app)
