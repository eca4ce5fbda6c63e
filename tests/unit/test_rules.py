"""Programme rule sets as data (backend/course/rules.py) and the 30-day month after the last capsule."""

import json
import shutil
from datetime import date, timedelta

import pytest

from backend.course.dates import month_after
from backend.course.plan import parse_plan
from backend.course.rules import RULESET_DIR, default_rule_set, load_rule_sets, rule_set, rule_set_ids
from backend.course.timeline import CourseInfo, build_timeline, build_today

S = date(2026, 3, 2)


def course(programme: str, rule_set_id: str | None = None, prevention: bool = True) -> CourseInfo:
    return CourseInfo(
        start_date=S,
        weight_kg=70,
        target_mg_per_kg=120,
        product="standard",
        programme=programme,
        pregnancy_prevention=prevention,
        plan=parse_plan(
            [{"from_date": S.isoformat(), "daily_mg": 70, "doses_per_day": 1, "dose_times": ["08:00"]}]
        ),
        rule_set=rule_set_id,
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 31), date(2026, 3, 2)),  # not 28 Feb: never fewer than 30 days
        (date(2024, 1, 31), date(2024, 3, 1)),  # leap year: 29 Feb would be 29 days
        (date(2024, 1, 30), date(2024, 2, 29)),  # leap day itself, 30 days later
        (date(2026, 1, 15), date(2026, 2, 15)),  # a calendar month is longer than 30 days here
        (date(2026, 2, 28), date(2026, 3, 30)),  # February: 28 Mar would be 28 days
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_month_after_is_never_shorter_than_30_days(day, expected):
    assert month_after(day) == expected
    assert (month_after(day) - day).days >= 30


def test_month_after_every_day_of_four_years():
    day = date(2024, 1, 1)
    while day < date(2028, 1, 1):
        after = month_after(day)
        assert 30 <= (after - day).days <= 31
        day += timedelta(days=1)


def test_each_programme_has_one_default_and_the_files_name_their_ids():
    sets = load_rule_sets()
    assert set(sets) == {"us_ipledge", "us_ipledge_2026", "eu_ppp", "none"}
    assert [default_rule_set(p).id for p in ("us_ipledge", "eu_ppp", "none")] == [
        "us_ipledge",
        "eu_ppp",
        "none",
    ]
    assert rule_set_ids("us_ipledge") == ["us_ipledge", "us_ipledge_2026"]


def test_missed_dose_rule_follows_the_region():
    assert load_rule_sets()["us_ipledge"].missed_dose["facts"] == ("DOSE-11",)
    assert load_rule_sets()["us_ipledge_2026"].missed_dose["facts"] == ("DOSE-11",)
    assert load_rule_sets()["eu_ppp"].missed_dose["facts"] == ("DOSE-8",)
    assert load_rule_sets()["none"].missed_dose["facts"] == ("DOSE-8",)
    us = build_today(course("us_ipledge"), [], S)["dose_guidance"]
    eu = build_today(course("eu_ppp"), [], S)["dose_guidance"]
    assert "DOSE-11" in {f for i in us for f in i["facts"]} and "DOSE-8" not in {
        f for i in us for f in i["facts"]
    }
    assert "DOSE-8" in {f for i in eu for f in i["facts"]} and "DOSE-11" not in {
        f for i in eu for f in i["facts"]
    }
    assert "when you remember" not in " ".join(i["text"] for i in us)


def test_ipledge_current_and_2026_rules():
    current, modified = load_rule_sets()["us_ipledge"], load_rule_sets()["us_ipledge_2026"]
    assert len(current.tests_before_start) == 2 and len(modified.tests_before_start) == 2  # PREG-9
    assert current.pickup_window.days == modified.pickup_window.days == 7  # PREG-3
    assert current.lockout_days == 19 and modified.lockout_days is None  # PREG-4
    assert current.home_tests is False and modified.home_tests is True
    tl = build_timeline(course("us_ipledge", "us_ipledge_2026"), [], S)
    assert tl["rule_set"]["id"] == "us_ipledge_2026"
    monthly = next(m for m in tl["milestones"] if m["kind"] == "pregnancy_test" and m["date"] > S)
    assert "home" in monthly["description"] and "PREG-4" in monthly["facts"]


def test_eu_ppp_rules():
    ppp = load_rule_sets()["eu_ppp"]
    assert len(ppp.tests_before_start) == 1
    assert ppp.test_interval_days == 28
    assert ppp.pickup_window.days == 7 and ppp.pickup_window.counts_from == "prescription"  # PREG-10
    assert "PREG-10" in ppp.pickup_window.facts


def test_unknown_or_mismatched_rule_set_falls_back_to_the_programme_default():
    assert rule_set("nope", "eu_ppp").id == "eu_ppp"
    assert rule_set("us_ipledge_2026", "eu_ppp").id == "eu_ppp"
    assert rule_set(None, "us_ipledge").id == "us_ipledge"


def test_a_new_rule_set_is_a_new_file(tmp_path):
    for path in RULESET_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    raw = json.loads((tmp_path / "eu_ppp.json").read_text())
    raw.update(id="eu_ppp_2027", default=False, test_interval_days=30)
    (tmp_path / "eu_ppp_2027.json").write_text(json.dumps(raw))
    sets = load_rule_sets(tmp_path)
    assert sets["eu_ppp_2027"].test_interval_days == 30 and sets["eu_ppp_2027"].programme == "eu_ppp"


def test_a_programme_without_a_default_is_refused(tmp_path):
    for path in RULESET_DIR.glob("*.json"):
        if path.stem != "none":
            shutil.copy(path, tmp_path / path.name)
    with pytest.raises(ValueError, match="none"):
        load_rule_sets(tmp_path)
