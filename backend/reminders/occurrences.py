"""Which reminders fire when: rules + course + appointments → occurrence specs (pure, no Flask/DB).

Every instant comes from `schedule.py` (local wall-clock in the course's IANA zone → UTC). The
database layer (`service.py`) turns specs into `reminder_occurrences` rows; the upcoming-agenda API
uses the same specs for windows beyond the materialised horizon, so both always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backend.course.dates import month_after
from backend.course.pauses import Pause, pause_on
from backend.course.plan import Segment, slots_for
from backend.course.rules import RuleSet, rule_set
from backend.reminders.schedule import (
    QuietHours,
    local_dates_between,
    resolve_local,
    schedule_local,
)

# The caregiver's nudge: a dose not ticked this long after its time (the Medfriend rule, issue 18).
NUDGE_AFTER_MINUTES = 60

# Defaults per kind: the local time (None: derived from the plan / appointment) and the offset in
# minutes (dose: lead before the dose; dose_followup: delay after it; appointment: lead before it;
# refill: lead before the next supply is needed, whole days).
DEFAULT_TIME: dict[str, time | None] = {
    "dose": None,
    "dose_followup": None,
    "appointment": time(19, 0),  # the evening before
    "fasting": time(20, 0),  # the evening before (MON-3)
    "pickup_window": time(9, 0),
    "final_pregnancy_test": time(9, 0),
    "contraception_end": time(9, 0),
    "refill": time(18, 0),  # early evening, while a pharmacy or clinic can still be called
    "mood_checkin": time(19, 0),
    "caregivers": None,
}
DEFAULT_OFFSET: dict[str, int | None] = {
    "dose": 0,
    "dose_followup": 60,
    "appointment": 120,
    "fasting": None,
    "pickup_window": None,
    "final_pregnancy_test": None,
    "contraception_end": None,
    "refill": 3 * 24 * 60,  # 3 days before the next 30-day supply is needed (stored in minutes)
    "mood_checkin": None,
    "caregivers": NUDGE_AFTER_MINUTES,
}
# Kinds a new course gets switched off: the patient opts in (the mood check-in is sensitive).
DEFAULT_ENABLED: dict[str, bool] = {"mood_checkin": False}
# DOSE-10 (30-day prescriptions) is a US iPLEDGE / UK-EU PPP rule: the refill reminder starts on only
# under those programmes; elsewhere the patient can still turn it on.
REFILL_PROGRAMMES = frozenset({"us_ipledge", "eu_ppp"})
DEFAULT_WEEKDAY: dict[str, int] = {"mood_checkin": 6}  # date.weekday(): 0 = Monday … 6 = Sunday
# How long a reminder stays useful after it was due: later than that it is recorded as missed.
GRACE: dict[str, timedelta] = {
    "dose": timedelta(minutes=45),
    "dose_followup": timedelta(minutes=30),
    "snooze": timedelta(minutes=30),
    "final_pregnancy_test": timedelta(hours=12),
    "contraception_end": timedelta(hours=12),
    "refill": timedelta(hours=6),
    "mood_checkin": timedelta(hours=3),  # a late "how are you feeling?" at night helps nobody
    "test": timedelta(minutes=10),
    "caregiver_nudge": timedelta(minutes=30),
    "caregiver_joined": timedelta(days=2),
}
# MON-3: fasting is usually water only for about 8 hours before the test. The fasting reminder must have
# arrived by then (it never names a number of hours: the clinic's instructions count).
FASTING_HOURS = 8
FASTING_NOTICE = timedelta(hours=1)  # at the latest this long before the fast would begin
SUPPLY_DAYS = 30  # DOSE-10: one prescription covers at most 30 days; supplies counted from the start
MOOD_AFTER_DAYS = 28  # weekly mood check-ins continue for 4 weeks after the last capsule (MOOD-1)


@dataclass(frozen=True)
class CourseSnapshot:
    """What reminders need to know about a course."""

    id: str
    timezone: str
    product: str
    programme: str
    pregnancy_prevention: bool
    start_date: date
    ended_on: date | None
    plan: tuple[Segment, ...]
    # The last capsule: ended_on when set, else the timeline's projection while the target is still ahead
    # (None once the target is reached and the capsules go on, or with no target).
    last_capsule: date | None = None
    last_capsule_estimated: bool = False
    # From recorded pick-ups (backend.record.supply): the day the next supply is needed, else None.
    supply_needed_on: date | None = None
    rule_set: str | None = None
    # Capsules stopped until the prescriber says to restart: no dose reminder or follow-up on those days.
    pauses: tuple[Pause, ...] = ()
    # Caregivers share this course (the hidden "caregivers" rule exists) / one of them gets the nudge
    # (turned on by the caregiver, allowed by the patient, a push subscription registered).
    caregivers: bool = False
    caregiver_nudge: bool = False

    @property
    def rules(self) -> RuleSet:
        return rule_set(self.rule_set, self.programme)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class AppointmentSnapshot:
    id: str
    kind: str
    starts_at_local: datetime  # naive, in the course's zone
    place: str | None = None
    fasting: bool = False


@dataclass(frozen=True)
class RuleSnapshot:
    id: str
    kind: str
    slot: int = 0
    enabled: bool = True
    local_time: time | None = None
    offset_minutes: int | None = None
    weekday: int | None = None

    @property
    def time_or_default(self) -> time | None:
        return self.local_time if self.local_time is not None else DEFAULT_TIME.get(self.kind)

    @property
    def offset_or_default(self) -> int | None:
        return self.offset_minutes if self.offset_minutes is not None else DEFAULT_OFFSET.get(self.kind)

    @property
    def weekday_or_default(self) -> int | None:
        return self.weekday if self.weekday is not None else DEFAULT_WEEKDAY.get(self.kind)


@dataclass(frozen=True)
class OccurrenceSpec:
    rule_id: str
    key: str
    kind: str
    fires_at: datetime  # aware UTC
    expires_at: datetime  # aware UTC, > fires_at
    data: dict[str, Any] = field(default_factory=dict)


def generate(
    rule: RuleSnapshot,
    course: CourseSnapshot,
    appointments: Sequence[AppointmentSnapshot],
    quiet: QuietHours | None,
    start: datetime,
    end: datetime,
) -> list[OccurrenceSpec]:
    """The occurrences of `rule` that fire in [start, end) (aware instants), sorted by time."""
    if not rule.enabled:
        return []
    builder = _BUILDERS.get(rule.kind)
    if builder is None:
        return []
    specs = [s for s in builder(rule, course, appointments, quiet, start, end) if start <= s.fires_at < end]
    return sorted(specs, key=lambda s: (s.fires_at, s.key))


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


def _course_days(course: CourseSnapshot, start: datetime, end: datetime) -> Iterable[date]:
    for day in local_dates_between(start, end, course.zone):
        if day < course.start_date or (course.ended_on is not None and day > course.ended_on):
            continue
        yield day


def _dose_days(course: CourseSnapshot, start: datetime, end: datetime) -> Iterable[date]:
    """The course's days in the window on which capsules are not paused."""
    return (day for day in _course_days(course, start, end) if pause_on(course.pauses, day) is None)


