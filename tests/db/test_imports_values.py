"""Values the import step reads and writes: Buku KIA, RT/RW, ages, and the checks added
for the database (names too long to store, masked cells). No database needed."""

from datetime import date
from pathlib import Path

import pytest

from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, grid, row_of, write_xlsx
from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.db.imports.entities import has_buku_kia, short_code
from tumbuh.ingest import check_files
from tumbuh.ingest.export import age_text


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ya", True), ("ya ", True), ("Ada", True), ("1", True), ("Punya", True),
        ("Tidak", False), ("tdk", False), ("Belum", False), ("0", False), ("T", False),
        ("12/03/2023", True),  # the date the book was given
        ("?", None), (None, None),
    ],
)  # fmt: skip
def test_buku_kia_is_read_as_exports_write_it(written: str | None, expected: bool | None) -> None:
    assert has_buku_kia(written) is expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("01", "01"), ("1", "1"), ("RT 002", "002"), ("RW.05", "05"), ("1234", None), ("-", None)],
)
def test_rt_and_rw_keep_at_most_three_digits(written: str, expected: str | None) -> None:
    assert short_code(written) == expected


def test_age_is_written_as_e_ppgbm_writes_it() -> None:
    # 17/08/2022 -> 29/11/2024: 2 years, 3 months (to 17/11), then 12 days.
    assert age_text(date(2022, 8, 17), date(2024, 11, 29)) == "2 Tahun - 3 Bulan - 12 Hari"


def test_names_longer_than_the_database_keeps_are_errors(tmp_path: Path) -> None:
    long_name = "Siti " + "A" * 100
    rows = [row_of(LAYOUT_A, GOOD_A, Nama=long_name, Posyandu="P" * 101)]
    path = write_xlsx(tmp_path / "panjang.xlsx", grid(LAYOUT_A, rows))
    batch, report = check_files([path], cilegon_regions(), today=date(2024, 9, 1))
    assert batch.rows == ()
    assert [line.cells()[2:] for line in report.errors] == [
        ("Nama", long_name, "error",
         "Nama berisi 105 karakter, lebih dari 100 yang dapat disimpan Tumbuh; persingkat"),
        ("Posyandu", "P" * 101, "error",
         "Posyandu berisi 101 karakter, lebih dari 100 yang dapat disimpan Tumbuh; persingkat"),
    ]  # fmt: skip


def test_control_characters_are_not_part_of_a_name(tmp_path: Path) -> None:
    rows = [row_of(LAYOUT_A, GOOD_A, Nama="Siti\x0b Aminah\x00")]
    path = write_xlsx(tmp_path / "kendali.xlsx", grid(LAYOUT_A, rows))
    batch, _ = check_files([path], cilegon_regions(), today=date(2024, 9, 1))
    assert [row.name for row in batch.rows] == ["Siti Aminah"]
