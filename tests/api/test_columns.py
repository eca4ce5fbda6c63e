"""`driver_rows` reads through SQLAlchemy's execution: the driver's tuples, and a database error as
SQLAlchemy's DBAPIError (which the error handler logs without the driver's message), on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, column, select, table
from sqlalchemy.exc import DBAPIError

from backend.extensions import db
from backend.services.columns import driver_rows

_NOWHERE = select(column("x")).select_from(table("no_such_table")).where(column("x") == bindparam("value"))


def test_a_database_error_arrives_as_sqlalchemys(app):
    with app.app_context():
        with pytest.raises(DBAPIError):
            driver_rows(_NOWHERE, value=1)
        db.session.rollback()


def test_rows_are_the_drivers_tuples(patient, app):
    from backend.models import Course
    from tests.api.apihelp import course_from, days_ago

    made = patient.create_course(**course_from(days_ago(3)))
    query = select(Course.id, Course.timezone).where(Course.id == bindparam("course_id"))
    with app.app_context():
        rows = driver_rows(query, course_id=made["id"])
    assert rows == [(made["id"], "Europe/Berlin")]
    assert type(rows[0]) is tuple
