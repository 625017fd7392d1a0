"""Row versions: optimistic concurrency for records that people edit on forms.

``child.version`` and ``measurement.version`` start at 1. A form or an API request
carries the version it started from; the change is one statement that checks it and
adds one, ``UPDATE ... SET ..., version = version + 1 WHERE id = :id AND version =
:version`` (a delete checks it the same way). When another save came first the statement
changes no row and :class:`StaleVersion` is raised, so of two concurrent saves only the
first wins, even when both passed every check before either wrote: on PostgreSQL the
second statement waits for the first's row lock and then finds the version changed; on
SQLite the write transaction (``BEGIN IMMEDIATE``) already serialises them
(docs/security.md, section 5).
"""

from collections.abc import Mapping

from sqlalchemy import Connection, Table, delete, update


class StaleVersion(Exception):  # noqa: N818 - a signal to the caller, who shows the change
    """The row changed (or went) since the version the caller started from."""


def versioned_update(
    connection: Connection, table: Table, row_id: int, version: int, values: Mapping[str, object]
) -> None:
    """Store ``values`` in row ``row_id`` of ``table`` if it is still at ``version``,
    adding one to the version; else :class:`StaleVersion` (nothing written)."""
    statement = (
        update(table)
        .where(table.c.id == row_id, table.c.version == version)
        .values(**values, version=table.c.version + 1)
    )
    if connection.execute(statement).rowcount != 1:
        raise StaleVersion(f"{table.name} {row_id} is no longer at version {version}")


def versioned_delete(connection: Connection, table: Table, row_id: int, version: int) -> None:
    """Delete row ``row_id`` of ``table`` if it is still at ``version``; else
    :class:`StaleVersion` (nothing deleted)."""
    statement = delete(table).where(table.c.id == row_id, table.c.version == version)
    if connection.execute(statement).rowcount != 1:
        raise StaleVersion(f"{table.name} {row_id} is no longer at version {version}")
