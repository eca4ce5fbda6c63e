"""The monitoring rhythm of a course and how booked appointments take its place (pure).

One function, `monitoring_dates`, says when visits, blood tests and pregnancy tests usually fall (from
the course's rule set: MON-1..4, PREG-6, PREG-9). The Timeline, Today's "Coming up" and the appointment
suggestions are all made from it, so a patient sees one date per test.

`place_appointments` then puts the patient's booked appointments in: a booked appointment replaces the
estimated date of the same kind in the same calendar month (the nearest one), and is shown as booked with
its time and place; one with no estimate to replace is added. Every milestone gets a `state`: `done`
(its day has passed: reached, confirmed or booked), `missed` (a past estimated visit or test with nothing
booked for it), or `upcoming`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from backend.course.dates import add_months
from backend.course.rules import PreStartTest, RuleSet

__all__ = [
    "APPOINTMENT_KIND",
    "BookedAppointment",
    "RhythmDate",
    "monitoring_dates",
    "place_appointments",
]

# Timeline milestone kind → appointment kind.
APPOINTMENT_KIND = {
    "monthly_visit": "dermatologist_visit",
    "blood_test": "blood_test",
    "pregnancy_test": "pregnancy_test",
}
MILESTONE_KIND = {appointment: milestone for milestone, appointment in APPOINTMENT_KIND.items()}
BLOOD_TEST_EVERY_MONTHS = 3  # after the one-month follow-up (MON-2); the prescriber may ask more often


@dataclass(frozen=True)
class RhythmDate:
    """One usual date: `kind` is the timeline's kind, `role` tells which of its texts applies."""

    kind: str  # "monthly_visit" | "blood_test" | "pregnancy_test"
    day: date
    role: str  # "visit" | "baseline" | "follow_up" | "before_start" | "during"
    number: int = 0  # visit / test number during the course (1, 2, …)
    test: PreStartTest | None = None  # the rule set's test before the start

    @property
    def appointment_kind(self) -> str:
        return APPOINTMENT_KIND[self.kind]

    @property
    def fasting(self) -> bool:
        return self.kind == "blood_test"


@dataclass(frozen=True)
class BookedAppointment:
    id: str
    kind: str  # an appointment kind
    starts_at_local: datetime  # naive wall-clock time in the course's zone
    place: str | None = None
    fasting: bool = False  # the clinic asked the patient to fast for it


def monitoring_dates(
    start: date, until: date, rules: RuleSet, pregnancy_prevention: bool
) -> list[RhythmDate]:
    """Visits, blood tests and pregnancy tests from before the start up to `until` (inclusive).

    `until` is the last day a recurring item may fall on: the (projected) last capsule, or a horizon
    while the capsules go on past the target. Post-course items are not part of the rhythm.
    """
    out: list[RhythmDate] = []
    day, n = start + timedelta(days=rules.visit_interval_days), 1
    while day <= until:
        out.append(RhythmDate("monthly_visit", day, "visit", n))
        day, n = day + timedelta(days=rules.visit_interval_days), n + 1

    out.append(RhythmDate("blood_test", start, "baseline"))
    months = 1
    while (day := add_months(start, months)) <= until:
        out.append(RhythmDate("blood_test", day, "follow_up", months))
        months += BLOOD_TEST_EVERY_MONTHS

    if pregnancy_prevention:
        for test in rules.tests_before_start:
            before = start - timedelta(days=test.days_before)
            out.append(RhythmDate("pregnancy_test", before, "before_start", 0, test))
        day, n = start + timedelta(days=rules.test_interval_days), 1
        while day <= until:
            out.append(RhythmDate("pregnancy_test", day, "during", n))
            day, n = day + timedelta(days=rules.test_interval_days), n + 1
    return sorted(out, key=lambda r: (r.day, r.kind))


def _booked_fields(appt: BookedAppointment) -> dict[str, Any]:
    return {
        "appointment_id": appt.id,
        "starts_at": appt.starts_at_local.isoformat(timespec="minutes"),
        "place": appt.place,
    }


def place_appointments(
    milestones: list[dict[str, Any]],
    appointments: Iterable[BookedAppointment],
    today: date,
    other_entry: dict[str, Any],
    kind_entries: dict[str, dict[str, Any]] | None = None,
    answers: dict[tuple[str, date], str] | None = None,
) -> list[dict[str, Any]]:
    """`milestones` with booked appointments in place of the estimates they replace, each with a state.

    A rhythm milestone carries `"rhythm": True` (and `"before_start"` for a test before the first capsule).
    `other_entry` is the text of an appointment kind with no milestone kind ("other"); `kind_entries` the
    text of a booked appointment of a kind that replaces no usual date. A booked appointment keeps its own
    kind: a test before the start is replaced only by one booked before the first later usual date, and an
    added one never borrows a pre-start test's title. Returns a new list, sorted by date.
    """
    first_after = min(
        (m["date"] for m in milestones if m.get("rhythm") and not m.get("before_start")), default=None
    )
    out = [{**m, "booked": None} for m in milestones]
    # The usual dates by kind and month, so that each appointment looks only at its own month's.
    usual: dict[tuple[str, int, int], list[dict[str, Any]]] = defaultdict(list)
    for m in out:
        if m.get("rhythm"):
            usual[(m["kind"], m["date"].year, m["date"].month)].append(m)
    for appt in sorted(appointments, key=lambda a: a.starts_at_local):
        day = appt.starts_at_local.date()
        kind = MILESTONE_KIND.get(appt.kind)
        candidates = [
            m
            for m in (usual.get((kind, day.year, day.month), ()) if kind is not None else ())
            if m["booked"] is None
            and not (m.get("before_start") and first_after is not None and day >= first_after)
        ]
        if candidates:
            target = min(candidates, key=lambda m: abs((m["date"] - day).days))
            target.update(date=day, estimated=False, booked=_booked_fields(appt))
        else:
            entry = other_entry if kind is None else (kind_entries or {}).get(kind) or next(
                (m for m in out if m["kind"] == kind and not m.get("before_start")), other_entry
            )
            out.append(
                {
                    "kind": kind or "appointment",
                    "date": day,
                    "title": entry["title"],
                    "description": entry["description"],
                    "facts": list(entry["facts"]),
                    "estimated": False,
                    "title_says_estimate": False,
                    "rhythm": kind is not None,
                    "booked": _booked_fields(appt),
                }
            )
    for m in out:
        m["state"] = _state(m, today, answers or {})
        m["appointment_kind"] = APPOINTMENT_KIND.get(m["kind"]) if m.get("rhythm") else None
    out.sort(key=lambda m: m["date"])
    return out


ANSWERS = ("done", "not_done", "unknown")  # the patient's word on a past usual visit or test


def _state(milestone: dict[str, Any], today: date, answers: dict[tuple[str, date], str]) -> str:
    if milestone["date"] >= today:
        return "upcoming"
    if milestone.get("rhythm") and milestone["booked"] is None:
        # Nothing booked: the patient's answer if they gave one (a test before joining), else missed.
        return answers.get((milestone["kind"], milestone["date"]), "missed")
    return "done" if not milestone["estimated"] else "upcoming"
