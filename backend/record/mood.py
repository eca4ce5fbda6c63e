"""The weekly mood check (pure): ISO weeks and the follow-up shown after an answer.

Answers stay words; nothing here adds them up or labels anyone (MOOD-1, PRODUCT-1). A "yes" to the
self-harm question always leads to the crisis line, whatever the other answers (RED-1, HELP-1).
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

CONTENT_FILE = Path(__file__).with_name("mood.json")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@lru_cache(maxsize=1)
def load_content() -> dict[str, Any]:
    with CONTENT_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``2026-W13``; ValueError otherwise."""
    match = _WEEK.match(text)
    if not match:
        raise ValueError("Write the ISO week as YYYY-Www, e.g. 2026-W13.")
    return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)


def follow_up(self_harm_thoughts: bool) -> dict[str, Any]:
    content = load_content()["follow_up"]
    actions = (content["crisis"] if self_harm_thoughts else []) + content["always"]
    return {"crisis": self_harm_thoughts, "actions": [dict(a) for a in actions]}
