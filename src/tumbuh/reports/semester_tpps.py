"""The TPPS's own work in the semester report (issue 16): the lokus kelurahan, the Audit
Kasus Stunting (cases per target group, main causes, recommendations, RTL items), the
partners' commitments and the 8 aksi konvergensi, as tables for the PDF and the XLSX.

Fed :class:`tumbuh.reports.tpps_data.TppsFigures` (no identities: cases are counted).
The closed sets are named where their pages name them (``aks_labels``, ``aksi_labels``),
so a group, cause, aksi or status reads the same on the page and in the report.
A part that is None has no table: the report says its data are missing.
"""

from collections.abc import Sequence

from babel.dates import format_date

from tumbuh.aks_labels import CAUSE_NAMES, GROUP_NAMES
from tumbuh.aksi_labels import AKSI_NAMES, STATUS_NAMES
from tumbuh.growth.tpps import ActionStatus
from tumbuh.i18n import Language, translations
from tumbuh.reports.semester_text import LOCALES
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table
from tumbuh.reports.tpps_data import ActionLine, AksiLine, AuditFigures, LokusLine

INTEGER, DECIMAL = ColumnKind.INTEGER, ColumnKind.DECIMAL


def day_text(day: object, language: Language) -> str:
    """``25 Juli 2024``; an en dash for no date."""
    if day is None:
        return "\u2013"
    return format_date(day, "d MMMM y", locale=LOCALES[language])  # type: ignore[arg-type]


def lokus_table(lokus: Sequence[LokusLine], year: int, language: Language) -> Table:
    """The lokus kelurahan of the year and the figures they were chosen on."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            line.rank,
            line.kelurahan_name,
            line.stunted,
            line.stunted_percent,
            line.krs_families,
            line.coverage_percent,
        )
        for line in sorted(lokus, key=lambda line: line.rank)
    )
    return Table(
        _("Table {number}. Lokus kelurahan, {year}").format(number=0, year=year),
        (
            Column(_("Priority"), INTEGER, width=0.8),
            Column("Kelurahan", width=1.6),
            Column(_("Stunted children"), INTEGER),
            Column(_("Stunted (%)"), DECIMAL, 2),
            Column(_("Families at risk (KRS)"), INTEGER),
            Column("D/S (%)", DECIMAL, 1),
        ),
        rows,
        note=_("Chosen in the situation analysis from the register's figures; 1 comes first."),
        sheet_name=_("Lokus of the year"),
    )


def audit_case_table(audit: AuditFigures, language: Language) -> Table:
    """Confirmed audit cases per target group."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (_(GROUP_NAMES[group]), count) for group, count in audit.cases
    )
    total: tuple[Cell, ...] = (_("Total"), sum(count for _group, count in audit.cases))
    return Table(
        _("Table {number}. Audit cases per target group").format(number=0),
        (Column(_("Target group"), width=2.5), Column(_("Cases"), INTEGER)),
        (*rows, total),
        note=_("Cases confirmed by the technical team; the report names no one."),
        sheet_name=_("Audit cases"),
    )


def audit_cause_table(audit: AuditFigures, language: Language) -> Table:
    """The causes the expert team found, most frequent first."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (_(CAUSE_NAMES[cause]), count) for cause, count in audit.causes
    )
    return Table(
        _("Table {number}. Main causes found by the expert team").format(number=0),
        (Column(_("Cause"), width=3.0), Column(_("Cases"), INTEGER)),
        rows,
        note=_("A case can have more than one cause."),
        sheet_name=_("Audit causes"),
    )


def _overdue_first(actions: Sequence[ActionLine]) -> list[ActionLine]:
    return sorted(
        actions,
        key=lambda a: (not a.overdue, a.status is ActionStatus.DONE, a.due_on or a.agreed_on),
    )


def _status(action: ActionLine, language: Language) -> str:
    _ = translations(language).gettext
    text = _(STATUS_NAMES[action.status])
    return _("{status}, overdue").format(status=text) if action.overdue else text


def action_table(
    actions: Sequence[ActionLine], title: str, sheet_name: str, language: Language
) -> Table:
    """RTL items or commitments, overdue first: what, who, where, when, status."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            a.action,
            a.responsible,
            a.kelurahan or _("Whole city"),
            day_text(a.due_on, language),
            _status(a, language),
            a.budget_rupiah,
            a.delivered or a.evaluation or "",
            a.evidence_files,
        )
        for a in _overdue_first(actions)
    )
    return Table(
        title,
        (
            Column(_("Planned action"), width=2.0),
            Column(_("Responsible"), width=1.3),
            Column(_("Where"), width=1.2),
            Column(_("Due"), width=1.1),
            Column(_("Progress"), width=1.4),
            Column(_("Budget (Rp)"), INTEGER, width=1.6),
            Column(_("Result delivered"), width=1.3),
            Column(_("Evidence"), INTEGER, width=0.6),
        ),
        rows,
        note=_("Overdue: not carried out and past its due date on the data date. Evidence: files."),
        sheet_name=sheet_name,
    )


def rtl_table(audit: AuditFigures, language: Language) -> Table:
    """This audit's RTL items."""
    _ = translations(language).gettext
    return action_table(
        audit.rtl,
        _("Table {number}. Follow-up plan (RTL) of the audit").format(number=0),
        _("RTL items"),
        language,
    )


def previous_rtl_table(audit: AuditFigures, language: Language) -> Table:
    """The previous audit's RTL items, as evaluated this semester."""
    _ = translations(language).gettext
    return action_table(
        audit.previous_rtl,
        _("Table {number}. Follow-up plan of the previous audit, evaluated").format(number=0),
        _("Previous RTL"),
        language,
    )


def commitment_table(commitments: Sequence[ActionLine], language: Language) -> Table:
    """The partners' commitments, overdue first."""
    _ = translations(language).gettext
    return action_table(
        commitments,
        _("Table {number}. Partners' commitments").format(number=0),
        _("Commitments"),
        language,
    )


def aksi_table(aksi: Sequence[AksiLine], year: int, language: Language) -> Table:
    """The yearly scorecard of the 8 aksi konvergensi."""
    _ = translations(language).gettext
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            line.aksi.number,
            _(AKSI_NAMES[line.aksi]),
            _(STATUS_NAMES[line.status]),
            day_text(line.done_on, language),
            line.owner or "",
            line.evidence_files,
        )
        for line in sorted(aksi, key=lambda line: line.aksi.number)
    )
    return Table(
        _("Table {number}. The 8 convergence actions, {year}").format(number=0, year=year),
        (
            Column(_("Aksi number"), INTEGER, width=0.5),
            Column(_("Convergence action"), width=2.6),
            Column(_("Progress"), width=1.1),
            Column(_("Date"), width=1.1),
            Column(_("Responsible office"), width=1.3),
            Column(_("Evidence"), INTEGER, width=0.8),
        ),
        rows,
        note=_("Evidence: documents kept in the system."),
        sheet_name=_("Eight aksi"),
    )
