"""Database helpers shared by the benchmarks: throw-away PostgreSQL databases, empty-check, clean-up."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def throwaway_postgres(admin_url: str, prefix: str = "cc_bench") -> Iterator[str]:
    """CREATE a fresh database through ``admin_url``; yield its SQLAlchemy URL; DROP it afterwards."""
    import psycopg

    admin_url = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_empty(engine: Any) -> None:
    """Refuse a database that already has tables: the benchmarks drop everything they create."""
    from sqlalchemy import inspect

    tables = inspect(engine).get_table_names()
    if tables:
        raise SystemExit(
            f"refusing to use {engine.url.render_as_string(hide_password=True)}: it already has tables "
            f"({', '.join(sorted(tables)[:5])}…). Give an empty database; the benchmark drops what it"
            " creates."
        )


def drop_everything(engine: Any) -> None:
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