def _dose(rule, course, appointments, quiet, start, end):
    lead = timedelta(minutes=rule.offset_or_default or 0)
    for day in _dose_days(course, start, end):
        slots = slots_for(course.plan, day)
        slot = next((s for s in slots if s.slot == rule.slot), None)
        if slot is None:
            continue
        at = rule.local_time or slot.time
        naive = datetime.combine(day, at) - lead
        if quiet is not None:
            naive = quiet.shift(naive)
        fires = resolve_local(naive, course.zone)
        yield OccurrenceSpec(
            rule.id,
            f"{day.isoformat()}:{slot.slot}",
            "dose",
            fires,
            fires + GRACE["dose"],
            {
                "course_id": course.id,
                "date": day.isoformat(),
                "slot": slot.slot,
                "slots_today": len(slots),
                "mg": slot.mg,
                "dose_time": _hhmm(slot.time),
                "with_meal": course.product == "standard",  # DOSE-5
            },
        )


def _next_dose_after(course: CourseSnapshot, day: date, index: int, slots) -> datetime | None:
    """When the next planned dose after slot ``index`` of ``day`` is due (local time)."""
    if index + 1 < len(slots):
        return datetime.combine(day, slots[index + 1].time)
    for ahead in range(1, 8):  # a cycle may have rest days
        following = day + timedelta(days=ahead)
        if course.ended_on is not None and following > course.ended_on:
            return None
        if pause_on(course.pauses, following) is not None:
            continue
        nxt = slots_for(course.plan, following)
        if nxt:
            return datetime.combine(following, nxt[0].time)
    return None


