"""Every XLSX and CSV Tumbuh writes stores user text as text: no cell a spreadsheet would
evaluate, while real numbers stay numbers (issue 11, item 6; OWASP "CSV injection")."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tumbuh.cli.report_output import csv_text
from tumbuh.growth.enums import Position, Sex
from tumbuh.ingest.export import ExportInfo, ExportRow, write_layout_a
from tumbuh.ingest.report import ImportReport, OriginalSheet, ReportLine, Severity
from tumbuh.ingest.tabular import write_table
from tumbuh.ingest.writers import write_report
from tumbuh.reports.tables import Column, ColumnKind, Table
from tumbuh.reports.xlsx import write_workbook
from tumbuh.sheet_text import csv_cell, starts_like_formula

HOSTILE = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")
PLAIN = ("Melati 1", "Siti Aminah", "36.72.01", "2024-08-17", "a=b", "")
NUMBERS_AS_TEXT = ("-1.25", "-2,5", "+6281234567", "-0,42", "1.234,5", "-1e-3")


def cells_of(path: Path | io.BytesIO) -> list[tuple[str, object, str, bool]]:
    """Every cell of every sheet: (sheet, value, openpyxl data type, quote prefix)."""
    book = openpyxl.load_workbook(path)
    found: list[tuple[str, object, str, bool]] = []
    for sheet in book.worksheets:
        assert isinstance(sheet, Worksheet)
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str):  # xlsxwriter escapes CR; openpyxl leaves it
                    value = value.replace("_x000D_", "\r")
                if value is not None:
                    found.append((sheet.title, value, cell.data_type, cell.quotePrefix))
    return found


def assert_text_is_text(found: list[tuple[str, object, str, bool]]) -> None:
    """No formula anywhere; each hostile text is a string cell, quote-prefixed, unchanged."""
    assert [c for c in found if c[2] == "f"] == []
    for text in HOSTILE:
        cells = [c for c in found if c[1] == text]
        assert cells, f"{text!r} is not in the workbook as written"
        assert all(c[2] == "s" and c[3] for c in cells), cells


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_like_a_formula_is_recognised(text: str) -> None:
    assert starts_like_formula(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN + NUMBERS_AS_TEXT)
def test_plain_text_and_numbers_are_left_alone(text: str) -> None:
    assert not starts_like_formula(text)
    assert csv_cell(text) == text


@pytest.mark.parametrize("value", [-1.25, 3, None, date(2024, 8, 17)])
def test_values_that_are_not_text_are_left_alone(value: object) -> None:
    assert csv_cell(value) == value


def test_report_workbook_keeps_hostile_names_as_text_and_numbers_as_numbers() -> None:
    table = Table(
        "Posyandu",
        (Column("Posyandu"), Column("Skor", ColumnKind.DECIMAL, places=1)),
        (*((text, -2.5) for text in HOSTILE), ("#N/A", 61.5)),
    )
    buffer = io.BytesIO()
    write_workbook([table], buffer)
    buffer.seek(0)
    found = cells_of(buffer)
    assert_text_is_text(found)
    assert ("Posyandu", "#N/A", "s", False) in found  # text, not an error cell
    numbers = [c for c in found if isinstance(c[1], float)]
    assert [(c[1], c[2]) for c in numbers] == [(-2.5, "n")] * len(HOSTILE) + [(61.5, "n")]


def _import_report() -> ImportReport:
    header = ["NIK", "Nama", "Posyandu", "Berat"]
    rows = [[None, text, text, -2.0] for text in HOSTILE]
    lines = tuple(
        ReportLine("hasil.xlsx", row, "Nama", text, Severity.ERROR, "problem")
        for row, text in enumerate(HOSTILE, start=2)
    )
    original = OriginalSheet("hasil.xlsx", 0, "Sheet1", [header, *rows], 0)
    spellings = {("kelurahan", text): "Cikerai" for text in HOSTILE}
    return ImportReport(lines, 6, 0, region_spellings=spellings, originals=(original,))


def test_import_report_xlsx_keeps_the_files_text_as_text(tmp_path: Path) -> None:
    out = tmp_path / "laporan.xlsx"
    write_report(_import_report(), out)
    found = cells_of(out)
    assert_text_is_text(found)
    assert {c[0] for c in found if c[1] == HOSTILE[0]} == {"Masalah", "hasil", "Ringkasan"}
    assert [(c[1], c[2]) for c in found if c[0] == "hasil" and c[1] == -2] == [(-2, "n")] * 6


def test_import_report_csv_quotes_text_that_starts_like_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "laporan.csv"
    write_report(_import_report(), out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[3] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert [row[1] for row in rows[1:]] == ["2", "3", "4", "5", "6", "7"]


def _export_row(name: str) -> ExportRow:
    return ExportRow(
        "3672015708220001", name, Sex.FEMALE, date(2022, 8, 17), 3.1, 49.0, name,
        "BANTEN", "KOTA CILEGON", "Cibeber", "Cibeber", "Cikerai", name, "01", "02",
        "Jl. Mawar 1", date(2024, 8, 17), 10.9, 84.5, Position.HEIGHT, 14.5, False,
        "Berat badan normal", -0.42, "Normal", -2.38, "Gizi baik", -0.38, "N", True,
    )  # fmt: skip


def test_eppgbm_export_keeps_hostile_names_as_text(tmp_path: Path) -> None:
    out = tmp_path / "ekspor.xlsx"
    info = ExportInfo("2024-08", "Kota Cilegon (36.72)", False, datetime(2024, 9, 1), "test")
    write_layout_a([_export_row(text) for text in HOSTILE], out, info, unmask=True)
    found = cells_of(out)
    assert_text_is_text(found)
    zscores = [c for c in found if c[1] == -2.38]
    assert [c[2] for c in zscores] == ["n"] * len(HOSTILE)


def test_report_csv_of_the_commands_quotes_hostile_text_only() -> None:
    text = csv_text(["Posyandu", "Perubahan"], [[name, "-1.25"] for name in HOSTILE])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1:] == [["'" + name, "-1.25"] for name in HOSTILE]


def test_zscore_output_files_keep_hostile_text_as_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"nama": list(HOSTILE), "zlen": [-2.5] * len(HOSTILE)})
    write_table(frame, tmp_path / "out.xlsx")
    found = cells_of(tmp_path / "out.xlsx")
    assert [c for c in found if c[2] == "f"] == []
    assert [c[1] for c in found if c[2] == "s"] == ["nama", "zlen", *HOSTILE]  # no prefix
    assert [c[1] for c in found if c[2] == "n"] == [-2.5] * len(HOSTILE)
    write_table(frame, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1:] == [["'" + name, "-2.5"] for name in HOSTILE]
