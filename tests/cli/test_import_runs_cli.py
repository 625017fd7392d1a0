"""``tumbuh import eppgbm`` records who ran it; ``tumbuh import list`` and
``tumbuh import show`` review the imports afterwards."""

import getpass
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.cli.conftest import RunCli
from tests.cli.test_import_eppgbm import (
    _good,
    _summary,
    upgraded_database,  # noqa: F401 - the fixture "database", upgraded
)
from tumbuh.db.engine import create_engine
from tumbuh.db.models import ImportRun, table_of


def _said(text: str) -> str:
    return " ".join(text.split())


def test_the_command_records_its_run_with_the_operating_system_user(
    run_cli: RunCli, database: str, tmp_path: Path
) -> None:
    assert run_cli("import", "eppgbm", str(_good(tmp_path))).exit_code == 0
    engine = create_engine(database)
    r = table_of(ImportRun)
    with engine.connect() as connection:
        run = connection.execute(select(r.c.user_id, r.c.actor, r.c.measurements_added)).one()
    engine.dispose()
    assert tuple(run) == (None, f"cli:{getpass.getuser()}", 1)


def test_list_and_show_review_the_imports(run_cli: RunCli, database: str, tmp_path: Path) -> None:
    path = _good(tmp_path)
    run_cli("import", "eppgbm", str(path))
    run_cli("import", "eppgbm", str(path))  # adds nothing: a run all the same
    listed = run_cli("import", "list")
    assert listed.exit_code == 0, listed.stderr
    who = f"cli:{getpass.getuser()}"
    rows = [line.split("│")[1:-1] for line in listed.stdout.splitlines() if "hasil.xlsx" in line]
    assert [[cell.strip() for cell in row if cell.strip() != ""][2:] for row in rows] == [
        [who, "hasil.xlsx", "0", "0"],
        [who, "hasil.xlsx", "1", "1"],
    ]
    assert "Impor (2 dari 2)" in _said(listed.stdout)
    shown = run_cli("import", "show", "1")
    assert shown.exit_code == 0, shown.stderr
    said = _said(shown.stdout)
    assert "Impor 1" in said
    assert f"Oleh {who}, " in said
    assert hashlib.sha256(path.read_bytes()).hexdigest() in said
    counts = _summary(shown.stdout)
    assert {k: counts[k] for k in ("Baris dibaca", "Pengukuran ditambahkan", "Anak baru")} == {
        "Baris dibaca": "1",
        "Pengukuran ditambahkan": "1",
        "Anak baru": "1",
    }


def test_show_names_an_import_that_does_not_exist(run_cli: RunCli, database: str) -> None:
    result = run_cli("import", "show", "99")
    assert result.exit_code == 1
    assert _said(result.stderr) == "Kesalahan: tidak ada impor nomor 99; lihat tumbuh import list"


@pytest.mark.parametrize("value", ["-1", "3601"])
def test_wait_takes_seconds_up_to_an_hour(
    run_cli: RunCli, database: str, tmp_path: Path, value: str
) -> None:
    result = run_cli("import", "eppgbm", "--wait", value, str(_good(tmp_path)))
    assert result.exit_code == 2
    assert "--wait" in result.stderr
