"""Shared output of the ``tumbuh report`` commands: a Rich table or CSV, to screen or file.

CSV is for machines: comma-separated, decimal point, percentages with 2 decimals, empty
cells for unknown values; text that a spreadsheet would run as a formula (a posyandu
named ``=HYPERLINK(...)``) starts with ``'`` (:mod:`tumbuh.sheet_text`). Tables are for
people: Indonesian number formatting when the language is Indonesian, "–" for unknown
values.
"""

import csv
import io
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console, RenderableType
from rich.table import Table

from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.i18n import Language
from tumbuh.sheet_text import csv_cell

MISSING = "–"


class OutputFormat(StrEnum):
    """How the figures are written."""

    TABLE = "table"
    CSV = "csv"


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV with a header line; None becomes an empty cell, text is never a formula."""
    lines = [_csv_line([csv_cell(name) for name in header])]
    for row in rows:
        lines.append(_csv_line(["" if value is None else csv_cell(value) for value in row]))
    return "".join(lines)


def _csv_line(cells: Sequence[object]) -> str:
    """One line ending in ``\n``. The writer quotes a cell holding a line break only when
    the break is part of its line terminator: with ``\r\n`` a stray carriage return is
    quoted too, where it would otherwise start a new row in a spreadsheet."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue().removesuffix("\r\n") + "\n"


def csv_number(value: float | None, places: int = 2) -> str:
    """A number for CSV: decimal point, fixed places; empty when unknown."""
    return "" if value is None else f"{value:.{places}f}"


def number(value: float | None, places: int, language: Language) -> str:
    """A number for a table in the user's language; "–" when unknown."""
    return MISSING if value is None else format_decimal_places(value, places, language)


def count(value: int, language: Language) -> str:
    """A whole number for a table (31.221 in Indonesian)."""
    return format_integer(value, language)


def percent(value: float | None) -> float | None:
    """A 0-1 share in percent (points, for a change); None stays None."""
    return None if value is None else 100.0 * value


def share(value: float | None, language: Language) -> str:
    """A 0-1 share as a percentage with one decimal ("87,5"); "–" when unknown."""
    return MISSING if value is None else format_decimal_places(100 * value, 1, language)


def interval(lower: float | None, upper: float | None, places: int, language: Language) -> str:
    """``2,69–3,06`` for bounds already in the unit shown; "–" when unknown."""
    if lower is None or upper is None:
        return MISSING
    low = format_decimal_places(lower, places, language)
    high = format_decimal_places(upper, places, language)
    return f"{low}–{high}"


def write_csv(text: str, output: Path | None) -> None:
    """Print CSV, or write it to ``output`` (UTF-8)."""
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def write_tables(
    tables: Sequence[RenderableType], output: Path | None, *, file_width: int | None = None
) -> None:
    """Print tables (and lines of text), or write them as plain text to ``output``
    (``file_width`` characters wide there; default: the terminal's width)."""
    console = Console(record=output is not None, width=None if output is None else file_width)
    for table in tables:
        console.print(table, highlight=False)
    if output is not None:
        output.write_text(console.export_text(), encoding="utf-8")


def write_report(
    output_format: OutputFormat,
    output: Path | None,
    *,
    csv: Callable[[], str],
    tables: Callable[[], Sequence[RenderableType]],
    file_width: int | None = None,
) -> None:
    """Write the figures as CSV or as tables: only the one chosen is built."""
    if output_format is OutputFormat.CSV:
        write_csv(csv(), output)
    else:
        write_tables(tables(), output, file_width=file_width)


def place_name(name: str | None, gettext: Callable[[str], str]) -> str:
    """An area's name; measurements at no posyandu are grouped under "(no posyandu)"."""
    return name or gettext("(no posyandu)")


def area_table(title: str, gettext: Callable[[str], str]) -> Table:
    """A table of areas: its first columns are the code and the name."""
    table = Table(title=title)
    table.add_column(gettext("Code"))
    table.add_column(gettext("Name"))
    return table


def add_area_row(
    table: Table, index: int, code: str | None, name: str, *cells: str, bold: bool = False
) -> None:
    """One area's row; the first (the whole city or area) is bold and ruled off."""
    table.add_row(
        code or "",
        name,
        *cells,
        style="bold" if index == 0 or bold else None,
        end_section=index == 0,
    )
