"""Bapak Asuh money: payments Baznas received, disbursements it made on the kelurahan's
proposals, balances, the pledged-received-disbursed summaries and the month's Baznas
statement; every change audited (docs/asuh.md, "Money"). Who may:
:func:`tumbuh.usecases.asuh.manages`.

**A disbursement never exceeds the balance.** :func:`record_disbursements` takes the
ledger lock (:func:`tumbuh.db.asuh_money.lock_ledger`) inside the write transaction,
then reads the money received up to the day paid out and not yet disbursed, refuses an
amount above it (:class:`~tumbuh.usecases.asuh_input.FieldError` naming the amount, the
day and the balance; nothing is written) and draws the amount on the oldest payments
(:func:`tumbuh.growth.asuh.allocate`). Two disbursements at once therefore go one after
the other, and the second sees what the first took.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import Connection

from tumbuh.db.asuh import kelurahan_names, pledge_rows, sponsor_rows
from tumbuh.db.asuh_money import (
    AllocationRow,
    DisbursementRow,
    PaymentRow,
    allocation_rows,
    disbursement_rows,
    insert_allocations,
    insert_disbursement,
    insert_payments,
    lock_ledger,
    payment_rows,
    references_taken,
    unspent_payments,
)
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.kitchens import KitchenRow, kitchen_row
from tumbuh.db.models_access import AuditAction
from tumbuh.formatting import format_integer, format_rupiah
from tumbuh.growth.asuh import (
    RUPIAH_LIMIT,
    PledgeKind,
    RecipientKind,
    allocate,
    over_balance,
    pledge_months,
)
from tumbuh.growth.periods import Period
from tumbuh.i18n import Language
from tumbuh.usecases.access import Scope, UserInfo
from tumbuh.usecases.asuh import actor_ids, audit_created, known_sponsors, manages
from tumbuh.usecases.asuh_input import FieldError, NewDisbursement, NewPayment
from tumbuh.usecases.transactions import writing

__all__ = [
    "AllocationRow",
    "Balance",
    "DisbursementRow",
    "DisbursementView",
    "KelurahanLine",
    "MoneyLine",
    "PaymentRow",
    "Statement",
    "StatementLine",
    "SummaryBy",
    "add_disbursement",
    "add_payment",
    "balance",
    "baznas_statement",
    "disbursement_list",
    "money_summary",
    "monthly_totals",
    "payment_list",
    "record_disbursements",
    "record_payments",
]

PAYMENT, DISBURSEMENT = "asuh_payment", "asuh_disbursement"


# --- payments -------------------------------------------------------------------------


def _check_payments(connection: Connection, payments: Sequence[NewPayment]) -> None:
    known_sponsors(connection, {p.sponsor_id for p in payments})
    pledges = {p.id: p.sponsor_id for p in pledge_rows(connection)}
    seen: set[str] = set()
    taken = references_taken(connection, [p.reference for p in payments])
    for new in payments:
        if new.amount_rupiah <= 0:
            raise FieldError(
                "{field}: {value} is not accepted; write an amount from 1 to {limit} rupiah",
                field="amount_rupiah",
                value=new.amount_rupiah,
                limit=format_integer(RUPIAH_LIMIT, Language.ID),
            )
        if new.reference in taken or new.reference in seen:
            raise FieldError(
                "{field}: a payment with the number '{value}' is already recorded; check that "
                "it is not the same payment twice",
                field="reference",
                value=new.reference,
            )
        seen.add(new.reference)
        if new.pledge_id is not None and pledges.get(new.pledge_id) != new.sponsor_id:
            raise FieldError(
                "{field}: the bapak asuh has no pledge number {value}",
                field="pledge_id",
                value=new.pledge_id,
            )


def record_payments(
    connection: Connection, user: UserInfo | Actor, payments: Sequence[NewPayment]
) -> list[int]:
    """Add payments in the caller's transaction (audited); their ids in order. Refused:
    an unknown sponsor or pledge, an amount not above 0, a receipt number recorded
    before."""
    _check_payments(connection, payments)
    now, by = datetime.now(UTC), actor_ids(user)
    rows = [{**asdict(p), "created_at": now, "created_by": by} for p in payments]
    ids = insert_payments(connection, rows)
    audit_created(connection, user, PAYMENT, ids, [asdict(p) for p in payments])
    return ids


def add_payment(
    connection: Connection, scope: Scope, user: UserInfo | Actor, new: NewPayment
) -> int:
    """Record a payment and commit; its id."""
    manages(scope)
    with writing(connection):
        return record_payments(connection, user, [new])[0]


def payment_list(
    connection: Connection,
    scope: Scope,
    *,
    sponsor_id: int | None = None,
    month: Period | None = None,
) -> list[PaymentRow]:
    """Payments (of a sponsor, of a month), oldest first."""
    manages(scope)
    start, end = (month.start, month.end) if month is not None else (None, None)
    return payment_rows(connection, sponsor_id=sponsor_id, start=start, end=end)


# --- disbursements --------------------------------------------------------------------


def _kitchen_name(
    connection: Connection, new: NewDisbursement, places: dict[str, str]
) -> str | None:
    """The name of the kitchen the money goes to: as written, else that of the kitchen
    named by number (which must exist and cook in the kelurahan that proposed)."""
    if new.kitchen_id is not None:
        kitchen = _check_kitchen(connection, new, places)
        return new.kitchen_name or kitchen.name
    if new.recipient_kind is RecipientKind.KITCHEN and not new.kitchen_name:
        raise FieldError("{field}: name the kitchen the money goes to", field="kitchen_name")
    return new.kitchen_name


def _check_kitchen(
    connection: Connection, new: NewDisbursement, places: dict[str, str]
) -> KitchenRow:
    """The kitchen named by number, which exists and cooks in the kelurahan that proposed."""
    kitchen = None if new.kitchen_id is None else kitchen_row(connection, new.kitchen_id)
    if kitchen is None:
        raise FieldError(
            "{field}: there is no kitchen number {value}; leave it empty or give the number "
            "of a recorded kitchen",
            field="kitchen_id",
            value=new.kitchen_id,
        )
    if kitchen.kelurahan_code != new.kelurahan_code:
        raise FieldError(
            "{field}: kitchen number {value} cooks in kelurahan {other}, not in {kelurahan} "
            "that proposed the money; choose a kitchen of {kelurahan} or leave it empty",
            field="kitchen_id",
            value=new.kitchen_id,
            other=kitchen.kelurahan_name,
            kelurahan=places[new.kelurahan_code],
        )
    return kitchen


def _record_one(
    connection: Connection,
    user: UserInfo | Actor,
    new: NewDisbursement,
    places: dict[str, str],
) -> int:
    if new.kelurahan_code not in places:
        raise FieldError(
            "{field}: '{value}' is not a kelurahan of this city; choose one of the list",
            field="kelurahan_code",
            value=new.kelurahan_code,
        )
    if new.sponsor_id is not None:
        known_sponsors(connection, {new.sponsor_id})
    kitchen_name = _kitchen_name(connection, new, places)
    unspent = unspent_payments(connection, received_by=new.paid_on, sponsor_id=new.sponsor_id)
    available = sum(u.amount for u in unspent)
    if new.amount_rupiah <= 0:
        raise FieldError(
            "{field}: {value} is not accepted; write an amount from 1 to {limit} rupiah",
            field="amount_rupiah",
            value=new.amount_rupiah,
            limit=format_integer(RUPIAH_LIMIT, Language.ID),
        )
    if over_balance(new.amount_rupiah, available):
        raise FieldError(
            "{field}: the disbursement of {amount} on {day} is more than the balance of "
            "{balance}, the money Baznas received by that day and has not disbursed. "
            "Nothing was saved; record the payments received first, or disburse less",
            field="amount_rupiah",
            amount=format_rupiah(new.amount_rupiah, Language.ID),
            day=new.paid_on.strftime("%d/%m/%Y"),
            balance=format_rupiah(available, Language.ID),
        )
    drawn = allocate(new.amount_rupiah, unspent)
    values = {k: v for k, v in asdict(new).items() if k != "sponsor_id"}
    values["kitchen_name"] = kitchen_name
    now = datetime.now(UTC)
    disbursement_id = insert_disbursement(
        connection, {**values, "created_at": now, "created_by": actor_ids(user)}
    )
    insert_allocations(
        connection,
        [
            {"disbursement_id": disbursement_id, "payment_id": payment, "amount_rupiah": amount}
            for payment, amount in drawn
        ],
    )
    after = {**values, "drawn_on": [{"payment_id": p, "amount_rupiah": a} for p, a in drawn]}
    write_audit(
        connection,
        user,
        AuditAction.CREATE,
        DISBURSEMENT,
        disbursement_id,
        before=None,
        after=after,
    )
    return disbursement_id


def record_disbursements(
    connection: Connection,
    user: UserInfo | Actor,
    disbursements: Sequence[NewDisbursement],
    *,
    city_code: str,
) -> list[int]:
    """Add disbursements in the caller's write transaction, one after the other under the
    ledger lock (audited, each with the payments it was drawn on); their ids. Refused
    (nothing of the transaction is kept when the caller rolls back): a kelurahan not of
    the city ``city_code``, an unknown sponsor, an amount above the balance of its day."""
    lock_ledger(connection)
    places = kelurahan_names(connection, city_code)
    return [_record_one(connection, user, new, places) for new in disbursements]


def add_disbursement(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    new: NewDisbursement,
    *,
    city_code: str,
) -> int:
    """Record a disbursement and commit; its id (see :func:`record_disbursements`)."""
    manages(scope)
    with writing(connection):
        return record_disbursements(connection, user, [new], city_code=city_code)[0]


@dataclass(frozen=True)
class DisbursementView:
    """A disbursement and whose money it was: (sponsor name, rupiah) per sponsor."""

    disbursement: DisbursementRow
    sponsors: list[tuple[str, int]]


def disbursement_list(
    connection: Connection, scope: Scope, *, month: Period | None = None
) -> list[DisbursementView]:
    """Disbursements (of a month), oldest first, each with the sponsors it drew on."""
    manages(scope)
    start, end = (month.start, month.end) if month is not None else (None, None)
    rows = disbursement_rows(connection, start=start, end=end)
    names = {s.id: s.name for s in sponsor_rows(connection)}
    shares: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in allocation_rows(connection, disbursement_ids=[r.id for r in rows]):
        shares[a.disbursement_id][names[a.sponsor_id]] += a.amount_rupiah
    return [DisbursementView(r, sorted(shares[r.id].items())) for r in rows]


# --- balances and summaries -----------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """Money received, disbursed and left (rupiah) up to a day."""

    received: int
    disbursed: int

    @property
    def left(self) -> int:
        """Received and not yet disbursed."""
        return self.received - self.disbursed


def balance(connection: Connection, scope: Scope, on: date) -> Balance:
    """What Baznas received and disbursed up to ``on``."""
    manages(scope)
    received = sum(p.amount_rupiah for p in payment_rows(connection) if p.received_on <= on)
    spent = sum(d.amount_rupiah for d in disbursement_rows(connection) if d.paid_on <= on)
    return Balance(received, spent)


class SummaryBy(StrEnum):
    """How the money summary is broken down."""

    SPONSOR = "sponsor"
    INSTITUTION = "institution"  # the OPD or institution
    KELURAHAN = "kelurahan"
    MONTH = "month"


@dataclass(frozen=True)
class MoneyLine:
    """Pledged, received and disbursed rupiah of one sponsor, OPD, kelurahan or month;
    pledged and received are None per kelurahan (money is pooled at Baznas)."""

    key: str
    label: str
    pledged: int | None
    received: int | None
    disbursed: int


def _add(totals: dict[str, list[int]], key: str, column: int, amount: int) -> None:
    totals.setdefault(key, [0, 0, 0])[column] += amount


def _by_sponsor(connection: Connection, group: dict[int, str]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {}
    for pledge in pledge_rows(connection):
        if pledge.kind is PledgeKind.MONEY and pledge.monthly_amount_rupiah is not None:
            _add(totals, group[pledge.sponsor_id], 0, pledge.monthly_amount_rupiah * pledge.months)
    for payment in payment_rows(connection):
        _add(totals, group[payment.sponsor_id], 1, payment.amount_rupiah)
    for share in allocation_rows(connection):
        _add(totals, group[share.sponsor_id], 2, share.amount_rupiah)
    return totals


def monthly_totals(connection: Connection) -> dict[str, list[int]]:
    """Per month ``YYYY-MM``: [money pledged falling due, received, disbursed] (rupiah);
    reads no personal data (the public page uses it)."""
    totals: dict[str, list[int]] = {}
    for pledge in pledge_rows(connection):
        if pledge.kind is PledgeKind.MONEY and pledge.monthly_amount_rupiah is not None:
            for first in pledge_months(pledge.start_month, pledge.months):
                _add(totals, f"{first:%Y-%m}", 0, pledge.monthly_amount_rupiah)
    for payment in payment_rows(connection):
        _add(totals, f"{payment.received_on:%Y-%m}", 1, payment.amount_rupiah)
    for paid in disbursement_rows(connection):
        _add(totals, f"{paid.paid_on:%Y-%m}", 2, paid.amount_rupiah)
    return totals


def money_summary(
    connection: Connection, scope: Scope, by: SummaryBy, *, city_code: str
) -> list[MoneyLine]:
    """Pledged (money pledges: a month's amount times the months, or what falls due in
    the month), received and disbursed per sponsor, OPD, kelurahan or month, by label
    (months in order)."""
    manages(scope)
    if by is SummaryBy.KELURAHAN:
        names = kelurahan_names(connection, city_code)
        spent: dict[str, int] = defaultdict(int)
        for paid in disbursement_rows(connection):
            spent[paid.kelurahan_code] += paid.amount_rupiah
        return [
            MoneyLine(code, names.get(code, code), None, None, spent[code])
            for code in sorted(spent)
        ]
    if by is SummaryBy.MONTH:
        totals = monthly_totals(connection)
        return [MoneyLine(k, k, *totals[k]) for k in sorted(totals)]
    sponsors = sponsor_rows(connection)
    if by is SummaryBy.SPONSOR:
        labels = {str(s.id): s.name for s in sponsors}
        totals = _by_sponsor(connection, {s.id: str(s.id) for s in sponsors})
    else:
        labels = {s.institution or "": s.institution or "" for s in sponsors}
        totals = _by_sponsor(connection, {s.id: s.institution or "" for s in sponsors})
    lines = [MoneyLine(key, labels[key], *totals.get(key, [0, 0, 0])) for key in labels]
    return sorted(lines, key=lambda line: (line.label == "", line.label.lower()))


# --- the month's Baznas statement -----------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """One sponsor's money in a month: balance before, received, disbursed, balance after."""

    sponsor_id: int
    sponsor_name: str
    institution: str | None
    opening: int
    received: int
    disbursed: int

    @property
    def closing(self) -> int:
        """The balance at the end of the month."""
        return self.opening + self.received - self.disbursed


