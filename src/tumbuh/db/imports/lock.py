"""One import at a time: a lock that dies with its holder (docs/security.md, section 6).

An import writes in one transaction that may last many seconds. A second import used to
wait for it (PostgreSQL) or fail after SQLite's busy timeout with an unexplained error;
now it is refused at once with "impor lain sedang berjalan" (:class:`ImportBusyError`), or,
when asked to, waits a bounded time for the lock (``wait_seconds``).

* **PostgreSQL**: ``pg_try_advisory_xact_lock`` inside the import's transaction. The
  server releases it when the transaction ends, also when the process is killed and its
  connection closes.
* **SQLite**: ``flock`` on a lock file beside the database file (``<file>-import-lock``,
  empty; never deleted, which would let two processes lock two different files), taken
  *before* the write transaction begins, so that a second import is refused before it
  queues for SQLite's write lock. The kernel releases it when the holder's file
  descriptor closes, so also on SIGKILL. Only imports take it: a web write during an
  import waits for SQLite's write lock, as before, and is answered 503 if it has to wait
  longer than the busy timeout (:mod:`tumbuh.db.busy`). An in-memory database has no
  file and no other connection to share it, so it needs no lock.
"""

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Connection, text

from tumbuh.db.engine import begin_write
from tumbuh.errors import TumbuhError

IMPORT_LOCK_KEY = 0x74756D6275680004  # PostgreSQL advisory lock of imports ("tumbuh", issue 4)
LOCK_FILE_SUFFIX = "-import-lock"
POLL_SECONDS = 0.1
GRACE_SECONDS = 0.5  # "at once" still tries for this long (see import_running)
MAX_WAIT_SECONDS = 3600


class ImportBusyError(TumbuhError):
    """Another import holds the import lock (nothing was written)."""

    def __init__(self) -> None:
        super().__init__(
            "another import is running; nothing was written. Try again when it has finished"
        )


def _poll(attempt: Callable[[], bool], wait_seconds: float) -> None:
    """Call ``attempt`` until it succeeds; :class:`ImportBusyError` after ``wait_seconds``."""
    deadline = time.monotonic() + max(GRACE_SECONDS, wait_seconds)
    while not attempt():
        if time.monotonic() >= deadline:
            raise ImportBusyError
        time.sleep(POLL_SECONDS)


def lock_file(url: URL) -> Path | None:
    """The lock file of an SQLite database (None for PostgreSQL or an in-memory one)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + LOCK_FILE_SUFFIX)


def import_running(url: URL) -> bool:
    """SQLite: True while an import holds the lock of this database (for messages).

    Probes with a shared lock, released at once; an import that asks for the lock in that
    instant retries for :data:`GRACE_SECONDS`. PostgreSQL: always False (there, imports
    do not hold up other writers; see :mod:`tumbuh.db.busy`).
    """
    path = lock_file(url)
    if path is None:
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:  # no lock file yet (no import ever ran), or not readable: say nothing
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


@contextmanager
def _file_lock(path: Path | None, wait_seconds: float) -> Iterator[None]:
    if path is None:
        yield
        return
    # Read-only is enough for flock, and lets a user who may not write the file lock it.
    descriptor = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:

        def attempt() -> bool:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _poll(attempt, wait_seconds)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _advisory_lock(connection: Connection, wait_seconds: float) -> None:
    query = text("SELECT pg_try_advisory_xact_lock(:key)")
    _poll(
        lambda: bool(connection.execute(query, {"key": IMPORT_LOCK_KEY}).scalar_one()),
        wait_seconds,
    )


@contextmanager
def import_transaction(connection: Connection, *, wait_seconds: float = 0.0) -> Iterator[None]:
    """Begin the write transaction of an import while holding the import lock.

    :class:`ImportBusyError` when another import still holds it after ``wait_seconds`` (0:
    refuse at once). The caller commits; on leaving, whatever was not committed is rolled
    back before the lock is released.
    """
    with _file_lock(lock_file(connection.engine.url), wait_seconds):
        try:
            begin_write(connection)
            if connection.dialect.name == "postgresql":
                _advisory_lock(connection, wait_seconds)
            yield
        finally:
            connection.rollback()
