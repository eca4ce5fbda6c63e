"""The check-in triage table (RED-13): every red flag alone and every emergency pair, the effect rules,
the headache window, the action order, the call order, and the shared files' fact ids."""

import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from backend.record import triage
from tests.unit.test_content import documented_ids

DAY = date(2026, 3, 10)
RULES = triage.load_rules()
EMERGENCY = {
    "swelling_or_breathing",
    "self_harm_thoughts",
    "hives",
    "skin_reaction",
    "chest_pain",
    "seizure",
    "fainting",
    "one_sided_weakness",
    "sudden_sight_loss",
}
EMERGENCY_PAIRS = list(itertools.combinations(sorted(EMERGENCY), 2))
CALL_FIRST = [{"call": "emergency", "note": None}]
CANT_REACH = "if you can't reach them or feel very unwell"
ACT_ON = "if you might act on these thoughts or can't keep yourself safe"


def keys(result) -> list[str]:
    return [a["key"] for a in result["actions"]]


def calls(result) -> list[tuple[str, str | None]]:
    return [(c["call"], c["note"]) for c in result["calls"]]


def test_the_levels_are_the_labels():
    levels = {f["key"]: f["level"] for f in RULES["red_flags"]}
    assert {k for k, v in levels.items() if v == "emergency"} == EMERGENCY
    assert set(levels.values()) == {"emergency", "urgent"}
    cited = {f for flag in RULES["red_flags"] for f in flag["facts"]}
    assert {f"RED-{n}" for n in range(1, 14)} - cited == {"RED-11"}  # RED-11 is the "stop and call" action
    assert "RED-11" in {f for a in RULES["actions"].values() for f in a["facts"]}


@pytest.mark.parametrize("key", triage.red_flag_keys())
def test_every_red_flag_alone(key):
    result = triage.triage(DAY, {}, [key])
    flag = next(f for f in RULES["red_flags"] if f["key"] == key)
    assert result["reasons"] == [
        {"kind": "red_flag", "key": key, "level": flag["level"], "facts": flag["facts"]}
    ]
    assert set(flag["facts"]) <= set(result["facts"])
    stops = [a for a in result["actions"] if a.get("stops_capsules")]
    if key == "self_harm_thoughts":
        assert result["level"] == "emergency" and result["case"] == "self_harm"
        assert keys(result) == ["crisis_line", "stop_tell_prescriber_today"]
        assert calls(result) == [("crisis", None), ("emergency", ACT_ON), ("clinic", None)]
        assert "today" in result["actions"][1]["text"] and stops
    elif key in EMERGENCY:
        assert result["level"] == "emergency" and result["case"] == "emergency"
        assert keys(result) == ["call_emergency", "stop_capsules"]
        assert calls(result) == [("emergency", None), ("clinic", None)]
        assert stops == [result["actions"][1]]
    elif key == "severe_flare":
        assert result["level"] == "urgent" and result["case"] == "urgent"
        assert keys(result) == ["contact_dermatology_today"] and not stops
        assert "dermatology team today" in result["actions"][0]["text"]
        assert calls(result) == [("clinic", None), ("emergency", CANT_REACH)]
    else:
        assert result["level"] == "urgent" and result["case"] == "urgent"
        assert "stop_and_call_prescriber" in keys(result) and "RED-11" in result["facts"] and stops
        crisis = key in {"mood_change", "hearing_or_seeing_things"}
        assert ("crisis_talk" in keys(result)) is crisis
        expected = [("clinic", None), ("emergency", CANT_REACH)] + ([("crisis", None)] if crisis else [])
        assert calls(result) == expected
    if key == "unprotected_sex":
        assert keys(result) == ["emergency_contraception", "stop_and_call_prescriber"]
        text = result["actions"][0]["text"]
        assert "emergency contraception today" in text and "72 hours" in text and "5 days" in text
        assert "PREG-12" in result["facts"]


@pytest.mark.parametrize(("a", "b"), EMERGENCY_PAIRS)
def test_every_emergency_pair_puts_the_emergency_number_first(a, b):
    result = triage.triage(DAY, {}, [a, b])
    assert result["level"] == "emergency" and result["case"] == "emergency"
    assert keys(result)[:2] == ["call_emergency", "stop_capsules"]
    assert result["calls"][0] == {"call": "emergency", "note": None}
    if "self_harm_thoughts" in (a, b):
        assert "crisis_line" in keys(result) and "stop_tell_prescriber_today" not in keys(result)
        assert calls(result) == [("emergency", None), ("crisis", None), ("clinic", None)]
    else:
        assert calls(result) == [("emergency", None), ("clinic", None)]


def test_self_harm_with_urgent_flags_keeps_the_crisis_line_first_and_calls_now():
    result = triage.triage(DAY, {}, ["mood_change", "self_harm_thoughts", "yellow_skin_dark_urine"])
    assert result["case"] == "self_harm"
    # "phone your prescriber now" replaces "tell your prescriber today"; one crisis text, not two.
    assert keys(result) == ["crisis_line", "stop_and_call_prescriber"]
    assert calls(result)[0] == ("crisis", None)


