"""Programme rule sets (PRODUCT-2, PREG-4): versioned data files in ``rulesets/``, one per rule set (pure).

A rule set holds what differs between regional programmes: the missed-dose rule (DOSE-11 in the US,
DOSE-8 elsewhere), the pregnancy tests before the start (two for iPLEDGE, PREG-9), the test and visit
rhythm, the pick-up / dispensing window (PREG-3, PREG-10) and the lockout after a missed window. A
course records the id of its rule set; a rule change is a new file, never an edit of code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from backend.i18n import catalog, current_locale

__all__ = [
    "RULESET_DIR",
    "PickupWindow",
    "PreStartTest",
    "RuleSet",
    "default_rule_set",
    "load_rule_sets",
    "rule_set",
    "rule_set_ids",
]

RULESET_DIR = Path(__file__).with_name("rulesets")
PROGRAMMES = ("us_ipledge", "eu_ppp", "none")


@dataclass(frozen=True)
class PreStartTest:
    key: str
    days_before: int
    title: str
    description: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class PickupWindow:
    days: int
    counts_from: str  # "pregnancy_test" (specimen date is day 1) | "prescription"
    text: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    id: str
    programme: str
    default: bool
    version: str
    title: str
    facts: tuple[str, ...]
    missed_dose: dict[str, Any]
    missed_dose_reminder: dict[str, Any]
    tests_before_start: tuple[PreStartTest, ...]
    test_interval_days: int
    visit_interval_days: int
    pregnancy_test: dict[str, Any]
    pickup_window: PickupWindow | None
    lockout_days: int | None  # the wait after a missed first-prescription window (PREG-13), if any
    home_tests: bool
    status: dict[str, Any] | None = None  # whether the rule set is in force yet; "verify": unconfirmed

    def summary(self) -> dict[str, Any]:
        """What the API shows about a rule set."""
        return {
            "id": self.id,
            "programme": self.programme,
            "default": self.default,
            "version": self.version,
            "title": self.title,
            "tests_before_start": len(self.tests_before_start),
            "test_interval_days": self.test_interval_days,
            "visit_interval_days": self.visit_interval_days,
            "pickup_window_days": self.pickup_window.days if self.pickup_window else None,
            "lockout_days": self.lockout_days,
            "home_tests": self.home_tests,
            "missed_dose": {"text": self.missed_dose["text"], "facts": list(self.missed_dose["facts"])},
            "status": None if self.status is None else {**self.status, "facts": list(self.status["facts"])},
            "facts": list(self.facts),
        }


def _text(raw: dict[str, Any], where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("text") or not raw.get("facts"):
        raise ValueError(f"{where}: needs text and facts")
    out = {"text": raw["text"], "facts": tuple(raw["facts"])}
    if raw.get("with_meal_text"):  # the same advice for standard capsules, which go down with food (DOSE-5)
        out["with_meal_text"] = raw["with_meal_text"]
    return out


def _parse(raw: dict[str, Any], name: str) -> RuleSet:
    if raw.get("programme") not in PROGRAMMES:
        raise ValueError(f"{name}: unknown programme {raw.get('programme')!r}")
    if raw.get("id") != name:
        raise ValueError(f"{name}: the id must match the file name")
    pickup = raw.get("pickup_window")
    tests = tuple(
        PreStartTest(t["key"], int(t["days_before"]), t["title"], t["description"], tuple(t["facts"]))
        for t in raw.get("tests_before_start", [])
    )
    preg = raw["pregnancy_test"]
    return RuleSet(
        id=raw["id"],
        programme=raw["programme"],
        default=bool(raw.get("default")),
        version=raw["version"],
        title=raw["title"],
        facts=tuple(raw.get("facts", [])),
        missed_dose=_text(raw["missed_dose"], f"{name}.missed_dose"),
        missed_dose_reminder=_text(raw["missed_dose_reminder"], f"{name}.missed_dose_reminder"),
        tests_before_start=tuple(sorted(tests, key=lambda t: -t.days_before)),
        test_interval_days=int(raw["test_interval_days"]),
        visit_interval_days=int(raw["visit_interval_days"]),
        pregnancy_test={
            "title": preg["title"],
            "description": preg["description"],
            "facts": tuple(preg["facts"]),
        },
        pickup_window=None
        if pickup is None
        else PickupWindow(int(pickup["days"]), pickup["from"], pickup["text"], tuple(pickup["facts"])),
        lockout_days=raw.get("lockout_days"),
        home_tests=bool(raw.get("home_tests")),
        status=None
        if raw.get("status") is None
        else {**_text(raw["status"], f"{name}.status"), "verify": bool(raw["status"].get("verify"))},
    )


def load_rule_sets(directory: Path = RULESET_DIR, language: str | None = None) -> dict[str, RuleSet]:
    """Every rule set by id, its texts in ``language`` (default: the current locale); each programme must
    have exactly one default."""
    return _load_rule_sets(directory, language or current_locale())


@cache
def _load_rule_sets(directory: Path, language: str) -> dict[str, RuleSet]:
    sets: dict[str, RuleSet] = {}
    for path in sorted(directory.glob("*.json")):
        if directory == RULESET_DIR:
            raw = catalog(f"rulesets/{path.stem}", language)
        else:
            with path.open(encoding="utf-8") as fh:
                raw = json.load(fh)
        sets[path.stem] = _parse(raw, path.stem)
    for programme in PROGRAMMES:
        defaults = [s.id for s in sets.values() if s.programme == programme and s.default]
        if len(defaults) != 1:
            raise ValueError(f"programme {programme} needs exactly one default rule set, has {defaults}")
    return sets


def rule_set_ids(programme: str | None = None) -> list[str]:
    return [s.id for s in load_rule_sets().values() if programme is None or s.programme == programme]


def default_rule_set(programme: str) -> RuleSet:
    return next(s for s in load_rule_sets().values() if s.programme == programme and s.default)


def rule_set(rule_set_id: str | None, programme: str) -> RuleSet:
    """The rule set a course names, or its programme's default when it names none (or another programme's)."""
    found = load_rule_sets().get(rule_set_id or "")
    if found is None or found.programme != programme:
        return default_rule_set(programme)
    return found