def _dose_followup(rule, course, appointments, quiet, start, end):
    """A nudge after a dose that is still unmarked.

    It is dropped, never moved, when it would come nearer the next dose than the one it is about — by
    its own delay or because quiet hours push it later (a 21:00 dose's nudge moved to 07:00 before an
    08:00 dose): by then the next dose is nearly due and the missed one is left out (DOSE-8, DOSE-11).
    """
    delay = timedelta(minutes=rule.offset_or_default or 60)
    for day in _dose_days(course, start, end):
        slots = slots_for(course.plan, day)
        for i, slot in enumerate(slots):
            due = datetime.combine(day, slot.time)
            naive = due + delay
            if quiet is not None:
                naive = quiet.shift(naive)
            following = _next_dose_after(course, day, i, slots)
            if following is not None and naive - due >= (following - due) / 2:
                continue
            fires = resolve_local(naive, course.zone)
            yield OccurrenceSpec(
                rule.id,
                f"{day.isoformat()}:{slot.slot}",
                "dose_followup",
                fires,
                fires + GRACE["dose_followup"],
                {
                    "course_id": course.id,
                    "date": day.isoformat(),
                    "slot": slot.slot,
                    "slots_today": len(slots),
                    "mg": slot.mg,
                    "dose_time": _hhmm(slot.time),
                    "rule_set": course.rules.id,
                    "with_meal": course.product == "standard",  # DOSE-5
                },
            )


def _caregiver_nudge(rule, course, appointments, quiet, start, end):
    """One nudge per dose for the course's caregivers, an hour after the dose's time.

    The patient's quiet hours do not move it (each caregiver's own quiet hours are applied when it is
    sent, `backend.reminders.caregiver_nudges`). Like the patient's follow-up it is left out when an
    hour later is already nearer the next dose than the one it is about (DOSE-8, DOSE-11).
    """
    if not course.caregiver_nudge:
        return
    delay = timedelta(minutes=rule.offset_or_default or NUDGE_AFTER_MINUTES)
    for day in _dose_days(course, start, end):
        slots = slots_for(course.plan, day)
        for i, slot in enumerate(slots):
            due = datetime.combine(day, slot.time)
            following = _next_dose_after(course, day, i, slots)
            if following is not None and delay >= (following - due) / 2:
                continue
            fires = resolve_local(due + delay, course.zone)
            yield OccurrenceSpec(
                rule.id,
                f"{day.isoformat()}:{slot.slot}",
                "caregiver_nudge",
                fires,
                fires + GRACE["caregiver_nudge"],
                {
                    "course_id": course.id,
                    "date": day.isoformat(),
                    "slot": slot.slot,
                    "dose_time": _hhmm(slot.time),
                    "due": due.isoformat(timespec="minutes"),
                    "next_due": following.isoformat(timespec="minutes") if following else None,
                },
            )


def _appointment_data(course: CourseSnapshot, appt: AppointmentSnapshot) -> dict[str, Any]:
    return {
        "course_id": course.id,
        "appointment_id": appt.id,
        "appointment_kind": appt.kind,
        "starts_at_local": appt.starts_at_local.isoformat(timespec="minutes"),
        "place": appt.place,
        "fasting": appt.fasting,
    }


