"""Where the PWA's message catalogs live, for the translation check (``frontend/src/i18n/messages``)."""

from __future__ import annotations

from pathlib import Path

PWA_MESSAGES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "i18n" / "messages"


#: Catalog name → folder of its per-language files: the screens' messages and the app shell's words.
FOLDERS = {"pwa": PWA_MESSAGES, "pwa_shell": PWA_MESSAGES / "shell"}


def pwa_catalogs() -> dict[str, Path]:
    return {name: folder / "en.json" for name, folder in FOLDERS.items() if (folder / "en.json").is_file()}


def pwa_locate(name: str, language: str) -> Path:
    return FOLDERS[name] / f"{language}.json"
