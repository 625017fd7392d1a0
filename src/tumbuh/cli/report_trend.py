"""``tumbuh report trend``: an area's prevalence round after round, with the targets of its
scale.

The points are register figures: only register-scale targets stand beside them (columns
``target_lokal``/``target_nasional`` and "Local target %"). Survey-scale targets (the
national path, a city's own 9 %) are listed with the survey figures, never beside the
register (:func:`tumbuh.growth.targets.comparable`)."""

from typing import Annotated

import typer
from rich.table import Table

from tumbuh.cli._common import (
    AgeGroupOption,
    FormatOption,
    OutputOption,
    parse_period_option,
    registry,
    resolve_area,
)
from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import (
    OutputFormat,
    count,
    csv_number,
    csv_text,
    interval,
    number,
    percent,
    write_report,
)
from tumbuh.config import load_settings
from tumbuh.growth.periods import Step
from tumbuh.growth.targets import (
    FigureKind,
    Target,
    TargetOrigin,
    TargetScale,
    check_comparable,
    figure_scale,
    target_of_year,
)
from tumbuh.growth.trend import Change
from tumbuh.i18n import Language, translations
from tumbuh.labels import CHANGE_NAMES
from tumbuh.usecases.surveillance import (
    AgeChoice,
    PrevalenceIndicator,
    Trend,
    TrendPoint,
    prevalence_trend,
)

CSV_COLUMNS = (
    "periode",
    "diukur",
    "kasus",
    "persen",
    "batas_bawah",
    "batas_atas",
    "perubahan_poin",
    "perubahan_bawah",
    "perubahan_atas",
    "arah",
    "target_lokal",
    "target_nasional",
)


@report_app.command("trend")
def trend_command(
    area: Annotated[
        str | None,
        typer.Option(
            help="The city (default), a kecamatan or kelurahan code (36.72.01, "
            "36.72.01.1001) or a posyandu code."
        ),
    ] = None,
    indicator: Annotated[
        PrevalenceIndicator, typer.Option(help="Which outcome (default stunting, HAZ < -2).")
    ] = PrevalenceIndicator.STUNTING,
    step: Annotated[
        Step,
        typer.Option(
            help="One point per bulan timbang round (February and August), month, semester or year."
        ),
    ] = Step.BULAN_TIMBANG,
    first: Annotated[
        str | None,
        typer.Option(
            "--from", help="First period (YYYY-MM, YYYY-S1/S2 or YYYY); default: the first data."
        ),
    ] = None,
    last: Annotated[
        str | None,
        typer.Option("--to", help="Last period; default: the last data."),
    ] = None,
    age_group: AgeGroupOption = AgeChoice.ALL,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Prevalence per period with its 95 % interval, the change since the previous period
    and whether it is beyond the uncertainty; the targets beside it only when they are on
    the register's scale (the national and most city targets are survey figures: listed
    with the surveys). With an age group, only its children count, and the targets and
    surveys (which are of all balita) are left out."""
    settings = load_settings()
    language = Language(settings.language)
    start = None if first is None else parse_period_option(first, "--from")
    end = None if last is None else parse_period_option(last, "--to")
    with registry(settings) as connection:
        chosen = resolve_area(connection, settings.city_code, None, area)
        trend = prevalence_trend(
            connection,
            area=chosen,
            indicator=indicator,
            step=step,
            first=start,
            last=end,
            age=age_group,
        )
    write_report(
        output_format, output, csv=lambda: _csv(trend), tables=lambda: _tables(trend, language)
    )


def _csv(trend: Trend) -> str:
    return csv_text(
        CSV_COLUMNS,
        [
            [
                p.period.label,
                p.measured,
                p.cases,
                csv_number(p.percent),
                csv_number(percent(p.lower)),
                csv_number(percent(p.upper)),
                csv_number(percent(p.change)),
                csv_number(percent(p.change_lower)),
                csv_number(percent(p.change_upper)),
                "" if p.verdict is Change.UNKNOWN else p.verdict.value,
                csv_number(p.local_target_percent, 1),
                csv_number(_national_register_target(trend, p.period.year), 1),
            ]
            for p in trend.points
        ],
    )


REGISTER = figure_scale(FigureKind.REGISTER_PREVALENCE)
SURVEY = figure_scale(FigureKind.SURVEY_ESTIMATE)


def _national_register_target(trend: Trend, year: int) -> float | None:
    """The national target of ``year`` if it is on the register's scale (none so far)."""
    national = [t for t in trend.targets_on(REGISTER) if t.origin is TargetOrigin.NATIONAL]
    found = target_of_year(national, year, indicator=trend.indicator.value, scale=REGISTER)
    if found is None:
        return None
    check_comparable(found.scale, REGISTER, "trend CSV")
    return found.percent


