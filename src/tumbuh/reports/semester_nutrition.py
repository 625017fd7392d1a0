"""The nutritional status of balita in the TPPS semester report (issue 16): stunting,
wasting, underweight and overweight among baduta, balita of 24-59 months and all balita,
for the report's area and each area under it, in the semester's round.

Fed :class:`tumbuh.reports.semester_data.NutritionFigures` (the register's prevalence,
each child once with its last valid measurement; the two age groups add up to all).
"""

from tumbuh.i18n import Language, translations
from tumbuh.reports.semester_data import NutritionFigures, PrevalenceFigure, SemesterData
from tumbuh.reports.semester_text import month_name, percent
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table

INTEGER, DECIMAL = ColumnKind.INTEGER, ColumnKind.DECIMAL

# Plain names (Permenkes 2/2020's words) of the statuses, keyed by the status's message id.
STATUS_NAMES = {
    "stunting (HAZ < -2)": "Stunting (short for age)",
    "wasting (WHZ < -2)": "Wasting (too thin for height)",
    "underweight (WAZ < -2)": "Underweight (too light for age)",
    "overweight (WHZ > +2)": "Overweight (too heavy for height)",
}
SHEETS = {
    "stunting (HAZ < -2)": "Stunting by age",
    "wasting (WHZ < -2)": "Wasting by age",
    "underweight (WAZ < -2)": "Underweight by age",
    "overweight (WHZ > +2)": "Overweight by age",
}


def status_name(label: str, language: Language) -> str:
    """The plain name of a status given by its message id."""
    _ = translations(language).gettext
    return _(STATUS_NAMES.get(label, label))


def _cells(figure: PrevalenceFigure) -> tuple[Cell, Cell, Cell]:
    return figure.measured, figure.cases, figure.percent


def nutrition_table(status: NutritionFigures, data: SemesterData, language: Language) -> Table:
    """One status: measured, with the status and share, per age group and area."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            data.city_name if index == 0 else area.name,
            *_cells(area.baduta),
            *_cells(area.older),
            *_cells(area.total),
        )
        for index, area in enumerate(status.areas)
    )
    groups = (_("Under two"), _("24-59 months"), _("All balita"))
    columns = [Column(_("Area"), width=1.5)]
    for group in groups:
        columns += [
            Column(_("{group}: measured").format(group=group), INTEGER),
            Column(_("{group}: cases").format(group=group), INTEGER, width=0.9),
            Column(_("{group}: share (%)").format(group=group), DECIMAL, 2, width=0.9),
        ]
    return Table(
        _("Table {number}. {status}, by age group, {month}").format(
            number=0,
            status=status_name(status.label, language),
            month=month_name(data.round, language),
        ),
        tuple(columns),
        rows,
        note=_(
            "Baduta: 0-23 months; the two age groups add up to all balita. Each child "
            "counts once, with the last measurement of the month."
        ),
        sheet_name=_(SHEETS.get(status.label, "Status")),
    )


def nutrition_sentence(data: SemesterData, language: Language) -> str | None:
    """The area's four statuses among all balita, and among baduta."""
    _ = translations(language).gettext
    parts = []
    for status in data.nutrition:
        if not status.areas:
            continue
        area = status.areas[0]
        parts.append(
            _("{status}: {all} of all balita, {baduta} of baduta").format(
                status=status_name(status.label, language),
                all=percent(area.total.percent, language),
                baduta=percent(area.baduta.percent, language),
            )
        )
    if not parts:
        return None
    return "; ".join(parts) + "."
