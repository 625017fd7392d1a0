"""Provoking constraint violations on the real databases, for the tests that no NIK or
name reaches a log (issue 11, item 4).

Two ways, both with real statements on SQLite and PostgreSQL, nothing mocked:

* :func:`before_statement` runs SQL of the test on the same connection just before a
  statement of the code under test: a twin with the NIK about to be written appears in
  the same transaction, so the pre-checks have passed and the write hits the unique
  index, as in a race. The transaction's rollback removes the twin.
* :func:`wait_until_blocked` serves the real race on PostgreSQL: another connection
  holds an uncommitted row with the same key, the code under test blocks on the unique
  index, and the holder then commits.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, text

TWIN_NAME = "Kembar Rahasia"
TWIN_BIRTH = "2020-02-02"
# How long a blocked statement may take to show up in pg_stat_activity before the test
# gives up (a safety net against a hang, not a measurement).
BLOCK_DEADLINE_SECONDS = 60.0


def twin_child_sql(nik: str, child_id: int | None = None) -> str:
    """A child with ``nik`` (and the id ``child_id``, away from ids an import reserved)."""
    columns, values = "nik, name, sex, birth_date, version", f"'{nik}', '{TWIN_NAME}'"
    values += f", 'female', '{TWIN_BIRTH}', 1"
    if child_id is not None:
        columns, values = f"id, {columns}", f"{child_id}, {values}"
    return f"INSERT INTO child ({columns}) VALUES ({values})"


def twin_user_sql(username: str) -> str:
    return (
        "INSERT INTO app_user (username, password_hash, full_name, role, language, "
        f"is_active, created_at) VALUES ('{username}', 'x', '{TWIN_NAME}', 'analyst', 'id', "
        "TRUE, '2024-01-01 00:00:00')"
    )


@contextmanager
def before_statement(target: Engine | type[Engine], prefix: str, sql: str) -> Iterator[None]:
    """Run ``sql`` once on the connection whose next statement starts with ``prefix``,
    just before it (``target``: one engine, or the ``Engine`` class for every engine)."""
    done = threading.Event()

    def run_first(
        connection: Any,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _many: bool,
    ) -> None:
        if done.is_set() or not statement.lstrip().startswith(prefix):
            return
        done.set()
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(sql)
        finally:
            cursor.close()

    event.listen(target, "before_cursor_execute", run_first)
    try:
        yield
    finally:
        event.remove(target, "before_cursor_execute", run_first)
    assert done.is_set(), f"no statement started with {prefix!r}"


def wait_until_blocked(engine: Engine, worker: threading.Thread | None = None) -> None:
    """Return once a session of ``engine``'s PostgreSQL database waits for a lock (the
    statement under test, blocked by the holder's uncommitted row)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + BLOCK_DEADLINE_SECONDS
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        while not connection.execute(query).scalar_one():
            assert worker is None or worker.is_alive(), "the request ended without blocking"
            assert time.monotonic() < deadline, "nothing blocked on the held row"
            time.sleep(0.05)


def assert_nothing_personal(text_: str, *personal: str) -> None:
    """None of ``personal`` (NIK, names, birth dates) and no driver detail in ``text_``."""
    for value in (*personal, TWIN_NAME, TWIN_BIRTH, "DETAIL", "Key (", "Failing row"):
        assert value not in text_, f"{value!r} reached the log:\n{text_}"
