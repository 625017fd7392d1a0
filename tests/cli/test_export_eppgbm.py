"""``tumbuh export eppgbm``: layout A as e-PPGBM writes it, masking, areas, and the round
trip export -> import that adds nothing (SQLite and PostgreSQL)."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.cli.conftest import RunCli
from tests.cli.test_import_eppgbm import _summary
from tests.db.test_imports_fixtures import RECORDS, checksum
from tests.unit.ingest.builders import GOOD_A, GOOD_B, LAYOUT_A, LAYOUT_B, grid, row_of, write_xlsx
from tests.unit.test_privacy import FEWEST_CANDIDATES, rebuild
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database
from tumbuh.growth.enums import Sex
from tumbuh.usecases.imports import import_eppgbm


def _registry(url: str, folder: Path) -> None:
    """Three children in two kecamatan, measured in August 2024 (one given 1.5 kg of PMT);
    one also in July."""
    a_rows = [
        row_of(LAYOUT_A, GOOD_A, **{"PMT_Diterima_(kg)": "1,5"}),
        row_of(LAYOUT_A, GOOD_A, Tanggal_Pengukuran="17/07/2024", Berat="10,5"),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Dewi Lestari", JK="P", Tgl_Lahir="02/02/2023",
               Berat="9,1", Tinggi="76", Cara_Ukur="Terlentang", LiLA=None, KIA="Tidak"),
    ]  # fmt: skip
    files = [
        write_xlsx(folder / "a.xlsx", grid(LAYOUT_A, a_rows)),
        write_xlsx(folder / "b.xlsx", grid(LAYOUT_B, [row_of(LAYOUT_B, GOOD_B)])),
    ]
    engine = create_engine(url)
    upgrade_database(engine)
    result = import_eppgbm(files, engine, Settings(database_url=url), today=date(2024, 9, 1))
    assert result.counts.rows_imported == 4
    engine.dispose()


@pytest.fixture
def registry(
    backend: str,
    new_database_url: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    url = new_database_url(backend)
    _registry(url, tmp_path)
    monkeypatch.setenv("TUMBUH_DATABASE_URL", url)
    monkeypatch.setenv("TUMBUH_LANGUAGE", "id")
    return url


def _rows(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [list(row) for row in book["Hasil Pengukuran"].iter_rows(values_only=True)]


def _said(text: str) -> str:
    return " ".join(text.split())


def test_the_export_has_layout_a_headers_and_typed_cells(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    out = tmp_path / "agustus.xlsx"
    result = run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(out), "--unmask")
    assert result.exit_code == 0, result.stderr
    assert f"3 pengukuran 2024-08 di Kota Cilegon ditulis ke {out}" in _said(result.stdout)
    header, *rows = _rows(out)
    # the classic export's headers, in order, as the issue lists them; then Tumbuh's Edema
    assert header == [*LAYOUT_A, "Edema"]
    siti = next(r for r in rows if r[1] == "Siti Aminah")
    assert siti[:7] == [
        "3672015708220001", "Siti Aminah", "P", datetime(2022, 8, 17), 3.1, 49, "Rina Wati"
    ]  # fmt: skip
    assert siti[7:17] == [
        "Banten", "Kota Cilegon", "Cibeber", None, "Cikerai", "Melati 1", "01", "02",
        "Jl. Mawar 1", "2 Tahun - 0 Bulan - 0 Hari",
    ]  # fmt: skip
    assert siti[17:22] == [datetime(2024, 8, 17), 10.9, 84.5, "Berdiri", 14.5]
    assert (siti[24], siti[26]) == ("Normal", "Gizi baik")  # TB/U, BB/TB (Permenkes 2/2020)
    assert all(isinstance(siti[i], float) for i in (23, 25, 27))
    # PMT Diterima (kg), Jml Vit A and KPSP as imported (the child's month)
    assert siti[28:] == ["N", 1.5, 1, "Sesuai", "Ya", "Tidak"]
    dewi = next(r for r in rows if r[1] == "Dewi Lestari")
    assert (dewi[0], dewi[20], dewi[21], dewi[32]) == (None, "Terlentang", None, "Tidak")
    assert sorted(str(r[17]) for r in rows) == [str(datetime(2024, 8, d)) for d in (12, 17, 17)]


def test_bb_u_is_written_with_its_permenkes_label(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    out = tmp_path / "agustus.xlsx"
    assert run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(out)).exit_code == 0
    assert {r[22] for r in _rows(out)[1:]} == {"Berat badan normal"}


def test_nik_names_and_street_are_masked_unless_unmask(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    out = tmp_path / "agustus.xlsx"
    result = run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "(NIK dan nama disamarkan)" in _said(result.stdout)
    rows = _rows(out)[1:]
    assert sorted((r[0], r[1], r[6], r[15]) for r in rows if r[0]) == [
        ("3672************", "B. S.", "S. D.", None),
        ("3672************", "S. A.", "R. W.", None),
    ]
    info = openpyxl.load_workbook(out)["Keterangan"]
    assert [info.cell(6, c).value for c in (1, 2)] == [
        "NIK dan nama",
        "disamarkan (NIK: hanya 4 digit pertama, kode kota; nama: huruf awal; tanpa alamat jalan)",
    ]


def test_a_masked_row_cannot_rebuild_its_nik(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    """The row shows kecamatan, birth date and sex; with the former mask (digits 1-4
    and 13-16) they gave the NIK back, one candidate per row (issue 11, item 5)."""
    out = tmp_path / "agustus.xlsx"
    assert run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(out)).exit_code == 0
    kecamatan = {"Cibeber": "367201", "Gerogol": "367206"}  # public Kemendagri codes
    rows = [r for r in _rows(out)[1:] if r[0]]
    assert len(rows) == 2
    for row in rows:
        nik, sex, born = str(row[0]), Sex.FEMALE if row[2] == "P" else Sex.MALE, row[3]
        assert isinstance(born, datetime)
        assert nik == "3672************"
        candidates = rebuild(nik, kecamatan[str(row[9])], [born.date()], sex)
        assert candidates >= FEWEST_CANDIDATES


def test_an_area_keeps_only_its_measurements(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    out = tmp_path / "grogol.xlsx"
    result = run_cli("export", "eppgbm", "--period", "2024-08", "--area", "36.72.06",
                     "-o", str(out), "--unmask")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [(r[1], r[9], r[11]) for r in _rows(out)[1:]] == [("Budi Santoso", "Gerogol", "Gerem")]
    unknown = run_cli("export", "eppgbm", "--period", "2024-08", "--area", "36.72.99",
                      "-o", str(out))  # fmt: skip
    assert unknown.exit_code == 1
    assert (
        "--area: tidak ada kecamatan, kelurahan, atau posyandu dengan kode '36.72.99'; tulis "
        "kode seperti 36.72.01" in _said(unknown.stderr)
    )


def test_an_unmasked_export_imports_back_as_nothing_new(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    out = tmp_path / "agustus.xlsx"
    assert run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(out), "--unmask")
    engine = create_engine(registry)
    before = checksum(engine, RECORDS)  # the import's own trace is written all the same
    result = run_cli("import", "eppgbm", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Tidak ada yang baru: semua baris sudah ada di database." in _said(result.stdout)
    summary = _summary(result.stdout)
    assert summary["Baris yang sudah ada di database"] == "3"
    # The file's z-scores are Tumbuh's own: 3 rows x 3 indicators compared, none differ.
    label = "Z-skor e-PPGBM: dibandingkan / selisih lebih dari 0,1 / kategori lain"
    assert summary[label] == "9 / 0 / 0"
    assert checksum(engine, RECORDS) == before
    engine.dispose()


def test_a_masked_export_is_refused_row_by_row_and_adds_nothing(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    out = tmp_path / "agustus.xlsx"
    assert run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(out)).exit_code == 0
    engine = create_engine(registry)
    before, records = checksum(engine), checksum(engine, RECORDS)
    report = tmp_path / "laporan.csv"
    result = run_cli("import", "eppgbm", str(out), "--report", str(report))
    assert result.exit_code == 1
    assert checksum(engine) == before  # blocked: nothing at all, not even a trace
    skipped = run_cli("import", "eppgbm", str(out), "--skip-invalid")
    assert skipped.exit_code == 0
    assert checksum(engine, RECORDS) == records  # only the run that skipped every row
    engine.dispose()
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    # Rows 2-4: Dewi (no NIK: her name and her mother's), Siti and Budi (NIK and names).
    assert [line.split(",")[1:3] for line in lines[1:]] == [
        ["2", "Nama"], ["2", "Nama Ortu"],
        ["3", "NIK"], ["3", "Nama"], ["3", "Nama Ortu"],
        ["4", "NIK"], ["4", "Nama"], ["4", "Nama Ortu"],
    ]  # fmt: skip
    assert lines[3] == (
        'agustus.xlsx,3,NIK,3672************,error,"NIK disamarkan (3672************), seperti '
        "pada ekspor tanpa --unmask, sehingga anak tidak dapat dicocokkan; impor ekspor yang "
        'memuat NIK dan nama lengkap, atau ketik NIK lengkapnya"'
    )
    assert lines[1] == (
        'agustus.xlsx,2,Nama,D. L.,error,"Nama disamarkan (D. L.), seperti pada ekspor '
        "tanpa --unmask, sehingga anak tidak dapat dicocokkan; impor ekspor yang memuat NIK "
        'dan nama lengkap, atau ketik nama lengkapnya"'
    )


def test_the_output_must_be_xlsx_and_the_period_a_month(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    csv = run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(tmp_path / "x.csv"))
    assert csv.exit_code == 1
    assert "x.csv: ekspor ditulis sebagai .xlsx; beri nama berkas *.xlsx" in _said(csv.stderr)
    month = run_cli("export", "eppgbm", "--period", "Agustus", "-o", str(tmp_path / "x.xlsx"))
    assert month.exit_code == 1
    assert "--period: 'Agustus' bukan bulan" in _said(month.stderr)


HOSTILE_NAMES = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)")


def test_hostile_names_are_text_in_the_export_and_import_back_unchanged(
    run_cli: RunCli, registry: str, tmp_path: Path
) -> None:
    """A posyandu or parent named like a formula (issue 11, item 6): the export holds it
    as text, never a formula, and importing the export finds the same records."""
    rows = [
        row_of(LAYOUT_A, GOOD_A, NIK=f"367201570822000{i}", Posyandu=name, Nama_Ortu=name)
        for i, name in enumerate(HOSTILE_NAMES, start=5)
    ]
    source = write_xlsx(tmp_path / "a.xlsx", grid(LAYOUT_A, rows))
    imported = run_cli("import", "eppgbm", str(source))
    assert imported.exit_code == 0, imported.stdout + imported.stderr
    out = tmp_path / "ekspor.xlsx"
    exported = run_cli("export", "eppgbm", "--period", "2024-08", "-o", str(out), "--unmask")
    assert exported.exit_code == 0, exported.stderr
    sheet = openpyxl.load_workbook(out)["Hasil Pengukuran"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for column in ("G", "M"):  # Nama Ortu, Posyandu
        written = {str(sheet[f"{column}{r}"].value) for r in range(2, sheet.max_row + 1)}
        assert written >= set(HOSTILE_NAMES)
    engine = create_engine(registry)
    before = checksum(engine, RECORDS)
    again = run_cli("import", "eppgbm", str(out))
    assert again.exit_code == 0, again.stdout + again.stderr
    assert _summary(again.stdout)["Baris yang sudah ada di database"] == "7"
    assert checksum(engine, RECORDS) == before  # no posyandu or mother renamed or added
    engine.dispose()
