"""Calendar arithmetic the course and its reminders share (pure).

"One month after the last capsule" (PREG-1, PREG-6, PREG-7, AFTER-1) is never shorter than 30 days: a
calendar month clamped to the month's end would put 31 January + 1 month on 28 February, only 28 days
later, so the later of "the same day next month" and "30 days later" is used everywhere.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = ["MIN_MONTH_DAYS", "add_months", "month_after"]

MIN_MONTH_DAYS = 30


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_after(day: date) -> date:
    """The first day that is a full month after ``day``: never fewer than 30 days later."""
    return max(add_months(day, 1), day + timedelta(days=MIN_MONTH_DAYS))
