"""``tumbuh report skdn``: S, K, D, N and their ratios per posyandu for a month."""

from rich.table import Table

from tumbuh.cli._common import (
    AgeGroupOption,
    AreaOption,
    FormatOption,
    MonthOption,
    OutputOption,
    PosyanduOption,
    month_at_place,
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
from tumbuh.errors import InputError
from tumbuh.i18n import Language, translations
from tumbuh.usecases.surveillance import AgeChoice, SkdnRow, skdn

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


@report_app.command("skdn")
def skdn_command(
    period: MonthOption,
    posyandu: PosyanduOption = None,
    area: AreaOption = None,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    age_group: AgeGroupOption = AgeChoice.ALL,
) -> None:
    """SKDN per posyandu with kelurahan subtotals. S: balita registered at the posyandu
    (0-59 months at some time in the month); K: of them, with a KMS/Buku KIA; D: weighed
    this month; N: weighed and grew along the KMS line or gained at least KBM; D': weighed
    this month and last month.
    The kelurahan rows also show the Dinkes target of balita where one is entered (not
    for an age group: the target is of all balita)."""
    settings = load_settings()
    language = Language(settings.language)
    with month_at_place(
        settings,
        period,
        posyandu,
        area,
        lambda value: InputError(
            "--period: '{value}' is not a month; SKDN is counted per month, so write it as "
            "YYYY-MM, for example 2024-08",
            value=value,
        ),
    ) as at:
        rows = skdn(
            at.connection,
            at.month,
            city_code=settings.city_code,
            area=at.area,
            bgm_waz_below=settings.bgm_waz_below,
            age=age_group,
        )
    write_report(
        output_format,
        output,
        csv=lambda: _csv(rows, language),
        tables=lambda: [_table(rows, _label(at.month.label, age_group, language), language)],
    )


def _label(month: str, age: AgeChoice, language: Language) -> str:
    """The month, and the age group when one is chosen."""
    return (
        month if age is AgeChoice.ALL else f"{month}, {translations(language).gettext(age.label)}"
    )


def _counts(row: SkdnRow) -> tuple[int, ...]:
    """S, K, D, N, D', T, 2T, O, B and BGM, in the order of the columns."""
    return (row.s, row.k, row.d, row.n, row.d_prime, row.t, row.two_t, row.o, row.b, row.bgm)


def _csv(rows: list[SkdnRow], language: Language) -> str:
    gettext = translations(language).gettext
    return csv_text(
        CSV_COLUMNS,
        [
            [
                row.level,
                row.code or "",
                place_name(row.name, gettext),
                *_counts(row),
                row.target_s,
                csv_number(percent(row.k_s), 1),
                csv_number(percent(row.d_s), 1),
                csv_number(percent(row.n_d), 1),
                csv_number(percent(row.n_d_prime), 1),
                csv_number(percent(row.d_target), 1),
            ]
            for row in rows
        ],
    )


def _table(rows: list[SkdnRow], label: str, language: Language) -> Table:
    gettext = translations(language).gettext
    table = area_table(gettext("SKDN of the posyandu, {period}").format(period=label), gettext)
    for header in ("S", "K", "D", "N", "D'", "T", "2T", "O", "B", "BGM"):
        table.add_column(header, justify="right")
    table.add_column(gettext("Target S (Dinkes)"), justify="right")
    for header in ("K/S %", "D/S %", "N/D %", "N/D' %"):
        table.add_column(header, justify="right")
    for index, row in enumerate(rows):
        name = place_name(row.name, gettext)
        add_area_row(
            table,
            index,
            row.code,
            name if row.level != "posyandu" or index == 0 else f"  {name}",
            *[count(value, language) for value in _counts(row)],
            MISSING if row.target_s is None else count(row.target_s, language),
            share(row.k_s, language),
            share(row.d_s, language),
            share(row.n_d, language),
            share(row.n_d_prime, language),
            bold=row.level == "kelurahan",
        )
    return table
