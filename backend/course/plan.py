"""Dose plan: segments of a prescribed schedule and the planned doses of a day (pure, no I/O).

The plan only *records* what the prescriber set (PRODUCT-1); nothing here suggests a dose.
A day whose planned mg is 0 (e.g. a rest day in a cycle like (0, 40)) has no slots.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import pairwise
from typing import Any

__all__ = [
    "PlannedSlot",
    "Segment",
    "daily_mg",
    "iter_plan_days",
    "parse_plan",
    "plan_to_json",
    "segment_for",
    "segment_mg",
    "slots_for",
]


@dataclass(frozen=True)
class Segment:
    """One stretch of the plan, in force from `from_date` until the next segment starts.

    Exactly one of `daily_mg` (same mg every day) or `cycle_mg` (repeating cycle; day 0 of the
    segment is `cycle_mg[0]`) is set. `dose_mg` gives each dose its own mg as prescribed (then
    `daily_mg` is their sum); without it the day's mg is split evenly over its doses.
    """

    from_date: date
    doses_per_day: int
    dose_times: tuple[time, ...]
    daily_mg: float | None = None
    cycle_mg: tuple[float, ...] | None = None
    dose_mg: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.doses_per_day not in (1, 2):
            raise ValueError("doses_per_day must be 1 or 2")
        if len(self.dose_times) != self.doses_per_day:
            raise ValueError("dose_times must have one time per dose")
        if any(a >= b for a, b in pairwise(self.dose_times)):
            raise ValueError("dose_times must be distinct and ascending")
        if (self.daily_mg is None) == (self.cycle_mg is None):
            raise ValueError("set exactly one of daily_mg or cycle_mg")
        if self.cycle_mg is not None:
            if not self.cycle_mg:
                raise ValueError("cycle_mg must not be empty")
            if any(mg < 0 for mg in self.cycle_mg):
                raise ValueError("mg must not be negative")
        elif self.daily_mg is not None and self.daily_mg < 0:
            raise ValueError("mg must not be negative")
        if self.dose_mg is not None:
            if self.cycle_mg is not None:
                raise ValueError("dose_mg cannot be combined with cycle_mg")
            if len(self.dose_mg) != self.doses_per_day or any(mg <= 0 for mg in self.dose_mg):
                raise ValueError("dose_mg must give a positive mg for each dose")
            if abs(sum(self.dose_mg) - (self.daily_mg or 0.0)) > 1e-6:
                raise ValueError("daily_mg must be the sum of dose_mg")

    def mg_on(self, day: date) -> float:
        """Planned mg for `day`, assuming this segment is in force then."""
        if self.cycle_mg is not None:
            return self.cycle_mg[(day - self.from_date).days % len(self.cycle_mg)]
        return self.daily_mg or 0.0

    def slot_mg(self, day: date) -> tuple[float, ...]:
        """Each dose's planned mg on `day`: the prescribed amounts, or the day's mg split evenly."""
        if self.dose_mg is not None:
            return self.dose_mg
        each = self.mg_on(day) / self.doses_per_day
        return tuple(each for _ in range(self.doses_per_day))

    @property
    def even_split(self) -> bool:
        """True when the doses share the day's mg evenly (no per-dose amounts were prescribed)."""
        return self.dose_mg is None or len(set(self.dose_mg)) == 1

    @property
    def average_mg(self) -> float:
        """Average planned mg per day over one cycle."""
        if self.cycle_mg is not None:
            return sum(self.cycle_mg) / len(self.cycle_mg)
        return self.daily_mg or 0.0


@dataclass(frozen=True)
class PlannedSlot:
    """One planned dose of a day."""

    slot: int
    time: time
    mg: float


def _parse_time(raw: Any) -> time:
    if isinstance(raw, time):
        return raw.replace(second=0, microsecond=0, tzinfo=None)
    if not isinstance(raw, str):
        raise ValueError(f"bad dose time {raw!r}")
    try:
        hh, mm = raw.split(":")[:2]
        return time(int(hh), int(mm))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"bad dose time {raw!r}") from exc


def _parse_date(raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(raw)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"bad from_date {raw!r}") from exc