def _appointment(rule, course, appointments, quiet, start, end):
    zone = course.zone
    for appt in appointments:
        starts = resolve_local(appt.starts_at_local, zone)
        evening = rule.time_or_default
        if evening is not None:
            # The evening before; quiet hours move it earlier, so "tomorrow" stays true.
            naive = datetime.combine(appt.starts_at_local.date() - timedelta(days=1), evening)
            if quiet is not None:
                naive = quiet.shift_earlier(naive)
            fires = resolve_local(naive, zone)
            if fires < starts and naive.date() == appt.starts_at_local.date() - timedelta(days=1):
                yield OccurrenceSpec(
                    rule.id,
                    f"{appt.id}:eve",
                    "appointment",
                    fires,
                    starts,
                    {**_appointment_data(course, appt), "when": "tomorrow"},
                )
        lead = rule.offset_or_default
        if lead is not None:
            naive = appt.starts_at_local - timedelta(minutes=lead)
            if quiet is not None:
                naive = quiet.shift(naive)
            fires = resolve_local(naive, zone)
            if fires < starts:
                yield OccurrenceSpec(
                    rule.id,
                    f"{appt.id}:lead",
                    "appointment",
                    fires,
                    starts,
                    {**_appointment_data(course, appt), "when": "soon", "lead_minutes": lead},
                )


def _fasting(rule, course, appointments, quiet, start, end):
    """The evening before a fasting test, and never after the fast would usually have begun (MON-3).

    Quiet hours move it earlier, not later; one that still cannot arrive in time is dropped.
    """
    zone = course.zone
    for appt in appointments:
        if not appt.fasting:
            continue
        fast_from = appt.starts_at_local - timedelta(hours=FASTING_HOURS)
        evening = datetime.combine(appt.starts_at_local.date() - timedelta(days=1), rule.time_or_default)
        naive = min(evening, fast_from - FASTING_NOTICE)
        if quiet is not None:
            naive = quiet.shift_earlier(naive)
        fires, latest = resolve_local(naive, zone), resolve_local(fast_from, zone)
        if fires >= latest:
            continue
        day_before = naive.date() < appt.starts_at_local.date()
        yield OccurrenceSpec(
            rule.id,
            f"{appt.id}:fasting",
            "fasting",
            fires,
            latest,
            {**_appointment_data(course, appt), "when": "tomorrow" if day_before else "today"},
        )


def _pickup_window(rule, course, appointments, quiet, start, end):
    """The day before the rule set's pick-up window after a pregnancy test closes (PREG-3)."""
    window = course.rules.pickup_window
    if window is None or window.counts_from != "pregnancy_test" or not course.pregnancy_prevention:
        return
    zone = course.zone
    for appt in appointments:
        if appt.kind != "pregnancy_test":
            continue
        test_day = appt.starts_at_local.date()
        if course.ended_on is not None and test_day >= course.ended_on:
            continue  # no prescription to pick up once the capsules are stopped: the reminders end too
        closes = test_day + timedelta(days=window.days - 1)  # the test day is day 1
        fires = schedule_local(closes - timedelta(days=1), rule.time_or_default, zone, quiet)
        yield OccurrenceSpec(
            rule.id,
            f"{appt.id}:pickup",
            "pickup_window",
            fires,
            resolve_local(datetime.combine(closes + timedelta(days=1), time(0, 0)), zone),
            {
                "course_id": course.id,
                "appointment_id": appt.id,
                "test_date": test_day.isoformat(),
                "window_ends": closes.isoformat(),
                "window_days": window.days,
                # The wait after a missed window applies to the first prescription only (PREG-13).
                "lockout_days": course.rules.lockout_days if test_day <= course.start_date else None,
            },
        )


def post_course_date(course: CourseSnapshot) -> date | None:
    """A full month (at least 30 days) after the confirmed last capsule (PREG-1/6/7), when pregnancy
    prevention applies. Nothing is scheduled from a projected end: only ended_on counts."""
    if not course.pregnancy_prevention or course.ended_on is None:
        return None
    return month_after(course.ended_on)


def _post_course(kind: str):
    def build(rule, course, appointments, quiet, start, end):
        day = post_course_date(course)
        if day is None:
            return
        fires = schedule_local(day, rule.time_or_default, course.zone, quiet)
        yield OccurrenceSpec(
            rule.id,
            day.isoformat(),
            kind,
            fires,
            fires + GRACE[kind],
            {"course_id": course.id, "date": day.isoformat(), "last_capsule": course.ended_on.isoformat()},
        )

    return build


