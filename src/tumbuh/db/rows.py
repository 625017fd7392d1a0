"""Two row operations the tables of cases, PMT episodes and kitchens share: add a row that
a partial unique index may refuse (one OPEN case, one open episode per child), and take a
row's lock so two changes of one record go one after the other."""

from collections.abc import Mapping

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from tumbuh.db.models import Base, table_of


class Taken(Exception):  # noqa: N818 - a signal to the caller
    """The row would be a second open one where only one may be open."""


def insert_open_row(
    connection: Connection,
    model: type[Base],
    values: Mapping[str, object],
    *,
    index: str,
    subject: str = "child_id",
) -> int:
    """Add a row (in a savepoint) and return its id; :class:`Taken` when the unique
    ``index`` on ``subject`` refuses it (the driver names the index, or SQLite the
    table's column)."""
    table = table_of(model)
    column = f"{table.name}.{subject}"
    try:
        with connection.begin_nested():
            result = connection.execute(insert(table).values(**values))
    except IntegrityError as error:
        if index in str(error.orig) or column in str(error.orig):
            raise Taken from None
        raise
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every insert here has a primary key
        raise RuntimeError(f"no id for the new {table.name} row")
    return int(key[0])


def lock_row(connection: Connection, model: type[Base], row_id: int) -> None:
    """Take the row's lock (PostgreSQL; SQLite's write transaction locks already)."""
    table = table_of(model)
    connection.execute(select(table.c.id).where(table.c.id == row_id).with_for_update())
