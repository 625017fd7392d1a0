"""Bulk writes of whole columns: executemany on SQLite, COPY on PostgreSQL; and the
chunks in which bulk reads name their keys (``IN (...)`` lists).

Columns arrive as NumPy arrays (or one value for every row) and are turned into the
driver's plain Python values by the SQL type of the target column: NaN and NaT become
NULL, dates ISO text, flags booleans. Rows go to the database in chunks, so memory stays
bounded for millions of rows. Inserting this way skips SQLAlchemy's per-row parameter
processing, which costs more than the database itself at this size (benchmarks/).
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Boolean, Connection, Integer, Table, text

CHUNK_ROWS = 100_000
CHUNK = 900  # values per IN (...) list: below SQLite's old limit of 999 parameters
T = TypeVar("T")

ColumnValues = np.ndarray | Sequence[Any] | str | int | float | bool | None


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size``."""
    part: list[T] = []
    for value in values:
        part.append(value)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


def _plain(value: object) -> object:
    """An enum's value, a NumPy scalar's Python value, anything else unchanged."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, np.generic):
        return value.item()
    return value


def _as_python(values: ColumnValues, sql_type: object, start: int, stop: int) -> list[Any]:
    """Plain driver values for rows ``start:stop`` of one column."""
    if values is None or isinstance(values, str | int | float | bool | Enum):
        scalar = values.value if isinstance(values, Enum) else values
        return [scalar] * (stop - start)
    part = values[start:stop]
    if not isinstance(part, np.ndarray):
        return [_plain(v) for v in part]
    if np.issubdtype(part.dtype, np.datetime64):
        iso = np.datetime_as_string(part.astype("datetime64[D]")).astype(object)
        return [None if v == "NaT" else v for v in iso]
    if np.issubdtype(part.dtype, np.floating):
        missing = np.isnan(part)
        if isinstance(sql_type, Integer):
            objects = np.where(missing, 0, part).astype(np.int64).astype(object)
        elif isinstance(sql_type, Boolean):
            objects = (np.where(missing, 0, part) != 0).astype(object)
        else:
            objects = part.astype(object)
        objects[missing] = None
        return list(objects.tolist())
    if part.dtype == object:
        return [_plain(v) for v in part.tolist()]
    return list(part.tolist())


def insert_columns(
    connection: Connection, table: Table, columns: Mapping[str, ColumnValues]
) -> int:
    """Insert one row per array element; returns the number of rows."""
    lengths = {len(v) for v in columns.values() if isinstance(v, np.ndarray | list | tuple)}
    if len(lengths) != 1:
        raise ValueError(f"columns for {table.name} must have one common length, got {lengths}")
    n = lengths.pop()
    names = list(columns)
    types = [table.c[name].type for name in names]
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        lists = [_as_python(columns[c], t, start, stop) for c, t in zip(names, types, strict=True)]
        rows = list(zip(*lists, strict=True))
        if connection.dialect.name == "postgresql":
            _copy(connection, table, names, rows)
        else:
            _executemany(connection, table, names, rows)
    return n


def _quoted(connection: Connection, names: Sequence[str]) -> str:
    quote = connection.dialect.identifier_preparer.quote
    return ", ".join(quote(name) for name in names)


def _executemany(
    connection: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> None:
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table.name} ({_quoted(connection, names)}) VALUES ({marks})"
    connection.exec_driver_sql(sql, rows)


def _copy(
    connection: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """PostgreSQL COPY FROM STDIN through psycopg, inside the connection's transaction."""
    driver = connection.connection.driver_connection
    if driver is None:  # pragma: no cover - a live connection always has its driver
        raise RuntimeError("no driver connection")
    sql = f"COPY {table.name} ({_quoted(connection, names)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def reset_id_sequences(connection: Connection, tables: Sequence[Table]) -> None:
    """After inserting explicit ids: move PostgreSQL's id sequences past the largest id.

    SQLite needs nothing (INTEGER PRIMARY KEY continues from the largest rowid).
    """
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def delete_all(connection: Connection, table: Table) -> None:
    """Delete every row of ``table``."""
    connection.execute(table.delete())
