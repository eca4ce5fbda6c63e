"""The PWA's triage (frontend/src/lib/triage.ts) answers every case exactly like the server's."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from backend.record import triage
from tests.support.frontend_script import run_frontend_script

DAY = date(2026, 3, 10)


def _cases() -> list[dict]:
    cases: list[dict] = [{"effects": {}, "red_flags": []}]
    cases += [{"effects": {}, "red_flags": [key]} for key in triage.red_flag_keys()]
    cases += [{"effects": {key: s}, "red_flags": []} for key in triage.effect_keys() for s in range(4)]
    emergency = [f["key"] for f in triage.load_rules()["red_flags"] if f["level"] == "emergency"]
    cases += [{"effects": {}, "red_flags": list(pair)} for pair in itertools.combinations(emergency, 2)]
    cases.append({"effects": {"dry_lips": 3, "headache": 2}, "red_flags": ["hives", "self_harm_thoughts"]})
    cases.append({"effects": {}, "red_flags": ["mood_change", "swelling_or_breathing", "chest_pain"]})
    cases.append(
        {"effects": {}, "red_flags": ["mood_change", "self_harm_thoughts", "yellow_skin_dark_urine"]}
    )
    cases.append({"effects": {"night_vision": 1, "headache": 3}, "red_flags": ["severe_flare"]})
    cases.append(
        {"effects": {"dry_eyes": 3}, "red_flags": ["unprotected_sex", "pregnancy_risk", "chest_pain"]}
    )
    for days in (3, 4, 5, 6, 7, 10):
        history = {(DAY - timedelta(days=n)).isoformat(): {"headache": 1} for n in range(1, days + 1)}
        cases.append({"effects": {"headache": 1}, "red_flags": [], "history": history})
    for gaps in ((1, 3, 4, 6), (1, 2, 7, 8, 9), (2, 4, 6)):
        history = {(DAY - timedelta(days=n)).isoformat(): {"headache": 1} for n in gaps}
        cases.append({"effects": {"headache": 2}, "red_flags": [], "history": history})
    unanswered = {
        (DAY - timedelta(days=n)).isoformat(): {"headache": None if n == 3 else 1} for n in range(1, 8)
    }
    cases.append({"effects": {"headache": 1}, "red_flags": [], "history": unanswered})
    cases.append({"effects": {key: None for key in triage.effect_keys()}, "red_flags": ["hives"]})
    for case in cases:
        case.setdefault("history", {})
        case["date"] = DAY.isoformat()
    return cases


def test_phone_and_server_triage_agree_on_every_case():
    cases = _cases()
    browser = run_frontend_script("triage-cases.mjs", cases)
    server = [
        triage.triage(
            DAY,
            c["effects"],
            c["red_flags"],
            {date.fromisoformat(d): e for d, e in c["history"].items()},
        )
        for c in cases
    ]
    assert len(browser) == len(server) == len(cases)
    for case, phone, srv in zip(cases, browser, server, strict=True):
        assert phone == srv, case
    assert {r["level"] for r in server} == {"emergency", "urgent", "routine", "none"}
    assert {r["case"] for r in server} == {"emergency", "self_harm", "urgent", "routine", "none"}
    assert any(r["reasons"] and r["reasons"][-1]["kind"] == "streak" for r in server)
