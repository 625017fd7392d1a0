"""The data-quality tables of the TPPS semester report (section 8), for PDF and XLSX.

The ten SMART criteria of the city, the score per kecamatan, the lowest-ranked posyandu
with their reasons, and the posyandu whose values most often end in .0 or .5 (the WHO/
UNICEF report's terminal digits by team). Table model: :mod:`tumbuh.reports.tables`.
"""

from tumbuh.formatting import format_decimal_places
from tumbuh.growth.quality import Reason
from tumbuh.i18n import Language, translations
from tumbuh.reports.quality_results import UnitQuality
from tumbuh.reports.quality_text import band_label, limit_text, reason_name, value_text
from tumbuh.reports.semester_data import SemesterData
from tumbuh.reports.semester_text import month_name
from tumbuh.reports.tables import Column, ColumnKind, Table

INTEGER, DECIMAL, TEXT = ColumnKind.INTEGER, ColumnKind.DECIMAL, ColumnKind.TEXT
MIN_DIGITS = 30  # lengths/heights a posyandu needs in the digit-preference table [project]


def quality_criteria_table(data: SemesterData, language: Language) -> Table:
    """The ten SMART criteria of the city in the round."""
    _ = translations(language).gettext
    city = data.quality.city
    rows = tuple(
        (
            reason_name(c.reason, language),
            c.value,
            c.limit,
            band_label(c.band, language) if c.band is not None else "",
            c.points,
        )
        for c in city.criteria
    )
    return Table(
        _("Table {number}. Data quality of {month}: SMART criteria, {area}").format(
            number=8, month=month_name(data.round, language), area=data.city_name
        ),
        (
            Column(_("Criterion"), width=2.2),
            Column(_("Value"), DECIMAL, 3),
            Column(_("Limit"), DECIMAL, 3),
            Column(_("Class"), width=1.1),
            Column(_("Points"), INTEGER),
        ),
        rows,
        note=_(
            "Values: % flagged, p of a test, digit preference score, SD, |skewness|, "
            "|excess kurtosis|. Limit: the edge of the excellent class."
        ),
        sheet_name=_("SMART criteria"),
    )


def _reasons(unit: UnitQuality, language: Language, *, quality_only: bool = False) -> str:
    """The names of the unit's reasons; ``quality_only`` leaves out "too few children"."""
    return ", ".join(
        reason_name(item.reason, language)
        for item in unit.reasons
        if not (quality_only and item.reason is Reason.TOO_FEW_CHILDREN)
    )


def quality_kecamatan_table(data: SemesterData, language: Language) -> Table:
    """SMART score, band and reasons per kecamatan."""
    _ = translations(language).gettext
    rows = tuple(
        (
            unit.name,
            unit.n_smart,
            unit.total_points,
            band_label(unit.band, language) if unit.band is not None else _("Too few children"),
            unit.n_criteria,
            _reasons(unit, language),
        )
        for unit in data.quality_kecamatan.units
    )
    return Table(
        _("Table {number}. Data quality per kecamatan, {month}").format(
            number=9, month=month_name(data.round, language)
        ),
        (
            Column("Kecamatan", width=1.2),
            Column(_("Children 6-59 months"), INTEGER),
            Column(_("SMART score"), INTEGER),
            Column(_("Class"), width=1.1),
            Column(_("Criteria"), INTEGER, width=0.8),
            Column(_("Reasons"), width=3.0),
        ),
        rows,
        note=_(
            "SMART score: penalty points, 0-9 excellent, 10-14 good, 15-24 acceptable, 25+ "
            "problematic."
        ),
        sheet_name=_("Quality per kecamatan"),
    )


