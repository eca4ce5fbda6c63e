"""The doctor report: JSON numbers equal what the dose log implies, and the PDF's text carries the same."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.api.apihelp import (
    API,
    assert_error,
    bad_fields,
    course_from,
    days_ago,
    dose_body,
    new_uuid,
    today_in,
)

MISSED_AGO = (7, 5, 3, 1)


@pytest.fixture
def course(patient) -> dict:
    """40 mg a day in two 20 mg doses from 10 days ago; a log with taken, skipped and missing doses."""
    course = patient.create_course(**course_from(days_ago(10), weight_kg=70, target_mg_per_kg=120))
    for n in range(10, 0, -1):
        log(patient, course, dose_body(days_ago(n), 1, "taken", 20))
        if n % 2 == 0:
            log(patient, course, dose_body(days_ago(n), 2, "taken", 20))
        elif n == 9:
            log(patient, course, dose_body(days_ago(n), 2, "skipped", 20))
    log(patient, course, dose_body(today_in(), 1, "taken", 20))
    return course


def log(patient, course: dict, body: dict) -> None:
    response = patient.put(f"{API}/courses/{course['id']}/doses/{new_uuid()}", json=body)
    assert response.status_code == 201, response.get_json()


def report(patient, course: dict, query: str = "") -> dict:
    response = patient.get(f"{API}/courses/{course['id']}/report{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def pdf_text(patient, course: dict, query: str = "") -> str:
    response = patient.get(f"{API}/courses/{course['id']}/report.pdf{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_report_numbers_follow_the_dose_log(patient, course):
    body = report(patient, course)
    taken_mg = 11 * 20 + 5 * 20  # every morning dose incl. today's, evening doses on even days ago
    assert body["cumulative_mg"] == taken_mg == 320
    assert body["cumulative_mg_per_kg"] == round(320 / 70, 1) == 4.6
    assert body["target_mg"] == 8400 and body["target_percent"] == round(320 / 8400 * 100, 1)
    today = patient.get(f"{API}/courses/{course['id']}/today").get_json()
    assert (today["cumulative_mg"], today["cumulative_mg_per_kg"]) == (320, 4.6)
    adherence = body["adherence"]
    assert (
        adherence["taken_doses"] == 16 and adherence["skipped_doses"] == 1 and adherence["missed_doses"] == 4
    )
    assert adherence["planned_doses"] == 21 and adherence["percent_taken"] == round(16 / 21 * 100, 1) == 76.2
    assert adherence["missed_days"] == [
        {"date": days_ago(n).isoformat(), "slots": [2]} for n in sorted(MISSED_AGO, reverse=True)
    ]
    assert adherence["skipped_days"] == [{"date": days_ago(9).isoformat(), "slots": [2]}]
    assert body["course"]["start_date"] == days_ago(10).isoformat() and body["course"]["weight_kg"] == 70
    assert body["course"]["rule_set"] == "eu_ppp" and "EU/UK" in body["course"]["rule_set_title"]
    assert body["course"]["plan"] == [f"From {days_ago(10)}: 40 mg a day, 2 dose(s) at 08:00, 20:00"]
    assert "does not replace the clinic" in body["disclaimer"]


def test_report_range_limits_the_numbers(patient, course):
    body = report(patient, course, f"?from={days_ago(4)}&to={days_ago(2)}")
    # everything taken up to 2 days ago: mornings 10..2 days ago (9) and evenings 10, 8, 6, 4, 2 days ago (5)
    assert body["cumulative_mg"] == 20 * (9 + 5)
    adherence = body["adherence"]
    assert (adherence["taken_doses"], adherence["missed_doses"], adherence["planned_doses"]) == (5, 1, 6)


def test_report_has_checkins_red_flags_mood_and_appointments(patient, course):
    patient.put(
        f"{API}/courses/{course['id']}/checkins/{days_ago(2)}", json={"skin": 7, "effects": {"dry_lips": 3}}
    )
    patient.put(
        f"{API}/courses/{course['id']}/checkins/{days_ago(1)}", json={"skin": 5, "red_flags": ["chest_pain"]}
    )
    patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": "blood_test", "starts_at": f"{today_in()}T08:30", "place": "Lab 3", "fasting": True},
    )
    patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": "pregnancy_test", "starts_at": f"{today_in()}T09:30"},
    )
    body = report(patient, course)
    skin = body["checkins"]["skin"]
    assert (skin["first"], skin["last"], skin["average"]) == (7, 5, 6.0)
    lips = next(e for e in body["checkins"]["effects"] if e["key"] == "dry_lips")
    assert (lips["days_reported"], lips["days_strong"], lips["max_severity"]) == (1, 1, 3)
    assert body["checkins"]["red_flags"] == [
        {"date": days_ago(1).isoformat(), "key": "chest_pain", "label": "Chest pain"}
    ]
    assert [a["kind"] for a in body["appointments"]] == ["blood_test", "pregnancy_test"]

    text = pdf_text(patient, course)
    assert "Lab 3" in text and "Chest pain" in text and days_ago(1).isoformat() in text
    assert "Pregnancy test" in text


def test_pregnancy_tests_only_where_prevention_applies(patient):
    course = patient.create_course(**course_from(days_ago(3), pregnancy_prevention=False, programme="none"))
    patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": "pregnancy_test", "starts_at": f"{today_in()}T09:30"},
    )
    assert report(patient, course)["appointments"] == []
    assert "Pregnancy test" not in pdf_text(patient, course)


def test_pdf_text_has_the_same_numbers_as_the_json(patient, course):
    body = report(patient, course)
    text = pdf_text(patient, course)
    adherence = body["adherence"]
    expected = [
        "cumulative_mg",
        "320",
        "4.6",
        "8400",
        f"{adherence['percent_taken']:g} %",
        f"{adherence['planned_doses']} {adherence['taken_doses']} {adherence['skipped_doses']} "
        f"{adherence['missed_doses']}",
        body["course"]["start_date"],
        body["course"]["rule_set_title"],
        *(d["date"] for d in adherence["missed_days"]),
        "does not replace the clinic's records",
    ]
    for fragment in expected:
        assert fragment in text, (fragment, text[:1500])


def test_report_404_and_bad_query(patient, make_patient, course):
    other = make_patient()
    assert_error(other.get(f"{API}/courses/{course['id']}/report"), 404)
    assert_error(other.get(f"{API}/courses/{course['id']}/report.pdf"), 404)
    assert "from" in bad_fields(
        patient.get(f"{API}/courses/{course['id']}/report?from={today_in()}&to={days_ago(3)}")
    )
    assert "to" in bad_fields(patient.get(f"{API}/courses/{course['id']}/report?to=yesterday"))
