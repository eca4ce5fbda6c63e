"""Statements fixed against their facts (issue 14, third review): EVID-1, AFTER-9, PREG-11, PREG-13,
DOSE-12."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backend.course.rules import load_rule_sets
from backend.course.timeline import build_timeline, build_today
from tests.unit.test_timeline import S, course

CONTENT = Path(__file__).resolve().parents[2] / "backend" / "course" / "content" / "en.json"


def texts_of(view: dict) -> str:
    return json.dumps(view, default=str)


def all_content() -> str:
    return CONTENT.read_text(encoding="utf-8")


def test_no_text_claims_lifestyle_keeps_results_or_cites_the_seed_view():
    content = all_content()
    assert "keep your results" not in content
    assert '"AFTER-8"' not in content  # the seed's view, not evidence (EVID-1)
    assert "good habits for your skin" in content


def test_relapse_after_a_smaller_total_is_hedged():
    content = all_content()
    assert "more likely to come back after a smaller total" not in content
    assert re.search(r"Some studies suggest acne comes back more often after a smaller total", content)


def test_procedures_wait_at_least_six_months_never_about():
    content = all_content()
    assert "about six months" not in content.lower() and "About six months" not in content
    assert content.count("at least six months") >= 3


@pytest.mark.parametrize(("programme", "shown"), [("us_ipledge", True), ("eu_ppp", False), ("none", False)])
def test_the_minipill_rule_is_shown_for_us_courses_only(programme, shown):
    view = build_timeline(course(prevention=True, programme=programme), [], S)
    assert ("minipill" in texts_of(view["while_on"])) is shown
    assert "St John's wort" in texts_of(view["while_on"])


@pytest.mark.parametrize(
    ("product", "note"), [("micronised", True), ("food_independent", False), ("standard", False)]
)
def test_the_absorica_ld_note_is_for_absorica_ld_only(product, note):
    today = build_today(course(product=product), [], S)
    assert (today["target_note"] is not None) is note
    if note:
        assert "Absorica LD" in today["target_note"]["text"] and "DOSE-12" in today["target_note"]["facts"]
    assert today["with_food"] is (product == "standard")


def test_the_19_day_wait_is_for_the_first_prescription_and_the_2026_status_says_verify():
    sets = load_rule_sets()
    assert "first prescription" in sets["us_ipledge"].pickup_window.text
    assert "PREG-13" in sets["us_ipledge"].pickup_window.facts
    status = sets["us_ipledge_2026"].summary()["status"]
    assert status["verify"] is True and "postponed" in status["text"] and status["facts"] == ["PREG-13"]
    assert sets["us_ipledge"].summary()["status"] is None
