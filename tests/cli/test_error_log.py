"""The command's error log (issue 11, item 4): in a folder of the user's own, readable by
the user only, never through a planted link; and without the NIK, name or username of
the write that failed (``tumbuh user add``, ``tumbuh import eppgbm``, on SQLite and
PostgreSQL, in-process and as a real process)."""

import logging
import os
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.cli.conftest import CliResult, RunCli, invoke
from tests.constraint_faults import (
    assert_nothing_personal,
    before_statement,
    twin_child_sql,
    twin_user_sql,
    wait_until_blocked,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tumbuh.cli.error_log import LOG_NAME, open_error_log

SITI_NIK, SITI, SITI_BIRTH = str(GOOD_A["NIK"]), str(GOOD_A["Nama"]), "2022-08-17"
CRASH = re.compile(r"Rinciannya tercatat di (\S+); mohon laporkan kepada pengelola\.")


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$XDG_STATE_HOME`` of the test; the error log goes to its ``tumbuh`` folder."""
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder


@pytest.fixture
def configured(migrated_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The migrated test database of this backend as the command's database."""
    url = migrated_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    yield migrated_engine
    with migrated_engine.begin() as connection:
        connection.execute(text("DELETE FROM app_user WHERE username = 'rina.wati'"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def add_rina(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliResult:
    """``tumbuh user add rina.wati`` while another session takes the username first."""
    args = ("user", "add", "rina.wati", "--role", "analyst", "--full-name", "Rina Wati Susanti")
    with before_statement(Engine, "INSERT INTO app_user", twin_user_sql("rina.wati")):
        return invoke(monkeypatch, capsys, *args, "--password-stdin", stdin="kata-sandi-panjang\n")


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_taken_username_crashes_into_a_private_log_without_it(
    configured: Engine, state: Path, logs: pytest.LogCaptureFixture, add_rina: CliResult
) -> None:
    result = add_rina
    assert result.exit_code == 70
    said = " ".join(result.stderr.split())
    found = CRASH.search(said)
    assert found is not None, said
    log = state / "tumbuh" / LOG_NAME
    assert found.group(1) == str(log)
    assert (_mode(log.parent), _mode(log)) == (0o700, 0o600)
    written = log.read_text(encoding="utf-8")
    assert "ERROR tumbuh.cli: unexpected error in the tumbuh command" in written
    assert re.search(r"UniqueViolation: SQLSTATE 23505|IntegrityError: SQLITE_CONSTRAINT", written)
    for text_ in (written, result.stderr, result.stdout, logs.text):
        assert_nothing_personal(text_, "rina.wati", "Rina Wati Susanti")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # PostgreSQL: below
def test_an_import_whose_commit_hits_a_constraint_logs_no_child(
    run_cli: RunCli, configured: Engine, state: Path, tmp_path: Path
) -> None:
    source = write_xlsx(tmp_path / "hasil.xlsx", grid(LAYOUT_A, [row_of(LAYOUT_A, GOOD_A)]))
    with before_statement(Engine, "INSERT INTO child", twin_child_sql(SITI_NIK, 999_999)):
        result = run_cli("import", "eppgbm", str(source))
    assert result.exit_code == 70, result.stdout + result.stderr
    written = (state / "tumbuh" / LOG_NAME).read_text(encoding="utf-8")
    assert "sqlite3.IntegrityError: SQLITE_CONSTRAINT_UNIQUE" in written
    for text_ in (written, result.stderr):
        assert_nothing_personal(text_, SITI_NIK, SITI, SITI_BIRTH, "Rina Wati", "Jl. Mawar")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_real_import_process_racing_a_registration(
    configured: Engine, state: Path, tmp_path: Path
) -> None:
    """Another connection registers Siti's NIK while the import runs: the import's COPY
    waits on the unique index and fails when the other commits. PostgreSQL's message
    then names the NIK (DETAIL) and the whole row (CONTEXT); neither reaches stderr or
    the error log."""
    source = write_xlsx(tmp_path / "hasil.xlsx", grid(LAYOUT_A, [row_of(LAYOUT_A, GOOD_A)]))
    command = [sys.executable, "-c", "from tumbuh.cli import main; main()"]
    env = {**os.environ, "XDG_STATE_HOME": str(state)}
    outcome: list[subprocess.CompletedProcess[str]] = []

    def run() -> None:
        outcome.append(
            subprocess.run(
                [*command, "import", "eppgbm", str(source)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        )

    importer = threading.Thread(target=run)
    try:
        with configured.connect() as holder:
            holder.execute(text(twin_child_sql(SITI_NIK)))
            importer.start()
            wait_until_blocked(configured, importer)
            holder.commit()
        importer.join()
    finally:
        with configured.begin() as connection:
            connection.execute(text("DELETE FROM child WHERE nik = :n"), {"n": SITI_NIK})
    done = outcome[0]
    assert done.returncode == 70, done.stdout + done.stderr
    written = (state / "tumbuh" / LOG_NAME).read_text(encoding="utf-8")
    assert "psycopg.errors.UniqueViolation: SQLSTATE 23505, constraint" in written
    for text_ in (written, done.stderr, done.stdout):
        assert_nothing_personal(text_, SITI_NIK, SITI, SITI_BIRTH, "Rina Wati", "Jl. Mawar")


def test_the_log_is_created_private_and_narrowed_when_it_was_not(tmp_path: Path) -> None:
    folder = tmp_path / "tumbuh"
    with open_error_log(folder) as log:
        log.write("one\n")
    assert (_mode(folder), _mode(folder / LOG_NAME)) == (0o700, 0o600)
    os.chmod(folder, 0o755)
    os.chmod(folder / LOG_NAME, 0o644)
    with open_error_log(folder) as log:
        log.write("two\n")
    assert (_mode(folder), _mode(folder / LOG_NAME)) == (0o700, 0o600)
    assert (folder / LOG_NAME).read_text(encoding="utf-8") == "one\ntwo\n"


@pytest.mark.parametrize("planted", ["folder", "file"])
def test_a_planted_link_is_never_followed(tmp_path: Path, planted: str) -> None:
    """Someone who can write to the folder plants a link where the log goes."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "tumbuh"
    if planted == "folder":
        folder.symlink_to(elsewhere, target_is_directory=True)
    else:
        folder.mkdir(mode=0o700)
        (folder / LOG_NAME).symlink_to(elsewhere / "stolen.log")
    with pytest.raises(OSError, match=r"Not a directory|symbolic links"):  # ENOTDIR, ELOOP
        open_error_log(folder)
    assert list(elsewhere.iterdir()) == []


@pytest.fixture
def planted_state(state: Path, tmp_path: Path) -> Path:
    """A link planted where the log folder goes; the folder it points to."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    state.mkdir()
    (state / "tumbuh").symlink_to(elsewhere, target_is_directory=True)
    return elsewhere


def test_without_a_safe_place_the_traceback_goes_to_stderr(
    configured: Engine, planted_state: Path, add_rina: CliResult
) -> None:
    result = add_rina
    assert result.exit_code == 70
    assert "Rinciannya tertulis di atas" in " ".join(result.stderr.split())
    assert "Traceback (most recent call last)" in result.stderr
    assert list(planted_state.iterdir()) == []
    assert_nothing_personal(result.stderr, "rina.wati", "Rina Wati Susanti")