def _change(point: TrendPoint, language: Language) -> tuple[str, str]:
    if point.change is None:
        return "", ""
    sign = "+" if point.change > 0 else ""
    return (
        sign + number(100 * point.change, 2, language),
        interval(percent(point.change_lower), percent(point.change_upper), 2, language),
    )


def _tables(trend: Trend, language: Language) -> list[Table | str]:
    gettext = translations(language).gettext
    title = gettext("Trend of {indicator}: {area}").format(
        indicator=gettext(trend.indicator.label), area=f"{trend.area.name} ({trend.area.code})"
    )
    if trend.age is not AgeChoice.ALL:
        title = f"{title}, {gettext(trend.age.label)}"
    table = Table(title=title)
    for header in (gettext("Period"), gettext("Measured"), gettext("Cases"), "%"):
        table.add_column(header, justify="right")
    table.add_column(gettext("95% interval"), justify="right")
    table.add_column(gettext("Change (points)"), justify="right")
    table.add_column(gettext("95% interval of the change"), justify="right")
    table.add_column(gettext("Direction"))
    registered = bool(trend.targets_on(REGISTER))
    if registered:
        table.add_column(gettext("Local target %"), justify="right")
    for point in trend.points:
        change, change_interval = _change(point, language)
        verdict = CHANGE_NAMES[point.verdict]
        cells = [
            point.period.label,
            count(point.measured, language),
            count(point.cases, language),
            number(point.percent, 2, language),
            interval(percent(point.lower), percent(point.upper), 2, language),
            change,
            change_interval,
            gettext(verdict) if verdict else "",
        ]
        if registered:
            cells.append(number(point.local_target_percent, 1, language))
        table.add_row(*cells)
    parts: list[Table | str] = [table]
    if not trend.points:
        parts.append(gettext("No measurements in these periods."))
    survey_targets = trend.targets_on(SURVEY)
    if survey_targets:
        parts.append(
            gettext(
                "The targets are on the survey scale (SSGI/SKI) and are not compared with "
                "the register; they are listed with the survey figures."
            )
        )
    if trend.surveys:
        parts.append(_surveys(trend, language))
    if survey_targets:
        parts.append(_survey_targets(survey_targets, language))
    return parts


def _survey_targets(targets: tuple[Target, ...], language: Language) -> Table:
    """The survey-scale targets, to read beside the survey figures."""
    gettext = translations(language).gettext
    table = Table(title=gettext("Targets on the survey scale (compare with the survey figures)"))
    table.add_column(gettext("Year"))
    table.add_column(gettext("Set by"))
    table.add_column("%", justify="right")
    table.add_column(gettext("Source"))
    for target in targets:
        check_comparable(target.scale, TargetScale.SURVEY, "trend survey targets")
        table.add_row(
            str(target.year),
            gettext(ORIGIN_NAMES[target.origin]),
            number(target.percent, 1, language),
            target.source or "",
        )
    return table


ORIGIN_NAMES = {TargetOrigin.NATIONAL: "National target", TargetOrigin.LOCAL: "Local target"}


def _surveys(trend: Trend, language: Language) -> Table:
    gettext = translations(language).gettext
    table = Table(title=gettext("Survey figures (not comparable with the register)"))
    table.add_column(gettext("Year"))
    table.add_column(gettext("Survey"))
    table.add_column("%", justify="right")
    table.add_column(gettext("95% interval"), justify="right")
    table.add_column(gettext("Source"))
    for survey in trend.surveys:
        table.add_row(
            str(survey.year),
            survey.survey,
            number(survey.percent, 1, language),
            interval(survey.low_percent, survey.high_percent, 1, language),
            survey.source or "",
        )
    return table
