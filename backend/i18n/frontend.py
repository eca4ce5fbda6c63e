"""Where the PWA's message catalogs live, for the translation check (``frontend/src/i18n/messages``).

One folder per area of the app, each with a file per language: ``shell/`` holds the app shell's few words
(catalog ``pwa_shell``), every other folder a group of screens (catalog ``pwa/<folder>``)."""

from __future__ import annotations

from pathlib import Path

PWA_MESSAGES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "i18n" / "messages"


def _folders() -> dict[str, Path]:
    """Catalog name → folder of its per-language files."""
    return {
        ("pwa_shell" if folder.name == "shell" else f"pwa/{folder.name}"): folder
        for folder in sorted(PWA_MESSAGES.iterdir())
        if (folder / "en.json").is_file()
    }


def pwa_catalogs() -> dict[str, Path]:
    return {name: folder / "en.json" for name, folder in _folders().items()}


def pwa_locate(name: str, language: str) -> Path:
    return _folders()[name] / f"{language}.json"
