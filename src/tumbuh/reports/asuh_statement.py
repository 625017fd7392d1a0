"""The month's Baznas statement of Bapak Asuh money as tables for the .xlsx (web and
command line): money in, out and the balance per sponsor, the money out per kelurahan,
and the month's payments and disbursements (docs/asuh.md, "The Baznas statement").

Drawn from plain data: any objects with the attributes of the protocols below (such as
:class:`tumbuh.usecases.asuh_money.Statement`). Amounts are whole rupiah, kept as
numbers so a spreadsheet can sum them; each of the first two sheets ends with its total.
"""

import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from tumbuh.asuh_labels import RECIPIENT_NAMES
from tumbuh.growth.asuh import RecipientKind
from tumbuh.growth.periods import Period
from tumbuh.i18n import Language, translations
from tumbuh.reports.semester_text import month_name
from tumbuh.reports.tables import Cell, Column, ColumnKind, Table
from tumbuh.reports.xlsx import write_workbook

Gettext = Callable[[str], str]
RUPIAH = ColumnKind.INTEGER


class SponsorLine(Protocol):
    """A sponsor's money in the month."""

    @property
    def sponsor_name(self) -> str: ...
    @property
    def institution(self) -> str | None: ...
    @property
    def opening(self) -> int: ...
    @property
    def received(self) -> int: ...
    @property
    def disbursed(self) -> int: ...
    @property
    def closing(self) -> int: ...


class KelurahanLine(Protocol):
    """A kelurahan's money received in the month and to its end."""

    @property
    def kelurahan_name(self) -> str: ...
    @property
    def disbursements(self) -> int: ...
    @property
    def disbursed(self) -> int: ...
    @property
    def disbursed_to_date(self) -> int: ...


class PaymentLine(Protocol):
    """A payment of the month."""

    @property
    def received_on(self) -> date: ...
    @property
    def sponsor_name(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def amount_rupiah(self) -> int: ...


class DisbursementLine(Protocol):
    """A disbursement of the month."""

    @property
    def paid_on(self) -> date: ...
    @property
    def kelurahan_name(self) -> str: ...
    @property
    def proposal_reference(self) -> str: ...
    @property
    def recipient_kind(self) -> RecipientKind: ...
    @property
    def kitchen_name(self) -> str | None: ...
    @property
    def amount_rupiah(self) -> int: ...


class StatementData(Protocol):
    """What the statement is drawn from."""

    @property
    def sponsors(self) -> Sequence[SponsorLine]: ...
    @property
    def kelurahan(self) -> Sequence[KelurahanLine]: ...
    @property
    def payments(self) -> Sequence[PaymentLine]: ...
    @property
    def disbursements(self) -> Sequence[DisbursementLine]: ...


def _sponsors(data: StatementData, month: str, _: Gettext) -> Table:
    columns = (
        Column("Bapak asuh"),
        Column(_("OPD or institution")),
        Column(_("Balance at the start (Rp)"), RUPIAH),
        Column(_("Received (Rp)"), RUPIAH),
        Column(_("Disbursed (Rp)"), RUPIAH),
        Column(_("Balance at the end (Rp)"), RUPIAH),
    )
    rows: list[tuple[Cell, ...]] = [
        (s.sponsor_name, s.institution, s.opening, s.received, s.disbursed, s.closing)
        for s in data.sponsors
    ]
    sums = [sum(int(row[i] or 0) for row in rows) for i in range(2, 6)]
    rows.append((_("Total"), None, *sums))
    title = _("Bapak Asuh money through Baznas, {month}: per bapak asuh").format(month=month)
    note = _("Each rupiah disbursed is drawn on the oldest money received (first in, first out).")
    return Table(title, columns, tuple(rows), note, "Per bapak asuh")


def _kelurahan(data: StatementData, month: str, _: Gettext) -> Table:
    columns = (
        Column("Kelurahan"),
        Column(_("Disbursements"), ColumnKind.INTEGER),
        Column(_("Disbursed in the month (Rp)"), RUPIAH),
        Column(_("Disbursed to the month's end (Rp)"), RUPIAH),
    )
    rows: list[tuple[Cell, ...]] = [
        (k.kelurahan_name, k.disbursements, k.disbursed, k.disbursed_to_date)
        for k in data.kelurahan
    ]
    rows.append((_("Total"), *(sum(int(row[i] or 0) for row in rows) for i in range(1, 4))))
    title = _("Bapak Asuh money through Baznas, {month}: per kelurahan").format(month=month)
    return Table(title, columns, tuple(rows), None, "Per kelurahan")


def _payments(data: StatementData, month: str, _: Gettext) -> Table:
    columns = (
        Column(_("Day received")),
        Column("Bapak asuh"),
        Column(_("Receipt number")),
        Column(_("Amount (Rp)"), RUPIAH),
    )
    rows = tuple(
        (p.received_on.isoformat(), p.sponsor_name, p.reference, p.amount_rupiah)
        for p in data.payments
    )
    title = _("Money received, {month}").format(month=month)
    return Table(title, columns, rows, None, _("Received"))


def _disbursements(data: StatementData, month: str, _: Gettext) -> Table:
    columns = (
        Column(_("Day paid out")),
        Column("Kelurahan"),
        Column(_("Proposal number")),
        Column(_("Recipient")),
        Column(_("Kitchen")),
        Column(_("Amount (Rp)"), RUPIAH),
    )
    rows = tuple(
        (
            d.paid_on.isoformat(),
            d.kelurahan_name,
            d.proposal_reference,
            _(RECIPIENT_NAMES[d.recipient_kind]),
            d.kitchen_name,
            d.amount_rupiah,
        )
        for d in data.disbursements
    )
    title = _("Money disbursed, {month}").format(month=month)
    return Table(title, columns, rows, None, _("Disbursed"))


def statement_tables(data: StatementData, *, month: str, gettext: Gettext) -> list[Table]:
    """The four sheets of the statement of ``month`` (its name as users write it)."""
    return [
        _sponsors(data, month, gettext),
        _kelurahan(data, month, gettext),
        _payments(data, month, gettext),
        _disbursements(data, month, gettext),
    ]


def write_statement(
    data: StatementData, month: Period, target: Path | io.BytesIO, *, language: Language
) -> None:
    """Save the statement of ``month`` as an .xlsx file (or into a buffer)."""
    gettext = translations(language).gettext
    tables = statement_tables(data, month=month_name(month, language), gettext=gettext)
    write_workbook(tables, target, language=language)