def _refill(rule, course, appointments, quiet, start, end):
    """Before each 30-day supply block ends (start + 30·k days), while capsules are still needed (DOSE-10).

    The key is the day the next supply is needed, so changing the lead or time moves a pending
    reminder instead of adding one, and a reminder already sent is not sent again.
    """
    lead_days = (rule.offset_or_default or 0) // (24 * 60)
    for day in local_dates_between(start, end, course.zone):
        needed = day + timedelta(days=lead_days)
        elapsed = (needed - course.start_date).days
        if course.supply_needed_on is not None:
            if needed != course.supply_needed_on:  # recorded pick-ups replace the 30-day blocks
                continue
        elif elapsed <= 0 or elapsed % SUPPLY_DAYS:
            continue
        past_end = course.last_capsule is not None and needed > course.last_capsule
        if past_end and not course.last_capsule_estimated:
            continue  # the current supply lasts to the confirmed last capsule
        # Past a projected end the reminder still comes: prescribers often go on past the total (DOSE-13).
        fires = schedule_local(day, rule.time_or_default, course.zone, quiet)
        yield OccurrenceSpec(
            rule.id,
            needed.isoformat(),
            "refill",
            fires,
            fires + GRACE["refill"],
            {
                "course_id": course.id,
                "date": day.isoformat(),
                "supply_from": needed.isoformat(),
                "supply_number": None if course.supply_needed_on else elapsed // SUPPLY_DAYS + 1,
                "from_pickups": course.supply_needed_on is not None,
                "lead_days": lead_days,
                "estimated": course.last_capsule_estimated,
                "past_projected_end": past_end,
            },
        )


def mood_checkin_last_day(course: CourseSnapshot) -> date | None:
    """The last day a weekly mood check-in may fall on (None: the course has no known end yet)."""
    if course.last_capsule is None:
        return None
    return course.last_capsule + timedelta(days=MOOD_AFTER_DAYS)


def _mood_checkin(rule, course, appointments, quiet, start, end):
    """Weekly on the chosen weekday, after the first day of the course until 4 weeks after it (MOOD-1).

    The key is the ISO week, so moving the weekday never sends a second check-in in the same week.
    """
    weekday = rule.weekday_or_default
    last = mood_checkin_last_day(course)
    for day in local_dates_between(start, end, course.zone):
        if day.weekday() != weekday or day <= course.start_date or (last is not None and day > last):
            continue
        year, week, _ = day.isocalendar()
        fires = schedule_local(day, rule.time_or_default, course.zone, quiet)
        yield OccurrenceSpec(
            rule.id,
            f"{year}-W{week:02d}",
            "mood_checkin",
            fires,
            fires + GRACE["mood_checkin"],
            {
                "course_id": course.id,
                "date": day.isoformat(),
                "after_course": course.last_capsule is not None and day > course.last_capsule,
            },
        )


_BUILDERS = {
    "dose": _dose,
    "dose_followup": _dose_followup,
    "appointment": _appointment,
    "fasting": _fasting,
    "pickup_window": _pickup_window,
    "final_pregnancy_test": _post_course("final_pregnancy_test"),
    "contraception_end": _post_course("contraception_end"),
    "refill": _refill,
    "mood_checkin": _mood_checkin,
    "caregivers": _caregiver_nudge,
}


def default_enabled(kind: str, course: CourseSnapshot) -> bool:
    """Whether a new rule of `kind` starts switched on for this course."""
    if kind == "refill":
        return course.programme in REFILL_PROGRAMMES
    return DEFAULT_ENABLED.get(kind, True)


def rule_kinds_for(course: CourseSnapshot) -> list[tuple[str, int]]:
    """The (kind, slot) rules a course should have."""
    max_slots = max((s.doses_per_day for s in course.plan), default=1)
    kinds: list[tuple[str, int]] = [("dose", slot) for slot in range(1, max_slots + 1)]
    kinds += [("dose_followup", 0), ("appointment", 0), ("fasting", 0)]
    if course.pregnancy_prevention:
        window = course.rules.pickup_window
        if window is not None and window.counts_from == "pregnancy_test":
            kinds.append(("pickup_window", 0))
        kinds += [("final_pregnancy_test", 0), ("contraception_end", 0)]
    kinds += [("refill", 0), ("mood_checkin", 0)]
    if course.caregivers:
        kinds.append(("caregivers", 0))
    return kinds
