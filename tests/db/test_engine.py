"""Every engine of ``create_engine`` begins a transaction that will write the same way:
``begin_write`` takes SQLite's write lock at once (BEGIN IMMEDIATE), so a transaction that
reads first cannot fail later because another connection wrote in between; plain
``begin`` stays deferred. On PostgreSQL ``begin_write`` is an ordinary transaction."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from tumbuh.db.engine import begin_write, create_engine


def _tally(engine: Engine) -> Engine:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE tally (n INTEGER)"))
        connection.execute(text("INSERT INTO tally VALUES (0)"))
    return engine


@pytest.fixture
def table(empty_engine: Engine) -> Engine:
    """A one-row table on each backend."""
    return _tally(empty_engine)


@pytest.fixture
def sqlite_table(tmp_path: Path) -> Iterator[Engine]:
    """The same on SQLite only (its locking is what these tests are about)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'lock.sqlite'}")
    yield _tally(engine)
    engine.dispose()


def _impatient(connection: Connection) -> None:
    """Give up on a lock after 50 ms instead of the configured 10 s."""
    connection.exec_driver_sql("PRAGMA busy_timeout = 50")
    connection.rollback()  # the pragma stays; its autobegun transaction goes


def test_begin_write_takes_sqlites_write_lock_before_the_first_statement(
    sqlite_table: Engine,
) -> None:
    table = sqlite_table
    with table.connect() as first, table.connect() as second:
        begin_write(first)
        first.execute(text("SELECT n FROM tally")).scalar_one()  # reads, writes nothing yet
        _impatient(second)
        second.begin()
        with pytest.raises(OperationalError, match="locked"):
            second.execute(text("UPDATE tally SET n = n + 1"))
        second.rollback()
        first.execute(text("UPDATE tally SET n = n + 10"))
        first.commit()
    with table.connect() as check:
        assert check.execute(text("SELECT n FROM tally")).scalar_one() == 10


def test_a_plain_begin_stays_deferred_so_readers_do_not_block_writers(
    sqlite_table: Engine,
) -> None:
    table = sqlite_table
    with table.connect() as first, table.connect() as second:
        first.begin()
        first.execute(text("SELECT n FROM tally")).scalar_one()
        _impatient(second)
        with second.begin():
            second.execute(text("UPDATE tally SET n = n + 1"))
        first.rollback()
    with table.connect() as check:
        assert check.execute(text("SELECT n FROM tally")).scalar_one() == 1


def test_begin_write_ends_a_read_transaction_and_commits_its_writes(table: Engine) -> None:
    with table.connect() as connection:
        connection.execute(text("SELECT n FROM tally")).scalar_one()  # autobegun read
        begin_write(connection)
        connection.execute(text("UPDATE tally SET n = n + 5"))
        connection.commit()
        begin_write(connection)  # and again, on the same connection
        connection.execute(text("UPDATE tally SET n = n + 5"))
        connection.commit()
    with table.connect() as check:
        assert check.execute(text("SELECT n FROM tally")).scalar_one() == 10
