"""The intervention indicators of a year as tables, for the .xlsx workbook (command line
and web): the computed indicators per area, the figures entered by hand with their
source, and the KRS per kelurahan (docs/indicators.md).

The rows are plain data made by :mod:`tumbuh.usecases.indicators`; texts of the catalogue
are English message ids and are translated here.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tumbuh.reports.tables import Column, ColumnKind, Table

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class FigureLine:
    """An indicator's figure in one area (the whole area or a kelurahan)."""

    indicator: str  # message id of its name
    area_code: str
    area_name: str | None  # None: records without a kelurahan
    numerator: int | None
    denominator: int | None
    unknown: int | None
    percent: float | None
    target: float | None
    meets_target: bool | None
    source: str  # message id (computed) or the text entered (by hand)
    source_is_message: bool = True


@dataclass(frozen=True)
class KrsLine:
    """KRS of one area: target families, at risk, not assessed, rate in percent."""

    area_code: str
    area_name: str | None  # None: families without a kelurahan
    families: int
    at_risk: int
    unknown: int
    percent: float | None


def met_word(meets: bool | None, gettext: Gettext) -> str:
    """The plain word for a comparison with the target."""
    if meets is None:
        return gettext("no target or no figure")
    return gettext("met") if meets else gettext("not met")


def _area(name: str | None, gettext: Gettext) -> str:
    return gettext("(no kelurahan)") if name is None else name


def _figure_table(title: str, sheet: str, lines: Sequence[FigureLine], gettext: Gettext) -> Table:
    integer, decimal = ColumnKind.INTEGER, ColumnKind.DECIMAL
    columns = (
        Column(gettext("Indicator"), width=3.0),
        Column(gettext("Code")),
        Column(gettext("Area"), width=2.0),
        Column(gettext("Numerator"), integer),
        Column(gettext("Denominator"), integer),
        Column(gettext("Not recorded"), integer),
        Column(gettext("Rate %"), decimal, 1),
        Column(gettext("Target %"), decimal, 1),
        Column(gettext("Target met"), width=1.5),
        Column(gettext("Source"), width=3.0),
    )
    rows = tuple(
        (
            gettext(line.indicator),
            line.area_code,
            _area(line.area_name, gettext),
            line.numerator,
            line.denominator,
            line.unknown,
            line.percent,
            line.target,
            met_word(line.meets_target, gettext),
            gettext(line.source) if line.source_is_message else line.source,
        )
        for line in lines
    )
    return Table(title, columns, rows, sheet_name=sheet)


def indicator_tables(
    year: int,
    computed: Sequence[FigureLine],
    entered: Sequence[FigureLine],
    krs: Sequence[KrsLine],
    gettext: Gettext,
) -> list[Table]:
    """Three tables: computed indicators, figures entered by hand, KRS."""
    krs_table = Table(
        gettext("Families at risk of stunting (KRS), {year}").format(year=year),
        (
            Column(gettext("Code")),
            Column(gettext("Area"), width=2.0),
            Column(gettext("Target families"), ColumnKind.INTEGER),
            Column(gettext("At risk"), ColumnKind.INTEGER),
            Column(gettext("Not assessed"), ColumnKind.INTEGER),
            Column(gettext("At risk %"), ColumnKind.DECIMAL, 1),
        ),
        tuple(
            (k.area_code, _area(k.area_name, gettext), k.families, k.at_risk, k.unknown, k.percent)
            for k in krs
        ),
        sheet_name="KRS",
    )
    return [
        _figure_table(
            gettext("Intervention indicators from the register, {year}").format(year=year),
            gettext("Indicators"),
            computed,
            gettext,
        ),
        _figure_table(
            gettext("Indicators entered by hand, {year}").format(year=year),
            gettext("Entered by hand"),
            entered,
            gettext,
        ),
        krs_table,
    ]
