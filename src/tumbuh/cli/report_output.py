"""Shared output of the ``tumbuh report`` commands: a Rich table or CSV, to screen or file.

CSV is for machines: comma-separated, decimal point, percentages with 2 decimals, empty
cells for unknown values. Tables are for people: Indonesian number formatting when the
language is Indonesian, "–" for unknown values.
"""

import csv
import io
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection

from tumbuh.db.surveillance.areas import Area, find_area, find_posyandu
from tumbuh.errors import InputError
from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.i18n import Language

MISSING = "–"


class OutputFormat(StrEnum):
    """How the figures are written."""

    TABLE = "table"
    CSV = "csv"


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """CSV with a header line; None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def csv_number(value: float | None, places: int = 2) -> str:
    """A number for CSV: decimal point, fixed places; empty when unknown."""
    return "" if value is None else f"{value:.{places}f}"


def number(value: float | None, places: int, language: Language) -> str:
    """A number for a table in the user's language; "–" when unknown."""
    return MISSING if value is None else format_decimal_places(value, places, language)


def count(value: int, language: Language) -> str:
    """A whole number for a table (31.221 in Indonesian)."""
    return format_integer(value, language)


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


def write_tables(tables: Sequence[Table | str], output: Path | None) -> None:
    """Print tables (and lines of text), or write them as plain text to ``output``."""
    console = Console(record=output is not None)
    for table in tables:
        console.print(table, highlight=False)
    if output is not None:
        output.write_text(console.export_text(), encoding="utf-8")


def resolve_area(
    connection: Connection, city_code: str, posyandu: str | None, area: str | None
) -> Area:
    """The posyandu (code or number) or area (code) chosen, else the city."""
    if posyandu is not None:
        found = find_posyandu(connection, posyandu, city_code=city_code)
        if found is None:
            raise InputError(
                "--posyandu: there is no posyandu '{value}' in {city}; give its code (as in "
                "tumbuh report prevalence --by posyandu) or its number",
                value=posyandu,
                city=city_code,
            )
        return found
    return find_area(connection, area or city_code, city_code=city_code)
