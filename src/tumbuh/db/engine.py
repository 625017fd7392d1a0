"""Engines for SQLite (embedded default) and PostgreSQL (multi-user deployments).

SQLite gets its pragmas on every new connection: foreign keys on (SQLite leaves them off
by default), WAL journal so readers never block the writer, and a busy timeout. The
driver's own transaction handling is switched off and SQLAlchemy issues ``BEGIN``
itself, the recipe of SQLAlchemy's SQLite dialect documentation ("Serializable isolation
/ Savepoints / Transactional DDL"): without it savepoints and transactional DDL
misbehave under pysqlite.

**Transactions that read before they write.** In WAL mode a transaction that reads first
and writes later fails at once with ``SQLITE_BUSY_SNAPSHOT`` when another connection
wrote in between; the busy timeout does not help (SQLite documentation, "Write-Ahead
Logging" section 2.2, and "BEGIN TRANSACTION"). :func:`begin_write` therefore starts
such a transaction with ``BEGIN IMMEDIATE`` on SQLite, which takes the write lock first
and waits its turn (busy timeout) instead of failing. Every SQLite engine of
:func:`create_engine` (command line, demo, web application) carries the same ``begin``
listener, so they all behave alike; on PostgreSQL :func:`begin_write` is a plain begin.
"""

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, make_url
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from tumbuh.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_CACHE_KIB = 65_536  # 64 MiB page cache: bulk writes update indexes in random order


def create_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///FILE`` or ``postgresql+psycopg://...``).

    ``hide_parameters``: a database error's message never carries the statement's values
    (NIK, names, birth dates), so no log line built from it can (docs/security.md).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database not in ("", ":memory:") and not Path(database).parent.exists():
            raise ConfigError(
                "TUMBUH_DATABASE_URL names the SQLite file {path}, but its folder does not "
                "exist; create the folder or change the setting",
                path=database,
            )
        engine = sa_create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa_create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see module doc)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cursor.close()


_IMMEDIATE = "tumbuh_begin_immediate"  # Connection.info flag read by _sqlite_begin


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.info.pop(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(connection: Connection) -> None:
    """End any open transaction on ``connection`` and begin one that will write.

    On SQLite it is ``BEGIN IMMEDIATE``: the write lock is taken now (waiting for the busy
    timeout if another connection holds it), so later writes cannot fail because another
    process wrote after this transaction's first read. Commit or roll back as usual.
    """
    connection.rollback()
    connection.info[_IMMEDIATE] = True
    try:
        connection.begin()
    finally:
        connection.info.pop(_IMMEDIATE, None)


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def open_engine(url: str) -> Engine:
    """Like :func:`create_engine`, but first checks that the database answers."""
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        engine.dispose()
        raise ConfigError(
            "cannot open the database {url}: {reason}. Check TUMBUH_DATABASE_URL and that the "
            "database server is running",
            url=safe_url(url),
            reason=str(error.orig).strip().splitlines()[0] if error.orig else str(error),
        ) from error
    return engine