@dataclass(frozen=True)
class KelurahanLine:
    """What one kelurahan received in a month, and up to the month's end."""

    kelurahan_code: str
    kelurahan_name: str
    disbursements: int
    disbursed: int
    disbursed_to_date: int


@dataclass(frozen=True)
class Statement:
    """The month's statement: per sponsor, per kelurahan, and the month's entries."""

    month: Period
    sponsors: list[StatementLine]
    kelurahan: list[KelurahanLine]
    payments: list[PaymentRow]
    disbursements: list[DisbursementRow]

    def total(self, column: str) -> int:
        """The sum of a sponsor column (``opening``, ``received``, ``disbursed``,
        ``closing``)."""
        return sum(int(getattr(line, column)) for line in self.sponsors)


def _sponsor_lines(
    month: Period,
    payments: Iterable[PaymentRow],
    shares: Iterable[AllocationRow],
    names: dict[int, tuple[str, str | None]],
) -> list[StatementLine]:
    before: dict[int, int] = defaultdict(int)
    received: dict[int, int] = defaultdict(int)
    spent: dict[int, int] = defaultdict(int)
    for p in payments:
        if p.received_on < month.start:
            before[p.sponsor_id] += p.amount_rupiah
        elif p.received_on < month.end:
            received[p.sponsor_id] += p.amount_rupiah
    for a in shares:
        if a.paid_on < month.start:
            before[a.sponsor_id] -= a.amount_rupiah
        elif a.paid_on < month.end:
            spent[a.sponsor_id] += a.amount_rupiah
    ids = {i for i in (*before, *received, *spent) if before[i] or received[i] or spent[i]}
    lines = [
        StatementLine(i, names[i][0], names[i][1], before[i], received[i], spent[i]) for i in ids
    ]
    return sorted(lines, key=lambda line: (line.sponsor_name.lower(), line.sponsor_id))


