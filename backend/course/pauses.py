"""Pauses of a course (pure, no I/O): days the patient has stopped the capsules until the prescriber
says to restart (RED-11). A paused day is neither a dose day nor a missed one.

A pause runs from ``started_on`` (the first day without capsules) to the day before ``resumed_on`` (the
first day with capsules again); ``resumed_on`` None means it is still going on.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backend.i18n import catalog

__all__ = [
    "OTHER_REASONS",
    "Pause",
    "PauseProblem",
    "for_projection",
    "pause_lookup",
    "pause_on",
    "pause_problems",
    "paused_days",
    "paused_text",
    "reason_texts",
    "unpaused_runs",
]

# Reasons besides a red flag key of the check-in rules: the mood check's answers, or the prescriber's call.
OTHER_REASONS: tuple[str, ...] = tuple(catalog("pauses", "en")["reasons"])
_ONE = timedelta(days=1)


def reason_texts(language: str | None = None) -> dict[str, dict[str, Any]]:
    """The other reasons' label and sentence in ``language`` (default: the current locale)."""
    return catalog("pauses", language)["reasons"]


def paused_text(language: str | None = None) -> dict[str, Any]:
    """What a pause means (RED-11), shown in Today and the timeline, in ``language``."""
    return catalog("pauses", language)["paused"]


@dataclass(frozen=True)
class Pause:
    started_on: date
    resumed_on: date | None = None
    reason: str = "prescriber"
    id: str | None = None

    def covers(self, day: date) -> bool:
        return self.started_on <= day and (self.resumed_on is None or day < self.resumed_on)

    @property
    def open(self) -> bool:
        return self.resumed_on is None


def pause_on(pauses: Iterable[Pause], day: date) -> Pause | None:
    """The pause covering ``day`` (pauses never overlap), or None."""
    return next((p for p in pauses if p.covers(day)), None)


def pause_lookup(pauses: Iterable[Pause]) -> Callable[[date], Pause | None]:
    """``pause_on`` for many days: the pauses sorted once, each day found by bisection (pauses never
    overlap, so only the latest to start on or before the day can cover it)."""
    ordered = sorted((p for p in pauses if p.resumed_on != p.started_on), key=lambda p: p.started_on)
    starts = [p.started_on for p in ordered]

    def on(day: date) -> Pause | None:
        i = bisect_right(starts, day) - 1
        return ordered[i] if i >= 0 and ordered[i].covers(day) else None

    return on


def paused_days(pauses: Iterable[Pause], first: date, last: date) -> int:
    """How many days of [first, last] fall in a pause."""
    total = 0
    for p in pauses:
        start = max(p.started_on, first)
        end = last if p.resumed_on is None else min(p.resumed_on - _ONE, last)
        if end >= start:
            total += (end - start).days + 1
    return total


def unpaused_runs(first: date, last: date | None, pauses: Iterable[Pause]) -> list[tuple[date, date | None]]:
    """[first, last] (``last`` None: open-ended) as runs of days outside every pause, in order."""
    runs: list[tuple[date, date | None]] = []
    cursor = first
    for p in sorted(pauses, key=lambda p: p.started_on):
        if p.resumed_on == p.started_on or (last is not None and p.started_on > last):
            continue
        if p.resumed_on is not None and p.resumed_on <= cursor:
            continue
        if p.started_on > cursor:
            runs.append((cursor, p.started_on - _ONE))
        if p.resumed_on is None:
            return runs
        cursor = p.resumed_on
    if last is None or cursor <= last:
        runs.append((cursor, last))
    return runs


def for_projection(pauses: Sequence[Pause], today: date) -> tuple[Pause, ...]:
    """The pauses a projection assumes: a pause still going on is taken to end today, so the estimate is
    "if the capsules restart tomorrow" and moves on by a day for every day the pause lasts."""
    return tuple(
        Pause(p.started_on, max(today, p.started_on) + _ONE, p.reason, p.id) if p.open else p for p in pauses
    )


@dataclass(frozen=True)
class PauseProblem:
    field: str
    message: str


def pause_problems(
    started_on: date,
    resumed_on: date | None,
    others: Sequence[Pause],
    course_start: date,
    ended_on: date | None,
    latest_start: date,
) -> list[PauseProblem]:
    """Why the pause [started_on, resumed_on) cannot be stored next to the course's ``others``.

    Checked: a start before the course or after its last capsule or after ``latest_start``; a restart
    before the start or after the last capsule; a second pause still going on; an overlap with another.
    """
    problems: list[PauseProblem] = []
    if started_on < course_start:
        problems.append(PauseProblem("started_on", "A pause cannot start before the course started."))
    elif ended_on is not None and started_on > ended_on:
        problems.append(
            PauseProblem(
                "started_on", f"The course ended on {ended_on.isoformat()}; a pause cannot start after it."
            )
        )
    elif started_on > latest_start:
        problems.append(
            PauseProblem("started_on", f"A pause can start at the latest on {latest_start.isoformat()}.")
        )
    if resumed_on is not None and resumed_on < started_on:
        problems.append(PauseProblem("resumed_on", "The restart cannot come before the pause started."))
    elif resumed_on is not None and ended_on is not None and resumed_on > ended_on:
        problems.append(
            PauseProblem(
                "resumed_on", f"The course ended on {ended_on.isoformat()}; a restart cannot come after it."
            )
        )
    if problems:
        return problems
    still_open = next((p for p in others if p.open), None)
    if resumed_on is None and still_open is not None:
        return [
            PauseProblem(
                "started_on",
                f"A pause since {still_open.started_on.isoformat()} is still going on; end it first.",
            )
        ]
    mine = Pause(started_on, resumed_on)
    for other in others:
        if _overlap(mine, other):
            field = "started_on" if other.covers(started_on) or resumed_on is None else "resumed_on"
            until = f" until {other.resumed_on.isoformat()}" if other.resumed_on else ""
            return [
                PauseProblem(field, f"This overlaps the pause from {other.started_on.isoformat()}{until}.")
            ]
    return []


def _overlap(a: Pause, b: Pause) -> bool:
    """Whether two pauses share a day (an empty pause, restarted the day it began, shares none)."""
    if a.resumed_on == a.started_on or b.resumed_on == b.started_on:
        return False
    a_end = a.resumed_on or date.max
    b_end = b.resumed_on or date.max
    return a.started_on < b_end and b.started_on < a_end
