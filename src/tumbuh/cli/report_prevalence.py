"""``tumbuh report prevalence``: children measured and stunted, per area, for a month."""

import csv
import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._groups import report_app
from tumbuh.config import load_settings
from tumbuh.db.engine import open_engine
from tumbuh.db.prevalence import AreaLevel, Period, PrevalenceRow, stunting_prevalence
from tumbuh.db.setup import require_current_schema
from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.i18n import Language, translations

CSV_COLUMNS = ("kode", "nama", "diukur", "stunting", "persen")


class OutputFormat(StrEnum):
    """How the figures are written."""

    TABLE = "table"
    CSV = "csv"


@report_app.command("prevalence")
def prevalence_command(
    period: Annotated[
        str, typer.Option(help="Month as YYYY-MM, e.g. 2024-08 for the August bulan timbang.")
    ],
    by: Annotated[
        AreaLevel | None,
        typer.Option(help="Break the city down by kecamatan, kelurahan or posyandu."),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", help="table (readable) or csv (kode,nama,diukur,stunting,persen)."
        ),
    ] = OutputFormat.TABLE,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file instead of the screen."),
    ] = None,
) -> None:
    """Stunting prevalence: children measured, stunted and % per area, the city first.

    A child counts once, with its last valid measurement of the month (a length/height-
    for-age z-score that is not WHO-flagged); stunted means that z-score is below -2.
    """
    settings = load_settings()
    language = Language(settings.language)
    month = Period.month(period)
    engine = open_engine(settings.database_url)
    require_current_schema(engine)
    with engine.connect() as connection:
        rows = stunting_prevalence(connection, month, city_code=settings.city_code, by=by)
    engine.dispose()
    gettext = translations(language).gettext
    if output_format is OutputFormat.CSV:
        text = _csv(rows, gettext("(no posyandu)"))
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
        return
    console = Console(record=output is not None)
    console.print(_table(rows, month.label, language))
    if output is not None:
        output.write_text(console.export_text(), encoding="utf-8")


def _csv(rows: list[PrevalenceRow], unknown: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        percent = "" if row.percent is None else f"{row.percent:.2f}"
        writer.writerow([row.code or "", row.name or unknown, row.measured, row.stunted, percent])
    return buffer.getvalue()


def _table(rows: list[PrevalenceRow], label: str, language: Language) -> Table:
    gettext = translations(language).gettext
    table = Table(title=gettext("Stunting prevalence, {period}").format(period=label))
    table.add_column(gettext("Code"))
    table.add_column(gettext("Name"))
    table.add_column(gettext("Measured"), justify="right")
    table.add_column(gettext("Stunted"), justify="right")
    table.add_column("%", justify="right")
    for index, row in enumerate(rows):
        percent = "–" if row.percent is None else format_decimal_places(row.percent, 2, language)
        table.add_row(
            row.code or "",
            row.name or gettext("(no posyandu)"),
            format_integer(row.measured, language),
            format_integer(row.stunted, language),
            percent,
            style="bold" if index == 0 else None,
            end_section=index == 0,
        )
    return table
