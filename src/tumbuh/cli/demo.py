"""``tumbuh demo generate``: the synthetic Kota Cilegon in the configured database."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._groups import demo_app
from tumbuh.config import load_settings
from tumbuh.demo.generate import DemoReport, generate_demo_city
from tumbuh.demo.settings import DemoConfig, ErrorRates
from tumbuh.errors import InputError
from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.i18n import Language, translations
from tumbuh.usecases.database import PlantedErrorKind, open_database

_DEFAULT = ErrorRates()
# Message ids of the planted error kinds.
_KIND_LABELS = {
    PlantedErrorKind.DIGIT_PREFERENCE: "digit preference (.0/.5)",
    PlantedErrorKind.WRONG_POSITION: "wrong position around 24 months",
    PlantedErrorKind.WEIGHT_IN_GRAMS: "weight typed in grams",
    PlantedErrorKind.COPIED_VALUES: "values copied from last month",
}


def _rate(name: str, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise InputError(
            "--{name}: {value} is not a rate; give a share between 0 and 1, e.g. 0.05",
            name=name,
            value=value,
        )
    return value


@demo_app.command("generate")
def generate_command(
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same city.")] = 1,
    scale: Annotated[
        float,
        typer.Option(
            help="Size relative to Kota Cilegon (1.0). Smaller cities are quicker; their "
            "calibrated rounds are the published figures times the scale."
        ),
    ] = 1.0,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Delete every record (except regions) before generating."),
    ] = False,
    digit_preference_rate: Annotated[
        float, typer.Option(help="Share of heights, and of weights, rounded to .0 or .5.")
    ] = _DEFAULT.digit_preference,
    wrong_position_rate: Annotated[
        float,
        typer.Option(help="Share of measurements at 18-30 months taken in the wrong position."),
    ] = _DEFAULT.wrong_position,
    weight_in_grams_rate: Annotated[
        float, typer.Option(help="Share of weights typed in grams instead of kilograms.")
    ] = _DEFAULT.weight_in_grams,
    copied_values_rate: Annotated[
        float,
        typer.Option(help="Share of measurements with last month's weight and height copied."),
    ] = _DEFAULT.copied_values,
) -> None:
    """Build the synthetic demo city (Kota Cilegon, Aug 2021 - Dec 2024) into the database."""
    settings = load_settings()
    language = Language(settings.language)
    if not 0.0 < scale <= 2.0:
        raise InputError(
            "--scale: {value} is outside 0 to 2; use 1.0 for the full city", value=scale
        )
    errors = ErrorRates(
        digit_preference=_rate("digit-preference-rate", digit_preference_rate),
        wrong_position=_rate("wrong-position-rate", wrong_position_rate),
        weight_in_grams=_rate("weight-in-grams-rate", weight_in_grams_rate),
        copied_values=_rate("copied-values-rate", copied_values_rate),
    )
    config = DemoConfig(seed=seed, scale=scale, errors=errors)
    engine = open_database(settings.database_url)
    report = generate_demo_city(engine, config, replace=replace)
    engine.dispose()
    _print_report(report, language)


def _print_report(report: DemoReport, language: Language) -> None:
    gettext = translations(language).gettext

    def number(value: int) -> str:
        return format_integer(value, language)

    console = Console()
    summary = Table(title=gettext("Demo city (seed {seed})").format(seed=report.config.seed))
    summary.add_column(gettext("What"))
    summary.add_column(gettext("Count"), justify="right")
    summary.add_row(gettext("Children"), number(report.children))
    summary.add_row(gettext("Mothers"), number(report.mothers))
    summary.add_row(gettext("Number of posyandu"), number(report.posyandu))
    summary.add_row(gettext("Measurements"), number(report.measurements))
    for kind, count in report.planted.items():
        summary.add_row(
            gettext("Planted error: {kind}").format(kind=gettext(_KIND_LABELS[kind])),
            number(count),
        )
    if report.pmt is not None:
        summary.add_row(gettext("PMT kitchens"), number(report.pmt.kitchens))
        summary.add_row(
            gettext("PMT episodes (still open)"),
            f"{number(report.pmt.episodes)} ({number(report.pmt.open_episodes)})",
        )
        summary.add_row(gettext("PMT servings"), number(report.pmt.servings))
    days = report.first_1000_days
    if days is not None:
        summary.add_row(
            gettext("Pregnancies (still going on)"),
            f"{number(days.pregnancies)} ({number(days.ongoing)})",
        )
        summary.add_row(
            gettext("ANC and KF visits"),
            f"{number(days.anc_visits)} / {number(days.postpartum_visits)}",
        )
        summary.add_row(gettext("Child months recorded"), number(days.child_months))
        summary.add_row(gettext("Brides and grooms (catin)"), number(days.catin))
        summary.add_row(
            gettext("KRS families at risk (TPK visits)"),
            f"{number(days.families_at_risk)} ({number(days.tpk_visits)})",
        )
        summary.add_row(gettext("PMT for pregnant women with KEK"), number(days.pmt_bumil))
    console.print(summary)
    rounds = Table(title=gettext("Calibrated bulan timbang rounds"))
    for header in (gettext("Month"), gettext("Measured"), gettext("Stunted"), gettext("Published")):
        rounds.add_column(header, justify="right")
    for figure, stunted, measured in report.calibrated:
        rounds.add_row(
            figure.month.strftime("%Y-%m"),
            number(figure.measured),
            number(figure.stunted),
            f"{number(stunted)} / {number(measured)}",
        )
    console.print(rounds)
    console.print(
        gettext("Generated in {build} s and stored in {store} s.").format(
            build=format_decimal_places(report.build_seconds, 1, language),
            store=format_decimal_places(report.store_seconds, 1, language),
        ),
        highlight=False,
    )
    console.print(
        gettext("Cases opened in {cases} s; PMT lokal made in {pmt} s.").format(
            cases=format_decimal_places(report.cases_seconds, 1, language),
            pmt=format_decimal_places(report.pmt_seconds, 1, language),
        ),
        highlight=False,
    )
    console.print(
        gettext("First 1,000 days made in {seconds} s.").format(
            seconds=format_decimal_places(report.first_1000_days_seconds, 1, language)
        ),
        highlight=False,
    )
