"""The doctor report (pure): what a clinician reads in 30 seconds, as JSON-ready data. Safety first (red
flags, "yes" to the self-harm question, pauses, pregnancy tests), then the course as prescribed, weights
with their dates, the cumulative dose from logged doses by the start weight, adherence as taken / skipped /
not logged (never "missed" for what was simply not recorded), check-in and mood trends in the words the
patient saw, and appointments. ``report_pdf.py`` lays the same data out as a PDF and the PWA as a page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any

from backend.course.pauses import paused_days, reason_texts
from backend.course.plan import segment_for
from backend.course.rules import rule_set
from backend.course.timeline import CourseInfo, LoggedDose, project
from backend.course.weights import WeightPoint, basis, start_and_latest
from backend.i18n import catalog
from backend.record import mood as mood_check
from backend.record import triage


def texts(language: str | None = None) -> dict[str, Any]:
    """The report texts in ``language`` (default: the current locale); cached, read-only."""
    return catalog("report", language)


@dataclass(frozen=True)
class CheckInRow:
    date: date
    skin: int | None
    effects: dict[str, int | None]
    red_flags: list[str]


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


def _mg(value: float) -> str:
    return f"{value:g} mg"


def _plan_lines(course: CourseInfo) -> list[str]:
    """The plan as prescribed: each dose's own amount, the even split, or the cycle."""
    words = texts()["plan_lines"]
    lines = []
    for seg in course.plan:
        times = [t.strftime("%H:%M") for t in seg.dose_times]
        at = words["and"].join(times)
        daily = _mg(seg.daily_mg or 0)
        if seg.cycle_mg is not None:
            amounts = " / ".join(f"{m:g}" for m in seg.cycle_mg)
            what = words["alternating"].format(amounts=amounts, count=len(times), times=at)
        elif seg.dose_mg is not None and not seg.even_split:
            each = words["and"].join(
                words["each_dose"].format(mg=_mg(m), time=t) for m, t in zip(seg.dose_mg, times, strict=True)
            )
            what = words["each"].format(doses=each, daily=daily)
        elif len(times) > 1:
            per = _mg((seg.daily_mg or 0) / len(times))
            what = words["split"].format(daily=daily, count=len(times), per=per, times=at)
        else:
            what = words["single"].format(daily=daily, time=times[0])
        lines.append(words["segment"].format(date=seg.from_date.isoformat(), what=what))
    return lines


def _runs(slots: Sequence[tuple[date, int]]) -> list[dict[str, Any]]:
    """Consecutive days with unlogged doses as ranges: {from, to, days, doses}, oldest first."""
    per_day: dict[date, int] = {}
    for day, _ in slots:
        per_day[day] = per_day.get(day, 0) + 1
    runs: list[dict[str, Any]] = []
    for day in sorted(per_day):
        if runs and runs[-1]["_last"] + timedelta(days=1) == day:
            runs[-1].update(_last=day, days=runs[-1]["days"] + 1, doses=runs[-1]["doses"] + per_day[day])
        else:
            runs.append({"_first": day, "_last": day, "days": 1, "doses": per_day[day]})
    return [
        {
            "from": r["_first"].isoformat(),
            "to": r["_last"].isoformat(),
            "days": r["days"],
            "doses": r["doses"],
        }
        for r in runs
    ]


