"""``tumbuh report indicators``: the intervention indicators of Perpres 72/2021 Annex A
for a year, with their targets, the figures entered by hand and the KRS
(docs/indicators.md); on screen, or as an .xlsx workbook."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._common import registry as open_registry
from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import MISSING, count
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.formatting import format_decimal_places
from tumbuh.i18n import Language, translations
from tumbuh.reports.indicators import FigureLine, KrsLine, indicator_tables, met_word
from tumbuh.reports.xlsx import write_workbook
from tumbuh.usecases.indicators import city_indicators, sheet_lines
from tumbuh.usecases.places import load_places

YearOption = Annotated[int, typer.Option("--year", help="The year of the figures, e.g. 2024.")]
XlsxOption = Annotated[
    Path | None,
    typer.Option("--xlsx", help="Write the three tables to this .xlsx file instead of the screen."),
]


@report_app.command("indicators")
def indicators_command(year: YearOption, xlsx: XlsxOption = None) -> None:
    """The intervention indicators of the year for the city: numerator, denominator, rate
    and target of each one computed from the register, by kelurahan; the figures entered
    by hand with their source; families at risk of stunting (KRS) by kelurahan. A year
    not over is counted up to today."""
    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":
        raise InputError(
            "--xlsx {path}: the indicators are written as a spreadsheet; give a file name "
            "ending in .xlsx",
            path=xlsx.name,
        )
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    with open_registry(settings) as connection:
        places = load_places(connection, settings.city_code)
        found = city_indicators(connection, places, year, as_of=date.today(), year_field="--year")
    computed, entered, krs = sheet_lines(found)
    if xlsx is not None:
        write_workbook(
            indicator_tables(year, computed, entered, krs, gettext), xlsx, language=language
        )
        Console().print(gettext("Written to {path}").format(path=xlsx), highlight=False)
        return
    console = Console()
    console.print(
        _figures(
            gettext("Intervention indicators from the register, {year}"), year, computed, language
        )
    )
    console.print(_figures(gettext("Indicators entered by hand, {year}"), year, entered, language))
    console.print(_krs(year, krs, language))


def _decimal(value: float | None, language: Language) -> str:
    return MISSING if value is None else format_decimal_places(value, 1, language)


def _number(value: int | None, language: Language) -> str:
    return MISSING if value is None else count(value, language)


def _figures(title: str, year: int, lines: list[FigureLine], language: Language) -> Table:
    gettext = translations(language).gettext
    table = Table(title=title.format(year=year))
    for heading in ("Indicator", "Area", "Numerator", "Denominator", "Not recorded"):
        table.add_column(gettext(heading))
    for heading in ("Rate %", "Target %", "Target met", "Source"):
        table.add_column(gettext(heading))
    for line in lines:
        table.add_row(
            gettext(line.indicator),
            line.area_name or gettext("(no kelurahan)"),
            _number(line.numerator, language),
            _number(line.denominator, language),
            _number(line.unknown, language),
            _decimal(line.percent, language),
            _decimal(line.target, language),
            met_word(line.meets_target, gettext),
            gettext(line.source) if line.source_is_message else line.source,
        )
    return table


def _krs(year: int, lines: list[KrsLine], language: Language) -> Table:
    gettext = translations(language).gettext
    table = Table(title=gettext("Families at risk of stunting (KRS), {year}").format(year=year))
    for heading in ("Area", "Target families", "At risk", "Not assessed", "At risk %"):
        table.add_column(gettext(heading))
    for line in lines:
        table.add_row(
            line.area_name or gettext("(no kelurahan)"),
            count(line.families, language),
            count(line.at_risk, language),
            count(line.unknown, language),
            _decimal(line.percent, language),
        )
    return table
