"""The case register as a table for the .xlsx download (web and command line) and the
rujukan balik of a case in one line, for the sheet and the printed register.

The rows are plain data (:class:`CaseSheetRow`: any object with these attributes, such
as :class:`tumbuh.usecases.cases.ExportRow`); names, NIK and birth dates come already
masked or not, this module only writes them.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from tumbuh.case_labels import (
    INTERVENTION_NAMES,
    OUTCOME_NAMES,
    PROBLEM_NAMES,
    STATUS_NAMES,
    reason_name,
)
from tumbuh.growth.cases import CaseStatus, Intervention, Outcome, Problem
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table

Gettext = Callable[[str], str]


class CaseAnswer(Protocol):
    """What the rujukan balik is made of (a case row of the register or of a child)."""

    @property
    def examined_on(self) -> date | None: ...
    @property
    def diagnosis_confirmed(self) -> bool | None: ...
    @property
    def comorbidity(self) -> str | None: ...
    @property
    def given(self) -> str | None: ...
    @property
    def treated_on(self) -> date | None: ...
    @property
    def intervention(self) -> str | None: ...
    @property
    def closed_on(self) -> date | None: ...
    @property
    def outcome(self) -> str | None: ...


class CaseSheetRow(CaseAnswer, Protocol):
    """What the sheet reads of a case."""

    @property
    def case_id(self) -> int: ...
    @property
    def posyandu_name(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def nik(self) -> str | None: ...
    @property
    def sex(self) -> str: ...
    @property
    def birth_date(self) -> date | None: ...
    @property
    def age_months(self) -> int: ...
    @property
    def problem(self) -> Problem: ...
    @property
    def status(self) -> CaseStatus: ...
    @property
    def reasons(self) -> tuple[str, ...]: ...
    @property
    def opened_on(self) -> date: ...
    @property
    def referred_on(self) -> date | None: ...
    @property
    def referred_to(self) -> str | None: ...
    @property
    def next_due_on(self) -> date | None: ...
    @property
    def overdue(self) -> bool: ...


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def answer_summary(row: CaseAnswer, gettext: Gettext, day: Callable[[date], str]) -> str:
    """The puskesmas's answer (rujukan balik) in one line: the examination, what was
    given, the intervention and the outcome; empty before the examination. ``day`` writes
    a date as the reader expects."""
    parts: list[str] = []
    if row.examined_on is not None:
        confirmed = (
            gettext("diagnosis confirmed")
            if row.diagnosis_confirmed
            else gettext("diagnosis not confirmed")
        )
        parts.append(f"{day(row.examined_on)}: {confirmed}")
        if row.comorbidity:
            parts.append(f"{gettext('Co-morbidity')}: {row.comorbidity}")
        if row.given:
            parts.append(f"{gettext('Given by the puskesmas')}: {row.given}")
    if row.treated_on is not None and row.intervention:
        done = gettext(INTERVENTION_NAMES[Intervention(row.intervention)])
        parts.append(f"{day(row.treated_on)}: {done}")
    if row.closed_on is not None and row.outcome:
        parts.append(f"{day(row.closed_on)}: {gettext(OUTCOME_NAMES[Outcome(row.outcome)])}")
    return "; ".join(parts)


def case_register_table(
    rows: Sequence[CaseSheetRow], *, title: str, masked: bool, gettext: Gettext
) -> Table:
    """One sheet: a case per row, in the register's order, with the rujukan balik."""
    _ = gettext
    text, whole = ColumnKind.TEXT, ColumnKind.INTEGER
    columns = (
        Column(_("Case"), whole),
        Column("Posyandu"),
        Column(_("Name")),
        Column("NIK"),
        Column(_("Sex")),
        Column(_("Birth date")),
        Column(_("Age (months)"), whole),
        Column(_("Problem")),
        Column(_("Reasons")),
        Column(_("Stage")),
        Column(_("Opened on")),
        Column(_("Referred on")),
        Column(_("Referred to"), text),
        Column(_("Answer from the puskesmas")),
        Column(_("Next follow-up")),
        Column(_("overdue")),
    )
    body: list[tuple[Cell, ...]] = [
        (
            r.case_id,
            r.posyandu_name or _("(no posyandu)"),
            r.name,
            r.nik,
            _("Boy") if r.sex == "male" else _("Girl"),
            _day(r.birth_date),
            r.age_months,
            _(PROBLEM_NAMES[r.problem]),
            ", ".join(reason_name(x, _) for x in r.reasons),
            _(STATUS_NAMES[r.status]),
            _day(r.opened_on),
            _day(r.referred_on),
            r.referred_to,
            answer_summary(r, _, date.isoformat) or None,
            _day(r.next_due_on),
            _("yes") if r.overdue else None,
        )
        for r in rows
    ]
    note = _("Names are initials, NIK and birth dates are masked.") if masked else None
    return Table(title, columns, tuple(body), note, _("Cases"))
