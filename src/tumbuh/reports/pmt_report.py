"""The monthly PMT report of the kitchens as an .xlsx workbook (web and command line):
one sheet with a row per kitchen and the total, one with the funding lines in force
(docs/kitchens.md, "Monthly report").

Drawn from plain data: any objects with the attributes of the protocols below, such as
:class:`tumbuh.usecases.pmt_report.PmtMonth`. Counts only; no person is named.
"""

import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from tumbuh.growth.periods import Period
from tumbuh.growth.pmt import EpisodeExit, Funding, KitchenKind, KitchenOperator
from tumbuh.i18n import Language, translations
from tumbuh.kitchen_labels import EXIT_NAMES, FUNDING_NAMES, KIND_NAMES, OPERATOR_NAMES
from tumbuh.reports.semester_text import month_name
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table
from tumbuh.reports.xlsx import write_workbook

Gettext = Callable[[str], str]
PERCENT = 100.0


class KitchenLike(Protocol):
    """What the report reads of a kitchen."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> KitchenKind: ...
    @property
    def kelurahan_name(self) -> str: ...
    @property
    def operator(self) -> KitchenOperator: ...
    @property
    def active(self) -> bool: ...


class FundingLike(Protocol):
    """What the report reads of a funding line."""

    @property
    def source(self) -> Funding: ...
    @property
    def amount_rp(self) -> int: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date: ...
    @property
    def note(self) -> str | None: ...


class KitchenMonthLike(Protocol):
    """What the report reads of one kitchen's month."""

    @property
    def kitchen(self) -> KitchenLike: ...
    @property
    def funding(self) -> Sequence[FundingLike]: ...
    @property
    def funding_rp(self) -> int: ...
    @property
    def children_fed(self) -> int: ...
    @property
    def pregnant_fed(self) -> int: ...
    @property
    def servings(self) -> int: ...
    @property
    def serving_days(self) -> int: ...
    @property
    def cooking_days(self) -> int: ...
    @property
    def episodes_open(self) -> int: ...
    @property
    def adherence(self) -> float | None: ...
    @property
    def started(self) -> int: ...
    @property
    def ended(self) -> dict[EpisodeExit, int]: ...


class MonthLike(Protocol):
    """What the report reads of the month."""

    @property
    def month(self) -> Period: ...
    @property
    def kitchens(self) -> Sequence[KitchenMonthLike]: ...
    @property
    def as_of(self) -> date: ...


def _money(value: int) -> str:
    return f"Rp {value:,}".replace(",", ".")


def _lines_text(lines: Sequence[FundingLike], _: Gettext) -> str | None:
    return "; ".join(f"{_(FUNDING_NAMES[f.source])} {_money(f.amount_rp)}" for f in lines) or None


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * PERCENT, 1)


def kitchens_table(month: MonthLike, *, title: str, gettext: Gettext) -> Table:
    """A row per kitchen and a total row: funding in force, people fed, servings, serving
    days, average adherence, episodes begun and ended by exit."""
    _ = gettext
    whole, text = ColumnKind.INTEGER, ColumnKind.TEXT
    columns = (
        Column(_("Kitchen")),
        Column(_("Kind of kitchen")),
        Column("Kelurahan"),
        Column(_("Run by")),
        Column(_("Active")),
        Column(_("Funding in force"), text),
        Column(_("Funding in force (Rp)"), whole),
        Column(_("Children fed"), whole),
        Column(_("Pregnant women fed"), whole),
        Column(_("Servings given"), whole),
        Column(_("Serving days"), whole),
        Column(_("Cooking days on the schedule"), whole),
        Column(_("Average adherence (%)"), ColumnKind.DECIMAL, 1),
        Column(_("Episodes open"), whole),
        Column(_("Episodes started"), whole),
        *(Column(_("Ended: {exit}").format(exit=_(EXIT_NAMES[e])), whole) for e in EpisodeExit),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            m.kitchen.name,
            _(KIND_NAMES[m.kitchen.kind]),
            m.kitchen.kelurahan_name,
            _(OPERATOR_NAMES[m.kitchen.operator]),
            _("yes") if m.kitchen.active else _("no"),
            _lines_text(m.funding, _),
            m.funding_rp,
            m.children_fed,
            m.pregnant_fed,
            m.servings,
            m.serving_days,
            m.cooking_days,
            _percent(m.adherence),
            m.episodes_open,
            m.started,
            *(m.ended.get(e, 0) for e in EpisodeExit),
        )
        for m in month.kitchens
    ]
    rows.append(_total(month.kitchens, _))
    note = _(
        "Adherence: days served over the days the kitchen cooked since the episode began "
        "(at most the days planned), averaged over the episodes open in the month; counted "
        "until {day}."
    ).format(day=month.as_of.isoformat())
    return Table(title, columns, tuple(rows), note, _("Kitchens"))


def _total(kitchens: Sequence[KitchenMonthLike], _: Gettext) -> tuple[Cell, ...]:
    known = [m.adherence for m in kitchens if m.adherence is not None]
    return (
        _("Total"),
        None,
        None,
        None,
        None,
        None,
        sum(m.funding_rp for m in kitchens),
        sum(m.children_fed for m in kitchens),
        sum(m.pregnant_fed for m in kitchens),
        sum(m.servings for m in kitchens),
        None,
        None,
        _percent(sum(known) / len(known)) if known else None,
        sum(m.episodes_open for m in kitchens),
        sum(m.started for m in kitchens),
        *(sum(m.ended.get(e, 0) for m in kitchens) for e in EpisodeExit),
    )


def funding_table(month: MonthLike, *, title: str, gettext: Gettext) -> Table:
    """A row per funding line in force for part of the month."""
    _ = gettext
    columns = (
        Column(_("Kitchen")),
        Column("Kelurahan"),
        Column(_("Source of funds")),
        Column(_("Amount (Rp)"), ColumnKind.INTEGER),
        Column(_("From")),
        Column(_("Until")),
        Column(_("Note")),
    )
    rows = tuple(
        (
            m.kitchen.name,
            m.kitchen.kelurahan_name,
            _(FUNDING_NAMES[f.source]),
            f.amount_rp,
            f.starts_on.isoformat(),
            f.ends_on.isoformat(),
            f.note,
        )
        for m in month.kitchens
        for f in m.funding
    )
    return Table(title, columns, rows, None, _("Funding"))


def pmt_report_tables(month: MonthLike, language: Language) -> list[Table]:
    """The two sheets of the month's report."""
    _ = translations(language).gettext
    named = month_name(month.month, language)
    title = _("PMT lokal kitchens, {month}").format(month=named)
    return [
        kitchens_table(month, title=title, gettext=_),
        funding_table(
            month, title=_("Funding lines in force, {month}").format(month=named), gettext=_
        ),
    ]


def write_pmt_report(month: MonthLike, target: Path | io.BytesIO, *, language: Language) -> None:
    """Save the report as an .xlsx file (or into a buffer, for a web download)."""
    write_workbook(pmt_report_tables(month, language), target, language=language)
