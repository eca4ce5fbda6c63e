"""A per-patient quota over a sliding window: at most `limit` requests within `window`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta


class QuotaSpent(Exception):
    """`limit` requests within `window` were made; the next is possible in `retry_after` seconds."""

    def __init__(self, limit: int, window: timedelta, retry_after: int) -> None:
        super().__init__(f"{limit} per {window}")
        self.limit = limit
        self.window = window
        self.retry_after = retry_after


def check_quota(recent: Sequence[datetime], now: datetime, limit: int, window: timedelta) -> None:
    """QuotaSpent when `recent` (the earlier requests' times within `window`, oldest first) holds `limit`."""
    if len(recent) >= limit:
        wait = (recent[len(recent) - limit] + window - now).total_seconds()
        raise QuotaSpent(limit, window, max(1, math.ceil(wait)))
