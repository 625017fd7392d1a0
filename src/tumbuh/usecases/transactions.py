"""Transactions of the use cases, and telling a busy database from a broken one.

The adapters hold a connection (one per web request, one per command) and pass it to a
use case; only the use case decides when a transaction begins, commits or rolls back:

- a read runs in the connection's own transaction, begun by its first statement;
- a write runs in :func:`writing`: it begins for writing (on SQLite ``BEGIN IMMEDIATE``,
  so the lock is taken before the first read), commits when the block ends and rolls back
  when it raises, so a refused change leaves nothing behind.

A database that stays busy (an import holds SQLite's write lock, a PostgreSQL lock wait
runs out) raises an error that :func:`busy` recognises; the web answers 503 with
``Retry-After`` (:data:`RETRY_AFTER_SECONDS`), never 500 (docs/security.md, section 6).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from tumbuh.db.busy import RETRY_AFTER_SECONDS, database_busy
from tumbuh.db.engine import begin_write, write_if_free

__all__ = [
    "RETRY_AFTER_SECONDS",
    "OperationalError",
    "begin_request",
    "busy",
    "end_read",
    "write_if_free",
    "writing",
]
# OperationalError: the class of error a busy (or unreachable) database raises; the web
# answers it with :func:`busy`'s verdict. write_if_free: a short write that is skipped,
# not waited for, when the database stays busy (sign-in records, the language choice).


def begin_request(connection: Connection, *, writes: bool) -> None:
    """Start a request's work on ``connection``: a request that may write begins its write
    transaction now; one that only reads ends whatever transaction the checks before it
    (session, scope) opened, so that its first statement sees the latest data."""
    if writes:
        begin_write(connection)
    else:
        connection.rollback()


def end_read(connection: Connection) -> None:
    """End the read transaction of ``connection`` (nothing was written)."""
    connection.rollback()


@contextmanager
def writing(connection: Connection) -> Iterator[Connection]:
    """A write transaction on ``connection``: begun for writing unless the request began
    one already (:func:`begin_request`), committed when the block ends, rolled back when
    it raises."""
    if not connection.in_transaction():
        begin_write(connection)
    try:
        yield connection
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


def busy(error: BaseException) -> bool:
    """True when ``error`` says the database was busy (worth trying again later)."""
    return isinstance(error, DBAPIError) and database_busy(error)
