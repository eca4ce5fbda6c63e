"""Course projection, phases and milestones (pure: no Flask, no database).

The numbers are "what usually happens" arithmetic on the prescriber's plan and the patient's log
(DOSE-3); nothing here recommends a dose (PRODUCT-1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from backend.course.content import applies, load_content, render_item, render_items, render_red_flags
from backend.course.dates import add_months, month_after
from backend.course.pauses import Pause, for_projection, pause_lookup, pause_on, paused_days, paused_text
from backend.course.plan import Segment, iter_plan_days, slots_for
from backend.course.rhythm import BookedAppointment, RhythmDate, monitoring_dates, place_appointments
from backend.course.rules import RuleSet, rule_set

__all__ = [
    "MAX_HORIZON_DAYS",
    "PHASE_KEYS",
    "THRESHOLDS",
    "CourseInfo",
    "LoggedDose",
    "Projection",
    "add_months",
    "build_timeline",
    "build_today",
    "course_flags",
    "course_rule_set",
    "project",
]

PHASE_KEYS = ("before_start", "first_weeks", "improving", "clearing", "final_stretch", "after")
THRESHOLDS = (25, 50, 75, 100)
MAX_HORIZON_DAYS = 3 * 366  # projection gives up after ~3 years
MISSING_LIMIT = 14
NEXT_MILESTONES = 3
_EPS = 1e-6
_ONE = timedelta(days=1)
_KIND_ORDER = {
    k: i
    for i, k in enumerate(
        (
            "course_start",
            "blood_test",
            "pregnancy_test",
            "monthly_visit",
            "cumulative_25",
            "cumulative_50",
            "cumulative_75",
            "cumulative_100",
            "last_dose",
            "final_pregnancy_test",
            "contraception_end",
            "blood_donation_ok",
            "procedures_ok",
        )
    )
}


@dataclass(frozen=True)
class CourseInfo:
    """What the domain needs to know about a course (weight_kg is the current weight)."""

    start_date: date
    weight_kg: float
    target_mg_per_kg: float | None
    product: str  # "standard" | "food_independent" | "micronised" (Absorica LD: food-independent too)
    programme: str  # "us_ipledge" | "eu_ppp" | "none"
    pregnancy_prevention: bool
    plan: tuple[Segment, ...]
    ended_on: date | None = None  # the last capsule, once the patient confirmed their prescriber stopped
    rule_set: str | None = None  # id of the programme's rule set (None: the programme's default)
    appointments: tuple[BookedAppointment, ...] = ()  # booked visits and tests (they replace estimates)
    # The patient's answers about past usual visits and tests: (kind, date) → done | not_done | unknown.
    answers: tuple[tuple[str, date, str], ...] = ()
    pauses: tuple[Pause, ...] = ()  # days the capsules were (or are) stopped, oldest first


class LoggedDose(NamedTuple):
    """One logged dose slot (a named tuple: a course's log is read by the thousand on every view)."""

    date: date
    slot: int
    status: str  # "taken" | "skipped"
    mg: float
    id: str | None = None
    taken_at: datetime | None = None


@dataclass(frozen=True)
class Projection:
    """Cumulative dose so far and the dates it projects.

    ``threshold_dates[p]`` is the day the cumulative dose reaches p % of the target: the logged day if it
    already happened (``threshold_estimated[p]`` False), else the projected day, else None.
    ``target_reached_on`` is the logged day the total reached the target (None until then).
    ``projected_last_dose_on`` is ``ended_on`` when the patient has confirmed it (``last_dose_estimated``
    False). Until then it is only an estimate: the day the plan reaches the target, or, once the logged
    total has reached it and the capsules go on (DOSE-13), today at the earliest. Reaching the target never
    ends the course. ``missing`` lists past planned slots with no log, oldest first; ``paused`` the past
    planned slots with no log on a paused day (neither taken nor missed). Paused days are no dose days in
    the projection; a pause still going on is assumed to end today (``pauses.for_projection``).
    """

    cumulative_mg: float
    cumulative_mg_per_kg: float
    target_mg: float | None
    target_percent: float | None
    projected_last_dose_on: date | None
    last_dose_estimated: bool
    target_reached_on: date | None = None
    threshold_dates: dict[int, date | None] = field(default_factory=dict)
    threshold_estimated: dict[int, bool] = field(default_factory=dict)
    missing: list[tuple[date, int]] = field(default_factory=list)
    paused: list[tuple[date, int]] = field(default_factory=list)


def course_flags(course: CourseInfo, target_mg: float | None = None) -> frozenset[str]:
    """Flags that select content items (see content.FLAGS)."""
    flags = {
        "standard" if course.product == "standard" else "food_independent",
        "pregnancy_prevention" if course.pregnancy_prevention else "no_pregnancy_prevention",
        "has_target" if target_mg else "no_target",
    }
    if course.product == "micronised":
        flags.add("micronised")  # DOSE-12 is about Absorica LD only (EVID-1)
    if course.programme in ("us_ipledge", "eu_ppp"):
        flags.add(course.programme)
    else:
        flags.add("programme_none")
    return frozenset(flags)


def _target_mg(course: CourseInfo) -> float | None:
    if course.target_mg_per_kg and course.target_mg_per_kg > 0 and course.weight_kg > 0:
        return course.target_mg_per_kg * course.weight_kg
    return None


def _project(
    course: CourseInfo, logs: Iterable[LoggedDose], today: date, unlogged: bool = True
) -> tuple[Projection, dict[tuple[date, int], LoggedDose]]:
    """Projection plus the log index (date, slot) → log, logs after today ignored; without `unlogged`
    the past planned slots with no log are not looked for (``missing`` and ``paused`` stay empty)."""
    by_slot: dict[tuple[date, int], LoggedDose] = {}
    taken_by_day: dict[date, float] = {}
    for log in logs:
        if log.date > today:
            continue
        by_slot[(log.date, log.slot)] = log
    for (day, _), log in by_slot.items():
        if log.status == "taken":
            taken_by_day[day] = taken_by_day.get(day, 0.0) + log.mg

    target = _target_mg(course)
    marks = [(p, target * p / 100) for p in THRESHOLDS] if target else []
    dates: dict[int, date | None] = dict.fromkeys(THRESHOLDS)
    estimated: dict[int, bool] = dict.fromkeys(THRESHOLDS, False)

    # What has been logged taken, up to and including today.
    cum = 0.0
    k = 0
    for day in sorted(taken_by_day):
        cum += taken_by_day[day]
        while k < len(marks) and cum >= marks[k][1] - _EPS:
            dates[marks[k][0]] = day
            k += 1
    reached_on = dates[100] if target else None

    ended = course.ended_on
    last: date | None = ended
    if ended is None and reached_on is not None:
        last = max(reached_on, today)  # still taking capsules: the end is the prescriber's call (DOSE-13)

    # Past planned slots (start..yesterday, up to the last dose) with no log at all: missed, or paused.
    missing: list[tuple[date, int]] = []
    paused: list[tuple[date, int]] = []
    end_missing = today - _ONE
    if last is not None:
        end_missing = min(end_missing, last)
    if not unlogged:
        end_missing = course.start_date - _ONE  # not asked for: no day to walk
    paused_on = pause_lookup(course.pauses)
    for day, seg in iter_plan_days(course.plan, course.start_date, end_missing):
        if seg is None or seg.mg_on(day) <= 0:
            continue
        into = paused if paused_on(day) else missing
        for slot in range(1, seg.doses_per_day + 1):
            if (day, slot) not in by_slot:
                into.append((day, slot))

    # From today on, follow the plan until the target (or ended_on) is reached.
    need_more = k < len(marks)
    if course.plan and need_more and (ended is None or ended >= today):
        first = max(today, course.start_date)
        stop = ended if ended is not None else first + timedelta(days=MAX_HORIZON_DAYS)
        final_seg = course.plan[-1]
        running = cum
        assumed = pause_lookup(for_projection(course.pauses, today))
        for day, seg in iter_plan_days(course.plan, first, stop):
            if seg is None or assumed(day):
                continue
            mg = seg.mg_on(day)
            if day == today and mg > 0:
                mg = sum(m for s, m in enumerate(seg.slot_mg(day), start=1) if (day, s) not in by_slot)
            if mg > 0:
                running += mg
                while k < len(marks) and running >= marks[k][1] - _EPS:
                    dates[marks[k][0]] = day
                    estimated[marks[k][0]] = True
                    k += 1
                if k == len(marks):
                    if ended is None:
                        last = day
                    break
            elif seg is final_seg and final_seg.average_mg <= 0:
                break  # nothing more is planned: no projection

    per_kg = cum / course.weight_kg if course.weight_kg > 0 else 0.0
    projection = Projection(
        cumulative_mg=cum,
        cumulative_mg_per_kg=per_kg,
        target_mg=target,
        target_percent=cum / target * 100 if target else None,
        projected_last_dose_on=last,
        last_dose_estimated=ended is None,
        target_reached_on=reached_on,
        threshold_dates=dates if target else dict.fromkeys(THRESHOLDS),
        threshold_estimated=estimated,
        missing=missing,
        paused=paused,
    )
    return projection, by_slot


def project(
    course: CourseInfo, logs: Iterable[LoggedDose], today: date, *, unlogged: bool = True
) -> Projection:
    """Cumulative dose so far and the projected last dose / threshold dates (see module rules); without
    `unlogged`, no list of the past slots with no log (for the reminders and the supply, which read only
    the dates: for a two-year course that walk is a third of the projection)."""
    return _project(course, logs, today, unlogged)[0]


# ---------------------------------------------------------------- phases

PhaseRange = tuple[str, date | None, date | None, bool]  # key, starts_on, ends_on, dates rest on an estimate


def _phase_ranges(course: CourseInfo, proj: Projection) -> list[PhaseRange]:
    """The phases in order, squeezed-out ones left out.

    The final stretch is anchored on the confirmed last capsule, else on the day the target is (or
    was) reached. While the course is not ended the final stretch stays open past that day and the
    "after" phase is only an estimate: it never becomes the current phase (see ``_current_key``).
    """
    s = course.start_date
    ended = course.ended_on
    est = ended is None
    anchor = ended if ended is not None else proj.threshold_dates.get(100)
    raw = [
        ("first_weeks", s, s + timedelta(days=55)),
        ("improving", s + timedelta(days=56), s + timedelta(days=83)),
    ]
    out: list[PhaseRange] = [("before_start", None, s - _ONE, False)]
    if anchor is None:
        out += [(k, a, b, False) for k, a, b in raw]
        out.append(("clearing", s + timedelta(days=84), None, False))
        out += [("final_stretch", None, None, True), ("after", None, None, True)]
        return out
    end = max(anchor, s)
    fs_start = max(end - timedelta(days=27), s)
    raw.append(("clearing", s + timedelta(days=84), fs_start - _ONE))
    for key, a, b in raw:
        b = min(b, fs_start - _ONE)
        if a <= b:
            out.append((key, a, b, False))
    if ended is None and proj.target_reached_on is not None:
        # The target is reached and the capsules go on until the prescriber stops them (DOSE-13).
        out += [("final_stretch", fs_start, None, False), ("after", None, None, True)]
        return out
    out += [("final_stretch", fs_start, end, est), ("after", end + _ONE, None, est)]
    return out


def _current_key(ranges: list[PhaseRange], today: date, ended: bool) -> str:
    for key, a, b, _ in ranges:
        if a is None and b is None:
            continue  # dates unknown
        if key == "after" and not ended:
            continue  # only the patient's confirmation ends the course
        if (a is None or a <= today) and (b is None or today <= b):
            return key
    # Past the projected end but not confirmed: still on the capsules.
    return next(k for k, *_ in reversed(ranges) if k != "after")


def _phases(course: CourseInfo, proj: Projection, today: date, content: dict, flags: frozenset[str]):
    """The phases; while the capsules are paused today the current one says so instead of "keep going"."""
    ranges = _phase_ranges(course, proj)
    current = _current_key(ranges, today, course.ended_on is not None)
    paused = _status(course, today) == "active" and pause_on(course.pauses, today) is not None
    red = content["red_flags"]
    while_on = _while_on(content, flags)
    continuing = course.ended_on is None and proj.target_reached_on is not None
    phases = []
    for key, a, b, estimated in ranges:
        c = content["phases"][key]
        report = render_items(c.get("report_now", []), flags)
        report += render_red_flags((red[r] for r in c.get("red_flags", [])), flags)
        tips = render_items(c.get("tips", []), flags)
        if c.get("while_on"):
            tips += while_on
        summary = c["summary"]
        if continuing and c.get("summary_target_reached"):
            summary = c["summary_target_reached"]
        if paused and key == current:
            summary = paused_text()["text"]
        phases.append(
            {
                "key": key,
                "title": c["title"],
                "summary": summary,
                "starts_on": a,
                "ends_on": b,
                "estimated": estimated,
                "current": key == current,
                "expectations": render_items(c.get("expectations", []), flags),
                "tips": tips,
                "report_now": report,
            }
        )
    return phases, current


def _while_on(content: dict, flags: frozenset[str]) -> list[dict[str, Any]]:
    """What applies from the first capsule to a month (or more) after the last (AFTER-1/2/4/6/7, PREG-11)."""
    return render_items(content["while_on"], flags)


# ---------------------------------------------------------------- milestones


def _milestone(entry: dict, kind: str, day: date, estimated: bool) -> dict[str, Any]:
    return {
        "kind": kind,
        "date": day,
        "title": entry["title"],
        "description": entry["description"],
        "facts": list(entry["facts"]),
        "estimated": estimated,
        # the title itself says it is an estimate, in every language (the calendar adds no "Estimated:")
        "title_says_estimate": bool(entry.get("title_says_estimate")),
    }


def course_rule_set(course: CourseInfo) -> RuleSet:
    return rule_set(course.rule_set, course.programme)


def _milestones(course: CourseInfo, proj: Projection, today: date, content: dict) -> list[dict[str, Any]]:
    m = content["milestones"]
    rules = course_rule_set(course)
    s = course.start_date
    last = proj.projected_last_dose_on
    ended = course.ended_on is not None
    est = not ended
    horizon = add_months(last, 6) if last is not None else add_months(max(today, s), 6)
    if not ended and proj.target_reached_on is not None:
        bound = horizon  # capsules go on past the target: so do visits and tests
    else:
        bound = min(last, horizon) if last is not None else horizon  # recurring items stop at the last dose
    out = [_milestone(m["course_start"], "course_start", s, False)]
    for r in monitoring_dates(s, bound, rules, course.pregnancy_prevention):
        entry = _milestone(_rhythm_entry(r, m, rules), r.kind, r.day, False)
        out.append({**entry, "rhythm": True, "before_start": r.role == "before_start"})

    if proj.target_mg:
        for p in THRESHOLDS:
            d = proj.threshold_dates.get(p)
            if d is not None:
                kind = f"cumulative_{p}"
                out.append(_milestone(m[kind], kind, d, proj.threshold_estimated[p]))

    if last is not None:
        if ended:
            variant = "actual"
        elif proj.target_reached_on is not None:
            variant = "continuing"
        else:
            variant = "estimated"
        out.append(_milestone(m["last_dose"][variant], "last_dose", last, est))
        month = month_after(last)
        state = "estimated" if est else "actual"
        if course.pregnancy_prevention:
            out.append(_milestone(m["final_pregnancy_test"][state], "final_pregnancy_test", month, est))
            out.append(_milestone(m["contraception_end"][state], "contraception_end", month, est))
        out.append(_milestone(m["blood_donation_ok"][state], "blood_donation_ok", month, est))
        out.append(_milestone(m["procedures_ok"][state], "procedures_ok", add_months(last, 6), est))

    out = [x for x in out if x["date"] <= horizon]
    out.sort(key=lambda x: (x["date"], _KIND_ORDER.get(x["kind"], 99)))
    booked_texts = {  # a booked appointment's own kind, never a pre-start test's title (issue 14)
        "pregnancy_test": rules.pregnancy_test,
        "blood_test": m["blood_test"]["follow_up"],
        "monthly_visit": m["monthly_visit"],
    }
    answers = {(kind, day): answer for kind, day, answer in course.answers}
    return place_appointments(out, course.appointments, today, m["appointment"], booked_texts, answers)


def _rhythm_entry(r: RhythmDate, m: dict, rules: RuleSet) -> dict[str, Any]:
    """The text of one rhythm date."""
    if r.test is not None:
        return {"title": r.test.title, "description": r.test.description, "facts": r.test.facts}
    if r.kind == "pregnancy_test":
        return rules.pregnancy_test
    if r.kind == "blood_test":
        return m["blood_test"]["baseline" if r.role == "baseline" else "follow_up"]
    return m["monthly_visit"]


# ---------------------------------------------------------------- views


def _status(course: CourseInfo, today: date) -> str:
    """not_started, active, or finished — finished only after the last capsule the patient confirmed."""
    if today < course.start_date:
        return "not_started"
    if course.ended_on is not None and today > course.ended_on:
        return "finished"
    return "active"


def _dose_guidance(content: dict, rules: RuleSet, flags: frozenset[str]) -> list[dict[str, Any]]:
    """The general dose texts, with the missed-dose rule of the course's programme (DOSE-8 / DOSE-11)."""
    items = render_items(content["dose_guidance"], flags)
    items.insert(min(2, len(items)), render_item(rules.missed_dose))
    return items


def _target_reached(course: CourseInfo, proj: Projection, content: dict) -> dict[str, Any] | None:
    """Once the logged total reaches the target and no last capsule is confirmed (DOSE-13)."""
    if proj.target_reached_on is None or course.ended_on is not None:
        return None
    entry = content["target_reached"]
    return {"on": proj.target_reached_on, **render_item(entry)}


def _pause_json(pause: Pause | None) -> dict[str, Any] | None:
    if pause is None:
        return None
    return {
        "id": pause.id,
        "started_on": pause.started_on,
        "resumed_on": pause.resumed_on,
        "reason": pause.reason,
    }


def _current_pause(course: CourseInfo, today: date) -> dict[str, Any] | None:
    """The pause covering today while the course is on, with what to do (RED-11, PRODUCT-1)."""
    if _status(course, today) != "active":
        return None
    pause = _pause_json(pause_on(course.pauses, today))
    if pause is None:
        return None
    return {**pause, **render_item(paused_text())}


def _after_course(course: CourseInfo, today: date, content: dict, flags: frozenset[str]) -> dict | None:
    """Once the last capsule is recorded (and reached): that day, and each precaution that still applies
    with the day it ends (AFTER-1/2/7/9; contraception until the final negative test, PREG-6/7), each gone
    on its own date. The contraception one has no end date: only the test result ends it."""
    ended = course.ended_on
    if ended is None or today < ended:
        return None
    texts = content["after_course"]
    still = []
    for item in texts["restrictions"]:
        if not applies(item, flags):
            continue
        months = item.get("months")
        until = add_months(ended, months) if months else None
        if until is not None and today >= until:
            continue  # this one is over
        shown = until or month_after(ended)
        still.append(
            {
                "key": item["key"],
                "text": item["text"],  # "{date}" is written out by the phone in its own locale
                "until": until,
                "date": shown,
                "facts": list(item["facts"]),
            }
        )
    last = texts["last_capsule"]
    summary = texts["stopped_summary"]
    return {
        "last_capsule_on": ended,
        "last_capsule": {"text": last["text"], "date": ended, "facts": list(last["facts"])},
        "summary": {"text": summary["text"], "facts": list(summary["facts"])},
        "still_applies": still,
    }


def _stopped_phase(phase: dict[str, Any], after: dict | None) -> dict[str, Any]:
    """Once the capsules are stopped no phase text speaks of going on: the summary says they stopped."""
    if after is None or phase["key"] == "after":  # the after-course phase already speaks of the end
        return phase
    return {**phase, "summary": after["summary"]["text"]}


def build_today(
    course: CourseInfo, logs: Iterable[LoggedDose], today: date, locale: str | None = None
) -> dict[str, Any]:
    """Everything the Today screen shows (dates as ``date``, instants as aware ``datetime``)."""
    content = load_content(locale)
    proj, by_slot = _project(course, logs, today)
    flags = course_flags(course, proj.target_mg)
    rules = course_rule_set(course)
    last = proj.projected_last_dose_on
    status = _status(course, today)
    phases, current = _phases(course, proj, today, content, flags)
    milestones = _milestones(course, proj, today, content)

    day_of_course = (today - course.start_date).days + 1 if today >= course.start_date else None
    pause = _current_pause(course, today)
    doses = []
    if status == "active":
        for ps in slots_for(course.plan, today):
            log = by_slot.get((today, ps.slot))
            unlogged = "paused" if pause is not None else "pending"
            doses.append(
                {
                    "slot": ps.slot,
                    "time": ps.time.strftime("%H:%M"),
                    "mg": log.mg if log is not None else ps.mg,
                    "status": log.status if log is not None else unlogged,
                    "dose_id": log.id if log is not None else None,
                    "taken_at": log.taken_at if log is not None else None,
                }
            )

    missing_logs = []
    for day, slot in reversed(proj.missing[-MISSING_LIMIT:]):
        planned = {ps.slot: ps.mg for ps in slots_for(course.plan, day)}
        missing_logs.append({"date": day, "slot": slot, "mg": planned.get(slot, 0.0)})

    # Dose days left, today included (before the start: the whole course). Unknown once the target is
    # reached and the capsules go on: the prescriber decides.
    days_remaining = None
    stopped = course.ended_on is not None and today >= course.ended_on  # nothing is "to go" any more
    if last is not None and not stopped and (course.ended_on is not None or proj.target_reached_on is None):
        days_remaining = max((last - max(today, course.start_date)).days + 1, 0)

    after = _after_course(course, today, content, flags)

    target_note = None
    if proj.target_mg and course.product == "micronised":
        target_note = render_item(content["target_note_micronised"])

    return {
        "date": today,
        "day_of_course": day_of_course,
        "week_of_course": (day_of_course - 1) // 7 + 1 if day_of_course else None,
        "status": status,
        "ended_on": course.ended_on,
        "pause": pause,
        "paused_days": paused_days(course.pauses, course.start_date, min(today, last or today)),
        "target_reached": _target_reached(course, proj, content),
        "phase": _stopped_phase(next(p for p in phases if p["key"] == current), after),
        "after_course": after,
        "doses": doses,
        "with_food": "standard" in flags,
        "dose_guidance": _dose_guidance(content, rules, flags),
        "while_on": _while_on(content, flags),
        "cumulative_mg": round(proj.cumulative_mg, 1),
        "cumulative_mg_per_kg": round(proj.cumulative_mg_per_kg, 1),
        "target_mg": round(float(proj.target_mg), 1) if proj.target_mg else None,
        "target_mg_per_kg": float(course.target_mg_per_kg) if proj.target_mg else None,
        "target_percent": round(proj.target_percent, 1) if proj.target_percent is not None else None,
        "target_note": target_note,
        "projected_last_dose_on": last,
        "last_dose_estimated": proj.last_dose_estimated,
        "days_remaining": days_remaining,
        "missing_logs": missing_logs,
        "missing_logs_count": len(proj.missing),
        "next_milestones": [x for x in milestones if x["date"] >= today][:NEXT_MILESTONES],
        "rule_set": rules.summary(),
        "disclaimer": content["disclaimer"]["text"],
    }


def build_timeline(
    course: CourseInfo, logs: Iterable[LoggedDose], today: date, locale: str | None = None
) -> dict[str, Any]:
    """Phases, milestones and red flags of the whole course."""
    content = load_content(locale)
    proj, _ = _project(course, logs, today)
    flags = course_flags(course, proj.target_mg)
    phases, current = _phases(course, proj, today, content, flags)
    return {
        "today": today,
        "current_phase": current,
        "projected_last_dose_on": proj.projected_last_dose_on,
        "last_dose_estimated": proj.last_dose_estimated,
        "ended_on": course.ended_on,
        "pause": _current_pause(course, today),
        "target_reached": _target_reached(course, proj, content),
        "phases": phases,
        "milestones": _milestones(course, proj, today, content),
        "while_on": _while_on(content, flags),
        "report_now": render_red_flags(content["red_flags"].values(), flags),
        "rule_set": course_rule_set(course).summary(),
        "disclaimer": content["disclaimer"]["text"],
    }
