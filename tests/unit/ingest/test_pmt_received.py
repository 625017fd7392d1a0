"""The PMT Diterima (kg) column of layout A: kept (value and cell as written), or a row
error naming row, column, value and what is accepted (docs/import-format.md)."""

from pathlib import Path

import pytest

from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.ingest import check_files
from tumbuh.ingest.batch import MeasurementRow
from tumbuh.ingest.plausibility import PMT_MAX_KG

from .test_check_files import TODAY

COLUMN = "PMT Diterima (kg)"


def _check(tmp_path: Path, *cells: object) -> tuple[list[tuple[object, ...]], list[MeasurementRow]]:
    rows = [
        row_of(LAYOUT_A, GOOD_A, NIK=f"36720157082200{i + 1:02d}", Nama=f"Siti {'ABCDEFGHIJ'[i]}",
               **{"PMT_Diterima_(kg)": cell})
        for i, cell in enumerate(cells)
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "hasil.xlsx", grid(LAYOUT_A, rows))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    return [line.cells() for line in report.lines], list(batch.rows)


def test_a_pmt_amount_is_kept_with_the_cell_as_written(tmp_path: Path) -> None:
    lines, rows = _check(tmp_path, "1,5", 2.25, "0", None, " 3.0 ", "1,2 kg", "-")
    assert lines == []
    assert [(r.pmt_kg, r.pmt_raw) for r in rows] == [
        (1.5, "1,5"),
        (2.25, "2.25"),
        (0.0, "0"),  # none received: a value, not an empty cell
        (None, None),
        (3.0, "3.0"),
        (1.2, "1,2 kg"),
        (None, None),  # "-" is an empty cell
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("banyak", "'banyak' bukan jumlah PMT; tulis kg yang diterima dengan koma desimal "
                   "(mis. 1,5), 0 bila tidak menerima, atau kosongkan sel"),
        ("-1,2", "-1,2 bernilai negatif; PMT yang diterima paling sedikit 0 kg; mungkin "
                 "maksudnya 1,2"),
        ("1200", "1200 kg PMT melebihi batas 30 kg yang diterima; kemungkinan ditulis dalam "
                 "gram: tulis 1,2"),
        ("45", "45 kg PMT melebihi batas 30 kg yang diterima (jatah biskuit PMT 90 hari "
               "sekitar 11 kg); periksa nilainya dan tulis dalam kg, mis. 1,5"),
        ("1500 g", "nilai ditulis dalam g, padahal kolom ini dalam kg; tulis 1,5"),
        ("999", "999 adalah angka pengganti, bukan hasil ukur; tulis hasil ukur yang "
                "sebenarnya atau kosongkan sel"),
        ("1..5", "'1..5' memiliki dua tanda desimal; mungkin maksudnya 1,5"),
        ("2 cm", "'2 cm' bukan jumlah PMT; tulis kg yang diterima dengan koma desimal "
                 "(mis. 1,5), 0 bila tidak menerima, atau kosongkan sel"),
    ],
)  # fmt: skip
def test_a_bad_pmt_amount_is_a_row_error_saying_what_is_accepted(
    tmp_path: Path, cell: str, message: str
) -> None:
    lines, rows = _check(tmp_path, "1,5", cell)
    assert lines == [("hasil.xlsx", 6, COLUMN, cell, "error", message)]
    assert [r.pmt_kg for r in rows] == [1.5]  # the row with the error is left out


def test_the_upper_bound_itself_is_accepted(tmp_path: Path) -> None:
    lines, rows = _check(tmp_path, str(PMT_MAX_KG).replace(".", ","))
    assert lines == []
    assert rows[0].pmt_kg == PMT_MAX_KG


def test_two_rows_of_one_child_and_day_with_other_pmt_amounts_conflict(tmp_path: Path) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A, **{"PMT_Diterima_(kg)": kg}) for kg in ("1,5", "2")]
    path = write_xlsx(tmp_path / "hasil.xlsx", grid(LAYOUT_A, rows))
    batch, report = check_files([path], cilegon_regions(), today=TODAY)
    assert batch.rows == ()
    assert {(line.row, line.severity.value) for line in report.lines} == {
        (5, "error"),
        (6, "error"),
    }
    assert all(COLUMN in line.message() for line in report.lines)
