"""``tumbuh report quality``: how far the figures of one weighing round can be trusted.

The SMART score and its band, each check's value against its limit, coverage and the
register beside the survey figure, and with ``--by`` every area ranked with its reasons;
as readable tables in the user's language or as CSV (docs/semester-report.md).
"""

from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from tumbuh.cli._common import OutputOption, parse_month_option, registry
from tumbuh.cli._groups import report_app
from tumbuh.cli.report_output import OutputFormat, csv_number, csv_text, write_report
from tumbuh.config import load_settings
from tumbuh.formatting import format_decimal_places, format_integer
from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality import SMART_CRITERIA, Reason
from tumbuh.i18n import Language, translations
from tumbuh.reports.quality_text import (
    band_label,
    is_percent,
    limit_text,
    reason_name,
    reason_sentence,
    status_text,
    value_text,
)
from tumbuh.usecases.quality import (
    AreaLevel,
    CheckValue,
    QualityReport,
    UnitQuality,
    quality_report,
)

DASH = "\u2013"
UNSCORED = tuple(reason for reason in Reason if reason not in SMART_CRITERIA)
FILE_WIDTH = 160  # characters per line of the tables written with -o


@report_app.command("quality")
def quality_command(
    period: Annotated[
        str, typer.Option(help="Month as YYYY-MM, e.g. 2024-08 for the August bulan timbang.")
    ],
    by: Annotated[
        AreaLevel | None,
        typer.Option(help="Also judge and rank every kecamatan, kelurahan or posyandu."),
    ] = None,
    worst: Annotated[
        int, typer.Option(min=0, help="How many of the lowest-ranked areas to list with reasons.")
    ] = 10,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="table (readable) or csv (one row per area, city first)."),
    ] = OutputFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """Data quality of one round: SMART score, WHO/UNICEF checks, coverage, and the areas
    ranked with their reasons.

    The SMART score uses each child's last measurement of the month (6-59 months); the
    checks against the child's own growth curve use its whole history.
    """
    settings = load_settings()
    language = Language(settings.language)
    month = parse_month_option(period)
    with registry(settings) as connection:
        report = quality_report(connection, month, settings, by)
    write_report(
        output_format,
        output,
        csv=lambda: quality_csv(report),
        tables=lambda: [_readable(report, worst, language)],
        file_width=FILE_WIDTH,
    )


def _readable(report: QualityReport, worst: int, language: Language) -> Group:
    _ = translations(language).gettext
    city = report.city
    parts: list[Table | Text] = [
        Text(
            _("Data quality, {period}: {area}").format(period=report.period, area=city.name),
            style="bold",
        ),
        _summary(city, language),
        _criteria_table(city, language),
        _checks_table(city, language),
    ]
    if report.units:
        level = report.units[0].level  # the programme's own word in every language
        parts.append(_ranking_table(report, level, language))
        lowest = report.worst(worst)
        if lowest:
            parts.append(
                Text(
                    _("The {count} lowest-ranked ({level}) and why:").format(
                        count=len(lowest), level=level
                    ),
                    style="bold",
                )
            )
            parts.extend(_reasons_text(unit, language) for unit in lowest)
    return Group(*parts)


def _summary(city: UnitQuality, language: Language) -> Text:
    _ = translations(language).gettext
    number = _integer(language)
    lines = [
        _("Children measured (D): {d}; children 6-59 months with a WHZ: {n}").format(
            d=number(city.n_children), n=number(city.n_smart)
        ),
        _("SMART score: {status} ({band})").format(
            status=status_text(city.status, city.total_points, city.n_criteria, language),
            band=band_label(city.band, language),
        ),
        coverage_sentence(city, language),
        register_sentence(city, language),
    ]
    return Text("\n".join(lines))


