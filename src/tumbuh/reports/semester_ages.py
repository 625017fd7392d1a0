"""Table 2a of the TPPS semester report: stunting per kelurahan by age group.

Each kelurahan's baduta (0-23 completed months) and balita 24-59 months in the round,
counted by the same split as Table 1a (:func:`tumbuh.db.prevalence.age_split_prevalence`):
the two groups' measured and stunted children add up to the kelurahan's in Table 2.
"""

from tumbuh.age_labels import AGE_LABELS
from tumbuh.growth.ages import AgeGroup
from tumbuh.i18n import Language, translations
from tumbuh.reports.semester_data import PrevalenceFigure, SemesterData
from tumbuh.reports.semester_text import month_name
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table

INTEGER, DECIMAL = ColumnKind.INTEGER, ColumnKind.DECIMAL


def _cells(figure: PrevalenceFigure | None) -> tuple[Cell, Cell, Cell]:
    if figure is None:
        return None, None, None
    return figure.measured, figure.cases, figure.percent


def kelurahan_age_table(data: SemesterData, language: Language) -> Table:
    """Measured, stunted and prevalence of the baduta and the older balita per kelurahan."""
    _ = translations(language).gettext
    rows = tuple((area.name, *_cells(area.baduta), *_cells(area.older)) for area in data.kelurahan)
    young, old = _(AGE_LABELS[AgeGroup.BADUTA]), _(AGE_LABELS[AgeGroup.BALITA_24_59])
    return Table(
        _("Table {number}. Stunting per kelurahan by age group, {month}").format(
            number="2a", month=month_name(data.round, language)
        ),
        (
            Column("Kelurahan", width=1.5),
            Column(_("{group}: measured").format(group=young), INTEGER),
            Column(_("{group}: stunted").format(group=young), INTEGER),
            Column(_("{group}: prevalence (%)").format(group=young), DECIMAL, 2),
            Column(_("{group}: measured").format(group=old), INTEGER),
            Column(_("{group}: stunted").format(group=old), INTEGER),
            Column(_("{group}: prevalence (%)").format(group=old), DECIMAL, 2),
        ),
        rows,
        note=_(
            "Age in completed months at the counted measurement; the two groups add up to "
            "the kelurahan's balita of Table 2."
        ),
        sheet_name=_("Kelurahan by age"),
    )
