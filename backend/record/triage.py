"""Check-in triage from the shared rule file ``triage_rules.json`` (pure, no Flask or SQLAlchemy).

The PWA imports the same file at build time (``frontend/src/lib/triage.ts``) so a check-in is triaged at
once offline; the server's answer is the authoritative one. Levels, most serious first (RED-13):
``emergency`` (airway, skin or brain emergencies, chest pain, thoughts of self-harm), ``urgent`` (the other
red flags and effect rules: stop and call the prescriber now, RED-11; a severe flare: the dermatology team
today), ``routine`` (a common effect at the top severity, or a headache on most days of a week, EXP-8),
``none``.

The *case* picks the lead actions and the order of the call buttons: ``emergency`` when an emergency flag
other than self-harm is ticked (the emergency number first), ``self_harm`` when self-harm is the only
emergency (the crisis line first), else the level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from backend.i18n import catalog

RULES_FILE = Path(__file__).with_name("triage_rules.json")
LEVEL_ORDER = ("emergency", "urgent", "routine", "none")
SERIOUS = ("emergency", "urgent")


def load_rules() -> dict[str, Any]:
    """``triage_rules.json`` in the current locale (English where untranslated); cached, read-only."""
    return catalog("triage_rules")


def effect_keys() -> list[str]:
    return [e["key"] for e in load_rules()["effects"]]


def red_flag_keys() -> list[str]:
    return [r["key"] for r in load_rules()["red_flags"]]


def pregnancy_flag_keys() -> list[str]:
    """Red flags offered only on courses with pregnancy prevention."""
    return [r["key"] for r in load_rules()["red_flags"] if r.get("when") == "pregnancy_prevention"]


def stop_reasons() -> dict[str, dict[str, Any]]:
    """What a pause may record as its reason from a check-in: every red flag and every effect rule, each
    ``{label, facts}`` (the effect rule by its effect's key)."""
    rules = load_rules()
    out = {f["key"]: {"label": f["label"], "facts": list(f["facts"])} for f in rules["red_flags"]}
    for rule in rules["effect_rules"]:
        out[rule["effect"]] = {"label": rule["label"], "facts": list(rule["facts"])}
    return out


def max_severity() -> int:
    return max(s["value"] for s in load_rules()["severities"])


def severity(effects: Mapping[str, int | None], effect: str) -> int:
    """The answer for ``effect``; an unanswered effect (missing or ``None``) counts as not reported."""
    return effects.get(effect) or 0


def window_days(
    effect: str, day: date, today_severity: int, history: Mapping[date, Mapping[str, int | None]], window: int
) -> int:
    """On how many days of the ``window`` days ending on ``day`` ``effect`` was reported (severity ≥ 1).

    Days without a check-in count as days without the effect; 0 when it is not reported on ``day`` itself.
    """
    if today_severity < 1:
        return 0
    earlier = (day - timedelta(days=n) for n in range(1, window))
    return 1 + sum(1 for d in earlier if severity(history.get(d, {}), effect) >= 1)


def action(rules: Mapping[str, Any], key: str) -> dict[str, Any]:
    """An action as handed out: ``{key, text, facts}`` plus ``stops_capsules``, ``crisis`` and
    ``text_without_line`` where the rule file sets them (``replaced_by`` stays internal)."""
    spec = rules["actions"][key]
    out: dict[str, Any] = {"key": key, "text": spec["text"], "facts": list(spec["facts"])}
    for extra in ("stops_capsules", "crisis", "text_without_line"):
        if extra in spec:
            out[extra] = spec[extra]
    return out


def case_of(level: str, reasons: list[dict[str, Any]], rules: Mapping[str, Any]) -> str:
    crisis_first = set(rules["crisis_first_flags"])
    emergencies = [r["key"] for r in reasons if r["level"] == "emergency"]
    if any(key not in crisis_first for key in emergencies):
        return "emergency"
    if emergencies:
        return "self_harm"
    return level


def _reasons(
    day: date,
    effects: Mapping[str, int | None],
    red_flags: Iterable[str],
    history: Mapping[date, Mapping[str, int | None]],
    rules: Mapping[str, Any],
) -> list[tuple[dict[str, Any], list[str]]]:
    """Every reason with the actions it brings, most serious level first (stable within a level)."""
    flags = {r["key"]: r for r in rules["red_flags"]}
    found: list[tuple[dict[str, Any], list[str]]] = []
    for key in sorted(set(red_flags), key=list(flags).index):
        flag = flags[key]
        reason = {"kind": "red_flag", "key": key, "level": flag["level"], "facts": list(flag["facts"])}
        found.append((reason, list(flag["actions"])))
    ruled: set[str] = set()
    for rule in rules["effect_rules"]:
        if severity(effects, rule["effect"]) >= rule["severity_at_least"]:
            ruled.add(rule["effect"])
            reason = {
                "kind": "effect",
                "key": rule["effect"],
                "level": rule["level"],
                "facts": list(rule["facts"]),
            }
            found.append((reason, list(rule["actions"])))
    routine = rules["routine"]
    for e in rules["effects"]:
        if e["key"] not in ruled and severity(effects, e["key"]) >= routine["severity_at_least"]:
            reason = {"kind": "severity", "key": e["key"], "level": "routine", "facts": list(e["facts"])}
            found.append((reason, list(routine["actions"])))
    effect_facts = {e["key"]: e["facts"] for e in rules["effects"]}
    for streak in routine["streaks"]:
        effect, window = streak["effect"], streak["window_days"]
        count = window_days(effect, day, severity(effects, effect), history, window)
        if effect not in ruled and count >= streak["days_at_least"]:
            reason = {
                "kind": "streak",
                "key": effect,
                "level": "routine",
                "days": count,
                "window_days": window,
                "facts": sorted(set(streak["facts"]) | set(effect_facts.get(effect, []))),
            }
            found.append((reason, list(routine["actions"])))
    return sorted(found, key=lambda pair: LEVEL_ORDER.index(pair[0]["level"]))


def triage(
    day: date,
    effects: Mapping[str, int | None],
    red_flags: Iterable[str],
    history: Mapping[date, Mapping[str, int | None]] | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``{level, case, facts, actions, reasons, calls}`` for one check-in.

    ``history`` maps earlier dates to their effects (only needed for the headache window). Each reason is
    ``{kind: red_flag|effect|severity|streak, key, level, facts}``. The actions are the case's lead actions,
    then those of each reason (most serious first; routine reasons only in a routine result), each once,
    without those ``replaced_by`` a stronger one present. ``calls`` is the order of the call buttons:
    ``{call: emergency|crisis|clinic, note}`` (the crisis line only where an action speaks of one).
    """
    rules = rules or load_rules()
    found = _reasons(day, effects, red_flags, history or {}, rules)
    reasons = [reason for reason, _ in found]
    level = min((r["level"] for r in reasons), key=LEVEL_ORDER.index, default="none")
    case = case_of(level, reasons, rules)
    keys: list[str] = []
    for reason, reason_actions in found:
        if reason["level"] in SERIOUS or reason["level"] == level:
            keys += reason_actions
    actions, calls = assemble(case, keys, rules)
    facts = sorted({f for r in reasons for f in r["facts"]} | {f for a in actions for f in a["facts"]})
    return {
        "level": level,
        "case": case,
        "facts": facts,
        "actions": actions,
        "reasons": reasons,
        "calls": calls,
    }


def assemble(
    case: str, action_keys: Iterable[str], rules: Mapping[str, Any] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(actions, calls) of a result: the case's lead actions, then ``action_keys``, each once, without
    those ``replaced_by`` a stronger one present; then the case's call order, the crisis line only where
    an action speaks of one. Shared by the check-in triage and the mood check."""
    rules = rules or load_rules()
    keys: list[str] = []
    for key in [*rules["cases"][case]["lead"], *action_keys]:
        if key not in keys:
            keys.append(key)
    keys = [k for k in keys if not set(rules["actions"][k].get("replaced_by", [])) & set(keys)]
    actions = [action(rules, k) for k in keys]
    crisis = any(a.get("crisis") for a in actions)
    notes = rules["call_notes"]
    calls = [
        {"call": c["call"], "note": notes[c["note"]] if "note" in c else None}
        for c in rules["cases"][case]["calls"]
        if c.get("if") != "crisis" or crisis
    ]
    return actions, calls
