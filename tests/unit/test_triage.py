"""The check-in triage table: every red flag, every severity rule, the headache streak, the shared file."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from backend.record import triage
from tests.unit.test_content import documented_ids

DAY = date(2026, 3, 10)
RULES = triage.load_rules()
EMERGENCY = {"self_harm_thoughts", "swelling_or_breathing"}


def test_red_flags_cover_red_1_to_12_except_the_action_wording():
    cited = {f for flag in RULES["red_flags"] for f in flag["facts"]}
    assert {f"RED-{n}" for n in range(1, 13)} - cited == {"RED-11"}  # RED-11 is the "stop and call" action
    assert "RED-11" in {f for a in RULES["actions"].values() for f in a["facts"]}


@pytest.mark.parametrize("key", triage.red_flag_keys())
def test_every_red_flag_alone(key):
    result = triage.triage(DAY, {}, [key])
    expected = "emergency" if key in EMERGENCY else "urgent"
    assert result["level"] == expected
    flag = next(f for f in RULES["red_flags"] if f["key"] == key)
    assert set(flag["facts"]) <= set(result["facts"])
    keys = [a["key"] for a in result["actions"]]
    if expected == "urgent":
        assert keys[0] == "stop_and_call_prescriber"
        assert "RED-11" in result["facts"]
    else:
        assert keys[:2] == ["call_emergency", "stop_capsules"]
    if key in {"self_harm_thoughts", "mood_change"}:
        assert "crisis_line" in keys and "HELP-1" in result["facts"]
    assert result["reasons"] == [{"kind": "red_flag", "key": key, "level": expected, "facts": flag["facts"]}]


def test_emergency_wins_over_urgent_and_routine():
    result = triage.triage(DAY, {"dry_lips": 3}, ["chest_pain", "swelling_or_breathing"])
    assert result["level"] == "emergency"
    assert {r["level"] for r in result["reasons"]} == {"emergency", "urgent", "routine"}


@pytest.mark.parametrize("key", triage.effect_keys())
@pytest.mark.parametrize("severity,level", [(0, "none"), (1, "none"), (2, "none"), (3, "routine")])
def test_every_effect_at_every_severity(key, severity, level):
    result = triage.triage(DAY, {key: severity}, [])
    assert result["level"] == level
    if level == "routine":
        assert [a["key"] for a in result["actions"]] == ["tell_prescriber_soon"]
        assert "EXP-8" in result["facts"]
    else:
        assert result == {"level": "none", "facts": [], "actions": [], "reasons": []}


def _history(days: int, effect: str = "headache", severity: int = 1) -> dict:
    return {DAY - timedelta(days=n): {effect: severity} for n in range(1, days + 1)}


def test_headache_on_seven_days_in_a_row_is_routine():
    result = triage.triage(DAY, {"headache": 1}, [], _history(6))
    assert result["level"] == "routine"
    assert result["reasons"][0]["kind"] == "streak" and result["reasons"][0]["days"] == 7


def test_six_days_or_a_gap_or_none_today_is_not_a_streak():
    assert triage.triage(DAY, {"headache": 1}, [], _history(5))["level"] == "none"
    gap = _history(7)
    del gap[DAY - timedelta(days=3)]
    assert triage.triage(DAY, {"headache": 1}, [], gap)["level"] == "none"
    assert triage.triage(DAY, {"headache": 0}, [], _history(10))["level"] == "none"
    assert triage.triage(DAY, {"dry_lips": 1}, [], _history(10, "dry_lips"))["level"] == "none"


def cited_ids(node) -> set[str]:
    if isinstance(node, dict):
        return set(node.get("facts", [])).union(*(cited_ids(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(cited_ids(v) for v in node))
    return set()


@pytest.mark.parametrize("name", ["triage_rules.json", "mood.json"])
def test_every_fact_id_in_the_shared_files_is_documented(name):
    cited = cited_ids(json.loads((Path(triage.RULES_FILE).parent / name).read_text(encoding="utf-8")))
    assert cited and cited <= documented_ids(), cited - documented_ids()