def coverage_sentence(unit: UnitQuality, language: Language) -> str:
    """``Cakupan D/S: 92,1% (31.221 dari 33.900 balita sasaran)`` or that S is missing."""
    _ = translations(language).gettext
    if unit.target is None or unit.coverage_percent is None:
        return _(
            "Coverage D/S: unknown, no target S entered for this year (tumbuh target population)"
        )
    return _("Coverage D/S: {percent} ({d} of {s} target balita)").format(
        percent=format_decimal_places(unit.coverage_percent, 1, language) + "%",
        d=format_integer(unit.n_children, language),
        s=format_integer(round(unit.target), language),
    )


def register_sentence(unit: UnitQuality, language: Language) -> str:
    """The register's stunting figure and each survey figure of the year with the gap."""
    _ = translations(language).gettext
    if unit.register_percent is None:
        return _("Stunting in the register: nobody with a valid length/height")
    text = _("Stunting in the register: {percent} ({cases} of {n})").format(
        percent=format_decimal_places(unit.register_percent, 2, language) + "%",
        cases=format_integer(unit.n_stunted, language),
        n=format_integer(unit.n_valid_haz, language),
    )
    for survey in unit.surveys:
        gap = DASH if survey.gap_points is None else signed(survey.gap_points, 1, language)
        text += "; " + _("{survey} {year}: {percent} (gap {gap} percentage points)").format(
            survey=survey.survey,
            year=survey.year,
            percent=format_decimal_places(survey.percent, 1, language) + "%",
            gap=gap,
        )
    if not unit.surveys:
        text += "; " + _("no survey figure entered for this year")
    return text


def _criteria_table(unit: UnitQuality, language: Language) -> Table:
    _ = translations(language).gettext
    table = Table(title=_("SMART plausibility check (scored)"), title_justify="left")
    for title, justify in (
        (_("Criterion"), "left"),
        (_("Value"), "right"),
        (_("Limit"), "right"),
        (_("Class"), "left"),
        (_("Points"), "right"),
    ):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for check in unit.criteria:
        table.add_row(
            reason_name(check.reason, language),
            value_text(check.reason, check.value, language),
            limit_text(check.reason, check.limit, language),
            band_label(check.band, language),
            DASH if check.points is None else str(check.points),
            style="bold" if check.triggered else None,
        )
    return table


def _checks_table(unit: UnitQuality, language: Language) -> Table:
    _ = translations(language).gettext
    table = Table(title=_("WHO/UNICEF report and other checks (not scored)"), title_justify="left")
    table.add_column(_("Check"))
    table.add_column(_("Value"), justify="right")
    table.add_column(_("Limit"), justify="right")
    table.add_column(_("Needs attention"))
    for check in unit.checks:
        if check.reason is Reason.TOO_FEW_CHILDREN:
            continue
        table.add_row(
            reason_name(check.reason, language),
            _unit_value(check, language),
            limit_text(check.reason, check.limit, language) + _percent_sign(check.reason),
            _("yes") if check.triggered else _("no"),
            style="bold" if check.triggered else None,
        )
    number = _integer(language)
    extra = (
        (_("Positions against the age rule"), number(unit.n_position_mismatch)),
        (_("Lengths/heights equal to the previous one"), number(unit.n_height_repeated)),
        (_("Weight and length/height both equal to the previous"), number(unit.n_both_repeated)),
        (_("Likely unit slips (grams, mm, ...)"), number(unit.n_unit_slips)),
        (_("Lengths/heights ending in .0 or .5"), _share_05(unit.height_digits, language)),
        (_("Weights ending in .0 or .5"), _share_05(unit.weight_digits, language)),
    )
    for name, value in extra:
        table.add_row(name, value, DASH, "")
    return table


def _ranking_table(report: QualityReport, level: str, language: Language) -> Table:
    _ = translations(language).gettext
    table = Table(title=_("Ranking by data quality ({level})").format(level=level))
    for title, justify in (
        (_("Rank"), "right"),
        (_("Code"), "left"),
        (_("Name"), "left"),
        (_("Children"), "right"),
        (_("SMART score"), "right"),
        (_("Class"), "left"),
        ("D/S", "right"),
        (_("Reasons"), "left"),
    ):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for unit in report.ranked():
        table.add_row(
            str(unit.rank),
            unit.code or "",
            unit.name,
            format_integer(unit.n_children, language),
            status_text(unit.status, unit.total_points, unit.n_criteria, language),
            band_label(unit.band, language),
            DASH
            if unit.coverage_percent is None
            else format_decimal_places(unit.coverage_percent, 1, language) + "%",
            ", ".join(reason_name(item.reason, language) for item in unit.reasons),
        )
    return table


