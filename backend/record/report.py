"""The doctor report (pure): the course, cumulative dose, adherence, check-in trends, red flags, mood
answers and appointments over a date range, as JSON-ready data. ``backend/record/report_pdf.py`` lays the
same data out as a PDF; the PWA prints it. Numbers come from the dose log exactly as ``today`` computes them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from backend.course.pauses import OTHER_REASONS, paused_days
from backend.course.rules import rule_set
from backend.course.timeline import CourseInfo, LoggedDose, project
from backend.record import mood as mood_check
from backend.record import triage

TEXTS_FILE = Path(__file__).with_name("report.json")


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    with TEXTS_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class CheckInRow:
    date: date
    skin: int | None
    effects: dict[str, int | None]
    red_flags: list[str]
    note: str | None = None


@dataclass(frozen=True)
class MoodRow:
    week: str
    interest: str
    low_mood: str
    self_harm_thoughts: bool
    sexual_function: str | None


@dataclass(frozen=True)
class AppointmentRow:
    kind: str
    starts_at_local: datetime
    place: str | None
    fasting: bool


def _plan_lines(course: CourseInfo) -> list[str]:
    lines = []
    for seg in course.plan:
        mg = (
            f"{seg.daily_mg:g} mg a day"
            if seg.daily_mg is not None
            else ("alternating " + " / ".join(f"{m:g}" for m in seg.cycle_mg or ()) + " mg")
        )
        times = ", ".join(t.strftime("%H:%M") for t in seg.dose_times)
        lines.append(f"From {seg.from_date.isoformat()}: {mg}, {seg.doses_per_day} dose(s) at {times}")
    return lines


def _adherence(course: CourseInfo, logs: Sequence[LoggedDose], start: date, end: date, today: date) -> dict:
    """Planned doses in [start, end]: logged taken / skipped, unlogged past slots (missed) and unlogged
    slots on paused days (paused: neither taken nor missed, not counted as planned)."""
    projection = project(course, logs, today)
    missed = [m for m in projection.missing if start <= m[0] <= end]
    paused = [m for m in projection.paused if start <= m[0] <= end]
    in_range = [log for log in logs if start <= log.date <= min(end, today)]
    taken = sorted((log.date, log.slot) for log in in_range if log.status == "taken")
    skipped = sorted((log.date, log.slot) for log in in_range if log.status == "skipped")
    planned = len(taken) + len(skipped) + len(missed)

    def by_day(slots: list[tuple[date, int]]) -> list[dict[str, Any]]:
        days: dict[date, list[int]] = {}
        for day, slot in slots:
            days.setdefault(day, []).append(slot)
        return [{"date": d.isoformat(), "slots": sorted(s)} for d, s in sorted(days.items())]

    return {
        "planned_doses": planned,
        "taken_doses": len(taken),
        "skipped_doses": len(skipped),
        "missed_doses": len(missed),
        "percent_taken": round(len(taken) / planned * 100, 1) if planned else None,
        "missed_days": by_day(sorted(missed)),
        "skipped_days": by_day(skipped),
        "paused_doses": len(paused),
        "paused_days": by_day(paused),
        "paused_day_count": paused_days(
            course.pauses, max(start, course.start_date), _last_counted(course, end, today)
        ),
    }


def _last_counted(course: CourseInfo, end: date, today: date) -> date:
    """The last day that can count as taken, missed or paused (today, the range's end, the last capsule)."""
    last = min(end, today)
    return min(last, course.ended_on) if course.ended_on is not None else last


def pause_reason_label(reason: str) -> str:
    """A pause's reason in words: the red flag's or effect rule's label, the mood check, the prescriber."""
    flag = triage.stop_reasons().get(reason)
    return flag["label"] if flag else OTHER_REASONS.get(reason, {}).get("label", reason)


def _pauses(course: CourseInfo, start: date, end: date, today: date) -> list[dict[str, Any]]:
    """Every pause that touches [start, end], with its reason and how many of its days fall there."""
    last = _last_counted(course, end, today)
    return [
        {
            "started_on": p.started_on.isoformat(),
            "resumed_on": p.resumed_on.isoformat() if p.resumed_on else None,
            "reason": p.reason,
            "reason_label": pause_reason_label(p.reason),
            "days": paused_days([p], max(start, course.start_date), last),
        }
        for p in course.pauses
        if p.started_on <= end and (p.resumed_on is None or p.resumed_on > start)
    ]


def _trends(checkins: Sequence[CheckInRow]) -> dict[str, Any]:
    rules = triage.load_rules()
    labels = {e["key"]: e["label"] for e in rules["effects"]}
    flag_labels = {f["key"]: f["label"] for f in rules["red_flags"]}
    answered = [c for c in checkins if c.skin is not None]
    skins = [c.skin for c in answered]
    effects = []
    for key, label in labels.items():
        values = [v for c in checkins if (v := c.effects.get(key)) is not None]
        effects.append(
            {
                "key": key,
                "label": label,
                "days_answered": len(values),
                "days_reported": sum(1 for v in values if v > 0),
                "days_strong": sum(1 for v in values if v >= 3),
                "max_severity": max(values, default=None),
            }
        )
    return {
        "checkin_days": len(checkins),
        "skin": {
            "days_answered": len(skins),
            "first": skins[0] if skins else None,
            "last": skins[-1] if skins else None,
            "lowest": min(skins, default=None),
            "highest": max(skins, default=None),
            "average": round(sum(skins) / len(skins), 1) if skins else None,
            "series": [{"date": c.date.isoformat(), "skin": c.skin} for c in answered],
        },
        "effects": effects,
        "red_flags": [
            {"date": c.date.isoformat(), "key": key, "label": flag_labels.get(key, key)}
            for c in checkins
            for key in c.red_flags
        ],
    }


def build_report(
    course: CourseInfo,
    logs: Sequence[LoggedDose],
    checkins: Sequence[CheckInRow],
    mood: Sequence[MoodRow],
    appointments: Sequence[AppointmentRow],
    start: date,
    end: date,
    today: date,
) -> dict[str, Any]:
    """The report of [start, end] (end is capped at today for what has happened)."""
    content = texts()
    upto = min(end, today)
    cumulative = sum(log.mg for log in logs if log.status == "taken" and log.date <= upto)
    per_kg = cumulative / course.weight_kg if course.weight_kg > 0 else 0.0
    target = course.target_mg_per_kg * course.weight_kg if course.target_mg_per_kg else None
    checkins = sorted((c for c in checkins if start <= c.date <= end), key=lambda c: c.date)
    kinds = content["appointment_kinds"]
    shown = [
        a
        for a in sorted(appointments, key=lambda a: a.starts_at_local)
        if a.kind != "pregnancy_test" or course.pregnancy_prevention
    ]
    rules = rule_set(course.rule_set, course.programme)
    return {
        "title": content["title"]["text"],
        "disclaimer": content["disclaimer"]["text"],
        "facts": sorted(set(content["disclaimer"]["facts"]) | set(content["mood_note"]["facts"])),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "generated_on": today.isoformat(),
        "course": {
            "start_date": course.start_date.isoformat(),
            "ended_on": course.ended_on.isoformat() if course.ended_on else None,
            "weight_kg": course.weight_kg,
            "target_mg_per_kg": course.target_mg_per_kg,
            "product": course.product,
            "programme": course.programme,
            "rule_set": rules.id,
            "rule_set_title": f"{rules.title} ({rules.version})",
            "pregnancy_prevention": course.pregnancy_prevention,
            "plan": _plan_lines(course),
        },
        "cumulative_mg": round(cumulative, 1),
        "cumulative_mg_per_kg": round(per_kg, 1),
        "target_mg": round(target, 1) if target else None,
        "target_percent": round(cumulative / target * 100, 1) if target else None,
        "adherence": {
            **_adherence(course, logs, start, end, today),
            "note": content["adherence_note"]["text"],
        },
        "pauses": _pauses(course, start, end, today),
        "checkins": _trends(checkins),
        "mood": {
            "note": content["mood_note"]["text"],
            "weeks": [
                {
                    "week": m.week,
                    "interest": m.interest,
                    "low_mood": m.low_mood,
                    "self_harm_thoughts": m.self_harm_thoughts,
                    "sexual_function": m.sexual_function,
                }
                for m in sorted(mood, key=lambda m: m.week)
                if start <= mood_check.parse_week(m.week) + timedelta(days=6)
                and mood_check.parse_week(m.week) <= end
            ],
        },
        "appointments": [
            {
                "kind": a.kind,
                "label": kinds.get(a.kind, a.kind),
                "starts_at": a.starts_at_local.isoformat(timespec="minutes"),
                "place": a.place,
                "fasting": a.fasting,
            }
            for a in shown
        ],
    }
