"""``tumbuh report skdn``: S, K, D, N and their ratios per posyandu for a month."""

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
    resolve_area,
    share,
    write_csv,
    write_tables,
)
from tumbuh.config import load_settings
from tumbuh.db.engine import open_engine
from tumbuh.db.prevalence import Period
from tumbuh.db.setup import require_current_schema
from tumbuh.db.surveillance.skdn import SkdnRow, skdn
from tumbuh.errors import InputError
from tumbuh.growth.periods import PeriodKind
from tumbuh.i18n import Language, translations

CSV_COLUMNS = (
    "tingkat",
    "kode",
    "nama",
    "s",
    "k",
    "d",
    "n",
    "d_aksen",
    "t",
    "2t",
    "o",
    "b",
    "bgm",
    "sasaran_dinkes",
    "persen_k_s",
    "persen_d_s",
    "persen_n_d",
    "persen_n_d_aksen",
    "persen_d_sasaran",
)


def _percent(value: float | None) -> float | None:
    return None if value is None else 100.0 * value


@report_app.command("skdn")
def skdn_command(
    period: Annotated[str, typer.Option(help="The month, YYYY-MM (e.g. 2024-08).")],
    posyandu: Annotated[
        str | None, typer.Option(help="Only this posyandu (its code or number).")
    ] = None,
    area: Annotated[
        str | None, typer.Option(help="Only this kecamatan or kelurahan (Kemendagri code).")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table (readable) or csv.")
    ] = OutputFormat.TABLE,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file instead of the screen."),
    ] = None,
) -> None:
    """SKDN per posyandu with kelurahan subtotals. S: balita registered at the posyandu
    (0-59 months at some time in the month); K: of them, with a KMS/Buku KIA; D: weighed
    this month; N: weighed and gained at least KBM; D': weighed this month and last month.
    The kelurahan rows also show the Dinkes target of balita where one is entered."""
    settings = load_settings()
    language = Language(settings.language)
    month = Period.parse(period)
    if month.kind is not PeriodKind.MONTH:
        raise InputError(
            "--period: '{value}' is not a month; SKDN is counted per month, so write it as "
            "YYYY-MM, for example 2024-08",
            value=period,
        )
    if posyandu is not None and area is not None:
        raise InputError("give either --posyandu or --area, not both")
    engine = open_engine(settings.database_url)
    require_current_schema(engine)
    with engine.connect() as connection:
        chosen = resolve_area(connection, settings.city_code, posyandu, area)
        rows = skdn(
            connection,
            month,
            city_code=settings.city_code,
            area=chosen,
            bgm_waz_below=settings.bgm_waz_below,
        )
    engine.dispose()
    gettext = translations(language).gettext
    if output_format is OutputFormat.CSV:
        write_csv(_csv(rows, gettext("(no posyandu)")), output)
        return
    write_tables([_table(rows, month.label, language)], output)


def _csv(rows: list[SkdnRow], unknown: str) -> str:
    return csv_text(
        CSV_COLUMNS,
        [
            [
                row.level,
                row.code or "",
                row.name or unknown,
                row.s,
                row.k,
                row.d,
                row.n,
                row.d_prime,
                row.t,
                row.two_t,
                row.o,
                row.b,
                row.bgm,
                row.target_s,
                csv_number(_percent(row.k_s), 1),
                csv_number(_percent(row.d_s), 1),
                csv_number(_percent(row.n_d), 1),
                csv_number(_percent(row.n_d_prime), 1),
                csv_number(_percent(row.d_target), 1),
            ]
            for row in rows
        ],
    )


def _table(rows: list[SkdnRow], label: str, language: Language) -> Table:
    gettext = translations(language).gettext
    table = Table(title=gettext("SKDN of the posyandu, {period}").format(period=label))
    table.add_column(gettext("Code"))
    table.add_column(gettext("Name"))
    for header in ("S", "K", "D", "N", "D'", "T", "2T", "O", "B", "BGM"):
        table.add_column(header, justify="right")
    table.add_column(gettext("Target S (Dinkes)"), justify="right")
    for header in ("K/S %", "D/S %", "N/D %", "N/D' %"):
        table.add_column(header, justify="right")
    for index, row in enumerate(rows):
        name = row.name or gettext("(no posyandu)")
        table.add_row(
            row.code or "",
            name if row.level != "posyandu" or index == 0 else f"  {name}",
            *[
                count(value, language)
                for value in (
                    row.s,
                    row.k,
                    row.d,
                    row.n,
                    row.d_prime,
                    row.t,
                    row.two_t,
                    row.o,
                    row.b,
                    row.bgm,
                )
            ],
            "–" if row.target_s is None else count(row.target_s, language),
            share(row.k_s, language),
            share(row.d_s, language),
            share(row.n_d, language),
            share(row.n_d_prime, language),
            style="bold" if index == 0 or row.level == "kelurahan" else None,
            end_section=index == 0,
        )
    return table
