"""Several tables into one .xlsx workbook: one sheet per table, numbers kept as numbers.

Each sheet has the column headings (in the user's language) in row 1, frozen and
filtered, then the rows. Number cells hold real numbers with a number format (``#,##0``
or ``#,##0.00``); Excel and LibreOffice show them with the reader's own separators (an
Indonesian installation shows 31.221 and 2,62), and sums and charts work on them.
Missing values are empty cells. The table's full title and note go into the printed
page header and footer, because a sheet name holds only 31 characters. Text cells are
always strings, never formulas: a posyandu named ``=HYPERLINK(...)`` stays text
(:mod:`tumbuh.sheet_text`).

Written with openpyxl (typed, already a dependency for reading workbooks).
"""

import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tumbuh.i18n import Language
from tumbuh.reports.tables import Cell, Column, Table, cell_text
from tumbuh.sheet_text import starts_like_formula

SHEET_NAME_LIMIT = 31  # Excel's limit
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in sheet names
HEADER_FILL = PatternFill("solid", start_color="E2EAF5", end_color="E2EAF5")


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """A valid, unique sheet name per table: at most 31 characters, none of ``[]:*?/\\``."""
    names: list[str] = []
    taken: set[str] = set()
    for table in tables:
        base = _FORBIDDEN.sub("-", table.sheet_name or table.title).strip().strip("'") or "Tabel"
        name = base[:SHEET_NAME_LIMIT]
        counter = 2
        while name.lower() in taken:
            suffix = f" ({counter})"
            name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
            counter += 1
        taken.add(name.lower())
        names.append(name)
    return names


def workbook(tables: Sequence[Table], *, language: Language = Language.ID) -> Workbook:
    """A workbook with one sheet per table, in order."""
    if not tables:
        raise ValueError("a workbook needs at least one table")
    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        _write_sheet(book.create_sheet(name), table, language)
    return book


def write_workbook(
    tables: Sequence[Table], target: Path | io.BytesIO, *, language: Language = Language.ID
) -> None:
    """Save the tables as an .xlsx file (or into a buffer, for a web download)."""
    workbook(tables, language=language).save(target)


def _write_sheet(sheet: Worksheet, table: Table, language: Language) -> None:
    bold = Font(bold=True)
    for index, column in enumerate(table.columns, 1):
        cell = _as_text(sheet.cell(row=1, column=index, value=column.title))
        cell.font = bold
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(
            horizontal="right" if column.is_number else "left", vertical="top", wrap_text=True
        )
    for row_number, row in enumerate(table.rows, 2):
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True), 1):
            cell = _as_text(sheet.cell(row=row_number, column=index, value=_stored(value)))
            if column.is_number:
                cell.number_format = column.excel_format
    for index, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(table, column, index)
    sheet.freeze_panes = "A2"
    if table.rows:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    header, footer = sheet.oddHeader, sheet.oddFooter
    if header is not None:  # openpyxl creates both with the sheet; the stubs allow None
        header.center.text = table.title
    if footer is not None:
        footer.left.text = table.note
        footer.right.text = "&P / &N"


def _as_text(cell: SheetCell) -> SheetCell:
    """A text cell stays text: openpyxl would store ``=...`` as a formula and ``#N/A``
    as an error; the quote prefix keeps formula-like text text when edited."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if starts_like_formula(cell.value):
            cell.quotePrefix = True
    return cell


def _stored(value: Cell) -> Cell:
    """What goes into the cell: numbers as numbers, NaN and None as an empty cell."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _width(table: Table, column: Column, index: int) -> float:
    """Column width in characters: the longest shown value or heading word, plus room."""
    shown = [cell_text(row[index - 1], column, Language.EN) for row in table.rows]
    longest_word = max((len(word) for word in column.title.split()), default=0)
    longest = max([len(text) for text in shown] + [longest_word, min(len(column.title), 24)])
    return float(min(max(longest + 3, 8), 60))