def _mg(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError(f"bad mg {raw!r}")
    return float(raw)


def parse_plan(raw: list[dict]) -> tuple[Segment, ...]:
    """Parse the stored JSON plan into segments sorted by `from_date`; raise ValueError if invalid."""
    if not isinstance(raw, list):
        raise ValueError("plan must be a list of segments")
    segments: list[Segment] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError("plan segment must be an object")
        cycle = item.get("cycle_mg")
        daily = item.get("daily_mg")
        times = item.get("dose_times") or []
        if not isinstance(times, list | tuple):
            raise ValueError("dose_times must be a list")
        per_dose = item.get("doses")
        dose_mg = None
        if per_dose is not None:
            if not isinstance(per_dose, list) or not all(isinstance(d, dict) for d in per_dose):
                raise ValueError("doses must be a list of {time, mg}")
            ordered = sorted((_parse_time(d.get("time")), _mg(d.get("mg"))) for d in per_dose)
            times = [t for t, _ in ordered]
            dose_mg = tuple(mg for _, mg in ordered)
            daily = sum(dose_mg)
        doses = item.get("doses_per_day", len(times))
        if isinstance(doses, bool) or not isinstance(doses, int):
            raise ValueError("doses_per_day must be an integer")
        segments.append(
            Segment(
                from_date=_parse_date(item.get("from_date")),
                doses_per_day=doses,
                dose_times=tuple(sorted(_parse_time(t) for t in times)),
                daily_mg=None if daily is None else _mg(daily),
                cycle_mg=None if cycle is None else tuple(_mg(mg) for mg in cycle),
                dose_mg=dose_mg,
            )
        )
    segments.sort(key=lambda s: s.from_date)
    if any(a.from_date == b.from_date for a, b in pairwise(segments)):
        raise ValueError("two segments start on the same day")
    return tuple(segments)


def segment_spans(plan: Sequence[Segment]) -> list[tuple[Segment, date | None]]:
    """Each segment with its last day (the day before the next one starts; None for the last segment)."""
    return [
        (seg, plan[i + 1].from_date - timedelta(days=1) if i + 1 < len(plan) else None)
        for i, seg in enumerate(plan)
    ]


def segment_in_force(raw: list[dict], day: date) -> Segment | None:
    """The segment of a stored plan in force on `day` (the first one before the plan starts), parsing that
    segment only: a list of reminders needs one segment of each course's plan, and a plan may have 60."""
    dated = [(str(item.get("from_date")), item) for item in raw if isinstance(item, dict)]
    if not dated:
        return None
    on = day.isoformat()  # ISO dates order as strings
    started = [entry for entry in dated if entry[0] <= on]
    chosen = max(started, key=lambda e: e[0]) if started else min(dated, key=lambda e: e[0])
    return parse_plan([chosen[1]])[0]


def _segment_json(s: Segment) -> dict:
    out = {
        "from_date": s.from_date.isoformat(),
        "daily_mg": s.daily_mg,
        "cycle_mg": None if s.cycle_mg is None else list(s.cycle_mg),
        "doses_per_day": s.doses_per_day,
        "dose_times": [t.strftime("%H:%M") for t in s.dose_times],
    }
    if s.dose_mg is not None:  # per-dose amounts; the even split stays the shorthand without this key
        pairs = zip(s.dose_times, s.dose_mg, strict=True)
        out["doses"] = [{"time": t.strftime("%H:%M"), "mg": mg} for t, mg in pairs]
    return out


def plan_to_json(plan: Sequence[Segment]) -> list[dict]:
    """Inverse of `parse_plan`."""
    return [_segment_json(s) for s in sorted(plan, key=lambda s: s.from_date)]


def segment_for(plan: Sequence[Segment], day: date) -> Segment | None:
    """The segment in force on `day` (latest `from_date` <= day), or None before the first one."""
    i = bisect_right(plan, day, key=lambda s: s.from_date)
    return plan[i - 1] if i else None


def segment_mg(segment: Segment | None, day: date) -> float:
    """Planned mg of `day` under `segment` (0 when there is none)."""
    return 0.0 if segment is None else segment.mg_on(day)


def daily_mg(plan: Sequence[Segment], day: date) -> float:
    """Planned mg for `day`; 0 before the first segment."""
    return segment_mg(segment_for(plan, day), day)


def slots_for(plan: Sequence[Segment], day: date) -> list[PlannedSlot]:
    """The planned doses of `day`, each with its own mg (else an even split); none on a 0 mg day."""
    seg = segment_for(plan, day)
    mg = segment_mg(seg, day)
    if seg is None or mg <= 0:
        return []
    return [
        PlannedSlot(slot=i, time=t, mg=each)
        for i, (t, each) in enumerate(zip(seg.dose_times, seg.slot_mg(day), strict=True), start=1)
    ]


def iter_plan_days(plan: Sequence[Segment], first: date, last: date) -> Iterator[tuple[date, Segment | None]]:
    """Yield (day, segment in force) for each day from `first` to `last` inclusive, without re-searching."""
    if last < first:
        return
    i = bisect_right(plan, first, key=lambda s: s.from_date)
    seg = plan[i - 1] if i else None
    nxt = plan[i].from_date if i < len(plan) else None
    day, one = first, timedelta(days=1)
    while day <= last:
        while nxt is not None and day >= nxt:
            seg = plan[i]
            i += 1
            nxt = plan[i].from_date if i < len(plan) else None
        yield day, seg
        day += one
