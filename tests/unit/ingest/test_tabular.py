"""Every accepted file format is read cell by cell, with the spreadsheet's row numbers."""

from datetime import date
from pathlib import Path

import pytest

from tests.unit.ingest.builders import write_csv, write_html_xls, write_xls, write_xlsx
from tumbuh.errors import InputError
from tumbuh.ingest.tabular import FileFormat, Workbook, read_table, sniff_format

CELLS = [
    ["LAPORAN PENGUKURAN"],
    [],
    ["NIK", "Nama", "Tgl Lahir", "Berat"],
    ["3672015708220001", "Siti Ñurul", "17/08/2022", "10,9"],
    ["0012015708220001", "Édi", "01/01/2023", "9,5"],
]


def _text_rows(book: Workbook) -> list[list[object]]:
    return [[c for c in row if c is not None] for row in book.rows(0)]


@pytest.mark.parametrize(
    ("name", "writer", "expected"),
    [
        ("data.xlsx", write_xlsx, FileFormat.XLSX),
        ("data.xls", write_xls, FileFormat.XLS),
    ],
)
def test_excel_files_keep_text_cells_and_row_positions(
    tmp_path: Path, name: str, writer: object, expected: FileFormat
) -> None:
    path = writer(tmp_path / name, CELLS)  # type: ignore[operator]
    book = Workbook(path)
    rows = book.rows(0)
    assert book.format is expected
    assert rows[2][:2] == ["NIK", "Nama"]  # row 3 of the sheet
    assert rows[3] == ["3672015708220001", "Siti Ñurul", "17/08/2022", "10,9"]
    assert rows[4][0] == "0012015708220001"  # leading zeros survive
    assert rows[1] == [None, None, None, None]


def test_real_excel_numbers_and_dates_come_back_typed(tmp_path: Path) -> None:
    cells: list[list[object]] = [["Tgl Lahir", "Berat"], [date(2022, 8, 17), 10.9]]
    for writer, name in ((write_xlsx, "n.xlsx"), (write_xls, "n.xls")):
        rows = Workbook(writer(tmp_path / name, cells)).rows(0)
        assert rows[1] == [date(2022, 8, 17), 10.9]


def test_an_xls_that_is_an_html_table_is_read_as_html(tmp_path: Path) -> None:
    path = write_html_xls(tmp_path / "Daftar-Riwayat-PMT-Gikur.xls", CELLS[:1] + CELLS[2:])
    book = Workbook(path)
    assert book.format is FileFormat.HTML
    assert _text_rows(book) == [
        ["LAPORAN PENGUKURAN"],
        ["NIK", "Nama", "Tgl Lahir", "Berat"],
        ["3672015708220001", "Siti Ñurul", "17/08/2022", "10,9"],
        ["0012015708220001", "Édi", "01/01/2023", "9,5"],
    ]


def test_an_xlsx_renamed_to_xls_is_still_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "renamed.xlsx", CELLS)
    renamed = path.rename(tmp_path / "renamed.xls")
    assert Workbook(renamed).format is FileFormat.XLSX


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (",", "utf-8"),
        (",", "utf-8-sig"),
        (";", "utf-8"),
        (";", "utf-8-sig"),
        (";", "cp1252"),
        (",", "cp1252"),
        ("\t", "utf-16"),
    ],
)
def test_csv_in_every_dialect_reads_the_same(tmp_path: Path, delimiter: str, encoding: str) -> None:
    path = write_csv(tmp_path / "data.csv", CELLS, delimiter=delimiter, encoding=encoding)
    book = Workbook(path)
    assert book.format is FileFormat.CSV
    assert _text_rows(book) == [[c for c in row if c is not None] for row in CELLS]


def test_semicolon_csv_with_decimal_commas_is_not_split_at_the_commas(tmp_path: Path) -> None:
    cells = [["Nama", "Berat", "Tinggi"], ["Ani", "10,9", "84,5"], ["Budi", "9,1", "77,0"]]
    path = write_csv(tmp_path / "data.csv", cells, delimiter=";")
    assert Workbook(path).rows(0) == cells


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", FileFormat.XLS),
        (b"PK\x03\x04rest", FileFormat.XLSX),
        (b"<html><body><table>", FileFormat.HTML),
        (b"\xef\xbb\xbf  <TABLE border=1>", FileFormat.HTML),
        (b"NIK;Nama\r\n", FileFormat.CSV),
        (b"%PDF-1.4\x00\x00\x01", None),
    ],
)
def test_the_format_is_sniffed_from_the_content(head: bytes, expected: FileFormat | None) -> None:
    assert sniff_format(head) is expected


def test_a_file_that_is_no_table_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "scan.xls"
    path.write_bytes(b"%PDF-1.4\x00\x01\x02binary")
    with pytest.raises(InputError, match=r"scan\.xls: not a table Tumbuh can read"):
        Workbook(path)


def test_a_broken_excel_file_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(InputError, match=r"broken\.xlsx: cannot be read as a spreadsheet"):
        Workbook(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\r\n")
    with pytest.raises(InputError, match=r"empty\.csv is empty"):
        Workbook(path)


def test_read_table_skips_the_title_block_and_numbers_rows_as_the_sheet(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "data.xls", CELLS)
    frame = read_table(path, known_headers={"nik", "nama", "tgllahir"})
    assert list(frame.columns) == ["NIK", "Nama", "Tgl Lahir", "Berat"]
    assert list(frame.index) == [4, 5]
    assert frame.loc[5, "NIK"] == "0012015708220001"