def test_emergency_wins_over_urgent_and_routine():
    result = triage.triage(DAY, {"dry_lips": 3}, ["chest_pain", "yellow_skin_dark_urine"])
    assert result["level"] == "emergency"
    assert {r["level"] for r in result["reasons"]} == {"emergency", "urgent", "routine"}
    assert [r["level"] for r in result["reasons"]] == ["emergency", "urgent", "routine"]
    # "Stop and call now" is replaced by the emergency's own stop; the routine advice is left out.
    assert keys(result) == ["call_emergency", "stop_capsules"]


def test_night_vision_at_any_severity_is_stop_and_call():
    for severity in (1, 2, 3):
        result = triage.triage(DAY, {"night_vision": severity}, [])
        assert result["level"] == "urgent", severity
        assert keys(result) == ["stop_and_call_prescriber", "night_driving"]
        assert {"RED-8", "RED-13"} <= set(result["facts"])
        assert [r["kind"] for r in result["reasons"]] == ["effect"]


def test_a_strong_headache_is_stop_and_call_a_milder_one_is_not():
    result = triage.triage(DAY, {"headache": 3}, [])
    assert result["level"] == "urgent" and keys(result) == ["stop_and_call_prescriber"]
    assert result["reasons"] == [
        {"kind": "effect", "key": "headache", "level": "urgent", "facts": ["RED-2", "RED-13"]}
    ]
    assert triage.triage(DAY, {"headache": 2}, [])["level"] == "none"


def test_a_severe_flare_with_a_stop_flag_keeps_both_texts():
    result = triage.triage(DAY, {}, ["severe_flare", "yellow_skin_dark_urine"])
    assert keys(result) == ["stop_and_call_prescriber", "contact_dermatology_today"]


COMMON = [k for k in triage.effect_keys() if k not in {"night_vision", "headache"}]


@pytest.mark.parametrize("key", COMMON)
@pytest.mark.parametrize(("severity", "level"), [(0, "none"), (1, "none"), (2, "none"), (3, "routine")])
def test_every_common_effect_at_every_severity(key, severity, level):
    result = triage.triage(DAY, {key: severity}, [])
    assert result["level"] == level
    if level == "routine":
        assert keys(result) == ["tell_prescriber_soon"] and result["calls"] == []
        assert "EXP-8" in result["facts"]
    else:
        assert result == {
            "level": "none",
            "case": "none",
            "facts": [],
            "actions": [],
            "reasons": [],
            "calls": [],
        }


def _history(days, effect: str = "headache", severity: int = 1) -> dict:
    return {DAY - timedelta(days=n): {effect: severity} for n in days}


def test_headache_on_five_of_seven_days_is_routine_even_with_days_missing():
    # Today and 4 of the 6 days before (two days without a check-in): 5 days with a headache in the week.
    result = triage.triage(DAY, {"headache": 1}, [], _history([1, 3, 4, 6]))
    assert result["level"] == "routine"
    [reason] = result["reasons"]
    assert (reason["kind"], reason["days"], reason["window_days"]) == ("streak", 5, 7)
    assert keys(result) == ["tell_prescriber_soon"]


def test_four_days_or_old_days_or_none_today_is_not_a_streak():
    assert triage.triage(DAY, {"headache": 1}, [], _history([1, 2, 3]))["level"] == "none"
    # Days 7 and more before today are outside the window.
    assert triage.triage(DAY, {"headache": 1}, [], _history([1, 2, 7, 8, 9, 10]))["level"] == "none"
    assert triage.triage(DAY, {"headache": 0}, [], _history(range(1, 11)))["level"] == "none"
    assert triage.triage(DAY, {"dry_lips": 1}, [], _history(range(1, 11), "dry_lips"))["level"] == "none"
    assert triage.window_days("headache", DAY, 1, _history(range(1, 11)), 7) == 7


def test_every_action_that_says_stop_carries_the_stop_field_and_no_other_does():
    for key, spec in RULES["actions"].items():
        says_stop = "no more capsules" in spec["text"] or "Stop taking your capsules" in spec["text"]
        assert bool(spec.get("stops_capsules")) is says_stop, key
        if spec.get("crisis"):
            assert "crisis line" in spec["text"] and "crisis line can" not in spec["text_without_line"], key


def test_the_who_sees_text_is_there():
    assert "Nobody watches these answers" in RULES["who_sees"]["text"]
    assert RULES["who_sees"]["facts"] == ["MOOD-2"]


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


def test_every_result_that_says_stop_names_a_reason_a_pause_accepts():
    """The pause offer under a stop result records the first red flag or effect rule as its reason
    (TriagePanel.stopReason); the server must accept each of them, with a label for the report."""
    from backend.record.report import pause_reason_label
    from backend.services.pauses import reasons

    accepted = set(reasons())
    cases = [[k] for k in triage.red_flag_keys()] + [list(p) for p in EMERGENCY_PAIRS]
    results = [triage.triage(DAY, {}, flags) for flags in cases]
    results += [triage.triage(DAY, {"night_vision": 1}, []), triage.triage(DAY, {"headache": 3}, [])]
    stopping = [r for r in results if any(a.get("stops_capsules") for a in r["actions"])]
    assert len(stopping) == len(results) - 1  # all but the severe flare alone
    for result in stopping:
        reason = next(r["key"] for r in result["reasons"] if r["kind"] in ("red_flag", "effect"))
        assert reason in accepted, reason
        assert pause_reason_label(reason) != reason, reason
    assert pause_reason_label("night_vision") == "Seeing less well in the dark than before"
