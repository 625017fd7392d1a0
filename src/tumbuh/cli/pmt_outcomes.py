"""``tumbuh pmt outcomes``: did the fed children do better? The PMT outcome evaluation of
the whole city from the command line, on screen or as .xlsx (docs/pmt.md, "Outcomes").
Figures only: no child is named."""

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from tumbuh.cli._common import parse_month_option
from tumbuh.cli._common import registry as open_registry
from tumbuh.cli._groups import pmt_app
from tumbuh.config import load_settings
from tumbuh.episode_labels import (
    GROUP_COLUMNS,
    GROUP_NAMES,
    MEASURE_NAMES,
    group_label,
    period_words,
    too_few_text,
)
from tumbuh.errors import InputError
from tumbuh.formatting import format_decimal_places
from tumbuh.i18n import Language, translations
from tumbuh.reports.pmt_outcomes import write_outcome_workbook
from tumbuh.usecases import pmt_episodes, pmt_outcomes
from tumbuh.usecases.places import load_places
from tumbuh.usecases.pmt_outcomes import Estimate, Measure, OutcomeGroup, OutcomeRow, PmtOutcomes
from tumbuh.usecases.surveillance import referral_rules

T = TypeVar("T")
# The measures a screen has room for; the .xlsx holds every one.
SHOWN = (Measure.RECOVERED, Measure.GAIN, Measure.WHZ_CHANGE, Measure.WAZ_CHANGE)


def _no_memo(key: Hashable, compute: Callable[[], T]) -> T:
    return compute()


def _number(value: float, places: int, language: Language) -> str:
    text = format_decimal_places(abs(value), places, language)
    return text if round(value, places) == 0 else ("+" if value > 0 else "-") + text


def _estimate(estimate: Estimate, measure: Measure, language: Language) -> str:
    """``+24 (+21 .. +27)``: the difference and its interval (recovery in points)."""
    if estimate.difference is None or estimate.lower is None or estimate.upper is None:
        return "-"
    scale, places = (100.0, 0) if measure is Measure.RECOVERED else (1.0, 2)
    value, low, high = (
        _number(v * scale, places, language)
        for v in (estimate.difference, estimate.lower, estimate.upper)
    )
    return f"{value} ({low} .. {high})"


def _table(
    group: OutcomeGroup,
    rows: list[OutcomeRow],
    limits: tuple[int, int],
    language: Language,
) -> Table:
    gettext = translations(language).gettext
    table = Table(title=gettext(GROUP_NAMES[group]))
    table.add_column(gettext(GROUP_COLUMNS[group]))
    for heading in ("Fed children", "Compared", "Comparable children not fed"):
        table.add_column(gettext(heading), justify="right")
    for measure in SHOWN:
        table.add_column(gettext(MEASURE_NAMES[measure]))
    for r in rows:
        counts = [str(r.n_enrolled), str(r.n_matched), str(r.n_controls)]
        if r.too_small:
            figures = [gettext("too few children"), *[""] * (len(SHOWN) - 1)]
        else:
            figures = [_estimate(r.compared[m], m, language) for m in SHOWN]
        table.add_row(group_label(r.grouping, r.code, r.name, gettext), *counts, *figures)
    return table


def _too_few(rows: list[OutcomeRow], limits: tuple[int, int], language: Language) -> list[str]:
    """A sentence for each row with too few children: "<name>: too few children ..."."""
    gettext = translations(language).gettext
    return [
        f"{group_label(r.grouping, r.code, r.name, gettext)}: "
        f"{too_few_text(r.reason, limits, gettext)}"
        for r in rows
        if r.too_small
    ]


def _print(found: PmtOutcomes, title: str, language: Language) -> None:
    gettext = translations(language).gettext
    console = Console(highlight=False)
    console.print(title)
    console.print(
        gettext(
            "Difference fed minus comparable children not fed, with its 95% interval; "
            "recovery in percentage points."
        )
    )
    limits = (found.min_matched, found.min_controls)
    for group, rows in found.rows.items():
        if rows:
            console.print(_table(group, rows, limits, language))
            for sentence in _too_few(rows, limits, language):
                console.print(sentence, soft_wrap=True)


OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Write the evaluation to this .xlsx file (one sheet per grouping) instead of "
        "the screen.",
    ),
]


@pmt_app.command("outcomes")
def outcomes_command(
    first: Annotated[
        str | None,
        typer.Option("--from", help="Only episodes started from this month, YYYY-MM."),
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Only episodes started up to this month, YYYY-MM.")
    ] = None,
    out: OutOption = None,
) -> None:
    """Did the fed children do better? Recovery, weight gain and z-score change of the
    children fed at the kitchens against comparable children not fed, by kitchen,
    kelurahan, funding and indication, with 95% intervals."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise InputError(
            "--out {path}: the evaluation is written as a spreadsheet; give a file name "
            "ending in .xlsx",
            path=out.name,
        )
    settings = load_settings()
    language = Language(settings.language)
    gettext = translations(language).gettext
    query = pmt_outcomes.OutcomeQuery(
        parse_month_option(first, "--from") if first else None,
        parse_month_option(last, "--to") if last else None,
    )
    with open_registry(settings) as connection:
        places = load_places(connection, settings.city_code)
        found = pmt_outcomes.pmt_outcomes(
            connection,
            places,
            _no_memo,
            pmt_episodes.COMMAND_LINE_SCOPE,
            referral_rules(settings),
            query,
        )
    period = period_words(
        query.started_from.label if query.started_from else None,
        query.started_to.label if query.started_to else None,
        gettext,
    )
    title = f"{gettext('PMT outcomes')}, {period}"
    if out is None:
        _print(found, title, language)
        return
    limits = (found.min_matched, found.min_controls)
    write_outcome_workbook(found.rows, out, title=title, limits=limits, language=language)
    Console().print(gettext("Written to {path}").format(path=out), highlight=False, soft_wrap=True)
