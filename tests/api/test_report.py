"""The doctor report against a hand-worked log (issue 14): a 40 mg + 20 mg plan, a weight change, days with
nothing logged, a skipped dose, an answered-only-in-part check-in and a "yes" to the self-harm question.
The JSON numbers are worked out by hand below; the PDF's text carries the same numbers and words."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from backend.extensions import db
from backend.i18n import catalog
from backend.models import WeightRecord
from backend.record.mood import iso_week
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

PLAN_DOSES = [{"time": "08:00", "mg": 40}, {"time": "20:00", "mg": 20}]
NOT_LOGGED = (10, 9, 8, 7, 6, 4)  # days ago with nothing logged at all (8 and 7: paused)


@pytest.fixture
def course(patient, app) -> dict:
    """From 20 days ago, 40 mg at 08:00 + 20 mg at 20:00, 70 kg at the start, 80 kg today:

    - 20..11 days ago: both doses taken (10 × 60 = 600 mg)
    - 8 and 7 days ago: paused on the prescriber's word (4 doses, neither taken nor "not logged")
    - 10, 9, 6 and 4 days ago: nothing logged (4 days, 8 doses, in three runs)
    - 5 days ago: 40 mg taken, the 20 mg skipped
    - 3..1 days ago: both taken (3 × 60 = 180 mg); today: the 40 mg taken
    Total 600 + 40 + 180 + 40 = 860 mg.
    """
    body = course_from(days_ago(20), weight_kg=70, target_mg_per_kg=120)
    body["dose_plan"] = [{"from_date": days_ago(20).isoformat(), "doses": PLAN_DOSES}]
    course = patient.create_course(**body)
    with app.app_context():  # as if the start weight had been entered on the first day
        db.session.scalars(db.select(WeightRecord)).one().recorded_on = days_ago(20)
        db.session.commit()
    for n in range(20, 0, -1):
        if n in NOT_LOGGED:
            continue
        log(patient, course, dose_body(days_ago(n), 1, "taken", 40))
        log(patient, course, dose_body(days_ago(n), 2, "skipped" if n == 5 else "taken", 20))
    log(patient, course, dose_body(today_in(), 1, "taken", 40))
    pause = {"started_on": str(days_ago(8)), "resumed_on": str(days_ago(6)), "reason": "prescriber"}
    response = patient.post(f"{API}/courses/{course['id']}/pauses", json=pause)
    assert response.status_code == 201, response.get_json()
    assert patient.patch(f"{API}/courses/{course['id']}", json={"weight_kg": 80}).status_code == 200
    return course


def log(patient, course: dict, body: dict) -> None:
    response = patient.put(f"{API}/courses/{course['id']}/doses/{new_uuid()}", json=body)
    assert response.status_code == 201, response.get_json()


def report(patient, course: dict, query: str = "") -> dict:
    response = patient.get(f"{API}/courses/{course['id']}/report{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def pdf_of(patient, course: dict, query: str = "") -> bytes:
    response = patient.file(f"{API}/courses/{course['id']}/report.pdf{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data[:5] == b"%PDF-"
    return response.data


def pdf_text(patient, course: dict, query: str = "") -> str:
    reader = PdfReader(io.BytesIO(pdf_of(patient, course, query)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def written(day) -> str:
    """A date as the PDF writes it: 5 Jan 2026."""
    return f"{day.day} {day:%b %Y}"


def test_the_numbers_follow_the_hand_worked_log(patient, course):
    body = report(patient, course)
    dose = body["dose"]
    assert dose["cumulative_mg"] == body["cumulative_mg"] == 860
    assert dose["start_weight_kg"] == 70 and dose["mg_per_kg_by_start_weight"] == round(860 / 70, 1) == 12.3
    assert dose["latest_weight_kg"] == 80 and dose["mg_per_kg_by_latest_weight"] == round(860 / 80, 1)
    assert dose["counted_by"]["basis"] == "start" and body["cumulative_mg_per_kg"] == 12.3
    assert dose["target_mg"] == 120 * 70 == 8400 and dose["target_percent"] == round(860 / 8400 * 100, 1)
    assert dose["current_mg_per_day"] == 60 and dose["current_mg_per_kg_per_day"] == 0.75  # 60 mg / 80 kg
    assert dose["micronised_note"] is None
    today = patient.get(f"{API}/courses/{course['id']}/today").get_json()
    assert (today["cumulative_mg"], today["cumulative_mg_per_kg"]) == (860, 12.3)

    adherence = body["adherence"]
    # taken: 10 × 2 + 1 + 3 × 2 + 1 = 28; skipped 1; not logged 4 days × 2 = 8; planned 37; paused 2 × 2
    counts = (adherence["taken_doses"], adherence["skipped_doses"], adherence["not_logged_doses"])
    assert counts == (28, 1, 8) and (adherence["paused_doses"], adherence["paused_day_count"]) == (4, 2)
    assert adherence["planned_doses"] == 37 and adherence["percent_taken"] == round(28 / 37 * 100, 1)
    assert "missed_doses" not in adherence and "missed" not in adherence["note"].lower()
    assert adherence["not_logged_ranges"] == [
        {"from": days_ago(10).isoformat(), "to": days_ago(9).isoformat(), "days": 2, "doses": 4},
        {"from": days_ago(6).isoformat(), "to": days_ago(6).isoformat(), "days": 1, "doses": 2},
        {"from": days_ago(4).isoformat(), "to": days_ago(4).isoformat(), "days": 1, "doses": 2},
    ]
    [pause] = body["pauses"]
    assert (pause["started_on"], pause["resumed_on"], pause["days"]) == (
        days_ago(8).isoformat(),
        days_ago(6).isoformat(),
        2,
    )
    assert adherence["skipped_days"] == [{"date": days_ago(5).isoformat(), "slots": [2]}]

    assert body["course"]["plan"] == [f"From {days_ago(20)}: 40 mg at 08:00 and 20 mg at 20:00 (60 mg a day)"]
    assert body["course"]["product_label"].startswith("Standard capsules")
    assert body["course"]["ended_on"] is None and body["course"]["start_date"] == days_ago(20).isoformat()
    assert [(w["recorded_on"], w["weight_kg"]) for w in body["weights"]] == [
        (days_ago(20).isoformat(), 70),
        (today_in().isoformat(), 80),
    ]
    assert body["patient_lines"] == ["Patient's name", "Date of birth"]
    assert (body["from"], body["to"]) == (days_ago(20).isoformat(), today_in().isoformat())


def test_a_range_counts_only_its_own_days(patient, course):
    body = report(patient, course, f"?from={days_ago(7)}&to={days_ago(3)}")
    adherence = body["adherence"]
    # 7: paused; 6 and 4 days ago: not logged (4 doses); 5: one taken, one skipped; 3: both taken
    assert (adherence["taken_doses"], adherence["skipped_doses"], adherence["not_logged_doses"]) == (3, 1, 4)
    assert [r["days"] for r in adherence["not_logged_ranges"]] == [1, 1] and adherence["paused_doses"] == 2
    assert body["cumulative_mg"] == 600 + 40 + 60  # everything taken up to the range's end


def add_safety_record(patient, course: dict) -> None:
    base = f"{API}/courses/{course['id']}"
    flag_only = {"red_flags": ["chest_pain"]}
    assert patient.put(f"{base}/checkins/{days_ago(2)}", json=flag_only).status_code == 201
    checkin = {"skin": 6, "effects": {"dry_lips": 3, "headache": 1}}
    assert patient.put(f"{base}/checkins/{days_ago(1)}", json=checkin).status_code == 201
    mood = {"interest": "several_days", "low_mood": "more_than_half_the_days", "self_harm_thoughts": True}
    assert patient.put(f"{base}/mood/{iso_week(days_ago(7))}", json=mood).status_code in (200, 201)
    test = {"kind": "pregnancy_test", "starts_at": f"{today_in()}T09:30", "place": "Lab 3"}
    assert patient.post(f"{base}/appointments", json=test).status_code == 201


def test_safety_comes_first_with_dates_and_unanswered_questions_are_not_counted(patient, course):
    add_safety_record(patient, course)
    body = report(patient, course)
    safety = body["safety"]
    two = days_ago(2).isoformat()
    flag = {"key": "chest_pain", "label": "Chest pain", "from": two, "to": two, "days": 1}
    assert safety["red_flags"] == [flag]
    monday = days_ago(7) - timedelta(days=days_ago(7).weekday())
    assert safety["self_harm_yes"] == [{"week": iso_week(days_ago(7)), "week_of": monday.isoformat()}]
    assert safety["pregnancy_tests"] == [{"date": today_in().isoformat(), "place": "Lab 3"}]

    skin = body["checkins"]["skin"]
    assert (skin["days_answered"], skin["first"], skin["average"]) == (1, 6, 6.0)  # the red-flag day has none
    lips = next(e for e in body["checkins"]["effects"] if e["key"] == "dry_lips")
    assert (lips["days_answered"], lips["days_reported"], lips["strongest"]) == (1, 1, "Strong")
    week = body["mood"]["weeks"][0]
    assert (week["interest_label"], week["low_mood_label"], week["self_harm_label"]) == (
        "Some days",
        "More than half the days",
        "Yes",
    )


def test_a_red_flag_ticked_on_following_days_is_one_line_with_its_days(patient, course):
    """Consecutive days of a flag are one run (the longest report is 21 lines, not 8,400); a gap starts
    another; runs are ordered by their first day, then as the rules list the flags."""
    base = f"{API}/courses/{course['id']}/checkins"
    ticked = {5: ["hives", "chest_pain"], 4: ["hives", "chest_pain"], 3: ["hives"], 1: ["chest_pain"]}
    for n, flags in ticked.items():
        assert patient.put(f"{base}/{days_ago(n)}", json={"red_flags": flags}).status_code == 201
    runs = [(f["key"], f["from"], f["to"], f["days"]) for f in report(patient, course)["safety"]["red_flags"]]
    order = [f["key"] for f in catalog("triage_rules", "en")["red_flags"]]
    first_two = sorted(["hives", "chest_pain"], key=order.index)
    day = {n: days_ago(n).isoformat() for n in (5, 4, 3, 1)}
    whole = {"hives": (day[5], day[3], 3), "chest_pain": (day[5], day[4], 2)}
    assert runs == [*[(key, *whole[key]) for key in first_two], ("chest_pain", day[1], day[1], 1)]


def test_the_pdf_says_the_same_in_human_words(patient, course):
    add_safety_record(patient, course)
    body = report(patient, course)
    text = pdf_text(patient, course)
    expected = [
        "Patient's name:",
        "Date of birth:",
        f"Period: {written(days_ago(20))} to {written(today_in())}",
        "Safety summary",
        f"Chest pain {written(days_ago(2))} {written(days_ago(2))} 1",
        '"Yes" to thoughts of self-harm',
        "Pregnancy tests (pregnancy prevention applies)",
        f"{written(today_in())} Lab 3",
        "40 mg at 08:00 and 20 mg at 20:00 (60 mg a day)",
        "not recorded (still taking)",
        f"{written(days_ago(20))} 70 start",
        f"{written(today_in())} 80",
        "Total taken (mg) 860",
        "From logged doses: a minimum if some doses were not logged.",
        "By the start weight, 70 kg (mg/kg) 12.3",
        f"By the latest weight, 80 kg (mg/kg) {body['dose']['mg_per_kg_by_latest_weight']:g}",
        "Target by the start weight, 70 kg (mg) 8400",
        "Current plan by the latest weight (mg/kg/day) 0.75",
        "Planned doses Taken Skipped Paused Not logged Taken (%)",
        f"37 28 1 4 8 {body['adherence']['percent_taken']:g}",
        f"{written(days_ago(10))} {written(days_ago(9))} 2 4",
        "Pauses in taking the capsules",
        f"{written(days_ago(8))} {written(days_ago(6))} {body['pauses'][0]['reason_label']} 2",
        "Little interest or pleasure (last 2 weeks)",
        "Some days More than half the days Yes",
        "does not replace the clinic's records",
    ]
    for fragment in expected:
        assert fragment in text, (fragment, text[:3000])
    for word in ("cumulative_mg", "target_percent", "missed"):
        assert word not in text
    assert "Absorica LD" not in text


TRANSLATED = {
    "es": [
        "Nombre del paciente:",
        "Resumen de seguridad",
        "Dolor en el pecho",
        "«Sí» a pensamientos de hacerse daño",
        "Pruebas de embarazo (se aplica la prevención del embarazo)",
        "Desde el {start}: 40 mg a las 08:00 y 20 mg a las 20:00 (60 mg al día)",
        "sin registrar (sigue tomándolas)",
        "Según el peso inicial, 70 kg (mg/kg) 12,3",  # Spanish, with its decimal comma
        "Dosis previstas Tomadas Saltadas En pausa Sin registrar Tomadas (%)",
        "Quien te receta las ha pausado",
        "Algunos días Más de la mitad de los días Sí",
        "Registros diarios (2 días)",
        "Registro de ClearCourse - página 1",
    ],
    "de": [
        "Geburtsdatum:",
        "Sicherheit auf einen Blick",
        "Schmerzen in der Brust",
        "„Ja“ zu Gedanken an Selbstverletzung",
        "Schwangerschaftstests (Schwangerschaftsverhütung gilt)",
        "Ab {start}: 40 mg um 08:00 und 20 mg um 20:00 (60 mg am Tag)",
        "nicht eingetragen (Einnahme läuft)",
        "Größe Wert",
        "Geplante Dosen Genommen Ausgelassen Pausiert Nicht eingetragen Genommen (%)",
        "An einigen Tagen An mehr als der Hälfte der Tage Ja",
        "Tägliche Check-ins (2 Tage)",
        "ClearCourse-Bericht – Seite 1",
    ],
}


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_pdf_in_spanish_and_german_has_no_english_heading(patient, course, language):
    add_safety_record(patient, course)
    text = pdf_text(patient, course, f"?lang={language}")
    words = catalog("report", language)["pdf"]
    start = words["date_format"].format(
        day=days_ago(20).day, month=words["months"][days_ago(20).month - 1], year=days_ago(20).year
    )
    for fragment in TRANSLATED[language]:
        assert fragment.format(start=start) in text, (fragment, text[:3000])
    if language == "de":
        assert {"ä", "ö", "ü", "ß", "„"} <= set(text)
    english = catalog("report", "en")["pdf"]
    for key, heading in english.items():  # every fixed English word with its own translation stays out
        if isinstance(heading, str) and "{" not in heading and len(heading) > 4 and heading != words[key]:
            assert not re.search(rf"(?<!\w){re.escape(heading)}(?!\w)", text), heading
    for phrase in ("Patient's name", "a day at", "Chest pain", "Some days", "Written on", "Period:"):
        assert phrase not in text


def test_absorica_ld_gets_its_note_and_the_2026_rules_their_verify_mark(patient):
    course = patient.create_course(
        **course_from(days_ago(3), product="micronised", programme="us_ipledge", rule_set="us_ipledge_2026")
    )
    body = report(patient, course)
    assert "Absorica LD" in body["dose"]["micronised_note"] and "DOSE-12" in body["facts"]
    assert body["course"]["rule_set_status"]["verify"] is True
    text = pdf_text(patient, course)
    assert "Absorica LD (micronised)" in text and "Verify: These changes" in text


def test_paper_a4_and_letter(patient, course):
    sizes = {}
    for paper in ("a4", "letter"):
        page = PdfReader(io.BytesIO(pdf_of(patient, course, f"?paper={paper}"))).pages[0]
        sizes[paper] = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
    assert sizes == {"a4": (595, 842), "letter": (612, 792)}
    assert "paper" in bad_fields(patient.post(f"{API}/courses/{course['id']}/report.pdf?paper=a3"))


def test_pregnancy_tests_only_where_prevention_applies(patient):
    course = patient.create_course(**course_from(days_ago(3), pregnancy_prevention=False, programme="none"))
    patient.post(
        f"{API}/courses/{course['id']}/appointments",
        json={"kind": "pregnancy_test", "starts_at": f"{today_in()}T09:30"},
    )
    body = report(patient, course)
    assert body["appointments"] == [] and body["safety"]["pregnancy_tests"] is None
    assert "Pregnancy test" not in pdf_text(patient, course)


def test_report_404_and_bad_query(patient, make_patient, course):
    other = make_patient()
    assert_error(other.get(f"{API}/courses/{course['id']}/report"), 404)
    assert_error(other.post(f"{API}/courses/{course['id']}/report.pdf"), 404)
    assert "from" in bad_fields(
        patient.get(f"{API}/courses/{course['id']}/report?from={today_in()}&to={days_ago(3)}")
    )
    assert "to" in bad_fields(patient.get(f"{API}/courses/{course['id']}/report?to=yesterday"))
