"""The specific intervention indicators in the TPPS semester report (Tables 13 to 16).

Fed the plain lines of :mod:`tumbuh.reports.indicators` (the same rows as the
indicators workbook, made by :mod:`tumbuh.usecases.semester_indicators`): the city's
figure of each indicator computed from the register, the figures entered by hand with
their source, the computed figures per kelurahan and the families at risk of stunting
(KRS) per kelurahan. Texts of the catalogue are English message ids, translated here.
"""

from babel.dates import format_date

from tumbuh.i18n import Language, translations
from tumbuh.reports.indicators import Gettext, met_word
from tumbuh.reports.semester_data import SemesterIndicators
from tumbuh.reports.semester_text import LOCALES
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table

INTEGER, DECIMAL = ColumnKind.INTEGER, ColumnKind.DECIMAL
FIRST_TABLE = 13  # the tables before are numbered 1 to 12 (and 1a)


def _area(name: str | None, gettext: Gettext) -> str:
    return gettext("(no kelurahan)") if name is None else name


def _title(text: str, offset: int, year: int) -> str:
    """A translated title ``Table {number}. ... {year}``."""
    return text.format(number=FIRST_TABLE + offset, year=year)


def indicator_summary_table(found: SemesterIndicators, language: Language) -> Table:
    """Table 13: each computed indicator in the city, against its target."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            f"({number}) {_(line.indicator)}",
            line.numerator,
            line.denominator,
            line.percent,
            line.target,
            met_word(line.meets_target, _),
        )
        for number, line in enumerate(found.computed, 1)
    )
    return Table(
        _title(
            _("Table {number}. Specific intervention indicators, {year}"),
            0,
            found.year,
        ),
        (
            Column(_("Indicator"), width=3.2),
            Column(_("Numerator"), INTEGER),
            Column(_("Denominator"), INTEGER),
            Column(_("Rate %"), DECIMAL, 1),
            Column(_("Target %"), DECIMAL, 1),
            Column(_("Target met"), width=1.2),
        ),
        rows,
        note=_(
            "Counted from the register for the whole city, from 1 January to {day}. A record "
            "whose fact was not written down stays in the denominator. Targets: Perpres "
            "72/2021, Annex A."
        ).format(day=format_date(found.counted_to, "d MMMM y", locale=LOCALES[language])),
        sheet_name=_("Specific indicators"),
    )


def indicator_entered_table(found: SemesterIndicators, language: Language) -> Table:
    """Table 14: the specific indicators entered by hand, each with its source."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            _(line.indicator),
            _area(line.area_name, _),
            line.numerator,
            line.denominator,
            line.percent,
            line.target,
            met_word(line.meets_target, _),
            line.source,
        )
        for line in found.entered
    )
    return Table(
        _title(
            _("Table {number}. Specific indicators entered by hand, {year}"),
            1,
            found.year,
        ),
        (
            Column(_("Indicator"), width=2.0),
            Column(_("Area"), width=1.2),
            Column(_("Numerator"), INTEGER, width=1.3),
            Column(_("Denominator"), INTEGER, width=1.2),
            Column(_("Rate %"), DECIMAL, 1, width=1.1),
            Column(_("Target %"), DECIMAL, 1),
            Column(_("Target met"), width=1.2),
            Column(_("Source"), width=1.8),
        ),
        rows,
        note=_(
            "Figures the TPPS entered from the reports of other agencies; none entered: no row."
        ),
        sheet_name=_("Indicators by hand"),
    )


def indicator_kelurahan_table(found: SemesterIndicators, language: Language) -> Table:
    """Table 15: the rate of each computed indicator in each kelurahan."""
    _ = translations(language).gettext
    names = [line.indicator for line in found.computed]
    rates: dict[tuple[str, str], float | None] = {}
    kelurahan: dict[str, str | None] = {}
    for line in found.kelurahan:
        rates[(line.area_code, line.indicator)] = line.percent
        kelurahan[line.area_code] = line.area_name
    order = sorted(kelurahan, key=lambda code: (kelurahan[code] is None, kelurahan[code] or ""))
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (_area(kelurahan[code], _), *(rates.get((code, name)) for name in names)) for code in order
    )
    return Table(
        _title(
            _("Table {number}. Specific intervention indicators by kelurahan, {year}"),
            2,
            found.year,
        ),
        (
            Column("Kelurahan", width=1.6),
            *(Column(f"({number}) %", DECIMAL, 1) for number in range(1, len(names) + 1)),
        ),
        rows,
        note=_(
            "Rate in percent; the numbers of the columns are those of Table {number}. A dash: "
            "nobody of the kelurahan is in the denominator."
        ).format(number=FIRST_TABLE),
        sheet_name=_("Indicators by kelurahan"),
    )


def krs_table(found: SemesterIndicators, language: Language) -> Table:
    """Table 16: families at risk of stunting (KRS), the city and each kelurahan."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (_area(k.area_name, _), k.families, k.at_risk, k.unknown, k.percent) for k in found.krs
    )
    return Table(
        _title(
            _("Table {number}. Families at risk of stunting (KRS) by kelurahan, {year}"),
            3,
            found.year,
        ),
        (
            Column(_("Area"), width=1.6),
            Column(_("Target families"), INTEGER),
            Column(_("At risk"), INTEGER),
            Column(_("Not assessed"), INTEGER),
            Column(_("At risk %"), DECIMAL, 1),
        ),
        rows,
        note=_(
            "Families with a couple of childbearing age, a pregnancy or a child under five. "
            "At risk: no safe drinking water, no safe latrine, or one of the \u201c4 "
            "Terlalu\u201d (BKKBN); the share is of the families assessed."
        ),
        sheet_name="KRS",
    )


def indicator_sentence(found: SemesterIndicators, language: Language) -> str:
    """``Dari 8 indikator ... yang bertarget, 3 mencapai target 2024.``"""
    _ = translations(language).gettext
    targeted = [line for line in found.computed if line.meets_target is not None]
    met = sum(1 for line in targeted if line.meets_target)
    return _(
        "Of the {count} specific intervention indicators the register counts that have a "
        "target and a figure for {year}, {met} reached their target by {day}."
    ).format(
        count=len(targeted),
        year=found.year,
        met=met,
        day=format_date(found.counted_to, "d MMMM y", locale=LOCALES[language]),
    )


def indicator_tables(found: SemesterIndicators, language: Language) -> list[Table]:
    """Tables 13 to 16, in order."""
    return [
        indicator_summary_table(found, language),
        indicator_entered_table(found, language),
        indicator_kelurahan_table(found, language),
        krs_table(found, language),
    ]
