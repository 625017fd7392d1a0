"""``tumbuh import eppgbm``: summary, report files, exit codes, and no traceback."""

from pathlib import Path

import pytest

from tests.cli.conftest import RunCli
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import count_rows
from tumbuh.db.models import Child, Measurement
from tumbuh.db.setup import upgrade_database
from tumbuh.ingest.tabular import Workbook

GRAMS = (
    "10945 kg tidak masuk akal pada umur 24 bulan (wajar: 5,2 sampai 21,4 kg); mungkin "
    "tertulis dalam gram: tulis 10,945"
)
NEW_MELATI = "posyandu 'Melati 1' belum terdaftar di kelurahan Cikerai; posyandu ini akan dibuat"


@pytest.fixture(name="database")
def upgraded_database(database: str) -> str:
    """The empty database of tests/cli/conftest.py, upgraded."""
    engine = create_engine(database)
    upgrade_database(engine)
    engine.dispose()
    return database


def _file(folder: Path, *rows: list[object], name: str = "hasil.xlsx") -> Path:
    return write_xlsx(folder / name, grid(LAYOUT_A, list(rows)))


def _good(folder: Path) -> Path:
    return _file(folder, row_of(LAYOUT_A, GOOD_A))


def _with_a_slip(folder: Path) -> Path:
    bad = row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Dewi Lestari", Berat="10945")
    return _file(folder, row_of(LAYOUT_A, GOOD_A), bad)


def _summary(stdout: str) -> dict[str, str]:
    """The summary table as label -> value (Rich draws its cells between │)."""
    rows = [line.split("│")[1:3] for line in stdout.splitlines() if line.count("│") == 3]
    return {label.strip(): value.strip() for label, value in rows}


def _said(stdout: str) -> str:
    return " ".join(stdout.split())


def test_a_clean_file_is_imported_and_summarised(
    run_cli: RunCli, database: str, tmp_path: Path
) -> None:
    result = run_cli("import", "eppgbm", str(_good(tmp_path)))
    assert result.exit_code == 0, result.stderr
    assert _summary(result.stdout) == {
        "Baris dibaca": "1",
        "Baris diimpor": "1",
        "Baris berisi error (tidak diimpor)": "0",
        "Baris yang sudah ada di database": "0",
        "Baris berulang di berkas": "0",
        "Konflik dengan database": "0",
        "Anak baru / cocok": "1 / 0",
        "NIK ditambahkan pada anak terdaftar": "0",
        "Posyandu baru": "1",
        "Z-skor e-PPGBM: dibandingkan / selisih lebih dari 0,1 / kategori lain": "3 / 0 / 0",
        "Error / peringatan": "0 / 1",
    }
    said = _said(result.stdout)
    assert "Posyandu baru: Melati 1" in said
    assert "1 pengukuran diimpor." in said
    assert "Gunakan --report BERKAS.xlsx untuk mendaftar setiap masalah." in said
    assert not (tmp_path / "hasil-laporan.xlsx").exists()


def test_the_same_file_again_adds_nothing(run_cli: RunCli, database: str, tmp_path: Path) -> None:
    path = str(_good(tmp_path))
    assert run_cli("import", "eppgbm", path).exit_code == 0
    again = run_cli("import", "eppgbm", path)
    assert again.exit_code == 0, again.stderr
    assert _summary(again.stdout)["Baris yang sudah ada di database"] == "1"
    assert "Tidak ada yang baru: semua baris sudah ada di database." in _said(again.stdout)


def test_errors_import_nothing_write_a_report_beside_the_file_and_exit_1(
    run_cli: RunCli, database: str, tmp_path: Path
) -> None:
    result = run_cli("import", "eppgbm", str(_with_a_slip(tmp_path)))
    assert result.exit_code == 1
    said = _said(result.stdout)
    assert (
        "Tidak ada yang diimpor: 1 baris berisi error. Perbaiki baris-baris itu (lihat "
        "laporan), atau jalankan lagi dengan --skip-invalid untuk mengimpor baris tanpa "
        "error saja." in said
    )
    report = tmp_path / "hasil-laporan.xlsx"
    assert f"Laporan: {report}" in said
    problems = Workbook(report).rows(0)
    assert problems == [
        ["berkas", "baris", "kolom", "nilai", "tingkat", "masalah"],
        ["hasil.xlsx", 5.0, "Posyandu", "Melati 1", "peringatan", NEW_MELATI],
        ["hasil.xlsx", 6.0, "Berat", "10945", "error", GRAMS],
    ]
    engine = create_engine(database)
    with engine.connect() as connection:
        assert count_rows(connection, Measurement) == count_rows(connection, Child) == 0
    engine.dispose()


