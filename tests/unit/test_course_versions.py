"""The PWA keeps a course read from the server only if it is not older than the one on the device, by
`updated_at`: its reading of those instants (instantMicros, frontend/src/lib/dates.ts) must order the
values the API writes (CourseSchema) exactly as the server's own clock does, to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from backend.api.schemas.courses import CourseSchema
from tests.support.frontend_script import run_frontend_script

BASE = datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)


def _instants() -> list[datetime]:
    steps = [timedelta(0), timedelta(microseconds=1), timedelta(microseconds=999), timedelta(milliseconds=1)]
    steps += [timedelta(microseconds=1_000_001), timedelta(hours=1), timedelta(days=400)]
    instants = [BASE + step for step in steps] + [BASE - step for step in steps[1:]]
    # The same instants written with other offsets (the API writes UTC, but nothing should depend on it).
    instants += [i.astimezone(timezone(timedelta(hours=h))) for i in instants[:4] for h in (2, -5)]
    return instants


def test_the_phone_orders_updated_at_like_the_server():
    instants = _instants()
    field = CourseSchema().fields["updated_at"]
    written = [field.serialize("updated_at", {"updated_at": i}) for i in instants]
    assert any("." not in w for w in written) and any("." in w for w in written), written
    micros = run_frontend_script("instant-cases.mjs", written)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    expected = [(i - epoch) // timedelta(microseconds=1) for i in instants]
    assert micros == expected, list(zip(written, micros, strict=True))