def worst_posyandu_table(data: SemesterData, language: Language, count: int = 10) -> Table:
    """The lowest-ranked posyandu of the round with their reasons."""
    _ = translations(language).gettext
    rows = tuple(
        (
            unit.rank,
            unit.name,
            unit.code or "",
            unit.n_children,
            unit.total_points,
            _reasons(unit, language, quality_only=True),
        )
        for unit in data.quality.worst(count)
    )
    return Table(
        _("Table {number}. Posyandu with the lowest data quality, {month}").format(
            number=10, month=month_name(data.round, language)
        ),
        (
            Column(_("Rank"), INTEGER, width=0.8),
            Column("Posyandu", width=1.1),
            Column(_("Code"), width=1.6),
            Column(_("Children"), INTEGER, width=0.8),
            Column(_("SMART score"), INTEGER, width=0.8),
            Column(_("Reasons"), width=3.0),
        ),
        rows,
        note=_(
            "Rank among {count} posyandu, 1 = best. A posyandu with fewer than {minimum} "
            "children of 6-59 months gets no SMART score; its other checks still count."
        ).format(count=len(data.quality.units), minimum=data.min_children),
        sheet_name="Posyandu",
    )


def quality_criteria_table_printed(data: SemesterData, language: Language) -> Table:
    """:func:`quality_criteria_table` with values written for reading (``< 0,001``, ``5``)."""
    table = quality_criteria_table(data, language)
    criteria = data.quality.city.criteria
    rows = tuple(
        (
            row[0],
            value_text(c.reason, c.value, language),
            _limit(c.reason, c.limit, language),
            *row[3:],
        )
        for row, c in zip(table.rows, criteria, strict=True)
    )
    columns = (
        table.columns[0],
        Column(table.columns[1].title, TEXT, width=0.9),
        Column(table.columns[2].title, TEXT, width=0.9),
        *table.columns[3:],
    )
    return Table(table.title, columns, rows, table.note, table.sheet_name)


def _limit(reason: Reason, limit: float, language: Language) -> str:
    """The excellent class's edge; for the SD of WHZ the whole excellent range."""
    if reason is Reason.SD_WHZ:
        return f"{limit_text(reason, 0.90, language)}\u2013{limit_text(reason, 1.10, language)}"
    return limit_text(reason, limit, language)


def digit_preference_table(data: SemesterData, language: Language, count: int = 10) -> Table:
    """The posyandu whose lengths/heights most often end in .0 or .5 (WHO/UNICEF TEAM (iv):
    terminal digits by team), among those with at least ``MIN_DIGITS`` lengths/heights."""
    _ = translations(language).gettext

    def share(digits: tuple[int, ...]) -> float | None:
        total = sum(digits)
        return 100.0 * (digits[0] + digits[5]) / total if total else None

    eligible = [u for u in data.quality.units if sum(u.height_digits) >= MIN_DIGITS]
    eligible.sort(key=lambda u: (-(share(u.height_digits) or 0.0), u.code or ""))
    rows = tuple(
        (
            unit.name,
            unit.code or "",
            sum(unit.height_digits),
            share(unit.height_digits),
            sum(unit.weight_digits),
            share(unit.weight_digits),
        )
        for unit in eligible[:count]
    )
    city = data.quality.city
    return Table(
        _("Table {number}. Posyandu where values most often end in .0 or .5, {month}").format(
            number=11, month=month_name(data.round, language)
        ),
        (
            Column("Posyandu", width=1.1),
            Column(_("Code"), width=1.5),
            Column(_("Lengths/heights"), INTEGER),
            Column(_("Ending in .0/.5 (%)"), DECIMAL, 1),
            Column(_("Weights"), INTEGER),
            Column(_("Weights ending in .0/.5 (%)"), DECIMAL, 1),
        ),
        rows,
        note=_(
            "An even spread of the last decimal gives 20%; the whole city: {height} of "
            "lengths/heights, {weight} of weights. Posyandu with at least {minimum} "
            "lengths/heights."
        ).format(
            height=_percent_text(share(city.height_digits), language),
            weight=_percent_text(share(city.weight_digits), language),
            minimum=MIN_DIGITS,
        ),
        sheet_name=_("Digit preference"),
    )


def _percent_text(value: float | None, language: Language) -> str:
    return "\u2013" if value is None else format_decimal_places(value, 1, language) + "%"
