"""``tumbuh report prevalence``: children measured and with an outcome, per area, for a period."""

from typing import Annotated

import typer
from rich.table import Table

from tumbuh.cli._common import (
    AgeGroupOption,
    ByOption,
    OutputOption,
    parse_period_option,
    registry,
)
from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import (
    OutputFormat,
    add_area_row,
    area_table,
    count,
    csv_number,
    csv_text,
    interval,
    number,
    place_name,
    write_report,
)
from tumbuh.config import load_settings
from tumbuh.i18n import Language, translations
from tumbuh.usecases.surveillance import (
    AgeChoice,
    PrevalenceIndicator,
    PrevalenceRow,
    indicator_prevalence,
)

CSV_COLUMNS = ("kode", "nama", "diukur", "stunting", "persen", "batas_bawah", "batas_atas")

__all__ = ["CSV_COLUMNS", "OutputFormat", "prevalence_command"]


@report_app.command("prevalence")
def prevalence_command(
    period: Annotated[
        str,
        typer.Option(
            help="Month YYYY-MM (2024-08 is the August bulan timbang), semester YYYY-S1 or "
            "YYYY-S2, or year YYYY."
        ),
    ],
    by: ByOption = None,
    indicator: Annotated[
        PrevalenceIndicator,
        typer.Option(help="Which outcome: stunting (HAZ < -2) unless chosen otherwise."),
    ] = PrevalenceIndicator.STUNTING,
    age_group: AgeGroupOption = AgeChoice.ALL,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            help="table (readable) or csv (kode,nama,diukur,<indicator>,persen,batas_bawah,"
            "batas_atas).",
        ),
    ] = OutputFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Prevalence per area with its 95 % Wilson interval, the city first.

    A child counts once per period, with its last valid measurement: the z-scores the
    indicator needs are present and not WHO-flagged (oedema counts as below -3 SD for the
    weight-based ones, as in WHO anthro). Stunted means a length/height-for-age z-score
    below -2. Age groups count the child's age in completed months at that
    measurement.
    """
    settings = load_settings()
    language = Language(settings.language)
    chosen = parse_period_option(period)
    with registry(settings) as connection:
        rows = indicator_prevalence(
            connection,
            chosen,
            city_code=settings.city_code,
            by=by,
            indicator=indicator,
            age=age_group,
        )
    write_report(
        output_format,
        output,
        csv=lambda: _csv(rows, indicator, language),
        tables=lambda: [_table(rows, chosen.label, indicator, age_group, language)],
    )


def _csv(rows: list[PrevalenceRow], indicator: PrevalenceIndicator, language: Language) -> str:
    gettext = translations(language).gettext
    header = list(CSV_COLUMNS)
    header[3] = indicator.column
    return csv_text(
        header,
        [
            [
                row.code or "",
                place_name(row.name, gettext),
                row.measured,
                row.cases,
                csv_number(row.percent),
                csv_number(row.lower_percent),
                csv_number(row.upper_percent),
            ]
            for row in rows
        ],
    )


def _table(
    rows: list[PrevalenceRow],
    label: str,
    indicator: PrevalenceIndicator,
    age: AgeChoice,
    language: Language,
) -> Table:
    gettext = translations(language).gettext
    if indicator is PrevalenceIndicator.STUNTING:
        title = gettext("Stunting prevalence, {period}").format(period=label)
        cases = gettext("Stunted")
    else:
        title = gettext("Prevalence of {indicator}, {period}").format(
            indicator=gettext(indicator.label), period=label
        )
        cases = gettext("Cases")
    if age is not AgeChoice.ALL:
        title = f"{title}, {gettext(age.label)}"
    table = area_table(title, gettext)
    table.add_column(gettext("Measured"), justify="right")
    table.add_column(cases, justify="right")
    table.add_column("%", justify="right")
    table.add_column(gettext("95% interval"), justify="right")
    for index, row in enumerate(rows):
        add_area_row(
            table,
            index,
            row.code,
            place_name(row.name, gettext),
            count(row.measured, language),
            count(row.cases, language),
            number(row.percent, 2, language),
            interval(row.lower_percent, row.upper_percent, 2, language),
        )
    return table
