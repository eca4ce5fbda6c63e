"""The report's effect trends (`_trends`, counted in one pass over the check-ins): each effect's days
answered, reported (above none) and strong, and its strongest answer; unknown keys and unanswered days
count for nothing."""

from __future__ import annotations

from datetime import date, timedelta

from backend.i18n import use_locale
from backend.record.report import CheckInRow, _trends

DAY = date(2026, 3, 2)


def _row(n: int, effects: dict) -> CheckInRow:
    return CheckInRow(DAY + timedelta(days=n), None, effects, [])


def test_each_effect_counts_its_answered_reported_and_strong_days():
    rows = [
        _row(0, {"dry_lips": 0, "dry_eyes": 1, "not_an_effect": 3}),
        _row(1, {"dry_lips": 2, "dry_eyes": None}),
        _row(2, {"dry_lips": 3}),
        _row(3, {"dry_lips": None, "dry_eyes": 3}),
        _row(4, {}),
    ]
    with use_locale("en"):
        effects = {e["key"]: e for e in _trends(rows)["effects"]}
    assert [effects["dry_lips"][k] for k in ("days_answered", "days_reported", "days_strong")] == [3, 2, 1]
    assert (effects["dry_lips"]["max_severity"], effects["dry_lips"]["strongest"]) == (3, "Strong")
    assert [effects["dry_eyes"][k] for k in ("days_answered", "days_reported", "days_strong")] == [2, 2, 1]
    assert [effects["dry_skin"][k] for k in ("days_answered", "days_reported", "days_strong")] == [0, 0, 0]
    assert (effects["dry_skin"]["max_severity"], effects["dry_skin"]["strongest"]) == (None, None)
    assert "not_an_effect" not in effects
    assert list(effects)[:3] == ["dry_lips", "dry_skin", "dry_eyes"]  # the rules' order


def test_an_effect_answered_none_every_day_is_answered_but_never_reported():
    with use_locale("en"):
        lips = _trends([_row(n, {"dry_lips": 0}) for n in range(5)])["effects"][0]
    assert (lips["days_answered"], lips["days_reported"], lips["days_strong"]) == (5, 0, 0)
    assert (lips["max_severity"], lips["strongest"]) == (0, "None")
