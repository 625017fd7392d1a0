"""One import at a time: a second import is refused at once with "impor lain sedang
berjalan" (or waits, when asked to), nothing of it is written, and the lock dies with a
killed import; a busy database is told apart from a broken one. SQLite and PostgreSQL.
"""

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import OperationalError

from tests.db.test_imports_fixtures import (
    checksum,
    counts,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
)
from tests.db.test_imports_interrupt import (
    WAIT_SECONDS,
    _files,
    _start,
    _wait_for,
    _wait_until_unlocked,
)
from tumbuh.config import Settings
from tumbuh.db.busy import database_busy
from tumbuh.db.engine import begin_write, create_engine
from tumbuh.db.imports import ImportBusyError, ImportOutcome, ImportStage
from tumbuh.db.imports.lock import import_running, import_transaction
from tumbuh.i18n import Language, translations

REFUSED = (
    "Kesalahan: impor lain sedang berjalan; tidak ada yang ditulis. Coba lagi setelah impor "
    "itu selesai. Gunakan --wait DETIK untuk menunggunya."
)
RUN_CLI = "import sys; from tumbuh.cli import main; sys.argv = ['tumbuh', *sys.argv[1:]]; main()"


@contextmanager
def import_lock_held(engine: Engine) -> Iterator[Connection]:
    """Hold the import lock (and, on SQLite, the write lock) as an import does."""
    with engine.connect() as connection, import_transaction(connection):
        yield connection


def test_a_second_import_is_refused_at_once_and_writes_nothing(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    _, second = _files(tmp_path)
    before = checksum(engine)
    with import_lock_held(engine):
        assert import_running(engine.url) is (engine.dialect.name == "sqlite")
        with pytest.raises(ImportBusyError) as refused:
            run_import([second], engine, settings)
    assert refused.value.translated(translations(Language.ID).gettext) == (
        "impor lain sedang berjalan; tidak ada yang ditulis. Coba lagi setelah impor itu selesai"
    )
    assert checksum(engine) == before
    assert not import_running(engine.url)
    assert run_import([second], engine, settings).counts.rows_imported == 41


def test_an_import_asked_to_wait_goes_on_when_the_other_ends(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    _, second = _files(tmp_path)
    checked = threading.Event()
    results = []

    def progress(stage: ImportStage, done: int, total: int) -> None:
        if stage is ImportStage.READ and done == total:
            checked.set()  # the files are read: the import asks for the lock next

    def wait_and_import() -> None:
        results.append(run_import([second], engine, settings, wait_seconds=WAIT_SECONDS,
                                  progress=progress))  # fmt: skip

    with import_lock_held(engine):
        waiting = threading.Thread(target=wait_and_import)
        waiting.start()
        assert checked.wait(WAIT_SECONDS)
        waiting.join(1.0)  # still waiting for the lock: nothing can end it but us
        assert waiting.is_alive()
    waiting.join(WAIT_SECONDS)
    assert [(r.outcome, r.counts.rows_imported) for r in results] == [(ImportOutcome.IMPORTED, 41)]


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"TUMBUH_DATABASE_URL": url, "TUMBUH_LANGUAGE": "id", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
        check=False,
    )


@pytest.mark.slow
def test_the_command_refuses_a_second_import_while_one_writes_and_the_lock_dies_with_it(
    tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    first, second = _files(tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    marker = tmp_path / "paused"
    writing = _start(url, second, marker)  # written, not committed, holding the lock
    _wait_for(marker, writing)
    refused = _cli(url, "import", "eppgbm", str(first))
    writing.send_signal(signal.SIGKILL)
    writing.communicate(timeout=WAIT_SECONDS)
    _wait_until_unlocked(engine)
    assert (refused.returncode, " ".join(refused.stderr.split())) == (75, REFUSED)
    assert counts(engine)["measurement"] == counts(engine)["import_run"] == 0
    again = _cli(url, "import", "eppgbm", str(first))  # the killed import's lock is gone
    assert again.returncode == 0, again.stderr
    assert counts(engine)["import_run"] == 1


def test_a_locked_sqlite_database_is_busy_not_broken(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'busy.sqlite'}")

    @event.listens_for(engine, "connect")
    def no_waiting(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout = 0")  # type: ignore[attr-defined]

    with engine.begin() as setup:
        setup.execute(text("CREATE TABLE t (x INTEGER)"))
    with engine.connect() as holder, engine.connect() as other, engine.connect() as third:
        begin_write(holder)
        with pytest.raises(OperationalError) as locked:
            begin_write(other)
        with pytest.raises(OperationalError) as broken:
            third.execute(text("SELECT * FROM no_such_table"))
        holder.rollback()
    engine.dispose()
    assert database_busy(locked.value)
    assert not database_busy(broken.value)


def test_a_postgresql_lock_timeout_is_busy(new_database_url: Callable[[str], str]) -> None:
    engine = create_engine(new_database_url("postgresql"))
    with engine.begin() as setup:
        setup.execute(text("CREATE TABLE t (x INTEGER)"))
        setup.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as holder, engine.connect() as other:
        holder.execute(text("SELECT x FROM t FOR UPDATE"))
        other.execute(text("SET LOCAL lock_timeout = 50"))
        with pytest.raises(OperationalError) as waited:
            other.execute(text("UPDATE t SET x = 2"))
        holder.rollback()
    engine.dispose()
    assert database_busy(waited.value)
