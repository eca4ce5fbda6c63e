"""The caregiver's view of one course: today's doses, the last 14 days, and (if allowed) visits.

Built from the dose plan, the dose log, the pauses and the booked appointments only. Nothing else a
patient records (check-ins, mood, pregnancy tests, weight, notes…) is an input, so none can leak; a
pause shows as "paused", never with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from backend.course.pauses import Pause, pause_on
from backend.course.plan import Segment, slots_for
from backend.course.rhythm import BookedAppointment

CALENDAR_DAYS = 14
# Visits and lab dates a caregiver may see when the patient allows it (never pregnancy tests).
SHARED_APPOINTMENT_KINDS = ("dermatologist_visit", "blood_test")
UPCOMING_LIMIT = 5


@dataclass(frozen=True)
class SharedCourse:
    """The parts of a course the caregiver view reads."""

    id: str
    start_date: date
    ended_on: date | None
    plan: tuple[Segment, ...]
    pauses: tuple[Pause, ...]


def _day_doses(course: SharedCourse, logs: dict[tuple[date, int], str], day: date) -> tuple[str, list[dict]]:
    """The day's state and its doses: each taken / skipped / pending (not yet) / paused."""
    if day < course.start_date:
        return "not_started", []
    if course.ended_on is not None and day > course.ended_on:
        return "finished", []
    paused = pause_on(course.pauses, day) is not None
    doses = []
    for slot in slots_for(course.plan, day):
        status = logs.get((day, slot.slot)) or ("paused" if paused else "pending")
        doses.append({"slot": slot.slot, "time": slot.time.strftime("%H:%M"), "status": status})
    if paused and all(d["status"] == "paused" for d in doses):
        return "paused", doses
    return "active", doses


def _summary(state: str, doses: list[dict]) -> str:
    """One word for a calendar day: all_taken, some_taken, skipped, not_ticked, paused, not_started,
    finished, or none (a day without capsules in the plan)."""
    if state != "active":
        return state
    if not doses:
        return "none"
    statuses = {d["status"] for d in doses}
    if statuses == {"taken"}:
        return "all_taken"
    if "taken" in statuses:
        return "some_taken"
    if statuses <= {"skipped", "paused"}:
        return "skipped"
    return "not_ticked"


def caregiver_view(
    course: SharedCourse,
    logs: Iterable[tuple[date, int, str]],
    today: date,
    appointments: Iterable[BookedAppointment] | None,
    now_local: datetime,
) -> dict[str, Any]:
    """Today's doses, the 14 days before today as a calendar, and upcoming visits when shared.

    `appointments` None means the patient has not chosen to share them: the key is then absent.
    """
    by_slot = {(d, slot): status for d, slot, status in logs}
    state, doses = _day_doses(course, by_slot, today)
    days = []
    for back in range(CALENDAR_DAYS, 0, -1):
        day = today - timedelta(days=back)
        day_state, day_doses = _day_doses(course, by_slot, day)
        days.append({"date": day, "summary": _summary(day_state, day_doses), "doses": day_doses})
    view: dict[str, Any] = {
        "course_id": course.id,
        "today": {"date": today, "state": state, "doses": doses},
        "days": days,
    }
    if appointments is not None:
        upcoming = sorted(
            (
                a
                for a in appointments
                if a.kind in SHARED_APPOINTMENT_KINDS and a.starts_at_local >= now_local
            ),
            key=lambda a: a.starts_at_local,
        )
        view["upcoming"] = [
            {"kind": a.kind, "starts_at_local": a.starts_at_local.isoformat(timespec="minutes")}
            for a in upcoming[:UPCOMING_LIMIT]
        ]
    return view
