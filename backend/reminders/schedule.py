"""Local wall-clock → UTC instants, DST-safe (pure: zoneinfo only, no Flask, no database).

Rules every reminder time follows:
- A local time that does not exist (spring forward) fires at the first valid instant after it,
  i.e. at the moment the clocks jump (02:30 in Berlin on the last Sunday of March → 03:00 CEST).
- A local time that happens twice (fall back) fires once, at its first occurrence (fold=0).
- Quiet hours move a reminder that would fire inside them to the end of the quiet window.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend.course.dates import add_months

__all__ = [
    "QuietHours",
    "add_months",
    "is_ambiguous",
    "is_nonexistent",
    "local_dates_between",
    "next_daily",
    "resolve_local",
    "schedule_local",
    "to_local",
]


@dataclass(frozen=True)
class QuietHours:
    """A daily local window [start, end) in which nothing fires; it may wrap past midnight."""

    start: time
    end: time

    def contains(self, t: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def shift_earlier(self, local: datetime) -> datetime:
        """Move a naive local date-time inside the window to the minute before the window began."""
        t = local.time()
        if not self.contains(t):
            return local
        start_day = local.date()
        if self.start > self.end and t < self.end:  # wrapped window, we are after midnight
            start_day -= timedelta(days=1)
        return datetime.combine(start_day, self.start) - timedelta(minutes=1)

    def shift(self, local: datetime) -> datetime:
        """Move a naive local date-time inside the window to the window's end (else unchanged)."""
        t = local.time()
        if not self.contains(t):
            return local
        end_day = local.date()
        if self.start > self.end and t >= self.start:  # wrapped window, we are before midnight
            end_day += timedelta(days=1)
        return datetime.combine(end_day, self.end)


def _zone(zone: ZoneInfo | str) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def is_nonexistent(naive: datetime, zone: ZoneInfo | str) -> bool:
    """True when the wall-clock time is skipped by a forward DST jump in `zone`."""
    tz = _zone(zone)
    aware = naive.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive


def is_ambiguous(naive: datetime, zone: ZoneInfo | str) -> bool:
    """True when the wall-clock time happens twice (a backward DST change) in `zone`."""
    tz = _zone(zone)
    return (
        not is_nonexistent(naive, tz)
        and naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()
    )


def resolve_local(naive: datetime, zone: ZoneInfo | str) -> datetime:
    """The UTC instant of a local wall-clock time, by the rules in the module docstring."""
    tz = _zone(zone)
    if naive.tzinfo is not None:
        raise ValueError("resolve_local takes a naive local date-time")
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first  # exists; for a repeated time fold=0 is the first of the two
    # In a gap: fold=0 applies the offset before the jump (too late), fold=1 the one after (too
    # early). The jump lies between them; find it to the second by bisection.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = first
    if low > high:
        low, high = high, low
    before = low.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    return high.replace(microsecond=0)


def schedule_local(day: date, at: time, zone: ZoneInfo | str, quiet: QuietHours | None = None) -> datetime:
    """UTC instant for `at` on local `day`, after moving it out of quiet hours."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    if quiet is not None:
        naive = quiet.shift(naive)
    return resolve_local(naive, zone)


def to_local(instant: datetime, zone: ZoneInfo | str) -> datetime:
    """An aware UTC instant shown in `zone` (aware, with that zone's offset)."""
    if instant.tzinfo is None:
        raise ValueError("to_local takes an aware datetime")
    return instant.astimezone(_zone(zone))


def local_dates_between(start: datetime, end: datetime, zone: ZoneInfo | str) -> Iterator[date]:
    """Every local date in `zone` that overlaps [start, end] (both aware), plus one day each side.

    The extra days cover local times that quiet hours or DST push across midnight.
    """
    tz = _zone(zone)
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        yield day
        day += timedelta(days=1)


def next_daily(at: time, zone: ZoneInfo | str, after: datetime, quiet: QuietHours | None = None) -> datetime:
    """The first daily occurrence of local `at` strictly after the aware instant `after`."""
    for day in local_dates_between(after, after + timedelta(days=2), zone):
        instant = schedule_local(day, at, zone, quiet)
        if instant > after:
            return instant
    raise AssertionError("unreachable: a daily time recurs within two days")
