"""``tumbuh report referrals``: children to refer this month, per posyandu, with the reasons.

Names and NIK are personal data (UU PDP 27/2022): the list shows initials and a masked NIK
unless ``--unmask`` is given, and nothing of it is ever logged.
"""

from typing import Annotated

import typer
from rich.table import Table

from tumbuh.cli._common import (
    AreaOption,
    FormatOption,
    MonthOption,
    OutputOption,
    PosyanduOption,
    month_at_place,
)
from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import (
    OutputFormat,
    csv_number,
    csv_text,
    number,
    place_name,
    write_report,
)
from tumbuh.config import load_settings
from tumbuh.errors import InputError
from tumbuh.growth.enums import Sex
from tumbuh.i18n import Language, translations
from tumbuh.labels import REASON_RULES
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.usecases.areas import Area
from tumbuh.usecases.referrals import ListKind
from tumbuh.usecases.surveillance import Referral, referral_list, referral_rules

CSV_COLUMNS = (
    "posyandu",
    "nama_posyandu",
    "nama",
    "nik",
    "jk",
    "tanggal_lahir",
    "umur_bulan",
    "tanggal_ukur",
    "bb_kg",
    "tb_cm",
    "lila_cm",
    "naik_bb",
    "zs_tb_u",
    "zs_bb_u",
    "zs_bb_tb",
    "edema",
    "alasan",
)
SEX_CODES = {Sex.MALE: "L", Sex.FEMALE: "P"}


@report_app.command("referrals")
def referrals_command(
    period: MonthOption,
    posyandu: PosyanduOption = None,
    area: AreaOption = None,
    unmask: Annotated[
        bool,
        typer.Option(
            "--unmask", help="Show full names and NIK (personal data: only for those who may)."
        ),
    ] = False,
    output_format: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    kind: Annotated[
        ListKind,
        typer.Option(
            "--list",
            help="Which list: refer (to the puskesmas), counsel (at the posyandu) or "
            "remeasure (implausible values to measure again).",
        ),
    ] = ListKind.REFER,
) -> None:
    """Children of one of the month's lists, per posyandu, with the reasons. Refer: gizi
    buruk (WHZ < -3, MUAC < 11.5 cm or oedema), BGM (weight-for-age below the red line),
    gizi kurang (WHZ < -2 or MUAC < 12.5 cm), 2T (T at two consecutive monthly
    weighings), BB kurang (WAZ < -2), stunted (HAZ < -2). Counsel: a single T. Remeasure: a
    WHO-flagged z-score or a MUAC outside 10-20 cm."""
    settings = load_settings()
    language = Language(settings.language)
    with month_at_place(
        settings,
        period,
        posyandu,
        area,
        lambda value: InputError(
            "--period: '{value}' is not a month; referrals are made per month, so write it as "
            "YYYY-MM, for example 2024-08",
            value=value,
        ),
    ) as at:
        rules = referral_rules(settings)
        referrals = referral_list(at.connection, at.month, area=at.area, rules=rules, kind=kind)
    write_report(
        output_format,
        output,
        csv=lambda: _csv(referrals, unmask),
        tables=lambda: _tables(referrals, at.area, at.month.label, unmask, language, kind),
    )


def _identity(referral: Referral, unmask: bool) -> tuple[str, str]:
    if unmask:
        return referral.name, referral.nik or ""
    return mask_name(referral.name), mask_nik(referral.nik) or ""


def _csv(referrals: list[Referral], unmask: bool) -> str:
    rows = []
    for r in referrals:
        name, nik = _identity(r, unmask)
        rows.append(
            [
                r.posyandu_code or "",
                r.posyandu_name or "",
                name,
                nik,
                SEX_CODES[r.sex],
                r.birth_date.isoformat() if unmask else "",
                r.age_months,
                r.measured_on.isoformat(),
                csv_number(r.weight_kg, 2),
                csv_number(r.height_cm, 1),
                csv_number(r.muac_cm, 1),
                r.weight_trend.value if r.weight_trend else "",
                csv_number(r.haz),
                csv_number(r.waz),
                csv_number(r.whz),
                "ya" if r.oedema else "",
                ";".join(reason.value for reason in r.reasons),
            ]
        )
    return csv_text(CSV_COLUMNS, rows)


TITLES = {
    ListKind.REFER: "Children to refer, {period}: {area}",
    ListKind.COUNSEL: "Children to counsel at the posyandu, {period}: {area}",
    ListKind.REMEASURE: "Children to measure again, {period}: {area}",
}


def _tables(
    referrals: list[Referral],
    area: Area,
    label: str,
    unmask: bool,
    language: Language,
    kind: ListKind,
) -> list[Table | str]:
    gettext = translations(language).gettext
    table = Table(
        title=gettext(TITLES[kind]).format(period=label, area=f"{area.name} ({area.code})")
    )
    for header in ("Posyandu", "Name", "NIK", "Sex", "Age (months)", "Date"):
        table.add_column(gettext(header))
    for header in (
        "Weight (kg)",
        "Height (cm)",
        "N/T",
        "Height-for-age z",
        "Weight-for-age z",
        "Weight-for-height z",
    ):
        table.add_column(gettext(header), justify="right")
    table.add_column(gettext("Reasons"))
    for r in referrals:
        name, nik = _identity(r, unmask)
        table.add_row(
            place_name(r.posyandu_name, gettext),
            name,
            nik,
            SEX_CODES[r.sex],
            str(r.age_months),
            r.measured_on.isoformat(),
            number(r.weight_kg, 2, language),
            number(r.height_cm, 1, language),
            r.weight_trend.value if r.weight_trend else "–",
            number(r.haz, 2, language),
            gettext("oedema") if r.oedema and r.waz is None else number(r.waz, 2, language),
            gettext("oedema") if r.oedema and r.whz is None else number(r.whz, 2, language),
            ", ".join(gettext(REASON_RULES[reason]) for reason in r.reasons),
        )
    footer = gettext("{count} children.").format(count=len(referrals))
    if not unmask:
        footer += " " + gettext("Names and NIK are masked; --unmask shows them.")
    return [table, footer]
