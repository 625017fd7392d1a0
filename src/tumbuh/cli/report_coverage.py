"""``tumbuh report coverage``: children weighed and measured against the target balita (S)."""

from typing import Annotated

import typer
from rich.table import Table

from tumbuh.cli._common import (
    AgeGroupOption,
    FormatOption,
    OutputOption,
    parse_period_option,
    registry,
)
from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import (
    MISSING,
    OutputFormat,
    add_area_row,
    area_table,
    count,
    csv_number,
    csv_text,
    percent,
    place_name,
    share,
    write_report,
)
from tumbuh.config import load_settings
from tumbuh.growth import periods
from tumbuh.i18n import Language, translations
from tumbuh.usecases.surveillance import (
    COVERAGE_TRUSTED,
    AgeChoice,
    AreaLevel,
    CoverageRow,
    coverage,
)

__all__ = ["CSV_COLUMNS", "coverage_command"]

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


@report_app.command("coverage")
def coverage_command(
    period: Annotated[
        str,
        typer.Option(help="Month YYYY-MM (e.g. 2024-08), semester YYYY-S1/S2 or year YYYY."),
    ],
    by: Annotated[
        AreaLevel, typer.Option(help="One row per kecamatan, kelurahan or posyandu.")
    ] = AreaLevel.KELURAHAN,
    age_group: AgeGroupOption = AgeChoice.ALL,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Coverage per area: the target balita (S, entered per kelurahan and year), the
    registered balita, and the children weighed (D) and measured (a valid length/height)
    in the period, as shares of S. Prevalence needs about 95 % measured to be trusted
    (BKKBN). With an age group: its registered (by age on the period's last day),
    weighed and measured children (by age when counted); S is of all balita, so there
    are no shares."""
    settings = load_settings()
    language = Language(settings.language)
    chosen = parse_period_option(period)
    with registry(settings) as connection:
        rows = coverage(connection, chosen, city_code=settings.city_code, by=by, age=age_group)
    write_report(
        output_format,
        output,
        csv=lambda: _csv(rows, language),
        tables=lambda: _tables(rows, chosen, age_group, language),
    )


def _tables(
    rows: list[CoverageRow],
    chosen: periods.Period,
    age: AgeChoice,
    language: Language,
) -> list[Table | str]:
    gettext = translations(language).gettext
    label = chosen.label if age is AgeChoice.ALL else f"{chosen.label}, {gettext(age.label)}"
    notes: list[Table | str] = [_table(rows, label, language)]
    if chosen.months > 1:
        notes.append(
            gettext(
                "Over more than a month, children are counted once however often they came, so "
                "more children than the target of one moment can be weighed."
            )
        )
    return notes


def _csv(rows: list[CoverageRow], language: Language) -> str:
    gettext = translations(language).gettext
    return csv_text(
        CSV_COLUMNS,
        [
            [
                row.code or "",
                place_name(row.name, gettext),
                row.target_s,
                row.registered,
                row.weighed,
                row.measured,
                csv_number(percent(row.weighed_share), 1),
                csv_number(percent(row.measured_share), 1),
                csv_number(percent(row.registered_share), 1),
            ]
            for row in rows
        ],
    )


def _table(rows: list[CoverageRow], label: str, language: Language) -> Table:
    gettext = translations(language).gettext
    table = area_table(gettext("Coverage, {period}").format(period=label), gettext)
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
        add_area_row(
            table,
            index,
            row.code,
            place_name(row.name, gettext),
            MISSING if row.target_s is None else count(row.target_s, language),
            count(row.registered, language),
            count(row.weighed, language),
            count(row.measured, language),
            share(row.weighed_share, language),
            measured,
        )
    table.caption = gettext(
        "* below {percent} %: the prevalence may not represent the area (BKKBN)."
    ).format(percent=round(100 * COVERAGE_TRUSTED))
    return table
