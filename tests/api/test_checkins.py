"""Daily check-ins: PUT/replace/list, triage levels, bad input naming the field, 404s, export, erase."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.api.schemas.record import CheckInSchema, dump_checkin
from backend.extensions import db
from backend.models import CheckIn, Course
from backend.record import triage
from backend.services import record
from tests.api.apihelp import API, assert_error, bad_fields, count_rows, course_from, days_ago, today_in


@pytest.fixture
def course(patient) -> dict:
    return patient.create_course(**course_from(days_ago(20)))


def url(course: dict, day) -> str:
    return f"{API}/courses/{course['id']}/checkins/{day}"


def test_first_put_is_201_then_replaced_with_200(patient, course, app):
    day = days_ago(1)
    first = patient.put(url(course, day), json={"skin": 6, "effects": {"dry_lips": 2}, "note": " itchy "})
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["date"] == day.isoformat() and body["skin"] == 6 and body["note"] == "itchy"
    assert body["effects"]["dry_lips"] == 2 and body["effects"]["headache"] is None  # not answered
    assert set(body["effects"]) == set(triage.effect_keys())
    assert body["red_flags"] == [] and body["triage"]["level"] == "none"

    second = patient.put(url(course, day), json={"skin": 4, "red_flags": ["chest_pain"]})
    assert second.status_code == 200
    assert second.get_json()["id"] == body["id"]
    assert second.get_json()["effects"]["dry_lips"] is None and second.get_json()["note"] is None
    assert second.get_json()["triage"]["level"] == "emergency"  # chest pain: emergency care (RED-13)
    with app.app_context():
        assert count_rows(CheckIn) == 1
    got = patient.get(url(course, day)).get_json()
    assert got["skin"] == 4 and got["red_flags"] == ["chest_pain"]


def test_a_red_flag_alone_stores_every_other_answer_as_unanswered(patient, course, app):
    """Unanswered is not an answer: no skin score or "none" is invented for questions left alone."""
    response = patient.put(url(course, today_in()), json={"red_flags": ["chest_pain"]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["skin"] is None and set(body["effects"].values()) == {None}
    assert body["triage"]["level"] == "emergency"  # chest pain (RED-13)
    with app.app_context():
        stored = CheckIn.query.one()
        assert stored.skin is None and set(stored.effects.values()) == {None}
    exported = patient.file(f"{API}/me/export").get_json()["checkins"][0]
    assert exported["skin"] is None and exported["effects"]["headache"] is None


def test_an_unanswered_day_is_not_a_headache_day(patient, course):
    """Headache on 5 of the last 7 days is routine; days the question was left open are not headache days."""
    for n in range(6, 0, -1):
        effects = {"headache": None if n in (3, 4, 5) else 1}
        assert patient.put(url(course, days_ago(n)), json={"skin": 3, "effects": effects}).status_code == 201
    seventh = patient.put(url(course, today_in()), json={"effects": {"headache": 1}}).get_json()
    assert seventh["triage"]["level"] == "none" and seventh["skin"] is None


@pytest.mark.parametrize(
    "red_flags,effects,level,case,actions,calls",
    [
        (
            ["swelling_or_breathing"],
            {},
            "emergency",
            "emergency",
            ["call_emergency", "stop_capsules"],
            ["emergency", "clinic"],
        ),
        (
            ["chest_pain"],
            {},
            "emergency",
            "emergency",
            ["call_emergency", "stop_capsules"],
            ["emergency", "clinic"],
        ),
        (
            ["seizure"],
            {},
            "emergency",
            "emergency",
            ["call_emergency", "stop_capsules"],
            ["emergency", "clinic"],
        ),
        (
            ["self_harm_thoughts"],
            {},
            "emergency",
            "self_harm",
            ["crisis_line", "stop_tell_prescriber_today"],
            ["crisis", "emergency", "clinic"],
        ),
        (
            ["self_harm_thoughts", "swelling_or_breathing"],
            {},
            "emergency",
            "emergency",
            ["call_emergency", "stop_capsules", "crisis_line"],
            ["emergency", "crisis", "clinic"],
        ),
        (
            ["yellow_skin_dark_urine"],
            {},
            "urgent",
            "urgent",
            ["stop_and_call_prescriber"],
            ["clinic", "emergency"],
        ),
        (["severe_flare"], {}, "urgent", "urgent", ["contact_dermatology_today"], ["clinic", "emergency"]),
        (
            ["mood_change"],
            {},
            "urgent",
            "urgent",
            ["stop_and_call_prescriber", "crisis_talk"],
            ["clinic", "emergency", "crisis"],
        ),
        (["pregnancy_risk"], {}, "urgent", "urgent", ["stop_and_call_prescriber"], ["clinic", "emergency"]),
        (
            ["unprotected_sex"],
            {},
            "urgent",
            "urgent",
            ["emergency_contraception", "stop_and_call_prescriber"],
            ["clinic", "emergency"],
        ),
        (
            [],
            {"night_vision": 1},
            "urgent",
            "urgent",
            ["stop_and_call_prescriber", "night_driving"],
            ["clinic", "emergency"],
        ),
        ([], {"headache": 3}, "urgent", "urgent", ["stop_and_call_prescriber"], ["clinic", "emergency"]),
    ],
)
def test_check_in_triage_results(patient, course, red_flags, effects, level, case, actions, calls):
    response = patient.put(
        url(course, today_in()), json={"skin": 3, "red_flags": red_flags, "effects": effects}
    )
    assert response.status_code == 201, response.get_json()
    result = response.get_json()["triage"]
    assert (result["level"], result["case"]) == (level, case)
    assert [a["key"] for a in result["actions"]] == actions
    assert [c["call"] for c in result["calls"]] == calls
    assert all(a["text"] and a["facts"] for a in result["actions"])
    stops = any(a.get("stops_capsules") for a in result["actions"])
    assert stops is (actions != ["contact_dermatology_today"])
    # The server and the rules agree, and the stored answer gives the same triage when read back.
    assert patient.get(url(course, today_in())).get_json()["triage"] == result


def test_pregnancy_flags_are_refused_for_a_course_without_pregnancy_prevention(patient, app):
    course = patient.create_course(**course_from(days_ago(20), pregnancy_prevention=False))
    for flag in ("pregnancy_risk", "unprotected_sex"):
        response = patient.put(url(course, today_in()), json={"skin": 3, "red_flags": ["chest_pain", flag]})
        assert_error(response, 422)
        assert "red_flags" in bad_fields(response)
        assert flag in response.get_json()["errors"]["json"]["red_flags"][0]
    with app.app_context():
        assert count_rows(CheckIn) == 0  # nothing half-written
    fine = patient.put(url(course, today_in()), json={"skin": 3, "red_flags": ["chest_pain"]})
    assert fine.status_code == 201


def test_strong_effect_is_routine(patient, course):
    result = patient.put(url(course, today_in()), json={"skin": 3, "effects": {"dry_eyes": 3}}).get_json()
    assert result["triage"]["level"] == "routine"
    assert result["triage"]["facts"] == ["EXP-2", "EXP-8"]


def test_headache_on_five_days_of_a_week_is_routine_from_stored_days_with_gaps(patient, course):
    """Counted in a 7-day window: days without a check-in do not reset it (two gaps here)."""
    for n in (6, 4, 3, 1):
        r = patient.put(url(course, days_ago(n)), json={"skin": 3, "effects": {"headache": 1}})
        assert r.get_json()["triage"]["level"] == "none"
    fifth = patient.put(url(course, today_in()), json={"skin": 3, "effects": {"headache": 1}})
    result = fifth.get_json()["triage"]
    assert result["level"] == "routine"
    assert [(r["kind"], r["days"], r["window_days"]) for r in result["reasons"]] == [("streak", 5, 7)]
    listed = patient.get(f"{API}/courses/{course['id']}/checkins").get_json()
    assert [c["triage"]["level"] for c in listed] == ["none"] * 4 + ["routine"]


def test_list_between_dates(patient, course):
    for n in (5, 3, 1):
        patient.put(url(course, days_ago(n)), json={"skin": n})
    response = patient.get(
        f"{API}/courses/{course['id']}/checkins?from={days_ago(4).isoformat()}&to={days_ago(1).isoformat()}"
    )
    assert [c["skin"] for c in response.get_json()] == [3, 1]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"skin": 11}, "skin"),
        ({"skin": -1}, "skin"),
        ({"skin": "5"}, "skin"),
        ({}, "skin"),
        ({"skin": None, "effects": {"dry_lips": None}, "red_flags": [], "note": None}, "skin"),
        ({"skin": 5, "effects": {"dry_lips": 4}}, "effects.dry_lips"),
        ({"skin": 5, "effects": {"unknown_effect": 1}}, "effects.unknown_effect"),
        ({"skin": 5, "red_flags": ["not_a_flag"]}, "red_flags.0"),
        ({"skin": 5, "red_flags": "chest_pain"}, "red_flags"),
        ({"skin": 5, "note": "x" * 2001}, "note"),
        ({"skin": 5, "mood": 3}, "mood"),
    ],
)
def test_bad_body_is_422_naming_the_field(patient, course, app, body, field):
    response = patient.put(url(course, today_in()), json=body)
    assert field in bad_fields(response)
    with app.app_context():
        assert count_rows(CheckIn) == 0


def test_future_date_in_the_course_zone_is_422(patient, app):
    # Kiritimati is UTC+14: its "tomorrow" is a future day there even when it is today elsewhere.
    zone = "Pacific/Kiritimati"
    course = patient.create_course(**course_from(days_ago(20), timezone=zone))
    response = patient.put(url(course, today_in(zone) + timedelta(days=1)), json={"skin": 1})
    assert "date" in bad_fields(response)
    assert patient.put(url(course, today_in(zone)), json={"skin": 1}).status_code == 201
    assert "date" in bad_fields(patient.put(url(course, "2026-13-01"), json={"skin": 1}))


def test_other_patients_course_and_missing_day_are_404(patient, make_patient, course):
    other = make_patient()
    assert_error(other.put(url(course, today_in()), json={"skin": 1}), 404)
    assert_error(other.get(f"{API}/courses/{course['id']}/checkins"), 404)
    assert_error(patient.get(url(course, today_in())), 404)
    patient.put(url(course, today_in()), json={"skin": 1})
    assert_error(other.get(url(course, today_in())), 404)
    assert_error(other.delete(url(course, today_in())), 404)
    assert patient.delete(url(course, today_in())).status_code == 204
    assert_error(patient.get(url(course, today_in())), 404)


def test_export_and_erase_include_checkins(patient, course, app):
    patient.put(url(course, today_in()), json={"skin": 2, "red_flags": ["hives"], "note": "after lunch"})
    data = patient.file(f"{API}/me/export").get_json()
    assert [(c["skin"], c["red_flags"], c["note"]) for c in data["checkins"]] == [
        (2, ["hives"], "after lunch")
    ]
    assert patient.delete(f"{API}/me").status_code == 204
    with app.app_context():
        assert count_rows(CheckIn) == 0


def test_openapi_lists_effect_and_red_flag_keys_as_enums(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["CheckInEffects"]["properties"]) == set(triage.effect_keys())
    flags = schemas["CheckInPut"]["properties"]["red_flags"]["items"]["enum"]
    assert flags == triage.red_flag_keys()


# ------------------------------------------------------------------ paging (issue 16: bounded work)


HIVES_LEVEL = triage.triage(date(2026, 1, 5), {}, ["hives"], {})["level"]  # a red flag: above routine


def _store_checkins(app, course_id: str, days: list) -> None:
    """Check-ins with a headache every day (a streak that crosses every page boundary)."""
    with app.app_context():
        db.session.add_all(
            CheckIn(
                course_id=course_id,
                date=day,
                skin=i % 11,
                effects={"headache": 1},
                red_flags=["hives"] if i % 50 == 25 else [],
                note=None if i % 2 else f"day {i}",
            )
            for i, day in enumerate(days)
        )
        db.session.commit()


def test_list_is_paged_and_the_link_names_the_next_page(patient, app):
    course = patient.create_course(**course_from(days_ago(240)))
    days = [days_ago(n) for n in range(229, -1, -1)]
    _store_checkins(app, course["id"], days)
    to = days_ago(2)
    first = patient.get(f"{API}/courses/{course['id']}/checkins", query_string={"to": to.isoformat()})
    assert first.status_code == 200
    pages, link = [first.get_json()], first.headers.get("Link")
    while link:
        assert link.endswith('>; rel="next"') and link.startswith(f"<{API}/courses/{course['id']}/checkins?")
        response = patient.get(link[1 : link.index(">")])
        assert response.status_code == 200
        pages.append(response.get_json())
        link = response.headers.get("Link")
    assert [len(p) for p in pages] == [31] * 7 + [11]  # a month a page
    listed = [c for page in pages for c in page]
    assert [c["date"] for c in listed] == [d.isoformat() for d in days[:-2]]
    # Each page's triage counts the days before it: every check-in reads as it does alone, and the daily
    # headache's streak holds across the page boundaries.
    for c in listed:
        assert c == patient.get(url(course, c["date"])).get_json(), c["date"]
    assert listed[0]["triage"]["level"] == "none" and listed[25]["triage"]["level"] == HIVES_LEVEL
    assert [listed[k]["triage"]["level"] for k in (30, 31, 32, 185, 186, 187)] == ["routine"] * 6


def test_limit_sets_the_page_size(patient, app):
    course = patient.create_course(**course_from(days_ago(20)))
    _store_checkins(app, course["id"], [days_ago(n) for n in range(5, 0, -1)])
    response = patient.get(f"{API}/courses/{course['id']}/checkins?limit=2")
    assert [c["date"] for c in response.get_json()] == [days_ago(5).isoformat(), days_ago(4).isoformat()]
    assert response.headers["Link"] == (
        f'<{API}/courses/{course["id"]}/checkins?from={days_ago(3).isoformat()}&limit=2>; rel="next"'
    )
    last = patient.get(f"{API}/courses/{course['id']}/checkins?limit=2&from={days_ago(1).isoformat()}")
    assert len(last.get_json()) == 1 and "Link" not in last.headers


@pytest.mark.parametrize("limit", ["0", "32", "-1", "ten", "2.5"])
def test_limit_out_of_range_is_422_naming_limit(patient, course, limit):
    response = patient.get(f"{API}/courses/{course['id']}/checkins?limit={limit}")
    assert "limit" in bad_fields(response)


def test_the_written_out_dump_is_the_schemas(patient, app):
    course = patient.create_course(**course_from(days_ago(60)))
    _store_checkins(app, course["id"], [days_ago(n) for n in range(55, -1, -1)])
    with app.app_context():
        stored = db.session.get(Course, course["id"])
        items, _more = record.list_checkins(stored, None, None, 100)
    assert {c["triage"]["level"] for c in items} == {"none", "routine", HIVES_LEVEL}
    assert any(c["note"] is None for c in items) and any(c["note"] for c in items)
    assert [dump_checkin(item) for item in items] == CheckInSchema(many=True).dump(items)


def test_openapi_documents_the_page_size_and_the_link(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    get = spec["paths"]["/api/v1/courses/{course_id}/checkins"]["get"]
    limit = next(p for p in get["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 31 and limit["schema"]["default"] == 31
    assert "Link" in get["responses"]["200"]["headers"]