def baznas_statement(
    connection: Connection, scope: Scope, month: Period, *, city_code: str
) -> Statement:
    """Money in, out and the balance per sponsor, and the money out per kelurahan, of
    ``month``, with the month's payments and disbursements."""
    manages(scope)
    names = {s.id: (s.name, s.institution) for s in sponsor_rows(connection)}
    payments = payment_rows(connection, end=month.end)
    sponsors = _sponsor_lines(month, payments, allocation_rows(connection), names)
    paid = disbursement_rows(connection, end=month.end)
    places = kelurahan_names(connection, city_code)
    count: dict[str, int] = defaultdict(int)
    in_month: dict[str, int] = defaultdict(int)
    to_date: dict[str, int] = defaultdict(int)
    for d in paid:
        to_date[d.kelurahan_code] += d.amount_rupiah
        if d.paid_on >= month.start:
            count[d.kelurahan_code] += 1
            in_month[d.kelurahan_code] += d.amount_rupiah
    kelurahan = [
        KelurahanLine(code, places.get(code, code), count[code], in_month[code], to_date[code])
        for code in sorted(to_date)
    ]
    return Statement(
        month,
        sponsors,
        kelurahan,
        [p for p in payments if p.received_on >= month.start],
        [d for d in paid if d.paid_on >= month.start],
    )