def test_skip_invalid_imports_the_good_rows_and_writes_the_report_asked_for(
    run_cli: RunCli, database: str, tmp_path: Path
) -> None:
    report = tmp_path / "masalah.csv"
    path = str(_with_a_slip(tmp_path))
    result = run_cli("import", "eppgbm", path, "--skip-invalid", "--report", str(report))
    assert result.exit_code == 0, result.stderr
    assert "1 pengukuran diimpor; 1 baris berisi error dilewati (lihat laporan)." in _said(
        result.stdout
    )
    assert report.read_text(encoding="utf-8-sig").splitlines() == [
        "berkas,baris,kolom,nilai,tingkat,masalah",
        f"hasil.xlsx,5,Posyandu,Melati 1,peringatan,{NEW_MELATI}",
        f'hasil.xlsx,6,Berat,10945,error,"{GRAMS}"',
    ]


def test_a_dry_run_writes_nothing(run_cli: RunCli, database: str, tmp_path: Path) -> None:
    path = str(_good(tmp_path))
    result = run_cli("import", "eppgbm", path, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert _summary(result.stdout)["Baris yang akan diimpor"] == "1"
    assert "Uji coba (--dry-run): tidak ada yang disimpan." in _said(result.stdout)
    real = run_cli("import", "eppgbm", path)
    assert _summary(real.stdout)["Baris diimpor"] == "1"


def test_a_dry_run_with_errors_exits_1(run_cli: RunCli, database: str, tmp_path: Path) -> None:
    result = run_cli("import", "eppgbm", str(_with_a_slip(tmp_path)), "--dry-run")
    assert result.exit_code == 1
    assert (
        "Uji coba (--dry-run): tidak ada yang disimpan. Tanpa --skip-invalid impor akan "
        "dibatalkan: 1 baris berisi error." in _said(result.stdout)
    )


def test_a_missing_file_is_named(run_cli: RunCli, database: str, tmp_path: Path) -> None:
    result = run_cli("import", "eppgbm", str(tmp_path / "tidak-ada.xlsx"))
    assert result.exit_code == 1
    assert f"Kesalahan: berkas tidak ditemukan: {tmp_path / 'tidak-ada.xlsx'}" in _said(
        result.stderr
    )


def test_a_report_of_another_type_is_refused_before_anything_is_read(
    run_cli: RunCli, database: str, tmp_path: Path
) -> None:
    result = run_cli("import", "eppgbm", str(_good(tmp_path)), "--report", "laporan.pdf")
    assert result.exit_code == 1
    assert "laporan.pdf: jenis berkas laporan tidak didukung; gunakan .csv atau .xlsx" in _said(
        result.stderr
    )


def test_a_file_that_is_no_table_is_a_report_line_not_a_traceback(
    run_cli: RunCli, database: str, tmp_path: Path
) -> None:
    junk = tmp_path / "Daftar-Riwayat-PMT.xls"
    junk.write_bytes(b"%PDF-1.4\x00\x01\x02 not a spreadsheet")
    result = run_cli("import", "eppgbm", str(junk))
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    problems = Workbook(tmp_path / "Daftar-Riwayat-PMT-laporan.xlsx").rows(0)
    assert problems[1] == [
        "Daftar-Riwayat-PMT.xls",
        None,
        None,
        None,
        "error",
        "Daftar-Riwayat-PMT.xls: bukan tabel yang dapat dibaca Tumbuh; simpan sebagai .xlsx "
        "atau .csv",
    ]


def test_a_database_without_tables_says_to_upgrade_first(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", f"sqlite:///{tmp_path / 'kosong.sqlite'}")
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    result = run_cli("import", "eppgbm", str(_good(tmp_path)))
    assert result.exit_code == 1
    assert "belum berisi tabel; jalankan dulu tumbuh db upgrade" in _said(result.stderr)
