"""Where the PWA's message catalogs live, for the translation check (``frontend/src/i18n/messages``)."""

from __future__ import annotations

from pathlib import Path

PWA_MESSAGES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "i18n" / "messages"


def pwa_catalogs() -> dict[str, Path]:
    english = PWA_MESSAGES / "en.json"
    return {"pwa": english} if english.is_file() else {}


def pwa_locate(name: str, language: str) -> Path:
    return PWA_MESSAGES / f"{language}.json"
