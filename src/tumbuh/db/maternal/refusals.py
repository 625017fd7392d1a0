"""Telling which unique constraint refused a row, without reading any value from the
driver's message (the message of PostgreSQL names the values; SQLite's names columns)."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Connection, Executable, insert
from sqlalchemy.exc import IntegrityError

from tumbuh.db.models import Base, table_of


class Refused(Exception):  # noqa: N818 - a signal to the caller
    """A unique constraint refused the row; the message says which, never a value."""


class VisitTaken(Refused):
    """The pregnancy already has a visit on that day (ANC) or of that number (KF)."""


class MonthTaken(Refused):
    """The child already has a record of that month (raced by another save)."""


class NikTaken(Refused):
    """Another catin has this NIK."""


def refused_by(error: IntegrityError, constraint: str, sqlite_columns: str) -> bool:
    """True when ``constraint`` refused the statement: psycopg names the constraint
    (``diag``), sqlite3 the table's columns ("UNIQUE constraint failed: t.a, t.b")."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:
        return getattr(diag, "constraint_name", None) == constraint
    return f"UNIQUE constraint failed: {sqlite_columns}" in str(error.orig)


@contextmanager
def refusing(signal: Refused, constraint: str, sqlite_columns: str) -> Iterator[None]:
    """Run a write in a savepoint; ``signal`` when ``constraint`` refuses it."""
    try:
        yield
    except IntegrityError as error:
        if refused_by(error, constraint, sqlite_columns):
            raise signal from None
        raise


def insert_row(
    connection: Connection,
    model: type[Base],
    values: Mapping[str, object],
    refusal: tuple[Refused, str, str] | None = None,
) -> int:
    """Add a row (in a savepoint) and return its id; ``refusal`` (signal, constraint,
    SQLite's columns) turns that constraint's refusal into the signal."""
    table = table_of(model)
    statement = insert(table).values(**values).returning(table.c.id)
    if refusal is None:
        return int(connection.execute(statement).scalar_one())
    with refusing(*refusal), connection.begin_nested():
        return int(connection.execute(statement).scalar_one())


def execute_refusing(
    connection: Connection, statement: Executable, refusal: tuple[Refused, str, str]
) -> None:
    """Run a write in a savepoint; the refusal's signal when its constraint refuses it."""
    with refusing(*refusal), connection.begin_nested():
        connection.execute(statement)
