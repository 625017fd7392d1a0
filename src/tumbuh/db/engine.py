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
``begin_write(connection, wait_ms=...)`` waits at most that long for the lock (SQLite's
busy timeout, PostgreSQL's ``lock_timeout``), for writes that may be skipped when the
database is busy (:func:`is_busy` tells that error from others).

**Pool.** A web worker runs each page request on one thread and one connection
(``tumbuh.web.deps.db``); :class:`PoolSize` keeps as many connections as it has threads,
plus a few for background threads, so no request waits for a connection another request
holds (docs/security.md, section 3). SQLite files use the same ``QueuePool`` as
PostgreSQL.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, make_url
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from tumbuh.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_CACHE_KIB = 65_536  # 64 MiB page cache: bulk writes update indexes in random order
SQLITE_BUSY = 5  # SQLITE_BUSY and SQLITE_LOCKED, the result codes of a held lock
SQLITE_LOCKED = 6
POSTGRESQL_LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of lock_timeout


@dataclass(frozen=True)
class PoolSize:
    """Connections an engine keeps open, how many more it may open for a while, and how
    long a caller waits for one when all are taken (then ``sqlalchemy.exc.TimeoutError``)."""

    connections: int
    overflow: int
    timeout_seconds: float


def create_engine(url: str, *, pool: PoolSize | None = None) -> Engine:
    """An engine for ``url`` (``sqlite:///FILE`` or ``postgresql+psycopg://...``), with
    SQLAlchemy's default pool (5 + 10 overflow, 30 s) unless ``pool`` is given.

    ``hide_parameters``: a database error's message never carries the statement's values
    (NIK, names, birth dates), so no log line built from it can (docs/security.md).
    """
    parsed = make_url(url)
    sizes: dict[str, Any] = {}
    in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
    if pool is not None and not in_memory:  # an in-memory SQLite has one connection per thread
        sizes = {
            "pool_size": pool.connections,
            "max_overflow": pool.overflow,
            "pool_timeout": pool.timeout_seconds,
        }
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database not in ("", ":memory:") and not Path(database).parent.exists():
            raise ConfigError(
                "TUMBUH_DATABASE_URL names the SQLite file {path}, but its folder does not "
                "exist; create the folder or change the setting",
                path=database,
            )
        engine = sa_create_engine(url, hide_parameters=True, **sizes)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa_create_engine(url, pool_pre_ping=True, hide_parameters=True, **sizes)


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
_WAIT_MS = "tumbuh_wait_ms"  # Connection.info: the busy timeout of this one BEGIN


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.info.pop(_IMMEDIATE, False)
    wait_ms = connection.info.pop(_WAIT_MS, None)
    if wait_ms is None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        return
    # The busy timeout only matters while the lock is taken: set it for this BEGIN alone,
    # on the driver's connection (a statement through SQLAlchemy would begin again).
    raw = connection.connection.driver_connection
    usual = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(usual)}")


def begin_write(connection: Connection, *, wait_ms: int | None = None) -> None:
    """End any open transaction on ``connection`` and begin one that will write.

    On SQLite it is ``BEGIN IMMEDIATE``: the write lock is taken now (waiting for the busy
    timeout if another connection holds it), so later writes cannot fail because another
    process wrote after this transaction's first read. Commit or roll back as usual.
    With ``wait_ms``, a lock is waited for at most that long (SQLite: for the write lock
    at the start; PostgreSQL: ``lock_timeout`` for each statement of the transaction);
    then the statement fails with an error that :func:`is_busy` recognises.
    """
    connection.rollback()
    connection.info[_IMMEDIATE] = True
    if wait_ms is not None:
        connection.info[_WAIT_MS] = wait_ms
    try:
        connection.begin()
    finally:
        connection.info.pop(_IMMEDIATE, None)
        connection.info.pop(_WAIT_MS, None)
    if wait_ms is not None and connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_ms)}")


def write_if_free(
    connection: Connection, work: Callable[[Connection], None], *, wait_ms: int | None = None
) -> bool:
    """Run ``work`` in a write transaction (:func:`begin_write`) and commit; False, with
    nothing written, when the database stayed busy (another error is raised as usual)."""
    try:
        begin_write(connection, wait_ms=wait_ms)
        work(connection)
        connection.commit()
    except OperationalError as error:
        connection.rollback()
        if not is_busy(error):
            raise
        return False
    return True


def is_busy(error: DBAPIError) -> bool:
    """True when ``error`` says a lock was not granted in time (SQLite busy or locked,
    PostgreSQL's lock_timeout), not that something is wrong."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        code = getattr(original, "sqlite_errorcode", 0)
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)  # primary code of extended ones
    return getattr(original, "sqlstate", None) == POSTGRESQL_LOCK_NOT_AVAILABLE


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
