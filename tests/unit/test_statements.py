"""Statements fixed against their facts (issue 14, third review): EVID-1, AFTER-9, PREG-11, PREG-13,
DOSE-12."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from backend.course.dates import add_months
from backend.course.rhythm import BookedAppointment
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
    assert "good habits to keep" in content


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


def test_after_the_last_capsule_each_precaution_stays_until_its_own_date():
    """AFTER-1/2/7/9: blood donation and breastfeeding a month, waxing and laser at least six months;
    contraception until the final negative test (no date of its own, PREG-6/7)."""
    ended = S + timedelta(days=40)
    c = course(prevention=True, programme="eu_ppp", ended_on=ended)
    assert build_today(c, [], ended - timedelta(days=1))["after_course"] is None

    def still(day):
        today = build_today(c, [], day)
        return today, [i["key"] for i in today["after_course"]["still_applies"]]

    today, keys = still(ended)
    assert keys == ["contraception", "blood_donation", "breastfeeding", "procedures"]
    assert today["after_course"]["last_capsule"]["date"] == ended and today["days_remaining"] is None
    summary = today["phase"]["summary"].lower()
    assert "stopped" in summary and "keep going" not in summary and "last few weeks" not in summary
    items = {i["key"]: i for i in today["after_course"]["still_applies"]}
    assert items["blood_donation"]["until"] == add_months(ended, 1)
    assert items["procedures"]["until"] == add_months(ended, 6) and "at least" in items["procedures"]["text"]
    assert items["contraception"]["until"] is None and "negative" in items["contraception"]["text"]
    assert still(add_months(ended, 1) - timedelta(days=1))[1] == keys
    assert still(add_months(ended, 1))[1] == ["contraception", "procedures"]
    assert still(add_months(ended, 6))[1] == ["contraception"]
    no_prevention = build_today(course(ended_on=ended), [], ended + timedelta(days=3))
    shown = [i["key"] for i in no_prevention["after_course"]["still_applies"]]
    assert shown == ["blood_donation", "procedures"]


def test_a_booked_test_keeps_its_own_kind_and_never_takes_a_pre_start_title():
    """A pregnancy test booked after the first capsule, in the month of the confirmation test, is the
    monthly test (its own kind), not "Second pregnancy test (confirmation)" (issue 14)."""
    start = date(2026, 1, 20)
    booked = BookedAppointment("a1", "pregnancy_test", datetime(2026, 1, 25, 9, 30), "Lab 3")
    c = replace(course(prevention=True, programme="us_ipledge", start=start), appointments=(booked,))
    milestones = build_timeline(c, [], start + timedelta(days=2))["milestones"]
    [mine] = [m for m in milestones if m.get("booked")]
    assert mine["date"] == date(2026, 1, 25) and mine["title"] == "Monthly pregnancy test (iPLEDGE)"
    confirmation = next(m for m in milestones if m["title"].startswith("Second pregnancy test"))
    assert confirmation["date"] == date(2026, 1, 17) and confirmation["booked"] is None
