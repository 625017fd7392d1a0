"""The report as .csv and .xlsx; the .xlsx copy of the file can be fixed and imported again."""

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.errors import InputError
from tumbuh.ingest import check_files, write_report
from tumbuh.ingest.report import REPORT_COLUMNS
from tumbuh.ingest.writers import ADDED_COLUMNS

TODAY = date(2024, 9, 1)
GRAMS = "10945 kg tidak masuk akal pada umur 24 bulan (wajar: 5,2 sampai 21,4 kg); mungkin tertulis dalam gram: tulis 10,945"  # noqa: E501
POSITION = "'duduk' bukan cara ukur; tulis Terlentang atau Berdiri; baris diimpor tanpa cara ukur (WHO lalu menentukannya dari umur)"  # noqa: E501


@pytest.fixture
def checked(tmp_path: Path) -> Path:
    rows = [
        row_of(LAYOUT_A, GOOD_A),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Dewi", Berat="10945"),
        row_of(LAYOUT_A, GOOD_A, NIK=None, Nama="Wati", Cara_Ukur="duduk"),
    ]
    return write_xlsx(tmp_path / "agustus.xlsx", grid(LAYOUT_A, rows))


def test_the_csv_report_has_one_line_per_problem(checked: Path, tmp_path: Path) -> None:
    _, report = check_files([checked], cilegon_regions(), today=TODAY)
    out = tmp_path / "laporan.csv"
    write_report(report, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            list(REPORT_COLUMNS),
            ["agustus.xlsx", "6", "Berat", "10945", "error", GRAMS],
            ["agustus.xlsx", "7", "Cara Ukur", "duduk", "peringatan", POSITION],
        ]


def test_the_xlsx_report_lists_problems_copies_rows_and_sums_up(
    checked: Path, tmp_path: Path
) -> None:
    _, report = check_files([checked], cilegon_regions(), today=TODAY)
    out = tmp_path / "laporan.xlsx"
    write_report(report, out)
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Masalah", "agustus", "Ringkasan"]
    problems = book.get_sheet_by_index(0).to_python()
    assert problems == [
        list(REPORT_COLUMNS),
        ["agustus.xlsx", 6.0, "Berat", "10945", "error", GRAMS],
        ["agustus.xlsx", 7.0, "Cara Ukur", "duduk", "peringatan", POSITION],
    ]
    copy = book.get_sheet_by_index(1).to_python(skip_empty_area=False)
    width = len(LAYOUT_A)
    assert copy[0][0] == "LAPORAN HASIL PENGUKURAN BALITA"  # the title block stays in place
    assert copy[3][: width + 2] == [*LAYOUT_A, *ADDED_COLUMNS]
    assert copy[4][width:] == ["", ""]  # a good row has no problem beside it
    assert copy[5][width:] == ["error", f"Berat: {GRAMS}"]
    assert copy[6][width:] == ["peringatan", f"Cara Ukur: {POSITION}"]
    summary = book.get_sheet_by_index(2).to_python()
    assert summary[:5] == [
        ["Baris dibaca", 3.0] + [""] * 5,
        ["Baris tanpa error", 2.0] + [""] * 5,
        ["Baris dengan error", 1.0] + [""] * 5,
        ["Error", 1.0] + [""] * 5,
        ["Peringatan", 1.0] + [""] * 5,
    ]


def test_the_xlsx_copy_imports_again_and_once_fixed_has_no_errors(
    checked: Path, tmp_path: Path
) -> None:
    _, report = check_files([checked], cilegon_regions(), today=TODAY)
    out = tmp_path / "laporan.xlsx"
    write_report(report, out)
    _, again = check_files([out], cilegon_regions(), today=TODAY)
    assert [line.cells()[1:] for line in again.lines] == [line.cells()[1:] for line in report.lines]
    book = openpyxl.load_workbook(out)
    sheet = book["agustus"]
    sheet.cell(row=6, column=LAYOUT_A.index("Berat") + 1, value="10,945")  # the user's fix
    fixed = tmp_path / "diperbaiki.xlsx"
    book.save(fixed)
    batch, after = check_files([fixed], cilegon_regions(), today=TODAY)
    assert [line.cells()[1:5] for line in after.lines] == [(7, "Cara Ukur", "duduk", "peringatan")]
    assert [r.row for r in batch.rows] == [5, 6, 7]
    assert batch.rows[1].weight_kg == 10.945


def test_other_report_types_are_refused(checked: Path, tmp_path: Path) -> None:
    _, report = check_files([checked], cilegon_regions(), today=TODAY)
    with pytest.raises(InputError, match=r"laporan\.pdf: unsupported report type"):
        write_report(report, tmp_path / "laporan.pdf")
