"""Weight history (pure): which recorded weight the course's mg/kg is counted by.

Cumulative targets are set in mg per kg of the weight at the start (DOSE-2, DOSE-3). A later weight
changes that only when the prescriber re-bases the plan on it; otherwise editing the weight never
rewrites the course's mg/kg after the fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class WeightPoint:
    recorded_on: date
    weight_kg: float
    rebased: bool = False  # the prescriber's plan is based on this weight from now on


def basis(history: Sequence[WeightPoint]) -> tuple[WeightPoint, str] | None:
    """(weight the mg/kg is counted by, "start" | "rebased"); None without any weight."""
    if not history:
        return None
    ordered = sorted(history, key=lambda w: w.recorded_on)
    rebased = [w for w in ordered[1:] if w.rebased]
    return (rebased[-1], "rebased") if rebased else (ordered[0], "start")


def start_and_latest(history: Sequence[WeightPoint]) -> tuple[WeightPoint, WeightPoint] | None:
    if not history:
        return None
    ordered = sorted(history, key=lambda w: w.recorded_on)
    return ordered[0], ordered[-1]
