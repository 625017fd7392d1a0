"""The register of PMT episodes as a table for the .xlsx download (web and command line).

The rows are plain data (:class:`EpisodeSheetRow`: any object with these attributes, such
as :class:`tumbuh.usecases.pmt_register.ExportRow`); names, NIK and birth dates come
already masked or not, this module only writes them.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from tumbuh.episode_labels import EXIT_NAMES, FUNDING_NAMES, INDICATION_NAMES
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table

Gettext = Callable[[str], str]


class EpisodeSheetRow(Protocol):
    """What the sheet reads of an episode."""

    @property
    def episode_id(self) -> int: ...
    @property
    def posyandu_name(self) -> str | None: ...
    @property
    def kelurahan_name(self) -> str | None: ...
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
    def kitchen_name(self) -> str | None: ...
    @property
    def indication(self) -> Indication: ...
    @property
    def rules_version(self) -> str: ...
    @property
    def funding(self) -> Funding: ...
    @property
    def started_on(self) -> date: ...
    @property
    def planned_days(self) -> int: ...
    @property
    def planned_end(self) -> date: ...
    @property
    def served_days(self) -> int: ...
    @property
    def adherence(self) -> float | None: ...
    @property
    def ended_on(self) -> date | None: ...
    @property
    def exit(self) -> EpisodeExit | None: ...
    @property
    def override_reason(self) -> str | None: ...
    @property
    def exit_note(self) -> str | None: ...


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _columns(_: Gettext) -> tuple[Column, ...]:
    whole, text = ColumnKind.INTEGER, ColumnKind.TEXT
    return (
        Column(_("Episode number"), whole),
        Column("Posyandu"),
        Column("Kelurahan"),
        Column(_("Name")),
        Column("NIK"),
        Column(_("Sex")),
        Column(_("Birth date")),
        Column(_("Age at the start (months)"), whole),
        Column(_("Kitchen")),
        Column(_("Indication")),
        Column(_("Rules of")),
        Column(_("Funding")),
        Column(_("Start date")),
        Column(_("Days planned"), whole),
        Column(_("Planned end")),
        Column(_("Days served"), whole),
        Column(_("Adherence (%)"), ColumnKind.DECIMAL, places=0),
        Column(_("End date")),
        Column(_("Outcome")),
        Column(_("Reason for the exception"), text),
        Column(_("Note"), text),
    )


def episode_register_table(
    rows: Sequence[EpisodeSheetRow], *, title: str, masked: bool, gettext: Gettext
) -> Table:
    """One sheet: an episode per row, in the register's order."""
    _ = gettext
    body: list[tuple[Cell, ...]] = [
        (
            r.episode_id,
            r.posyandu_name or _("(no posyandu)"),
            r.kelurahan_name,
            r.name,
            r.nik,
            _("Boy") if r.sex == "male" else _("Girl"),
            _day(r.birth_date),
            r.age_months,
            r.kitchen_name,
            _(INDICATION_NAMES[r.indication]),
            r.rules_version,
            _(FUNDING_NAMES[r.funding]),
            _day(r.started_on),
            r.planned_days,
            _day(r.planned_end),
            r.served_days,
            None if r.adherence is None else round(r.adherence * 100, 0),
            _day(r.ended_on),
            _(EXIT_NAMES[r.exit]) if r.exit else _("open"),
            r.override_reason,
            r.exit_note,
        )
        for r in rows
    ]
    note = _("Names are initials, NIK and birth dates are masked.") if masked else None
    return Table(title, _columns(gettext), tuple(body), note, _("PMT episodes"))
