"""``tumbuh report flows``: where the stunted children of one round went by the next."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import OutputFormat, count, csv_text, write_csv, write_tables
from tumbuh.config import load_settings
from tumbuh.db.engine import open_engine
from tumbuh.db.prevalence import AreaLevel, Period
from tumbuh.db.setup import require_current_schema
from tumbuh.db.surveillance.flows import FlowRow, cohort_flows
from tumbuh.growth.flows import Flow
from tumbuh.i18n import Language, translations

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
# Message ids of the flows, in table order.
FLOW_LABELS = {
    Flow.STILL_STUNTED: "Still stunted",
    Flow.NEWLY_STUNTED: "Newly stunted",
    Flow.RECOVERED: "Recovered",
    Flow.NEVER_STUNTED: "Never stunted",
    Flow.NO_LONGER_MEASURED: "No longer measured (stunted)",
    Flow.AGED_OUT: "Aged out (stunted)",
    Flow.NEWLY_MEASURED: "Newly measured (stunted)",
}
ONE_ROUND = (Flow.NO_LONGER_MEASURED, Flow.AGED_OUT, Flow.NEWLY_MEASURED)


@report_app.command("flows")
def flows_command(
    first: Annotated[
        str,
        typer.Option(
            "--from", help="The earlier round: YYYY-MM (e.g. 2024-02), YYYY-S1/S2 or YYYY."
        ),
    ],
    second: Annotated[str, typer.Option("--to", help="The later round, e.g. 2024-08.")],
    by: Annotated[
        AreaLevel | None,
        typer.Option(help="Break the city down by kecamatan, kelurahan or posyandu."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table (readable) or csv.")
    ] = OutputFormat.TABLE,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file instead of the screen."),
    ] = None,
) -> None:
    """Cohort flows of stunting between two rounds: still stunted, newly stunted,
    recovered, never stunted, no longer measured, aged out (60 months or older by the end
    of the later round) and newly measured. Every child measured in either round is
    counted once; the first and last columns are the two rounds' prevalence figures."""
    settings = load_settings()
    language = Language(settings.language)
    start = Period.parse(first, option="--from")
    end = Period.parse(second, option="--to")
    engine = open_engine(settings.database_url)
    require_current_schema(engine)
    with engine.connect() as connection:
        rows = cohort_flows(connection, start, end, city_code=settings.city_code, by=by)
    engine.dispose()
    gettext = translations(language).gettext
    if output_format is OutputFormat.CSV:
        write_csv(_csv(rows, gettext("(no posyandu)")), output)
        return
    write_tables([_table(rows, start.label, end.label, language)], output)


def _csv(rows: list[FlowRow], unknown: str) -> str:
    return csv_text(
        CSV_COLUMNS,
        [
            [
                row.code or "",
                row.name or unknown,
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


def _table(rows: list[FlowRow], first: str, second: str, language: Language) -> Table:
    gettext = translations(language).gettext
    table = Table(
        title=gettext("Stunting flows from {first} to {second}").format(first=first, second=second)
    )
    table.add_column(gettext("Code"))
    table.add_column(gettext("Name"))
    table.add_column(gettext("Stunted / measured {period}").format(period=first), justify="right")
    for flow in Flow:
        table.add_column(gettext(FLOW_LABELS[flow]), justify="right")
    table.add_column(gettext("Stunted / measured {period}").format(period=second), justify="right")
    for index, row in enumerate(rows):
        cells = []
        for flow in Flow:
            cell = count(row.counts[flow], language)
            if flow in ONE_ROUND:
                cell += f" ({count(row.stunted_when_last_seen[flow], language)})"
            cells.append(cell)
        table.add_row(
            row.code or "",
            row.name or gettext("(no posyandu)"),
            f"{count(row.stunted_first, language)} / {count(row.measured_first, language)}",
            *cells,
            f"{count(row.stunted_second, language)} / {count(row.measured_second, language)}",
            style="bold" if index == 0 else None,
            end_section=index == 0,
        )
    return table
