"""``tumbuh import pmt-bumil``: e-PPGBM's list of pregnant women with KEK imported as
episodes, its summary and exit codes, a second run that adds nothing, a dry run, and a
row whose woman is not registered (SQLite and PostgreSQL)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.cli.conftest import RunCli
from tests.cli.test_import_eppgbm import _said, _summary
from tests.db.helpers import add_posyandu
from tests.usecases.test_pmt_bumil_import import ROWS, _episodes, _pregnancy, write_csv
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database

KELURAHAN = "36.72.01.1001"


@pytest.fixture
def registry(
    backend: str, new_database_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> Engine:
    """Three pregnancies registered in one kelurahan; the configured database."""
    url = new_database_url(backend)
    engine = create_engine(url)
    upgrade_database(engine)
    with engine.begin() as connection:
        posyandu = add_posyandu(connection, "P-1", KELURAHAN, "Mawar")
        for values in ROWS:
            _pregnancy(connection, posyandu, values[0])
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return engine


def test_the_list_is_imported_once(run_cli: RunCli, registry: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "sasaran.csv", ROWS)
    dry = run_cli("import", "pmt-bumil", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert _summary(dry.stdout)["Episode yang akan ditambahkan"] == "3"
    assert _episodes(registry) == []
    done = run_cli("import", "pmt-bumil", str(path))
    assert done.exit_code == 0, done.stderr
    # Today is past Rina's HPL (6 January 2025): her episode ended the day before.
    assert _summary(done.stdout)["masih berjalan"] == "0"
    assert "3 episode PMT diimpor." in _said(done.stdout)
    again = run_cli("import", "pmt-bumil", str(path))
    assert again.exit_code == 0
    assert "Tidak ada yang baru: semua episode sudah tercatat." in _said(again.stdout)
    assert len(_episodes(registry)) == 3


def test_an_unregistered_woman_blocks_the_file(
    run_cli: RunCli, registry: Engine, tmp_path: Path
) -> None:
    stranger = ["3672015505960009", *ROWS[0][1:]]
    path = write_csv(tmp_path / "sasaran.csv", [stranger])
    report = tmp_path / "laporan.csv"
    result = run_cli("import", "pmt-bumil", str(path), "--report", str(report))
    assert result.exit_code == 1
    assert "Tidak ada yang diimpor: 1 baris berisi error." in _said(result.stdout)
    text = report.read_text(encoding="utf-8")
    assert "tidak ada ibu hamil dengan NIK ini" in text
    assert "3672015505960009" not in text + result.stdout
    assert _episodes(registry) == []