def _adherence(course: CourseInfo, logs: Sequence[LoggedDose], start: date, end: date, today: date) -> dict:
    """Planned doses in [start, end]: taken, skipped and not logged (nothing recorded: never "missed"), and
    unlogged slots on paused days (paused: counted apart, not as planned)."""
    projection = project(course, logs, today)
    not_logged = [m for m in projection.missing if start <= m[0] <= end]
    paused = [m for m in projection.paused if start <= m[0] <= end]
    in_range = [log for log in logs if start <= log.date <= min(end, today)]
    taken = sorted((log.date, log.slot) for log in in_range if log.status == "taken")
    skipped = sorted((log.date, log.slot) for log in in_range if log.status == "skipped")
    planned = len(taken) + len(skipped) + len(not_logged)

    def by_day(slots: list[tuple[date, int]]) -> list[dict[str, Any]]:
        days: dict[date, list[int]] = {}
        for day, slot in slots:
            days.setdefault(day, []).append(slot)
        return [{"date": d.isoformat(), "slots": sorted(s)} for d, s in sorted(days.items())]

    return {
        "planned_doses": planned,
        "taken_doses": len(taken),
        "skipped_doses": len(skipped),
        "not_logged_doses": len(not_logged),
        "percent_taken": round(len(taken) / planned * 100, 1) if planned else None,
        "not_logged_ranges": _runs(not_logged),
        "skipped_days": by_day(skipped),
        "paused_doses": len(paused),
        "paused_days": by_day(paused),
        "paused_day_count": paused_days(
            course.pauses, max(start, course.start_date), _last_counted(course, end, today)
        ),
    }


def _last_counted(course: CourseInfo, end: date, today: date) -> date:
    """The last day that can count as taken, not logged or paused (today, the end, the last capsule)."""
    last = min(end, today)
    return min(last, course.ended_on) if course.ended_on is not None else last


def pause_reason_label(reason: str, stop_reasons: dict[str, Any] | None = None) -> str:
    """A pause's reason in words: the red flag's or effect rule's label, the mood check, the prescriber
    (``stop_reasons``: ``triage.stop_reasons()`` when the caller already holds it)."""
    flag = (triage.stop_reasons() if stop_reasons is None else stop_reasons).get(reason)
    return flag["label"] if flag else reason_texts().get(reason, {}).get("label", reason)


def _pauses(course: CourseInfo, start: date, end: date, today: date) -> list[dict[str, Any]]:
    """Every pause that touches [start, end], with its reason and how many of its days fall there."""
    last = _last_counted(course, end, today)
    stop_reasons = triage.stop_reasons()
    return [
        {
            "started_on": p.started_on.isoformat(),
            "resumed_on": p.resumed_on.isoformat() if p.resumed_on else None,
            "reason": p.reason,
            "reason_label": pause_reason_label(p.reason, stop_reasons),
            "days": paused_days([p], max(start, course.start_date), last),
        }
        for p in course.pauses
        if p.started_on <= end and (p.resumed_on is None or p.resumed_on > start)
    ]


def _severity_label(value: int | None) -> str | None:
    labels = {s["value"]: s["label"] for s in triage.load_rules()["severities"]}
    return None if value is None else labels.get(value, str(value))


def _trends(checkins: Sequence[CheckInRow]) -> dict[str, Any]:
    rules = triage.load_rules()
    labels = {e["key"]: e["label"] for e in rules["effects"]}
    flag_labels = {f["key"]: f["label"] for f in rules["red_flags"]}
    answered = [c for c in checkins if c.skin is not None]
    skins = [c.skin for c in answered]
    # How many days each (effect, answer) pair was given, counted in one pass at C speed.
    given = Counter(chain.from_iterable(c.effects.items() for c in checkins))
    answers: dict[str, dict[int, int]] = {key: {} for key in labels}
    for (key, value), days in given.items():
        if value is not None and key in answers:
            answers[key][value] = days
    effects = [
        {
            "key": key,
            "label": label,
            "days_answered": sum(answers[key].values()),
            "days_reported": sum(days for value, days in answers[key].items() if value > 0),
            "days_strong": sum(days for value, days in answers[key].items() if value >= 3),
            "max_severity": max(answers[key], default=None),
            "strongest": _severity_label(max(answers[key], default=None)),
        }
        for key, label in labels.items()
    ]
    return {
        "note": texts()["checkin_note"]["text"],
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
        "red_flags": _flag_runs(checkins, flag_labels),
    }


