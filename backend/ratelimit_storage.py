"""Rate-limit counters in an SQLite file, shared by every process of one machine.

Flask-Limiter keeps its counters in a `limits` storage. `memory://` counts in each process, so with
`python -m backend.serve`'s two web workers every limit would be twice what it says. This storage
(scheme `sqlite:///<absolute path>`, registered with `limits` on import) is the default: the
workers of one machine share one counter per key through a small WAL-mode SQLite file beside the
app's instance data. Each hit is one atomic upsert; expired windows are swept now and then. With
several machines, set RATELIMIT_STORAGE_URI=redis://… instead.

Only the fixed-window strategy (Flask-Limiter's default, the one configured) is supported.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from limits.storage import Storage

SCHEME = "sqlite"
SWEEP_EVERY = 500  # hits per connection between deletions of expired windows

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters "
    "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
)
_HIT = """
INSERT INTO counters (key, count, expires) VALUES (:key, :amount, :expires)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counters.expires <= :now THEN :amount ELSE counters.count + :amount END,
    expires = CASE WHEN counters.expires <= :now THEN :expires ELSE counters.expires END
RETURNING count
"""


def storage_uri(path: Path) -> str:
    return f"{SCHEME}:///{path.resolve()}"


class SQLiteStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1][1:] or ":memory:"
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")  # counters, not records: a crash may lose a window
            conn.execute(_SCHEMA)
            self._local.conn, self._local.hits = conn, 0
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._db()
        self._local.hits += 1
        if self._local.hits % SWEEP_EVERY == 0:
            conn.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        values = {"key": key, "amount": amount, "expires": now + expiry, "now": now}
        row = conn.execute(_HIT, values).fetchone()
        return int(row[0])

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute("SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = (
            self._db()
            .execute("SELECT expires FROM counters WHERE key = ? AND expires > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))
