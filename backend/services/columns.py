"""Reading many rows fast, for the views that read a course's whole log (bench/worst_get.py).

`driver_rows` runs a Core select on the session's connection and returns the driver's own tuples: no
SQLAlchemy result rows and no per-value type processing, which for a two-year dose log is a fifth of the
read. The statement still goes through SQLAlchemy's execution, so a database error arrives as its
`DBAPIError` (logged without the driver's message) and a dropped connection is invalidated. The values are
as the driver hands them: SQLite gives dates and datetimes as ISO texts (`as_date`, `as_datetime`),
PostgreSQL's driver date and datetime objects. A JSON column comes as its text when read through
`json_text`, for `json_values` to decode in one orjson parse (a third of the standard library's time for
400 check-ins).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, Text, cast
from sqlalchemy.engine import Compiled, Dialect

from backend.extensions import db

_Binds = dict[str, Callable[[Any], Any]]
_compiled: dict[tuple[int, str], tuple[Select, Compiled, _Binds]] = {}


def _compile(statement: Select, dialect: Dialect) -> tuple[Select, Compiled, _Binds]:
    compiled = statement.compile(dialect=dialect)
    binds = {}
    for name, bind in compiled.binds.items():  # a date parameter is written as the dialect stores dates
        process = bind.type.bind_processor(dialect)
        if process is not None:
            binds[name] = process
    return statement, compiled, binds


def driver_rows(statement: Select, **params: Any) -> list[tuple]:
    """`statement`'s rows as the driver hands them. `statement` is a module-level constant whose
    parameters are `bindparam`s named as `params` (it is compiled once per dialect and kept)."""
    connection = db.session.connection()
    key = (id(statement), connection.dialect.name)
    held = _compiled.get(key)
    if held is None or held[0] is not statement:
        held = _compiled[key] = _compile(statement, connection.dialect)
    _, compiled, binds = held
    values = compiled.construct_params(params)
    for name, process in binds.items():
        values[name] = process(values[name])
    args: Any = tuple(values[name] for name in compiled.positiontup or ()) if compiled.positional else values
    result = connection.exec_driver_sql(compiled.string, args)
    try:
        return result.cursor.fetchall()  # the driver's tuples, past the result's row processing
    finally:
        result.close()


def json_text(column: ColumnElement[Any]) -> ColumnElement[str]:
    """A JSON column read as its stored text on every database, for `json_values` to decode in one parse
    (PostgreSQL's driver would otherwise decode each value by itself, one call a row)."""
    return cast(column, Text)


def json_values(values: list[Any]) -> list[Any]:
    """A JSON column's values read without per-value decoding (`json_text`): the texts are decoded here in
    one parse instead of one each (most of reading 400 check-ins); a value the driver already decoded
    stays as it is, and NULL stays None."""
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return values
    decoded = iter(orjson.loads("[" + ",".join(texts) + "]"))
    return [next(decoded) if isinstance(v, str) else v for v in values]


def as_date(value: date | str) -> date:
    """A date column's value from `driver_rows`: SQLite's ISO text or the driver's date."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def as_datetime(value: datetime | str) -> datetime:
    """A (naive) datetime column's value from `driver_rows`: SQLite's ISO text or the driver's datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def as_utc(value: datetime | str | None) -> datetime | None:
    """A `UTCDateTime` column's value from `driver_rows`, as the column type reads it: aware, in UTC (SQLite
    keeps the UTC wall time without an offset)."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
