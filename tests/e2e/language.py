"""What a browser test in another language compares against: the PWA's message catalogs (every area's file and
the shell's), the English messages a translation writes differently, and the check that nothing is wider than
the screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

ARGUMENT = r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"  # an ICU argument, with one level of plural branches
MESSAGES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "i18n" / "messages"


def catalog(language: str) -> dict[str, str]:
    """Every area's and the shell's messages of a language (``messages/<area>/<language>.json``)."""
    files = sorted(MESSAGES.glob(f"*/{language}.json"))
    return {k: v for path in files for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def english_words(prefixes: tuple[str, ...], language: str) -> list[str]:
    """The English messages of a screen that its translation writes differently, as the fixed text between
    their {arguments} (a message that is the same in both languages, like "× mg", says nothing)."""
    english, own = catalog("en"), catalog(language)
    pieces = []
    for key, text in english.items():
        if key.startswith(prefixes) and own.get(key) != text:
            fixed = re.split(ARGUMENT, text)
            # a piece the translation writes the same way ("kg (mg/kg)") says nothing
            pieces += [p.strip() for p in fixed if len(p.strip()) > 3 and p.strip() not in own.get(key, "")]
    assert pieces, prefixes
    return pieces


def assert_fits(page) -> None:
    too_wide = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll('main *')]
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .map((el) => el.tagName + ' ' + (el.textContent || '').slice(0, 40));
        }"""
    )
    assert too_wide == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def leaked(text: str, prefixes: tuple[str, ...], language: str) -> list[str]:
    """The English messages of `prefixes` that appear in `text` as words of their own ("Test" is not in
    "Tests", "Date" not in "Daten", "Course" not in "ClearCourse")."""
    return [w for w in english_words(prefixes, language) if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
