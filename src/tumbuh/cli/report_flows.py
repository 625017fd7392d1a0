"""``tumbuh report flows``: where the stunted children of one round went by the next."""

from typing import Annotated

import typer
from rich.table import Table

from tumbuh.cli._common import (
    AgeGroupOption,
    ByOption,
    FormatOption,
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
    csv_text,
    place_name,
    write_report,
)
from tumbuh.config import load_settings
from tumbuh.growth.flows import ONE_ROUND, Flow
from tumbuh.i18n import Language, translations
from tumbuh.labels import FLOW_NAMES_CLI
from tumbuh.usecases.surveillance import AgeChoice, FlowRow, cohort_flows

CSV_COLUMNS = (
    "kode",
    "nama",
    "diukur_awal",
    "stunting_awal",
    "tetap_stunting",
    "baru_stunting",
    "pulih",
    "tidak_pernah_stunting",
    "tidak_diukur_lagi",
    "tidak_diukur_lagi_stunting",
    "lewat_usia",
    "lewat_usia_stunting",
    "baru_diukur",
    "baru_diukur_stunting",
    "diukur_akhir",
    "stunting_akhir",
)


@report_app.command("flows")
def flows_command(
    first: Annotated[
        str,
        typer.Option(
            "--from", help="The earlier round: YYYY-MM (e.g. 2024-02), YYYY-S1/S2 or YYYY."
        ),
    ],
    second: Annotated[str, typer.Option("--to", help="The later round, e.g. 2024-08.")],
    by: ByOption = None,
    age_group: AgeGroupOption = AgeChoice.ALL,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Cohort flows of stunting between two rounds: still stunted, newly stunted,
    recovered, never stunted, no longer measured, aged out (60 months or older by the end
    of the later round) and newly measured. Every child measured in either round is
    counted once; the first and last columns are the two rounds' prevalence figures. With
    an age group, a child counts by its age in the later round (or the earlier one when
    not measured in the later)."""
    settings = load_settings()
    language = Language(settings.language)
    start = parse_period_option(first, "--from")
    end = parse_period_option(second, "--to")
    with registry(settings) as connection:
        rows = cohort_flows(
            connection, start, end, city_code=settings.city_code, by=by, age=age_group
        )
    write_report(
        output_format,
        output,
        csv=lambda: _csv(rows, language),
        tables=lambda: [_table(rows, start.label, end.label, age_group, language)],
    )


def _csv(rows: list[FlowRow], language: Language) -> str:
    gettext = translations(language).gettext
    return csv_text(
        CSV_COLUMNS,
        [
            [
                row.code or "",
                place_name(row.name, gettext),
                row.measured_first,
                row.stunted_first,
                row.counts[Flow.STILL_STUNTED],
                row.counts[Flow.NEWLY_STUNTED],
                row.counts[Flow.RECOVERED],
                row.counts[Flow.NEVER_STUNTED],
                row.counts[Flow.NO_LONGER_MEASURED],
                row.stunted_when_last_seen[Flow.NO_LONGER_MEASURED],
                row.counts[Flow.AGED_OUT],
                row.stunted_when_last_seen[Flow.AGED_OUT],
                row.counts[Flow.NEWLY_MEASURED],
                row.stunted_when_last_seen[Flow.NEWLY_MEASURED],
                row.measured_second,
                row.stunted_second,
            ]
            for row in rows
        ],
    )


def _table(
    rows: list[FlowRow], first: str, second: str, age: AgeChoice, language: Language
) -> Table:
    gettext = translations(language).gettext
    title = gettext("Stunting flows from {first} to {second}").format(first=first, second=second)
    if age is not AgeChoice.ALL:
        title = f"{title}, {gettext(age.label)}"
    table = area_table(title, gettext)
    table.add_column(gettext("Stunted / measured {period}").format(period=first), justify="right")
    for flow in Flow:
        table.add_column(gettext(FLOW_NAMES_CLI[flow]), justify="right")
    table.add_column(gettext("Stunted / measured {period}").format(period=second), justify="right")
    for index, row in enumerate(rows):
        cells = []
        for flow in Flow:
            cell = count(row.counts[flow], language)
            if flow in ONE_ROUND:
                cell += f" ({count(row.stunted_when_last_seen[flow], language)})"
            cells.append(cell)
        add_area_row(
            table,
            index,
            row.code,
            place_name(row.name, gettext),
            f"{count(row.stunted_first, language)} / {count(row.measured_first, language)}",
            *cells,
            f"{count(row.stunted_second, language)} / {count(row.measured_second, language)}",
        )
    return table
