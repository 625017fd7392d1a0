"""Another user's write between a request's checks and its own write, on both backends.

PostgreSQL: a second connection makes the write first and keeps it uncommitted; the
request runs in a thread, passes its checks (it cannot see the uncommitted row), and its
write waits for the other's lock; once ``pg_stat_activity`` shows it waiting, the other
connection commits and the request's write meets the committed row.

SQLite cannot interleave like that: the request's write transaction (``BEGIN IMMEDIATE``)
holds the database from its first statement. There the other write is made on the
request's own connection, just before its write begins (the ``SAVEPOINT`` the write
opens), after its checks have read the database: the same state the request meets on
PostgreSQL, in one transaction (so it is undone with the refused request).
"""

import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, Engine, event, text

POLLS = 600  # 0.05 s apart: the request waits long before this runs out


def _wait_for_lock(engine: Engine, running: Callable[[], bool]) -> None:
    """Return once a session of the test database waits for a lock."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(POLLS):
        with engine.connect() as connection:
            if connection.execute(query).scalar_one():
                return
        if not running():
            pytest.fail("the request finished without waiting for the other write")
        time.sleep(0.05)
    pytest.fail("the request never waited for the other write")


def before_on_postgresql(
    engine: Engine,
    other_write: Callable[[Connection], object],
    request: Callable[[], httpx.Response],
) -> httpx.Response:
    """Run ``request`` while another connection holds ``other_write`` uncommitted, and
    commit it once the request waits for it; the request's response."""
    with engine.connect() as other, ThreadPoolExecutor(1) as pool:
        other_write(other)
        future = pool.submit(request)
        _wait_for_lock(engine, lambda: not future.done())
        other.commit()
        return future.result()


def write_meanwhile(
    engine: Engine,
    backend: str,
    other_write: str,
    params: Mapping[str, object],
    request: Callable[[], httpx.Response],
) -> httpx.Response:
    """Run ``request`` while ``other_write`` (SQL with ``:name`` parameters) happens
    between its checks and its write; its response."""
    if backend == "postgresql":
        write = text(other_write)
        return before_on_postgresql(engine, lambda c: c.execute(write, dict(params)), request)
    done = False

    def before(conn: Any, cursor: Any, statement: str, *_: object) -> None:
        nonlocal done
        if not done and statement.startswith("SAVEPOINT"):
            done = True
            raw = conn.connection.driver_connection.cursor()
            raw.execute(other_write, dict(params))  # sqlite3 takes :name parameters
            raw.close()

    event.listen(engine, "before_cursor_execute", before)
    try:
        response = request()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert done, "the request opened no savepoint: its write was never reached"
    return response
