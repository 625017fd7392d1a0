"""``tumbuh import catin``: a good list imported (exit 0, the count in Indonesian), a bad
row named and nothing written (exit 1), a dry run (SQLite and PostgreSQL)."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import RunCli
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import count_rows
from tumbuh.db.models_maternal import Catin
from tumbuh.db.setup import upgrade_database

HEADER = (
    "NIK;Nama;Jenis Kelamin;Tanggal Lahir;Kode Kelurahan;Tanggal Daftar;Tanggal Skrining;LiLA\n"
)
ROW = "3672014101990002;Rina Marlina;P;02/03/1999;36.72.01.1001;12/08/2024;14/08/2024;22,0\n"


@pytest.fixture
def registry(
    backend: str,
    new_database_url: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    url = new_database_url(backend)
    engine = create_engine(url)
    upgrade_database(engine)
    engine.dispose()
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


def _catin(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = count_rows(connection, Catin)
    engine.dispose()
    return found


def test_a_list_is_imported_and_a_bad_one_is_not(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ROW.replace("22,0", "220"), encoding="utf-8")
    refused = run_cli("import", "catin", str(bad))
    assert refused.exit_code == 1
    assert "Baris 2, kolom 'LiLA': '220' tidak diterima; tulis angka dari 10 sampai 50" in (
        " ".join(refused.stdout.split())
    )
    assert "3672014101990002" not in refused.stdout + refused.stderr
    good = tmp_path / "catin.csv"
    good.write_text(HEADER + ROW, encoding="utf-8")
    dry = run_cli("import", "catin", str(good), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert _catin(registry) == 0
    done = run_cli("import", "catin", str(good))
    assert done.exit_code == 0, done.stderr
    assert "1 catin diimpor dari daftar." in done.stdout
    assert _catin(registry) == 1
