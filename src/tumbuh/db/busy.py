"""Telling a busy database from a broken one.

A write that could not get its lock in time is not a bug: on SQLite another connection
(an import, above all) held the write lock for longer than the busy timeout
(:data:`tumbuh.db.engine.SQLITE_BUSY_TIMEOUT_MS`), and SQLite answered ``SQLITE_BUSY``
("database is locked"); on PostgreSQL a lock wait ran past ``lock_timeout`` (SQLSTATE
55P03), or the server cancelled the transaction to resolve a serialization failure
(40001) or a deadlock (40P01). Each is worth trying again a little later, so the web
application answers 503 with ``Retry-After`` (docs/security.md, section 6) instead of 500.
"""

import sqlite3

from sqlalchemy.exc import DBAPIError

RETRY_AFTER_SECONDS = 60  # the Retry-After of a busy answer: imports take seconds to minutes
# lock_not_available, serialization_failure, deadlock_detected (PostgreSQL appendix A)
BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})
_SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def database_busy(error: DBAPIError) -> bool:
    """True when ``error`` says the database was busy (try again later), not broken."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        code = getattr(original, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF in _SQLITE_BUSY_CODES  # extended codes keep the primary low
        return "database is locked" in str(original)
    return getattr(original, "sqlstate", None) in BUSY_SQLSTATES
