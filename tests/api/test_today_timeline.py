"""GET /courses/{id}/today and /timeline: the computed views over plan and log (issue 2, §2 and §6).

Worked example (DOSE-3): 70 kg × 120 mg/kg = 8,400 mg; at 40 mg/day that is 210 days, so a course starting
on START (the default course's start, a few weeks before the real today) has its projected last capsule on
day 210 = START + 209 days.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.api.apihelp import API, assert_error, bad_fields, course_from, days_ago, dose_body, new_uuid
from tests.conftest import COURSE_START

PHASE_KEYS = ["before_start", "first_weeks", "improving", "clearing", "final_stretch", "after"]
FACT_RE = re.compile(r"^[A-Z]+-\d+$")
SOURCES = Path(__file__).resolve().parents[2] / "docs" / "clinical-sources.md"
START = COURSE_START
LAST = START + timedelta(days=209)


def today(patient, course: dict, day: date | str | None = None):
    query = {} if day is None else {"date": str(day)}
    response = patient.get(f"{API}/courses/{course['id']}/today", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def timeline(patient, course: dict, day: date | str | None = None):
    query = {} if day is None else {"date": str(day)}
    response = patient.get(f"{API}/courses/{course['id']}/timeline", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def log(patient, course: dict, day: date, slot: int, status: str = "taken", mg: float = 20) -> str:
    dose_id = new_uuid()
    body = dose_body(day, slot=slot, status=status, mg=mg if status == "taken" else 0)
    response = patient.put(f"{API}/courses/{course['id']}/doses/{dose_id}", json=body)
    assert response.status_code == 201, response.get_json()
    return dose_id


def milestones(view: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in view["milestones"]:
        out.setdefault(item["kind"], []).append(item["date"])
    return out


def iso(day: date) -> str:
    return day.isoformat()


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later, or that month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ------------------------------------------------------------------ today


def test_today_contract_fields_for_a_known_course(patient):
    course = patient.create_course()
    view = today(patient, course, START + timedelta(days=2))
    for key in (
        "date",
        "day_of_course",
        "phase",
        "doses",
        "cumulative_mg",
        "cumulative_mg_per_kg",
        "target_percent",
        "projected_last_dose_on",
        "next_milestones",
    ):
        assert key in view, key
    assert {"key", "title", "expectations"} <= set(view["phase"])
    assert view["course_id"] == course["id"]
    assert view["date"] == iso(START + timedelta(days=2))
    assert view["day_of_course"] == 3
    assert view["week_of_course"] == 1
    assert view["status"] == "active"
    assert view["phase"]["key"] == "first_weeks"
    assert view["phase"]["expectations"], "what to expect now"
    assert view["doses"] == [
        {"slot": 1, "time": "08:00", "mg": 20.0, "status": "pending", "dose_id": None, "taken_at": None},
        {"slot": 2, "time": "20:00", "mg": 20.0, "status": "pending", "dose_id": None, "taken_at": None},
    ]
    assert view["cumulative_mg"] == 0
    assert view["target_mg"] == 8400
    assert view["target_percent"] == 0
    # Nothing logged on days 1 and 2: both count as not taken, so the end moves two days later.
    assert view["projected_last_dose_on"] == iso(LAST + timedelta(days=2))
    assert [(m["date"], m["slot"]) for m in view["missing_logs"]] == [
        (iso(START + timedelta(days=1)), 2),
        (iso(START + timedelta(days=1)), 1),
        (iso(START), 2),
        (iso(START), 1),
    ]
    assert view["missing_logs_count"] == 4
    assert all(m["mg"] == 20 for m in view["missing_logs"])
    assert "dermatologist" in view["disclaimer"]


@pytest.mark.parametrize(
    ("offset", "day_of_course", "week", "phase"),
    [
        (-3, None, None, "before_start"),
        (0, 1, 1, "first_weeks"),
        (6, 7, 1, "first_weeks"),
        (7, 8, 2, "first_weeks"),
        (56, 57, 9, "improving"),
        (100, 101, 15, "clearing"),
        (200, 201, 29, "final_stretch"),
        (215, 216, 31, "after"),
    ],
)
def test_day_week_and_phase_move_with_the_date(patient, offset, day_of_course, week, phase):
    course = patient.create_course(ended_on=iso(LAST))  # a known end, so the late phases are dated
    view = today(patient, course, START + timedelta(days=offset))
    assert view["day_of_course"] == day_of_course
    assert view["week_of_course"] == week
    assert view["phase"]["key"] == phase
    expected_status = "not_started" if offset < 0 else "finished" if offset > 209 else "active"
    assert view["status"] == expected_status
    assert (view["doses"] != []) == (expected_status == "active")


def test_today_merges_logged_status_and_counts_logged_mg(patient):
    start = days_ago(30)
    course = patient.create_course(**course_from(start))
    for day in (start, start + timedelta(days=1)):
        log(patient, course, day, 1)
        log(patient, course, day, 2)
    day3 = start + timedelta(days=2)
    taken_id = log(patient, course, day3, 1)

    view = today(patient, course, day3)
    assert view["doses"][0]["status"] == "taken"
    assert view["doses"][0]["dose_id"] == taken_id
    assert datetime.fromisoformat(view["doses"][0]["taken_at"]).utcoffset() is not None
    assert view["doses"][1]["status"] == "pending" and view["doses"][1]["dose_id"] is None
    assert view["cumulative_mg"] == 100
    assert view["cumulative_mg_per_kg"] == round(100 / 70, 1)
    assert view["target_percent"] == round(100 / 8400 * 100, 1)
    assert view["missing_logs"] == [] and view["missing_logs_count"] == 0
    assert view["projected_last_dose_on"] == iso(start + timedelta(days=209))

    # Logs after the asked date are ignored.
    earlier = today(patient, course, start)
    assert earlier["cumulative_mg"] == 40
    assert [d["status"] for d in earlier["doses"]] == ["taken", "taken"]


def test_skipped_dose_shows_as_skipped_and_adds_no_mg(patient):
    start = days_ago(20)
    course = patient.create_course(**course_from(start))
    skipped_id = log(patient, course, start, 1, status="skipped")
    view = today(patient, course, start)
    assert view["doses"][0]["status"] == "skipped" and view["doses"][0]["dose_id"] == skipped_id
    assert view["cumulative_mg"] == 0


def _projection_after_two_days(patient, day2_status: str | None) -> dict:
    """Day 1 fully taken; day 2 taken, skipped, or left unlogged; asked on day 3."""
    start = days_ago(30)
    course = patient.create_course(**course_from(start))
    log(patient, course, start, 1)
    log(patient, course, start, 2)
    if day2_status is not None:
        log(patient, course, start + timedelta(days=1), 1, status=day2_status)
        log(patient, course, start + timedelta(days=1), 2, status=day2_status)
    view = today(patient, course, start + timedelta(days=2))
    view["start"] = start
    return view


def test_missed_day_moves_the_projected_end_by_exactly_one_day(patient):
    full = _projection_after_two_days(patient, "taken")
    unlogged = _projection_after_two_days(patient, None)
    skipped = _projection_after_two_days(patient, "skipped")
    start = full["start"]

    assert full["projected_last_dose_on"] == iso(start + timedelta(days=209))
    # 40 mg missed at 40 mg/day: exactly one day later, whether skipped or simply not logged.
    assert unlogged["projected_last_dose_on"] == iso(start + timedelta(days=210))
    assert skipped["projected_last_dose_on"] == iso(start + timedelta(days=210))
    assert full["cumulative_mg"] == 80 and unlogged["cumulative_mg"] == 40 and skipped["cumulative_mg"] == 40

    day2 = iso(start + timedelta(days=1))
    assert [(m["date"], m["slot"]) for m in unlogged["missing_logs"]] == [(day2, 2), (day2, 1)]
    assert unlogged["missing_logs_count"] == 2
    assert skipped["missing_logs"] == [] and full["missing_logs"] == []


def test_filling_a_gap_moves_the_end_back(patient):
    start = days_ago(30)
    course = patient.create_course(**course_from(start))
    ask = start + timedelta(days=1)
    assert today(patient, course, ask)["projected_last_dose_on"] == iso(start + timedelta(days=210))
    log(patient, course, start, 1)
    log(patient, course, start, 2)
    after = today(patient, course, ask)
    assert after["projected_last_dose_on"] == iso(start + timedelta(days=209))
    assert after["missing_logs"] == []


def test_cycle_course_alternates_doses_and_projects_its_end(patient):
    course = patient.create_course(
        dose_plan=[
            {"from_date": iso(START), "cycle_mg": [40, 80], "doses_per_day": 1, "dose_times": ["09:00"]}
        ]
    )
    first = today(patient, course, START)
    second = today(patient, course, START + timedelta(days=1))
    assert [(d["slot"], d["time"], d["mg"]) for d in first["doses"]] == [(1, "09:00", 40)]
    assert [d["mg"] for d in second["doses"]] == [80]
    # 8,400 mg at an average of 60 mg/day: 140 days.
    assert first["projected_last_dose_on"] == iso(START + timedelta(days=139))


def test_dose_change_mid_course_changes_the_projection(patient):
    course = patient.create_course()
    assert today(patient, course, START)["projected_last_dose_on"] == iso(LAST)
    change = START + timedelta(days=30)
    plan = [
        {"from_date": iso(START), "daily_mg": 40, "doses_per_day": 2, "dose_times": ["08:00", "20:00"]},
        {"from_date": iso(change), "daily_mg": 80, "doses_per_day": 2, "dose_times": ["08:00", "20:00"]},
    ]
    assert patient.patch(f"{API}/courses/{course['id']}", json={"dose_plan": plan}).status_code == 200
    view = today(patient, course, START)
    # 30 days × 40 = 1,200 mg, then 7,200 mg at 80 mg/day = 90 days.
    assert view["projected_last_dose_on"] == iso(change + timedelta(days=89))
    assert [d["mg"] for d in today(patient, course, change)["doses"]] == [40, 40]


def test_weight_change_changes_the_target(patient):
    course = patient.create_course()
    assert patient.patch(f"{API}/courses/{course['id']}", json={"weight_kg": 60}).status_code == 200
    view = today(patient, course, START)
    assert view["target_mg"] == 7200
    assert view["projected_last_dose_on"] == iso(START + timedelta(days=179))


def test_low_dose_course_without_target(patient):
    course = patient.create_course(
        target_mg_per_kg=None,
        pregnancy_prevention=False,
        programme="none",
        dose_plan=[{"from_date": iso(START), "daily_mg": 20, "doses_per_day": 1, "dose_times": ["08:00"]}],
    )
    view = today(patient, course, START + timedelta(days=10))
    assert view["target_percent"] is None and view["target_mg"] is None
    assert view["projected_last_dose_on"] is None
    assert view["day_of_course"] == 11
    assert [d["mg"] for d in view["doses"]] == [20]
    kinds = milestones(timeline(patient, course, START))
    assert not {"cumulative_25", "cumulative_50", "cumulative_75", "cumulative_100", "last_dose"} & set(kinds)


def test_next_milestones_are_upcoming_and_ordered(patient):
    course = patient.create_course()
    day = START + timedelta(days=40)
    upcoming = today(patient, course, day)["next_milestones"]
    assert 1 <= len(upcoming) <= 3
    dates = [m["date"] for m in upcoming]
    assert dates == sorted(dates)
    assert all(d >= iso(day) for d in dates)
    for item in upcoming:
        assert {"kind", "date", "title"} <= set(item)


def test_today_defaults_to_today_in_the_course_time_zone(patient):
    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: at most moments they are on different
    # dates, so a server-side "today" in UTC (or in the other zone) would be caught.
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        course = patient.create_course(timezone=zone)
        before = datetime.now(ZoneInfo(zone)).date()
        view = today(patient, course)
        line = timeline(patient, course)
        after = datetime.now(ZoneInfo(zone)).date()
        assert view["date"] in {iso(before), iso(after)}, zone
        assert line["today"] in {iso(before), iso(after)}, zone


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "05/01/2026", "1999-12-31", ""])
def test_bad_date_query_is_422(patient, bad):
    course = patient.create_course()
    for view in ("today", "timeline"):
        response = patient.get(f"{API}/courses/{course['id']}/{view}", query_string={"date": bad})
        if bad == "":
            # An empty value is either the default day or a clear 422; never a 500.
            assert response.status_code in (200, 422)
            continue
        assert "date" in bad_fields(response)


def test_today_and_timeline_need_a_token(client, patient):
    course = patient.create_course()
    for view in ("today", "timeline"):
        assert_error(client.get(f"{API}/courses/{course['id']}/{view}?date={iso(START)}"), 401)
        assert_error(client.get(f"{API}/courses/{course['id']}/{view}?date=garbage"), 401)


def test_views_change_when_the_log_changes(patient):
    """The views are cached with an ETag; a dose write must still show at once."""
    start = days_ago(10)
    course = patient.create_course(**course_from(start))
    url = f"{API}/courses/{course['id']}/today?date={iso(start)}"
    first = patient.get(url)
    etag = first.headers.get("ETag")
    assert etag and first.headers["Cache-Control"] == "private, no-store"
    assert first.get_json()["cumulative_mg"] == 0
    assert patient.get(url, headers={"If-None-Match": etag}).status_code == 304
    dose_id = log(patient, course, start, 1)
    second = patient.get(url, headers={"If-None-Match": etag})
    assert second.status_code == 200
    assert second.get_json()["cumulative_mg"] == 20
    assert second.get_json()["doses"][0]["dose_id"] == dose_id
    assert patient.delete(f"{API}/courses/{course['id']}/doses/{dose_id}").status_code == 204
    third = patient.get(url)
    assert third.get_json()["cumulative_mg"] == 0 and third.get_json()["doses"][0]["status"] == "pending"


def test_views_change_when_the_course_changes_and_never_leak_across_patients(patient, make_patient):
    course = patient.create_course()
    url = f"{API}/courses/{course['id']}/timeline?date={iso(START + timedelta(days=1))}"
    first = patient.get(url)
    etag = first.headers["ETag"]
    assert patient.patch(f"{API}/courses/{course['id']}", json={"weight_kg": 80}).status_code == 200
    second = patient.get(url, headers={"If-None-Match": etag})
    assert second.status_code == 200 and second.headers["ETag"] != etag
    assert second.get_json()["projected_last_dose_on"] > first.get_json()["projected_last_dose_on"]
    other = make_patient()
    assert_error(other.get(url, headers={"If-None-Match": second.headers["ETag"]}), 404)


# ------------------------------------------------------------------ timeline


def test_timeline_phases_are_ordered_and_contiguous(patient):
    course = patient.create_course()
    view = timeline(patient, course, START + timedelta(days=3))
    assert view["course_id"] == course["id"]
    assert view["today"] == iso(START + timedelta(days=3))
    assert view["current_phase"] == "first_weeks"
    last = LAST + timedelta(days=3)  # days 1–3 have no log: counted as not taken
    assert view["projected_last_dose_on"] == iso(last)
    phases = view["phases"]
    assert [p["key"] for p in phases] == PHASE_KEYS
    assert [p["key"] for p in phases if p["current"]] == ["first_weeks"]
    assert phases[0]["starts_on"] is None and phases[0]["ends_on"] == iso(START - timedelta(days=1))
    assert phases[1]["starts_on"] == iso(START)
    assert phases[-1]["starts_on"] == iso(last + timedelta(days=1)) and phases[-1]["ends_on"] is None
    assert phases[-2]["ends_on"] == iso(last)
    for before, after in pairwise(phases):
        assert date.fromisoformat(after["starts_on"]) == date.fromisoformat(before["ends_on"]) + timedelta(
            days=1
        )
    for phase in phases:
        assert {"key", "title", "starts_on", "ends_on", "expectations", "tips", "report_now"} <= set(phase)
        assert phase["title"]
    assert "dermatologist" in view["disclaimer"]
    assert view["report_now"], "red flags are always listed"


def test_timeline_milestones_with_pregnancy_prevention(patient):
    course = patient.create_course()  # eu_ppp, pregnancy prevention applies
    view = timeline(patient, course, START)
    kinds = milestones(view)
    assert kinds["last_dose"] == [iso(LAST)]
    assert kinds["cumulative_25"] == [iso(START + timedelta(days=52))]  # day 53: 2,120 mg ≥ 2,100 mg
    assert kinds["cumulative_50"] == [iso(START + timedelta(days=104))]  # day 105: 4,200 mg
    assert kinds["cumulative_75"] == [iso(START + timedelta(days=157))]  # day 158: 6,320 mg ≥ 6,300 mg
    assert kinds["cumulative_100"] == [iso(LAST)]
    assert kinds["final_pregnancy_test"] == [iso(months_after(LAST, 1))]  # one month after the last capsule
    assert kinds["contraception_end"] == [iso(months_after(LAST, 1))]
    assert kinds["blood_donation_ok"] == [iso(months_after(LAST, 1))]
    assert kinds["procedures_ok"] == [iso(months_after(LAST, 6))]  # six months after
    assert "pregnancy_test" in kinds  # the programme's rhythm
    dates = [m["date"] for m in view["milestones"]]
    assert dates == sorted(dates)
    last = next(m for m in view["milestones"] if m["kind"] == "last_dose")
    assert last["estimated"] is True


def test_timeline_milestones_without_pregnancy_prevention(patient):
    course = patient.create_course(pregnancy_prevention=False, programme="none")
    kinds = milestones(timeline(patient, course, START))
    assert "final_pregnancy_test" not in kinds
    assert "contraception_end" not in kinds
    assert "pregnancy_test" not in kinds
    assert kinds["last_dose"] == [iso(LAST)]
    assert kinds["blood_donation_ok"] == [iso(months_after(LAST, 1))]
    assert kinds["procedures_ok"] == [iso(months_after(LAST, 6))]
    for p in (25, 50, 75, 100):
        assert f"cumulative_{p}" in kinds


def test_ended_course_uses_the_actual_last_capsule(patient):
    ended = next(  # the 31st of a month followed by a 30-day one: a month later is that month's 30th
        day
        for day in (START + timedelta(days=n) for n in range(366))
        if day.day == 31 and day.month in (3, 5, 8, 10)
    )
    course = patient.create_course(ended_on=iso(ended))
    view = timeline(patient, course, ended + timedelta(days=10))
    assert view["projected_last_dose_on"] == iso(ended)
    assert view["current_phase"] == "after"
    kinds = milestones(view)
    assert kinds["last_dose"] == [iso(ended)]
    assert kinds["final_pregnancy_test"] == [iso(date(ended.year, ended.month + 1, 30))]
    last = next(m for m in view["milestones"] if m["kind"] == "last_dose")
    assert last["estimated"] is False


def _dates_in(view: dict) -> list[str]:
    found = []
    for phase in view.get("phases", []) + ([view["phase"]] if "phase" in view else []):
        found += [phase["starts_on"], phase["ends_on"]]
    for item in view.get("milestones", []) + view.get("next_milestones", []):
        found.append(item["date"])
    for item in view.get("missing_logs", []):
        found.append(item["date"])
    for key in ("date", "today", "projected_last_dose_on"):
        found.append(view.get(key))
    return [d for d in found if d is not None]


def test_all_dates_are_iso(patient):
    course = patient.create_course()
    for view in (
        timeline(patient, course, START + timedelta(days=5)),
        today(patient, course, START + timedelta(days=5)),
    ):
        dates = _dates_in(view)
        assert len(dates) > 10
        for value in dates:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
            date.fromisoformat(value)


def _content_items(view: dict) -> list[dict]:
    items: list[dict] = []
    phases = view.get("phases", []) + ([view["phase"]] if "phase" in view else [])
    for phase in phases:
        for key in ("expectations", "tips", "report_now"):
            items += phase[key]
    items += view.get("report_now", []) + view.get("dose_guidance", [])
    return items


@pytest.mark.parametrize("pregnancy_prevention", [True, False])
def test_every_content_item_carries_known_fact_ids(patient, pregnancy_prevention):
    known = set(re.findall(r"^\|\s*([A-Z]+-\d+)\s*\|", SOURCES.read_text(encoding="utf-8"), re.MULTILINE))
    assert len(known) > 10
    course = patient.create_course(pregnancy_prevention=pregnancy_prevention)
    views = [timeline(patient, course, START), today(patient, course, START + timedelta(days=20))]
    items = [i for v in views for i in _content_items(v)]
    assert len(items) > 20
    for item in items:
        # No internal "when" or "covers" leaks out; a red flag carries its level (RED-13).
        assert set(item) in ({"text", "facts"}, {"text", "facts", "level"}), item
        assert isinstance(item["text"], str) and item["text"].strip()
        assert item["facts"], item
        for fact in item["facts"]:
            assert FACT_RE.match(fact) and fact in known, fact
    for view in views:
        for m in view.get("milestones", []) + view.get("next_milestones", []):
            assert m["facts"] and set(m["facts"]) <= known, m
