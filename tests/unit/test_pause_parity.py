"""The PWA's pause logic (frontend/src/lib/pauses.ts) agrees with the server's: the same day is paused on
the phone and on the server, pending pause records are laid over the saved ones, and every triage result
whose actions say to stop the capsules (``stops_capsules`` in the rules) offers the pause on the phone."""

from __future__ import annotations

from datetime import date, timedelta

from backend.course.pauses import OTHER_REASONS, Pause, pause_on, reason_texts
from backend.record import triage
from tests.support.frontend_script import run_frontend_script

S = date(2026, 3, 2)
PAUSES = [
    Pause(S + timedelta(days=3), S + timedelta(days=6), "hives", "a"),
    Pause(S + timedelta(days=6), S + timedelta(days=6), "prescriber", "b"),  # restarted the day it began
    Pause(S + timedelta(days=10), None, "chest_pain", "c"),
]


def _json(p: Pause) -> dict:
    return {
        "id": p.id,
        "started_on": p.started_on.isoformat(),
        "resumed_on": p.resumed_on.isoformat() if p.resumed_on else None,
        "reason": p.reason,
    }


def _record(course: str, method: str, pause: dict) -> dict:
    return {
        "method": method,
        "path": "/x",
        "body": None,
        "meta": {"kind": "pause", "courseId": course, "pause": pause},
    }


def test_phone_and_server_agree_on_paused_days_overlays_and_stop_advice():
    days = [S + timedelta(days=n) for n in range(-1, 40)]
    flagged = [triage.triage(S, {}, [key]) for key in triage.red_flag_keys()]
    results = [*flagged, triage.triage(S, {"dry_lips": 3}, []), triage.triage(S, {}, [])]
    saved = {"id": "c1", "pauses": [_json(PAUSES[0])]}
    started = {"id": "n", "started_on": "2026-03-20", "resumed_on": None, "reason": "mood_check"}
    cases = {
        "days": [{"pauses": [_json(p) for p in PAUSES], "date": d.isoformat()} for d in days],
        "overlays": [
            {"course": saved, "records": [_record("c1", "POST", started)]},
            {
                "course": saved,
                "records": [_record("c1", "PATCH", {**_json(PAUSES[0]), "resumed_on": "2026-03-04"})],
            },
            {"course": saved, "records": [_record("other", "POST", started)]},
        ],
        "results": results,
        "reasons": ["chest_pain", *OTHER_REASONS],
        "languages": ["es", "de"],
    }
    phone = run_frontend_script("pause-cases.mjs", cases)

    server = [(p.id if (p := pause_on(PAUSES, d)) else None) for d in days]
    assert phone["days"] == server
    assert {"a", "c", None} == set(server)  # the empty pause "b" covers no day

    stored, pending = _json(PAUSES[0]), started
    assert phone["overlays"] == [
        [stored, pending],
        [{**stored, "resumed_on": "2026-03-04"}],
        [stored],
    ]

    rules = triage.load_rules()["actions"]
    says_stop = [any(rules[a["key"]].get("stops_capsules") for a in r["actions"]) for r in results]
    assert phone["stops"] == says_stop
    assert any(says_stop) and not all(says_stop)

    chest = next(f["label"] for f in triage.load_rules()["red_flags"] if f["key"] == "chest_pain")
    assert phone["sentences"][0] == f"You reported: {chest[0].lower()}{chest[1:]}."
    assert phone["sentences"][1:] == [reason_texts("en")[k]["sentence"] for k in OTHER_REASONS]
    # In Spanish and German from their catalogs; German keeps the noun's capital letter.
    for language in ("es", "de"):
        own = reason_texts(language)
        assert phone["translated"][language][1:] == [own[k]["sentence"] for k in OTHER_REASONS]
    assert phone["translated"]["es"][0] == "Indicaste: dolor en el pecho."
    assert phone["translated"]["de"][0] == "Du hast angegeben: Schmerzen in der Brust."
