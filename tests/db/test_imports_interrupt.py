"""An interrupted import leaves the database exactly as it was, on SQLite and PostgreSQL.

``tumbuh import eppgbm`` runs in a child process whose bulk insert of measurements is
wrapped (in that process only, by the code below) to pause right after it has written,
inside the open transaction. The test then kills the process (SIGKILL: no clean-up at
all) or presses Ctrl-C (SIGINT), and compares every registry row with before.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.db.test_imports_fixtures import (
    checksum,
    counts,
    engine_fixture,  # noqa: F401 - the fixtures of this module
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tumbuh.config import Settings

WAIT_SECONDS = 60
# Runs the real command; only the measurement insert is wrapped to pause after writing.
PAUSING_IMPORT = """
import os, sys, time
from pathlib import Path
import tumbuh.db.imports.write as write

original = write.insert_columns

def pausing(connection, table, columns):
    written = original(connection, table, columns)
    if table.name == "measurement":
        Path(os.environ["PAUSE_MARKER"]).write_text("written, not committed")
        time.sleep(300)
    return written

write.insert_columns = pausing
sys.argv = ["tumbuh", "import", "eppgbm", *sys.argv[1:]]
from tumbuh.cli import main
main()
"""


def _files(folder: Path) -> tuple[Path, Path]:
    """A first file (imported before the test), and a second one with 40 new children,
    a new posyandu and a new measurement of the first file's child."""
    first = xlsx(folder, "juli.xlsx", LAYOUT_A, [
        row_of(LAYOUT_A, GOOD_A, Tanggal_Pengukuran="17/07/2024", Berat="10,5")
    ])  # fmt: skip
    rows = [row_of(LAYOUT_A, GOOD_A)]
    rows += [
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama=f"Anak {a}{b}", Posyandu="Kenanga")
        for a in "ABCDEFGH"
        for b in "KLMNO"  # names differ in letters: digits are not part of a name's key
    ]
    return first, xlsx(folder, "agustus.xlsx", LAYOUT_A, rows)


def _start(url: str, path: Path, marker: Path) -> subprocess.Popen[str]:
    env = os.environ | {
        "TUMBUH_DATABASE_URL": url,
        "TUMBUH_LANGUAGE": "id",
        "PAUSE_MARKER": str(marker),
    }
    return subprocess.Popen(
        [sys.executable, "-c", PAUSING_IMPORT, str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(marker: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not marker.exists():
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"the import ended before pausing: {err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the import did not reach its pause")
        time.sleep(0.05)


def _wait_until_unlocked(engine: Engine) -> None:
    """PostgreSQL ends the killed process's transaction when it sees the socket close."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + WAIT_SECONDS
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
    while True:
        with engine.connect() as connection:
            if connection.execute(query).scalar_one() == 0:
                return
        if time.monotonic() > deadline:
            pytest.fail("the killed import's transaction is still open")
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGINT"])
def test_an_import_stopped_after_writing_leaves_the_database_as_before(
    tmp_path: Path, engine: Engine, settings: Settings, signal_name: str
) -> None:
    first, second = _files(tmp_path)
    run_import([first], engine, settings)
    before, rows_before = checksum(engine), counts(engine)
    assert rows_before["measurement"] == 1
    marker = tmp_path / "paused"
    process = _start(str(engine.url.render_as_string(hide_password=False)), second, marker)
    _wait_for(marker, process)
    process.send_signal(getattr(signal, signal_name))
    _, err = process.communicate(timeout=WAIT_SECONDS)
    _wait_until_unlocked(engine)
    assert counts(engine) == rows_before
    assert checksum(engine) == before
    if signal_name == "SIGINT":
        assert process.returncode == 130
        assert "Impor dihentikan; database tidak berubah." in err
        assert "Traceback" not in err
    else:
        assert process.returncode == -signal.SIGKILL
    redo = run_import([second], engine, settings)  # and the import still works afterwards
    assert redo.counts.rows_imported == 41