def _flag_runs(checkins: Sequence[CheckInRow], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Each red flag's runs of consecutive days ticked, {key, label, from, to, days}, by first day (then in
    the rules' order): a flag ticked every day is one line, not one line a day."""
    order = {key: i for i, key in enumerate(labels)}
    runs: list[list[Any]] = []  # [first day, rank, key, last day], days as ordinals (the loop's hot path)
    latest: dict[str, list[Any]] = {}  # each flag's run so far
    for c in sorted(checkins, key=attrgetter("date")):
        day = c.date.toordinal()
        for key in c.red_flags:
            run = latest.get(key)
            if run is None or run[3] < day - 1:
                latest[key] = run = [day, order.get(key, len(order)), key, day]
                runs.append(run)
            else:
                run[3] = day
    runs.sort(key=itemgetter(0, 1))
    return [
        {
            "key": key,
            "label": labels.get(key, key),
            "from": date.fromordinal(first).isoformat(),
            "to": date.fromordinal(last).isoformat(),
            "days": last - first + 1,
        }
        for first, _, key, last in runs
    ]


def _mood(mood: Sequence[MoodRow], start: date, end: date) -> dict[str, Any]:
    content = texts()
    yes_no = content["answers"]
    answers = mood_check.load_content()["answers"]
    label = {q: {a["value"]: a["label"] for a in options} for q, options in answers.items()}
    weeks = []
    for m in sorted(mood, key=lambda m: m.week):
        monday = mood_check.parse_week(m.week)
        if not (start <= monday + timedelta(days=6) and monday <= end):
            continue
        weeks.append(
            {
                "week": m.week,
                "week_of": monday.isoformat(),
                "interest": m.interest,
                "interest_label": label["interest"].get(m.interest, m.interest),
                "low_mood": m.low_mood,
                "low_mood_label": label["low_mood"].get(m.low_mood, m.low_mood),
                "self_harm_thoughts": m.self_harm_thoughts,
                "self_harm_label": yes_no["yes"] if m.self_harm_thoughts else yes_no["no"],
                "sexual_function": m.sexual_function,
                "sexual_function_label": label["sexual_function"].get(m.sexual_function or "", None),
            }
        )
    return {"note": content["mood_note"]["text"], "headings": content["mood_headings"], "weeks": weeks}


def _dose(course: CourseInfo, logs: Sequence[LoggedDose], weights: Sequence[WeightPoint], upto: date) -> dict:
    """Cumulative mg from logged doses, mg/kg by the start weight (and by the latest when it differs),
    the target by the weight the plan is counted by, and today's planned mg/kg/day."""
    content = texts()
    cumulative = sum(log.mg for log in logs if log.status == "taken" and log.date <= upto)
    ends = start_and_latest(weights)
    first, latest = ends if ends else (WeightPoint(course.start_date, course.weight_kg),) * 2
    by, basis_kind = basis(weights) or (first, "start")
    target = course.target_mg_per_kg * by.weight_kg if course.target_mg_per_kg else None
    segment = segment_for(course.plan, min(upto, course.ended_on or upto))
    daily = segment.average_mg if segment is not None else 0.0
    return {
        "cumulative_mg": round(cumulative, 1),
        "cumulative_note": content["cumulative_note"]["text"],
        "start_weight_kg": first.weight_kg,
        "mg_per_kg_by_start_weight": round(cumulative / first.weight_kg, 1),
        "latest_weight_kg": latest.weight_kg if latest.weight_kg != first.weight_kg else None,
        "mg_per_kg_by_latest_weight": round(cumulative / latest.weight_kg, 1)
        if latest.weight_kg != first.weight_kg
        else None,
        "counted_by": {
            "weight_kg": by.weight_kg,
            "recorded_on": by.recorded_on.isoformat(),
            "basis": basis_kind,
        },
        "mg_per_kg_note": content["mg_per_kg_note"]["text"],
        "target_mg_per_kg": course.target_mg_per_kg,
        "target_mg": round(target, 1) if target else None,
        "target_percent": round(cumulative / target * 100, 1) if target else None,
        "current_mg_per_day": round(daily, 1),
        "current_mg_per_kg_per_day": round(daily / latest.weight_kg, 2),
        "micronised_note": content["micronised_note"]["text"] if course.product == "micronised" else None,
    }


def _pregnancy_tests(course: CourseInfo, appointments: Sequence[AppointmentRow], start: date, end: date):
    if not course.pregnancy_prevention:
        return None
    return [
        {"date": a.starts_at_local.date().isoformat(), "place": a.place}
        for a in sorted(appointments, key=lambda a: a.starts_at_local)
        if a.kind == "pregnancy_test" and start <= a.starts_at_local.date() <= end
    ]


def build_report(
    course: CourseInfo,
    logs: Sequence[LoggedDose],
    checkins: Sequence[CheckInRow],
    mood: Sequence[MoodRow],
    appointments: Sequence[AppointmentRow],
    start: date,
    end: date,
    today: date,
    weights: Sequence[WeightPoint] = (),
) -> dict[str, Any]:
    """The report of [start, end] (end is capped at today for what has happened); safety first."""
    content = texts()
    upto = min(end, today)
    checkins = sorted((c for c in checkins if start <= c.date <= end), key=lambda c: c.date)
    kinds = content["appointment_kinds"]
    shown = [
        a
        for a in sorted(appointments, key=lambda a: a.starts_at_local)
        if a.kind != "pregnancy_test" or course.pregnancy_prevention
    ]
    rules = rule_set(course.rule_set, course.programme)
    trends = _trends(checkins)
    red_flags = trends.pop("red_flags")  # shown once, in the safety summary
    mood_part = _mood(mood, start, end)
    dose = _dose(course, logs, weights, upto)
    return {
        "title": content["title"]["text"],
        "disclaimer": content["disclaimer"]["text"],
        "facts": sorted(
            {
                f
                for key in ("disclaimer", "cumulative_note", "mg_per_kg_note", "adherence_note", "mood_note")
                for f in content[key]["facts"]
            }
            | (set(content["micronised_note"]["facts"]) if dose["micronised_note"] else set())
        ),
        "patient_lines": content["patient_lines"],
        "patient_lines_note": content["patient_lines_note"],
        "from": start.isoformat(),
        "to": end.isoformat(),
        "generated_on": today.isoformat(),
        "safety": {
            "red_flags": red_flags,
            "self_harm_yes": [
                {"week": w["week"], "week_of": w["week_of"]}
                for w in mood_part["weeks"]
                if w["self_harm_thoughts"]
            ],
            "pregnancy_prevention": course.pregnancy_prevention,
            "pregnancy_tests": _pregnancy_tests(course, appointments, start, end),
            "pregnancy_tests_note": content["pregnancy_tests_note"],
            "none_note": content["safety_none"],
        },
        "course": {
            "start_date": course.start_date.isoformat(),
            "ended_on": course.ended_on.isoformat() if course.ended_on else None,
            "weight_kg": dose["start_weight_kg"],
            "target_mg_per_kg": course.target_mg_per_kg,
            "product": course.product,
            "product_label": content["products"].get(course.product, course.product),
            "programme": course.programme,
            "rule_set": rules.id,
            "rule_set_title": f"{rules.title} ({rules.version})",
            "rule_set_status": None
            if rules.status is None
            else {**rules.status, "facts": list(rules.status["facts"])},
            "pregnancy_prevention": course.pregnancy_prevention,
            "plan": _plan_lines(course),
        },
        "weights": [
            {"recorded_on": w.recorded_on.isoformat(), "weight_kg": w.weight_kg, "rebased": w.rebased}
            for w in sorted(weights, key=lambda w: w.recorded_on)
        ],
        "dose": dose,
        "cumulative_mg": dose["cumulative_mg"],
        "cumulative_mg_per_kg": round(dose["cumulative_mg"] / dose["counted_by"]["weight_kg"], 1),
        "target_mg": dose["target_mg"],
        "target_percent": dose["target_percent"],
        "adherence": {
            **_adherence(course, logs, start, end, today),
            "note": content["adherence_note"]["text"],
        },
        "pauses": _pauses(course, start, end, today),
        "checkins": trends,
        "mood": mood_part,
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