def _reasons_text(unit: UnitQuality, language: Language) -> Text:
    _ = translations(language).gettext
    text = Text(f"{unit.rank}. {unit.name} ({unit.code})", style="bold")
    for item in unit.reasons:
        text.append("\n  - " + reason_sentence(item.reason, item.value, item.limit, language))
    return text


def _unit_value(check: CheckValue, language: Language) -> str:
    shown = value_text(check.reason, check.value, language)
    return shown + ("" if check.value is None else _percent_sign(check.reason))


def _percent_sign(reason: Reason) -> str:
    return "%" if is_percent(reason) else ""


def _share_05(digits: tuple[int, ...], language: Language) -> str:
    total = sum(digits)
    if not total:
        return DASH
    return format_decimal_places(100.0 * (digits[0] + digits[5]) / total, 1, language) + "%"


def signed(value: float, places: int, language: Language) -> str:
    """A difference with its sign: ``+16,5``, ``-0,3``, ``0,0``."""
    text = format_decimal_places(abs(value), places, language)
    if round(value, places) == 0:
        return text
    return ("+" if value > 0 else "-") + text


def _integer(language: Language) -> Callable[[int], str]:
    return lambda value: format_integer(value, language)


CSV_HEAD = (
    "kode",
    "nama",
    "tingkat",
    "peringkat",
    "balita_diukur",
    "anak_smart",
    "status",
    "skor_smart",
    "kategori",
    "jumlah_kriteria",
)


def quality_csv(report: QualityReport) -> str:
    """One row per area, the city first: every check's value (percent, p, DPS, ...), the
    SMART points, coverage, register and survey, counts and the reason codes."""
    return csv_text(
        [
            *CSV_HEAD,
            *(r.value for r in Reason),
            *(f"poin_{r.value}" for r in SMART_CRITERIA),
            "sasaran_s",
            "cakupan_persen",
            "stunting_register",
            "diukur_tb_valid",
            "stunting_register_persen",
            "survei",
            "salah_posisi",
            "tinggi_sama",
            "berat_tinggi_sama",
            "tidak_masuk_akal",
            "salah_satuan",
            "haz_bertanda_who",
            "waz_bertanda_who",
            "whz_bertanda_who",
            "alasan",
        ],
        [_csv_row(unit) for unit in (report.city, *report.units)],
    )


def _csv_row(unit: UnitQuality) -> list[object]:
    by_reason = {check.reason: check for check in (*unit.criteria, *unit.checks)}
    return [
        unit.code or "",
        unit.name,
        unit.level,
        unit.rank,
        unit.n_children,
        unit.n_smart,
        unit.status.name.lower(),
        csv_number(unit.total_points, 0),
        "" if unit.band is None else unit.band.name.lower(),
        unit.n_criteria,
        *(csv_number(by_reason[r].value, 4) if r in by_reason else "" for r in Reason),
        *(csv_number(by_reason[r].points, 0) for r in SMART_CRITERIA),
        csv_number(unit.target, 0),
        csv_number(unit.coverage_percent, 2),
        unit.n_stunted,
        unit.n_valid_haz,
        csv_number(unit.register_percent, 2),
        ";".join(f"{s.survey}:{s.percent:g}" for s in unit.surveys),
        unit.n_position_mismatch,
        unit.n_height_repeated,
        unit.n_both_repeated,
        unit.n_implausible,
        unit.n_unit_slips,
        unit.n_who_flagged.get(Indicator.HAZ, 0),
        unit.n_who_flagged.get(Indicator.WAZ, 0),
        unit.n_who_flagged.get(Indicator.WHZ, 0),
        ";".join(item.reason.value for item in unit.reasons),
    ]
