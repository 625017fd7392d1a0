"""``tumbuh import eppgbm`` on hostile files: a message and exit code 1, never an abort."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import RunCli
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tests.unit.ingest.hostile import write_bomb
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database

ADDRESS_SPACE = 1024 * 1024 * 1024  # 1 GB: the whole bomb would need several
BOMB_REFUSED = (
    "Kesalahan: bom.xlsx: bagian xl/worksheets/sheet1.xml dari berkas ini membesar 242 kali "
    "setelah dibuka, melebihi batas 100 kali (pengaturan TUMBUH_IMPORT_MAX_RATIO); "
    "spreadsheet biasa jarang dimampatkan sepadat itu. Buka berkas di program spreadsheet, "
    "simpan ulang sebagai .xlsx lalu unggah hasilnya, atau minta admin menaikkan batasnya."
)


@pytest.fixture(name="database")
def upgraded_database(database: str) -> str:
    """The empty database of tests/cli/conftest.py, upgraded."""
    engine = create_engine(database)
    upgrade_database(engine)
    engine.dispose()
    return database


def test_a_bomb_under_an_address_space_limit_exits_with_the_message(
    database: str, tmp_path: Path
) -> None:
    """Before the checks, calamine asked for more than the limit and the process aborted."""
    bomb = write_bomb(tmp_path / "bom.xlsx")
    env = {
        **os.environ,
        "TUMBUH_DATABASE_URL": database,
        "TUMBUH_LANGUAGE": "id",
        "COLUMNS": "1000",  # one line per message
        "OPENBLAS_NUM_THREADS": "1",  # numpy's thread buffers count against the limit too
    }
    # The limit is set first thing in the child (safer than preexec_fn in a threaded test
    # process); it holds for the whole command, and for the processes it starts.
    code = (
        f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, "
        f"{ADDRESS_SPACE})); import sys; from tumbuh.cli import main; "
        "sys.argv[0] = 'tumbuh'; main()"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code, "import", "eppgbm", str(bomb)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (finished.returncode, finished.stderr.strip()) == (1, BOMB_REFUSED)
    assert finished.stdout == ""
    assert not list(tmp_path.glob("*laporan*"))  # refused whole: no report beside the file


def test_the_limits_are_the_settings(
    run_cli: RunCli, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A, Nama=f"Anak {i}") for i in range(3)]
    path = write_xlsx(tmp_path / "hasil.xlsx", grid(LAYOUT_A, rows))
    monkeypatch.setenv("TUMBUH_IMPORT_MAX_ROWS", "6")
    result = run_cli("import", "eppgbm", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Kesalahan: hasil.xlsx: berkas ini memuat 7 baris, melebihi batas 6 baris (pengaturan "
        "TUMBUH_IMPORT_MAX_ROWS). Pecah berkas ini, misalnya satu berkas per kecamatan, atau "
        "minta admin menaikkan batasnya."
    )
    monkeypatch.setenv("TUMBUH_IMPORT_MAX_ROWS", "7")
    assert run_cli("import", "eppgbm", "--dry-run", str(path)).exit_code == 0
