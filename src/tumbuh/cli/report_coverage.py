"""``tumbuh report coverage``: children weighed and measured against the target balita (S)."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import (
    OutputFormat,
    count,
    csv_number,
    csv_text,
    share,
    write_csv,
    write_tables,
)
from tumbuh.config import load_settings
from tumbuh.db.engine import open_engine
from tumbuh.db.prevalence import AreaLevel, Period
from tumbuh.db.setup import require_current_schema
from tumbuh.db.surveillance.coverage import COVERAGE_TRUSTED, CoverageRow, coverage
from tumbuh.i18n import Language, translations

CSV_COLUMNS = (
    "kode",
    "nama",
    "sasaran",
    "terdaftar",
    "ditimbang",
    "diukur",
    "persen_ditimbang",
    "persen_diukur",
    "persen_terdaftar",
)


def _percent(value: float | None) -> float | None:
    return None if value is None else 100.0 * value


@report_app.command("coverage")
def coverage_command(
    period: Annotated[
        str,
        typer.Option(help="Month YYYY-MM (e.g. 2024-08), semester YYYY-S1/S2 or year YYYY."),
    ],
    by: Annotated[
        AreaLevel, typer.Option(help="One row per kecamatan, kelurahan or posyandu.")
    ] = AreaLevel.KELURAHAN,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table (readable) or csv.")
    ] = OutputFormat.TABLE,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file instead of the screen."),
    ] = None,
) -> None:
    """Coverage per area: the target balita (S, entered per kelurahan and year), the
    registered balita, and the children weighed (D) and measured (a valid length/height)
    in the period, as shares of S. Prevalence needs about 95 % measured to be trusted
    (BKKBN)."""
    settings = load_settings()
    language = Language(settings.language)
    chosen = Period.parse(period)
    engine = open_engine(settings.database_url)
    require_current_schema(engine)
    with engine.connect() as connection:
        rows = coverage(connection, chosen, city_code=settings.city_code, by=by)
    engine.dispose()
    gettext = translations(language).gettext
    if output_format is OutputFormat.CSV:
        write_csv(_csv(rows, gettext("(no posyandu)")), output)
        return
    notes: list[Table | str] = [_table(rows, chosen.label, language)]
    if chosen.months > 1:
        notes.append(
            gettext(
                "Over more than a month, children are counted once however often they came, so "
                "more children than the target of one moment can be weighed."
            )
        )
    write_tables(notes, output)


def _csv(rows: list[CoverageRow], unknown: str) -> str:
    return csv_text(
        CSV_COLUMNS,
        [
            [
                row.code or "",
                row.name or unknown,
                row.target_s,
                row.registered,
                row.weighed,
                row.measured,
                csv_number(_percent(row.weighed_share), 1),
                csv_number(_percent(row.measured_share), 1),
                csv_number(_percent(row.registered_share), 1),
            ]
            for row in rows
        ],
    )


def _table(rows: list[CoverageRow], label: str, language: Language) -> Table:
    gettext = translations(language).gettext
    table = Table(title=gettext("Coverage, {period}").format(period=label))
    table.add_column(gettext("Code"))
    table.add_column(gettext("Name"))
    for header in (
        gettext("Target (S)"),
        gettext("Registered"),
        gettext("Weighed (D)"),
        gettext("Measured"),
        "D/S %",
        gettext("Measured/S %"),
    ):
        table.add_column(header, justify="right")
    for index, row in enumerate(rows):
        measured = share(row.measured_share, language)
        if row.below_trusted:
            measured += " *"
        table.add_row(
            row.code or "",
            row.name or gettext("(no posyandu)"),
            "–" if row.target_s is None else count(row.target_s, language),
            count(row.registered, language),
            count(row.weighed, language),
            count(row.measured, language),
            share(row.weighed_share, language),
            measured,
            style="bold" if index == 0 else None,
            end_section=index == 0,
        )
    table.caption = gettext(
        "* below {percent} %: the prevalence may not represent the area (BKKBN)."
    ).format(percent=round(100 * COVERAGE_TRUSTED))
    return table
