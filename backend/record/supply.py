"""Capsule supply arithmetic (pure): what is left after the recorded pick-ups and the day it runs out.

Stock is counted in mg from the first recorded pick-up on: every pick-up adds capsules × strength, every
dose logged *taken* on or after that day takes its mg away. Capsules left are the mg left divided by the
latest pick-up's strength (``mixed_strengths`` says when that is only an estimate). The day the supply
runs out is the first day, from today on, whose planned doses (today's not yet logged ones included) the
stock cannot fully cover at the current plan. The plan is the prescriber's (PRODUCT-1); nothing here
suggests a dose. Under a 30-day prescription rule (DOSE-10) the next supply is needed by the earlier of
that day and 30 days after the latest pick-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from backend.course.pauses import Pause, for_projection, pause_lookup, unpaused_runs
from backend.course.plan import Segment, segment_for, segment_spans

PRESCRIPTION_DAYS = 30  # DOSE-10: one prescription covers at most 30 days
HORIZON_DAYS = 3 * 366  # never walk the plan further than this
_EPS = 1e-6


@dataclass(frozen=True)
class Pickup:
    picked_up_on: date
    capsules: int
    strength_mg: float


class TakenDose(NamedTuple):
    """A dose logged taken (a named tuple: a course's log is read by the thousand on every view)."""

    date: date
    slot: int
    mg: float


@dataclass(frozen=True)
class Supply:
    picked_up_mg: float
    taken_mg: float
    mg_left: float
    capsules_left: int
    strength_mg: float
    mixed_strengths: bool
    runs_out_on: date | None  # None: the stock covers the plan to the last capsule (or nothing is planned)
    covers_to_last_capsule: bool
    next_supply_needed_on: date | None
    # Only an estimated end comes before the next supply is needed: it may be the last one, or the
    # prescriber may go on past the total (DOSE-13). Words are added; the date is not dropped.
    may_be_last_supply: bool = False


def supply(
    pickups: Sequence[Pickup],
    taken: Iterable[TakenDose],
    plan: Sequence[Segment],
    today: date,
    last_capsule: date | None = None,
    prescription_limit: bool = False,
    pauses: Sequence[Pause] = (),
    projected_last: date | None = None,
) -> Supply | None:
    """The supply picture, or None when no pick-up is recorded.

    ``taken`` are the doses logged taken (any date); ``last_capsule`` (the confirmed ended_on) ends the
    walk; a ``projected_last`` capsule never does — it only sets ``may_be_last_supply``;
    ``prescription_limit`` applies DOSE-10's 30-day rule to ``next_supply_needed_on``.
    """
    if not pickups:
        return None
    ordered = sorted(pickups, key=lambda p: p.picked_up_on)
    first = ordered[0].picked_up_on
    latest = ordered[-1]
    picked = sum(p.capsules * p.strength_mg for p in ordered)
    logged_today: set[int] = set()
    used = 0.0
    for dose in taken:
        if dose.date >= first:
            used += dose.mg
        if dose.date == today:
            logged_today.add(dose.slot)
    left = max(picked - used, 0.0)

    stop = today + timedelta(days=HORIZON_DAYS)
    if last_capsule is not None:
        stop = min(stop, last_capsule)
    assumed = for_projection(pauses, today)  # paused days use no capsules; an open pause ends today
    runs_out, stock = None, left
    if today <= stop and pause_lookup(assumed)(today) is None:
        seg = segment_for(plan, today)
        if seg is not None and seg.mg_on(today) > 0:  # today: only the doses not logged yet
            mg = sum(m for slot, m in enumerate(seg.slot_mg(today), start=1) if slot not in logged_today)
            if stock + _EPS < mg:
                runs_out = today
            stock -= mg
    if runs_out is None:
        runs_out = _runs_out(stock, plan, today + timedelta(days=1), stop, assumed)
    covers = runs_out is None and last_capsule is not None
    needed = runs_out
    if prescription_limit:
        limit = latest.picked_up_on + timedelta(days=PRESCRIPTION_DAYS)
        if last_capsule is None or limit <= last_capsule:
            needed = limit if needed is None else min(needed, limit)
    return Supply(
        picked_up_mg=picked,
        taken_mg=used,
        mg_left=left,
        capsules_left=int((left + _EPS) // latest.strength_mg),
        strength_mg=latest.strength_mg,
        mixed_strengths=len({p.strength_mg for p in ordered}) > 1,
        runs_out_on=runs_out,
        covers_to_last_capsule=covers,
        next_supply_needed_on=needed,
        may_be_last_supply=last_capsule is None
        and projected_last is not None
        and (needed is None or needed > projected_last),
    )


def _runs_out(
    stock: float, plan: Sequence[Segment], first: date, last: date, pauses: Sequence[Pause]
) -> date | None:
    """The first day from ``first`` to ``last`` whose planned mg ``stock`` cannot cover, taking each covered
    day's mg away in turn (None: it covers them all). Paused days take nothing. A run of days at one daily
    amount is counted in one step (a course's plan is walked up to three years ahead on every reminder
    view); a cycle day by day."""
    for run_first, run_last in unpaused_runs(first, last, pauses):
        end = run_last if run_last is not None else last
        for seg, a, b in _segment_days(plan, run_first, end):
            if seg.cycle_mg is None:
                mg = seg.daily_mg or 0.0
                if mg <= 0:
                    continue
                days = (b - a).days + 1
                covered = min(days, int((stock + _EPS) // mg))
                if covered < days:
                    return a + timedelta(days=covered)
                stock -= days * mg
                continue
            cycle, shift = seg.cycle_mg, (a - seg.from_date).days
            for i in range((b - a).days + 1):
                mg = cycle[(shift + i) % len(cycle)]
                if mg <= 0:
                    continue
                if stock + _EPS < mg:
                    return a + timedelta(days=i)
                stock -= mg
    return None


def _segment_days(plan: Sequence[Segment], first: date, last: date) -> list[tuple[Segment, date, date]]:
    """(segment, its first day, its last day) for the days from ``first`` to ``last`` a segment covers."""
    out = []
    for seg, seg_last in segment_spans(plan):
        a, b = max(first, seg.from_date), min(last, seg_last or last)
        if a <= b:
            out.append((seg, a, b))
    return out
