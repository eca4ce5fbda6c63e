"""Check-in triage from the shared rule file ``triage_rules.json`` (pure, no Flask or SQLAlchemy).

The PWA imports the same file at build time (``frontend/src/lib/triage.ts``) so a check-in is triaged at
once offline; the server's answer is the authoritative one. Levels, most serious first: ``emergency``
(RED-7, thoughts of self-harm RED-1), ``urgent`` (every other red flag: stop and call, RED-11), ``routine``
(a common effect at the top severity, or the same effect on N days in a row, EXP-8), ``none``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).with_name("triage_rules.json")
LEVEL_ORDER = ("emergency", "urgent", "routine", "none")


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Any]:
    with RULES_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def effect_keys() -> list[str]:
    return [e["key"] for e in load_rules()["effects"]]


def red_flag_keys() -> list[str]:
    return [r["key"] for r in load_rules()["red_flags"]]


def max_severity() -> int:
    return max(s["value"] for s in load_rules()["severities"])


def streak_days(
    effect: str,
    day: date,
    today_severity: int,
    history: Mapping[date, Mapping[str, int]],
    enough: int | None = None,
) -> int:
    """How many days in a row, ending on ``day``, ``effect`` was reported (severity ≥ 1); counting
    stops at ``enough`` (a rule needs no more), so a long history costs no more than the rule."""
    if today_severity < 1:
        return 0
    count, cursor = 1, day - timedelta(days=1)
    while (enough is None or count < enough) and history.get(cursor, {}).get(effect, 0) >= 1:
        count += 1
        cursor -= timedelta(days=1)
    return count


def triage(
    day: date,
    effects: Mapping[str, int],
    red_flags: Iterable[str],
    history: Mapping[date, Mapping[str, int]] | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``{level, facts, actions, reasons}`` for one check-in.

    ``history`` maps earlier dates to their effects (only needed for the streak rule). Each reason is
    ``{kind: red_flag|severity|streak, key, level, facts}``; actions are ``{key, text, facts}``, the level's
    own actions first, then those a red flag adds, each once.
    """
    rules = rules or load_rules()
    history = history or {}
    flags = {r["key"]: r for r in rules["red_flags"]}
    reasons: list[dict[str, Any]] = []
    for key in sorted(set(red_flags), key=list(flags).index):
        flag = flags[key]
        reasons.append({"kind": "red_flag", "key": key, "level": flag["level"], "facts": list(flag["facts"])})
    effect_facts = {e["key"]: e["facts"] for e in rules["effects"]}
    routine = rules["routine"]
    for e in rules["effects"]:
        severity = effects.get(e["key"], 0)
        if severity >= routine["severity_at_least"]:
            reasons.append(
                {"kind": "severity", "key": e["key"], "level": "routine", "facts": list(e["facts"])}
            )
    for streak in routine["streaks"]:
        effect = streak["effect"]
        if streak_days(effect, day, effects.get(effect, 0), history, streak["days"]) >= streak["days"]:
            reasons.append(
                {
                    "kind": "streak",
                    "key": effect,
                    "level": "routine",
                    "days": streak["days"],
                    "facts": sorted(set(streak["facts"]) | set(effect_facts.get(effect, []))),
                }
            )
    level = min((r["level"] for r in reasons), key=LEVEL_ORDER.index, default="none")
    action_keys: list[str] = list(rules["level_actions"][level])
    for reason in reasons:
        if reason["kind"] == "red_flag":
            action_keys += [a for a in flags[reason["key"]]["actions"] if a not in action_keys]
    actions = [{"key": k, **rules["actions"][k]} for k in action_keys]
    facts = sorted({f for r in reasons for f in r["facts"]} | {f for a in actions for f in a["facts"]})
    return {"level": level, "facts": facts, "actions": actions, "reasons": reasons}
