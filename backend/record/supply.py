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

from backend.course.pauses import Pause, for_projection, pause_lookup
from backend.course.plan import Segment, iter_plan_days

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

    runs_out: date | None = None
    stock = left
    stop = today + timedelta(days=HORIZON_DAYS)
    if last_capsule is not None:
        stop = min(stop, last_capsule)
    assumed = pause_lookup(
        for_projection(pauses, today)
    )  # paused days use no capsules; an open pause ends today
    for day, seg in iter_plan_days(plan, today, stop):
        if seg is None or assumed(day):
            continue
        mg = seg.mg_on(day)
        if mg <= 0:
            continue
        if day == today:
            mg = sum(m for s, m in enumerate(seg.slot_mg(day), start=1) if s not in logged_today)
        if stock + _EPS < mg:
            runs_out = day
            break
        stock -= mg
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
