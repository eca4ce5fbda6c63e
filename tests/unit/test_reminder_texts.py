"""Notification texts: fact ids documented, own words, and what the refill and mood check-in may say."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backend.reminders import texts
from backend.reminders.occurrences import _BUILDERS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "clinical-sources.md"
FACTS_FILE = ROOT.parent / "shared" / "clinical-facts.md"

SAMPLE_DATA = {
    "dose": {"mg": 20, "slot": 1, "slots_today": 2, "with_meal": True, "date": "2026-03-10"},
    "dose_followup": {"dose_time": "08:00", "slot": 1, "date": "2026-03-10"},
    "appointment": {"appointment_kind": "blood_test", "starts_at_local": "2026-03-10T09:30", "when": "soon"},
    "fasting": {"starts_at_local": "2026-03-10T09:30", "when": "tomorrow"},
    "pickup_window": {
        "test_date": "2026-03-10",
        "window_ends": "2026-03-16",
        "window_days": 7,
        "lockout_days": 19,
    },
    "final_pregnancy_test": {},
    "contraception_end": {},
    "refill": {"date": "2026-02-01", "supply_from": "2026-02-04", "supply_number": 2, "lead_days": 3},
    "mood_checkin": {"date": "2026-03-29", "after_course": False},
    "caregiver_nudge": {"dose_time": "08:00", "slot": 1, "date": "2026-03-10"},
    "caregiver_joined": {},
}
# The hidden caregivers rule's builder makes `caregiver_nudge` occurrences; `caregiver_joined` is a one-off.
TEXT_KINDS = set(_BUILDERS) - {"caregivers"} | {"caregiver_nudge", "caregiver_joined"}
# Kinds whose texts state no clinical fact: a visit, a caregiver's nudge (only that a tick is missing),
# a caregiver joined.
NO_FACT = {"appointment", "caregiver_nudge", "caregiver_joined"}


def documented_ids() -> set[str]:
    return set(re.findall(r"^\|\s*([A-Z]+-\d+)\s*\|", SOURCES.read_text(encoding="utf-8"), flags=re.M))


def test_every_kind_cites_documented_facts():
    ids = documented_ids()
    assert set(SAMPLE_DATA) == TEXT_KINDS
    assert set(texts.FACTS) == TEXT_KINDS - NO_FACT
    for kind, facts in texts.FACTS.items():
        assert facts and set(facts) <= ids, f"{kind}: {set(facts) - ids} missing from clinical-sources.md"
    assert {"DOSE-10"} <= set(texts.FACTS["refill"])
    assert {"MOOD-1", "RED-1"} <= set(texts.FACTS["mood_checkin"])


# Every text a reminder can show: each kind's sample plus the variants that change the wording.
TEXT_CASES = [
    *SAMPLE_DATA.items(),
    ("dose", {"mg": 40, "slot": 1, "slots_today": 1, "with_meal": False, "date": "2026-03-10"}),
    ("appointment", {**SAMPLE_DATA["appointment"], "when": "tomorrow", "place": "Lab", "fasting": True}),
    ("final_pregnancy_test", {"estimated": False}),
    ("refill", {}),
    ("mood_checkin", {"date": "2026-04-26", "after_course": True}),
    ("test", {}),
    ("caregiver_nudge", {**SAMPLE_DATA["caregiver_nudge"], "held": True}),
]
N_WORDS = 7


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def copied_runs(text: str, source: str, n: int = N_WORDS) -> list[str]:
    """The runs of `n` words of `text` that appear verbatim in `source`."""
    src = _words(source)
    grams = {tuple(src[i : i + n]) for i in range(len(src) - n + 1)}
    w = _words(text)
    return [" ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in grams]


def test_text_cases_cover_every_reminder_kind():
    assert {kind for kind, _ in TEXT_CASES} >= TEXT_KINDS | {"test"}


def test_the_copy_check_catches_a_copied_run():
    source = "Missed dose: never take two doses at once. Take it when remembered unless it is late."
    assert copied_runs("Remember: take it when remembered unless it is late!", source) == [
        "take it when remembered unless it is",
        "it when remembered unless it is late",
    ]
    assert copied_runs("Never take two doses at once.", source) == []  # 6 words are not a run


@pytest.mark.skipif(not FACTS_FILE.is_file(), reason="shared clinical-facts.md not available")
@pytest.mark.parametrize(
    ("kind", "data"), TEXT_CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(TEXT_CASES)]
)
def test_notification_texts_are_in_our_own_words(kind, data):
    """No 7-word run of clinical-facts.md appears verbatim in any notification (as for content texts)."""
    title, body = texts.render(kind, data)
    assert title and (body or kind not in texts.FACTS)
    assert copied_runs(f"{title} {body}", FACTS_FILE.read_text(encoding="utf-8")) == []


def test_missed_dose_follow_up_follows_the_course_rule_set():
    _, eu = texts.render("dose_followup", {**SAMPLE_DATA["dose_followup"], "rule_set": "eu_ppp"})  # DOSE-8
    assert "Take it now," in eu and "nearly due" in eu and "Never take two at once" in eu
    # Standard capsules go down with food (DOSE-5); food-independent ones say nothing about food.
    for rule_set in ("eu_ppp", "none"):
        _, meal = texts.render(
            "dose_followup", {**SAMPLE_DATA["dose_followup"], "rule_set": rule_set, "with_meal": True}
        )
        assert "Take it now with some food" in meal and "nearly due" in meal, rule_set
    _, us = texts.render(
        "dose_followup", {**SAMPLE_DATA["dose_followup"], "rule_set": "us_ipledge", "with_meal": True}
    )  # DOSE-11: "missed" means remembered only when the next dose is nearly due
    assert "next dose is nearly due, that dose counts as missed" in us and "leave it out" in us
    assert "Take it now" not in us and "Never take two at once" in us


def test_fasting_text_names_no_fixed_hours_and_says_today_on_the_day():
    title, body = texts.render("fasting", SAMPLE_DATA["fasting"])  # MON-3
    assert "tomorrow at 09:30" in title and "for as long as the clinic told you" in body
    assert not re.search(r"\d+ hours", body)
    title, _ = texts.render("fasting", {**SAMPLE_DATA["fasting"], "when": "today"})
    assert "today at 09:30" in title


def test_contraception_end_names_the_final_negative_test():
    _, body = texts.render("contraception_end", {})
    assert "until your final pregnancy test is negative" in body


def test_pickup_window_names_the_lockout_only_where_the_rule_set_has_one():
    _, body = texts.render("pickup_window", SAMPLE_DATA["pickup_window"])
    assert "7-day" in body and "19-day wait" in body
    _, body = texts.render("pickup_window", {**SAMPLE_DATA["pickup_window"], "lockout_days": None})
    assert "wait" not in body


def test_refill_text_names_the_day_and_gives_no_dose_advice():
    title, body = texts.render("refill", SAMPLE_DATA["refill"])
    assert "prescription" in title.lower()
    assert "Wed 04 Feb" in body and "30-day" in body
    text = f"{title} {body}".lower()
    for word in ("mg", "dose", "capsule", "take ", "skip", "stop"):
        assert word not in text, word  # PRODUCT-1: a reminder to arrange supply, never dose advice


def test_mood_checkin_is_gentle_points_to_the_doctor_and_crisis_help_and_never_scores():
    title, body = texts.render("mood_checkin", SAMPLE_DATA["mood_checkin"])
    assert title.endswith("?") and "feeling" in title
    lower = body.lower()
    for sign in ("down", "enjoying", "irritable", "dark thoughts"):  # RED-1
        assert sign in lower, sign
    assert "tell your doctor now" in lower
    assert "emergency services" in lower and "crisis line" in lower
    for word in ("score", "depress", "diagnos", "phq", "result", "normal"):  # PRODUCT-1
        assert word not in f"{title} {body}".lower(), word
    assert not re.search(r"\d", f"{title} {body}")


def test_mood_checkin_payload_opens_the_app_and_fits_the_budget():
    message = texts.payload(
        kind="mood_checkin", data=SAMPLE_DATA["mood_checkin"], occurrence_id="o1", reminder_id="r1"
    )
    assert message["url"] == "/?checkin=mood" and message["kind"] == "mood_checkin"
    assert "date" not in message and "slot" not in message  # no dose fields
    assert len(json.dumps(message).encode()) < texts.MAX_PAYLOAD_BYTES
    refill = texts.payload(kind="refill", data=SAMPLE_DATA["refill"], occurrence_id="o2", reminder_id="r2")
    assert refill["url"] == "/reminders" and len(json.dumps(refill).encode()) < texts.MAX_PAYLOAD_BYTES


@pytest.mark.parametrize(
    ("kind", "data"), TEXT_CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(TEXT_CASES)]
)
def test_the_phone_gets_templates_whose_every_placeholder_has_a_time_or_date(kind, data):
    """Times and days go to the phone as values it writes in its own locale (sw/payload.ts)."""
    title, body, values = texts.templates(kind, data)
    for name in re.findall(r"\{(\w+)\}", f"{title} {body}"):
        assert name in values, name
    for value in values.values():
        assert re.fullmatch(r"\d{2}:\d{2}|\d{4}-\d{2}-\d{2}", value), value
    assert texts.render(kind, data) == (texts.fill(title, values), texts.fill(body, values))
    data = {**data, "appointment_id": "a"}
    message = texts.payload(kind=kind, data=data, occurrence_id="o", reminder_id="r")
    assert (message["title"], message["body"]) == texts.render(kind, data)  # the fallback as before
    assert ("local" in message) == bool(values)
    assert len(json.dumps(message).encode()) < texts.MAX_PAYLOAD_BYTES


def test_clock_times_and_days_reach_the_phone_as_values_not_text():
    _, _, values = texts.templates("appointment", {**SAMPLE_DATA["appointment"], "when": "tomorrow"})
    assert values == {"at": "09:30", "day": "2026-03-10"}
    window = SAMPLE_DATA["pickup_window"]
    message = texts.payload(kind="pickup_window", data=window, occurrence_id="o", reminder_id="r")
    assert "2026-03-10" not in message["body"] and "Tue 10 Mar" in message["body"]  # the fallback: a day
    assert message["local"]["values"] == {"test_date": "2026-03-10", "window_ends": "2026-03-16"}
    assert "title" not in message["local"]  # only texts with placeholders travel twice
    follow_up = texts.payload(kind="dose_followup", data={"slot": 1}, occurrence_id="o", reminder_id="r")
    assert follow_up["title"] == "Not marked yet: your capsule" and "local" not in follow_up
    place = texts.payload(
        kind="appointment",
        data={**SAMPLE_DATA["appointment"], "place": "Lab {at}", "appointment_id": "a"},
        occurrence_id="o",
        reminder_id="r",
    )
    assert "Lab (at)" in place["body"]  # a place's braces are never read as a placeholder
