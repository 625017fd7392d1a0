"""``tumbuh target ...``: enter and list the reference figures surveillance compares with.

``population`` sets the target balita (S) of a kelurahan for a year, ``prevalence`` a
local prevalence target of an area, ``survey`` a survey figure (SSGI, SKI); ``list`` shows
them. Setting a figure that exists replaces it.
"""

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import Connection

from tumbuh.cli import app
from tumbuh.cli._common import registry
from tumbuh.cli.report_output import count, interval, number, write_tables
from tumbuh.config import Settings, load_settings
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.usecases.targets import (
    PrevalenceIndicator,
    parse_scale,
    reference_figures,
    set_population_target,
    set_prevalence_target,
    set_survey_figure,
)

target_app = typer.Typer(
    help="Target balita, local targets and survey figures for the reports.", no_args_is_help=True
)
app.add_typer(target_app, name="target")
IndicatorOption = Annotated[
    PrevalenceIndicator, typer.Option(help="Which outcome (default stunting).")
]
TargetYearOption = Annotated[int, typer.Option(help="The year the target is for, e.g. 2024.")]


def decimal(text: str, option: str) -> float:
    """A number typed with a decimal point or comma (19.1 or 19,1)."""
    value = text.strip()
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise InputError(
            "{option}: '{value}' is not a number; write it like 19.1 or 19,1",
            option=option,
            value=text,
        ) from None


def _save(settings: Settings, write: Callable[[Connection], bool]) -> None:
    """Run ``write`` (a use case that commits) and say whether it added or replaced the
    figure."""
    with registry(settings) as connection:
        created = write(connection)
    gettext = translations(Language(settings.language)).gettext
    typer.echo(
        gettext("The figure was saved.")
        if created
        else gettext("The figure was saved; it replaced the earlier value.")
    )


@target_app.command("population")
def population_command(
    kelurahan: Annotated[str, typer.Option(help="Kelurahan code, e.g. 36.72.01.1001.")],
    year: TargetYearOption,
    balita: Annotated[int, typer.Option(help="Number of target balita (S) set by Dinkes.")],
    source: Annotated[
        str | None, typer.Option(help="Where the figure comes from (document, letter).")
    ] = None,
) -> None:
    """Set the target number of balita (S) of a kelurahan for a year."""
    _save(
        load_settings(),
        lambda connection: set_population_target(
            connection, kelurahan_code=kelurahan, year=year, balita=balita, source=source
        ),
    )


@target_app.command("prevalence")
def prevalence_target_command(
    area: Annotated[str, typer.Option(help="Area code: 36.72 (kota), kecamatan or kelurahan.")],
    year: TargetYearOption,
    percent: Annotated[str, typer.Option(help="The target in percent, e.g. 9 or 14,5.")],
    indicator: IndicatorOption = PrevalenceIndicator.STUNTING,
    scale: Annotated[
        str,
        typer.Option(
            help="What the target is measured on: survey (SSGI/SKI, default: the scale of "
            "the national and most city targets), register (e-PPGBM) or administrative "
            "(coverage, services). A survey-scale target is shown only beside survey figures."
        ),
    ] = "survey",
    source: Annotated[
        str | None, typer.Option(help="Where the target comes from (RPJMD, Perwal, news).")
    ] = None,
) -> None:
    """Set a local prevalence target of an area for a year, on its scale."""
    settings = load_settings()
    value = decimal(percent, "--percent")
    chosen = parse_scale(scale)
    _save(
        settings,
        lambda connection: set_prevalence_target(
            connection,
            region_code=area,
            year=year,
            indicator=indicator,
            percent=value,
            scale=chosen,
            source=source,
        ),
    )


@target_app.command("survey")
def survey_command(
    area: Annotated[str, typer.Option(help="Area code: 36 (provinsi), 36.72 (kota), ...")],
    year: Annotated[int, typer.Option(help="The survey year, e.g. 2022.")],
    survey: Annotated[str, typer.Option(help="The survey: SSGI, SKI, Riskesdas, ...")],
    percent: Annotated[str, typer.Option(help="The published prevalence in percent, e.g. 19.1.")],
    low: Annotated[
        str | None, typer.Option(help="Lower bound of its 95 % interval, if published.")
    ] = None,
    high: Annotated[
        str | None, typer.Option(help="Upper bound of its 95 % interval, if published.")
    ] = None,
    indicator: IndicatorOption = PrevalenceIndicator.STUNTING,
    source: Annotated[
        str | None, typer.Option(help="The publication or link the figure comes from.")
    ] = None,
) -> None:
    """Set a survey figure of an area for a year (shown beside the register, never mixed)."""
    settings = load_settings()
    value = decimal(percent, "--percent")
    low_value = None if low is None else decimal(low, "--low")
    high_value = None if high is None else decimal(high, "--high")
    _save(
        settings,
        lambda connection: set_survey_figure(
            connection,
            region_code=area,
            year=year,
            survey=survey,
            percent=value,
            low_percent=low_value,
            high_percent=high_value,
            source=source,
            indicator=indicator,
        ),
    )


@target_app.command("list")
def list_command(
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
) -> None:
    """List the target balita, local targets and survey figures entered."""
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    with registry(settings) as connection:
        figures = reference_figures(connection, year=year)
    population, targets, surveys = figures.population, figures.targets, figures.surveys
    first = Table(title=gettext("Target balita (S) per kelurahan"))
    for header in (gettext("Year"), gettext("Code"), "Kelurahan"):
        first.add_column(header)
    first.add_column(gettext("Target balita"), justify="right")
    first.add_column(gettext("Source"))
    for p in population:
        first.add_row(
            str(p.year), p.kelurahan_code, p.kelurahan_name, count(p.balita, language), p.source
        )
    second = Table(title=gettext("Local prevalence targets"))
    for header in (gettext("Year"), gettext("Code"), gettext("Area"), gettext("Indicator")):
        second.add_column(header)
    second.add_column("%", justify="right")
    second.add_column(gettext("Scale"))
    second.add_column(gettext("Source"))
    for t in targets:
        second.add_row(
            str(t.year),
            t.region_code,
            t.region_name,
            t.indicator,
            number(t.percent, 1, language),
            gettext(t.scale.label),
            t.source,
        )
    third = Table(title=gettext("Survey figures"))
    for header in (gettext("Year"), gettext("Code"), gettext("Area"), gettext("Survey")):
        third.add_column(header)
    third.add_column(gettext("Indicator"))
    third.add_column("%", justify="right")
    third.add_column(gettext("95% interval"), justify="right")
    third.add_column(gettext("Source"))
    for s in surveys:
        third.add_row(
            str(s.year),
            s.region_code,
            s.region_name,
            s.survey,
            s.indicator,
            number(s.percent, 1, language),
            interval(s.low_percent, s.high_percent, 1, language),
            s.source,
        )
    write_tables([first, second, third], None)
