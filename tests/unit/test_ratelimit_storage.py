"""The default rate-limit storage: one SQLite file whose counters every process of a machine shares."""

from __future__ import annotations

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from backend import ratelimit_storage
from backend.ratelimit_storage import SQLiteStorage, storage_uri


def test_two_storages_on_one_file_share_one_count(tmp_path):
    uri = storage_uri(tmp_path / "limits.db")
    first, second = storage_from_string(uri), storage_from_string(uri)  # as two worker processes
    assert isinstance(first, SQLiteStorage)
    limit = parse("5 per minute")
    hits = [FixedWindowRateLimiter(s).hit(limit, "client") for s in (first, second) * 4]
    assert hits == [True] * 5 + [False] * 3
    assert second.get(limit.key_for("client")) == 8 and first.check()


def test_a_window_ends_after_its_expiry(tmp_path, monkeypatch):
    storage = SQLiteStorage(storage_uri(tmp_path / "limits.db"))
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit_storage.time, "time", lambda: now[0])
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get_expiry("k") == now[0] + 60
    now[0] += 61
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1  # a fresh window
    storage.clear("k")
    assert storage.get("k") == 0
