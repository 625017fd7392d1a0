"""``tumbuh import pmt-history``: a toddler history imported as episodes, its summary and
exit codes, a second run that adds nothing, a dry run, and a report file (SQLite and
PostgreSQL)."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.cli.conftest import RunCli
from tests.cli.test_import_eppgbm import _said, _summary
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tests.unit.ingest.pmt_builders import CHILD, TODDLER, row, write_history
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import count_rows
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.db.setup import upgrade_database
from tumbuh.usecases.imports import import_eppgbm


@pytest.fixture
def registry(
    backend: str,
    new_database_url: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """Siti (GOOD_A) registered from an e-PPGBM file; the configured database."""
    url = new_database_url(backend)
    engine = create_engine(url)
    upgrade_database(engine)
    path = write_xlsx(tmp_path / "hasil.xlsx", grid(LAYOUT_A, [row_of(LAYOUT_A, GOOD_A)]))
    assert import_eppgbm([path], engine, Settings(database_url=url), today=date(2024, 9, 1)).ok
    engine.dispose()
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


def _episodes(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = count_rows(connection, PmtEpisode)
    engine.dispose()
    return found


def test_a_toddler_history_is_imported_once(run_cli: RunCli, registry: str, tmp_path: Path) -> None:
    folder = tmp_path / "riwayat"
    folder.mkdir()
    path = write_history(folder / "Daftar-Riwayat-PMT-Gikur.xls", TODDLER, [row(TODDLER, CHILD)])
    dry = run_cli("import", "pmt-history", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert _summary(dry.stdout)["Episode yang akan ditambahkan"] == "1"
    assert "Uji coba (--dry-run): tidak ada yang disimpan." in _said(dry.stdout)
    assert _episodes(registry) == 0
    result = run_cli("import", "pmt-history", str(path))
    assert result.exit_code == 0, result.stderr
    summary = _summary(result.stdout)
    assert summary["Berkas"] == "riwayat PMT balita (gizi-kurang)"
    assert (summary["Baris dibaca"], summary["Episode ditambahkan"]) == ("1", "1")
    assert "1 episode PMT diimpor." in _said(result.stdout)
    again = run_cli("import", "pmt-history", str(path))
    assert again.exit_code == 0, again.stderr
    assert _summary(again.stdout)["Episode yang sudah tercatat"] == "1"
    assert "Tidak ada yang baru: semua episode sudah tercatat." in _said(again.stdout)
    assert _episodes(registry) == 1


def test_errors_block_the_file_and_the_report_names_them(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    rows = [row(TODDLER, CHILD, NIK="3672011203230002")]
    path = write_history(tmp_path / "riwayat.xls", TODDLER, rows)
    unnamed = run_cli("import", "pmt-history", str(path))
    assert unnamed.exit_code == 1
    report = tmp_path / "laporan.xlsx"
    result = run_cli(
        "import", "pmt-history", str(path), "--indication", "bb-kurang", "--report", str(report)
    )
    assert result.exit_code == 1
    assert "Tidak ada yang diimpor: 1 baris berisi error." in _said(result.stdout)
    sheet = openpyxl.load_workbook(report).worksheets[0]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    assert any("tidak ada anak dengan NIK ini" in str(c) for r in cells for c in r)
    wrong = run_cli("import", "pmt-history", str(path), "--indication", "kurus")
    assert wrong.exit_code != 0
    assert "bukan PMT balita; tulis gizi-kurang, bb-kurang, atau t" in _said(wrong.stderr)
    assert _episodes(registry) == 0
