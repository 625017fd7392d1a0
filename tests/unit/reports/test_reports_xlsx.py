"""The workbook: one sheet per table, real numbers with number formats, frozen headings."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tumbuh.i18n import Language
from tumbuh.reports.tables import Column, ColumnKind, Table, cell_text
from tumbuh.reports.xlsx import sheet_names, write_workbook

KECAMATAN = Table(
    "Tabel 1. Prevalensi stunting per kecamatan",
    (
        Column("Kecamatan"),
        Column("Balita diukur", ColumnKind.INTEGER),
        Column("Stunting", ColumnKind.INTEGER),
        Column("Prevalensi (%)", ColumnKind.DECIMAL, places=2),
    ),
    (
        ("Cibeber", 4210, 131, 3.1116),
        ("Citangkil", 5302, None, float("nan")),
        ("Jombang", 3990, 72, 1.8045),
    ),
    note="Sumber: contoh data buatan.",
    sheet_name="Kecamatan",
)
POSYANDU = Table(
    "Tabel 2. Posyandu dengan skor kualitas data terendah",
    (Column("Posyandu"), Column("Skor", ColumnKind.DECIMAL, places=1)),
    (("Melati", 61.5), ("Mawar", 64.0)),
)


def _read(tables: list[Table], artifacts: Path | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    write_workbook(tables, buffer)
    if artifacts is not None:
        (artifacts / "laporan-contoh.xlsx").write_bytes(buffer.getvalue())
    buffer.seek(0)
    return buffer


def test_each_table_gets_its_sheet_with_headings_in_row_1(artifacts: Path) -> None:
    book = load_workbook(_read([KECAMATAN, POSYANDU], artifacts))
    assert book.sheetnames == ["Kecamatan", "Tabel 2. Posyandu dengan skor k"]
    sheet = book["Kecamatan"]
    assert [c.value for c in sheet[1]] == [
        "Kecamatan",
        "Balita diukur",
        "Stunting",
        "Prevalensi (%)",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D4"


def test_numbers_are_stored_as_numbers_with_number_formats() -> None:
    sheet = load_workbook(_read([KECAMATAN]))["Kecamatan"]
    cibeber = sheet[2]
    assert cibeber[1].value == 4210
    assert isinstance(cibeber[1].value, int)
    assert cibeber[3].value == pytest.approx(3.1116)
    assert isinstance(cibeber[3].value, float)
    assert cibeber[1].number_format == "#,##0"
    assert cibeber[3].number_format == "#,##0.00"
    assert cibeber[0].value == "Cibeber"


def test_missing_values_are_empty_cells() -> None:
    citangkil = load_workbook(_read([KECAMATAN]))["Kecamatan"][3]
    assert citangkil[2].value is None
    assert citangkil[3].value is None


def test_columns_are_wide_enough_for_their_contents() -> None:
    sheet = load_workbook(_read([KECAMATAN]))["Kecamatan"]
    # "Prevalensi (%)" is 14 characters: 14 + 3 of room.
    assert sheet.column_dimensions["D"].width == 17
    assert sheet.column_dimensions["A"].width >= len("Citangkil")


def test_title_and_note_go_into_the_printed_header_and_footer() -> None:
    sheet = load_workbook(_read([KECAMATAN]))["Kecamatan"]
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None
    assert footer is not None
    assert header.center.text == "Tabel 1. Prevalensi stunting per kecamatan"
    assert footer.left.text == "Sumber: contoh data buatan."


def test_sheet_names_are_made_valid_and_unique() -> None:
    columns = (Column("x"),)
    tables = [
        Table("Prevalensi: per/kelurahan [2024]?", columns, ()),
        Table("Prevalensi: per/kelurahan [2024]?", columns, ()),
        Table("a" * 40, columns, ()),
    ]
    # Forbidden []:*?/\ become "-"; 31 characters at most; a repeat gets " (2)".
    assert sheet_names(tables) == [
        "Prevalensi- per-kelurahan -2024",
        "Prevalensi- per-kelurahan - (2)",  # 27 characters + " (2)"
        "a" * 31,
    ]


def test_a_row_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="row 1: 1 cells for 2 columns"):
        Table("t", (Column("a"), Column("b")), (("x",),))


def test_text_in_a_number_column_is_refused() -> None:
    with pytest.raises(ValueError, match="text '12' in a number column"):
        Table("t", (Column("n", ColumnKind.INTEGER),), (("12",),))


@pytest.mark.parametrize(
    ("cell", "column", "text"),
    [
        (31221, Column("n", ColumnKind.INTEGER), "31.221"),
        (2.6199, Column("p", ColumnKind.DECIMAL, places=2), "2,62"),
        (None, Column("p", ColumnKind.DECIMAL, places=2), "\u2013"),
        (float("nan"), Column("p", ColumnKind.DECIMAL, places=1), "\u2013"),
        ("Cibeber", Column("k"), "Cibeber"),
    ],
)
def test_pdf_cells_use_indonesian_number_format(
    cell: float | str | None, column: Column, text: str
) -> None:
    assert cell_text(cell, column, Language.ID) == text
