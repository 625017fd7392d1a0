"""Tables as plain data, shared by the PDF and the XLSX writers.

A table is a title, typed columns and rows of cells. Numbers stay numbers until the
last moment: the PDF writes them with Indonesian formatting (decimal comma, thousands
dot), the XLSX stores them as numbers with a number format, so a spreadsheet can sum
them.
"""

import math
from dataclasses import dataclass
from enum import StrEnum

from tumbuh.i18n import Language
from tumbuh.reports import style

Cell = str | int | float | None
MISSING = "\u2013"  # what an empty cell shows: an en dash, as printed statistics do


class ColumnKind(StrEnum):
    """How a column's cells are written and aligned."""

    TEXT = "text"  # left-aligned text
    INTEGER = "integer"  # whole numbers, thousands separated: 31.221
    DECIMAL = "decimal"  # fixed decimals: 2,62


@dataclass(frozen=True)
class Column:
    """A column: its heading (already in the user's language), kind and decimals."""

    title: str
    kind: ColumnKind = ColumnKind.TEXT
    places: int = 0  # decimals of a DECIMAL column
    width: float = 1.0  # relative width in the PDF

    @property
    def is_number(self) -> bool:
        """Numbers are right-aligned and stored as numbers."""
        return self.kind is not ColumnKind.TEXT

    @property
    def excel_format(self) -> str:
        """The spreadsheet number format: ``#,##0`` or ``#,##0.00``."""
        if self.kind is ColumnKind.INTEGER:
            return "#,##0"
        if self.kind is ColumnKind.DECIMAL and self.places > 0:
            return "#,##0." + "0" * self.places
        return "#,##0" if self.kind is ColumnKind.DECIMAL else "@"


@dataclass(frozen=True)
class Table:
    """A titled table; every row has one cell per column, numbers in number columns."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str | None = None  # e.g. the source or how intervals were computed
    sheet_name: str | None = None  # short name for the XLSX sheet (default: the title)

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, 1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r}, row {number}: {len(row)} cells "
                    f"for {len(self.columns)} columns"
                )
            for column, cell in zip(self.columns, row, strict=True):
                if column.is_number and isinstance(cell, str):
                    raise ValueError(
                        f"table {self.title!r}, row {number}, column {column.title!r}: "
                        f"text {cell!r} in a number column"
                    )


def cell_text(cell: Cell, column: Column, language: Language) -> str:
    """A cell as the PDF prints it; missing numbers (None, NaN) print as an en dash."""
    if cell is None or (isinstance(cell, float) and not math.isfinite(cell)):
        return MISSING
    if isinstance(cell, str):
        return cell
    if column.kind is ColumnKind.INTEGER:
        return style.format_number(round(cell), 0, language)
    if column.kind is ColumnKind.DECIMAL:
        return style.format_number(cell, column.places, language)
    return str(cell)
