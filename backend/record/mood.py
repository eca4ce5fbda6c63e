"""The weekly mood check (pure): ISO weeks and the follow-up shown after an answer.

Answers stay words; nothing here adds them up or labels anyone (MOOD-1, PRODUCT-1). A "yes" to the
self-harm question always leads to the crisis line first, whatever the other answers (RED-1, HELP-1);
"more than half the days" or "nearly every day" to either question is one of the leaflet's signs to stop
and phone the prescriber today, with the clinic and crisis buttons (MOOD-2). The actions and the order of
the buttons come from the check-in rules (``triage.assemble``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from backend.i18n import catalog
from backend.record import triage

CONTENT_FILE = Path(__file__).with_name("mood.json")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def load_content() -> dict[str, Any]:
    """``mood.json`` in the current locale (English where untranslated); cached, read-only."""
    return catalog("mood")


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``2026-W13``; ValueError otherwise."""
    match = _WEEK.match(text)
    if not match:
        raise ValueError("Write the ISO week as YYYY-Www, e.g. 2026-W13.")
    return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)


def follow_up(interest: str | None, low_mood: str | None, self_harm_thoughts: bool) -> dict[str, Any]:
    """``{crisis, stop, actions, calls}`` for one week's answers (never a score)."""
    content = load_content()["follow_up"]
    frequent = interest in content["frequent"] or low_mood in content["frequent"]
    keys: list[str] = []
    case = "none"
    if self_harm_thoughts:
        keys += content["crisis"]["actions"]
        case = content["crisis"]["case"]
    if frequent:
        keys += content["frequent_answers"]["actions"]
        case = case if self_harm_thoughts else content["frequent_answers"]["case"]
    actions, calls = triage.assemble(case, keys)
    actions += [dict(a) for a in content["always"]]
    stop = any(a.get("stops_capsules") for a in actions)
    return {"crisis": self_harm_thoughts, "stop": stop, "actions": actions, "calls": calls}
