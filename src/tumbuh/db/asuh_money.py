"""Bapak Asuh money as rows: payments Baznas received, disbursements it made, the
allocations tying each disbursed rupiah to a payment, and the ledger lock that makes
disbursements one at a time (docs/asuh.md, "Money").

**One disbursement at a time.** The balance is read and the disbursement written in one
transaction that first takes the ledger lock (:func:`lock_ledger`): on PostgreSQL a
transaction-level advisory lock, released at commit or rollback, so a second
disbursement waits and then reads the balance the first one left; on SQLite the write
transaction itself (``BEGIN IMMEDIATE``, :func:`tumbuh.db.engine.begin_write`) already
lets one writer in at a time.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select, text

from tumbuh.db.asuh import insert_rows, region_name
from tumbuh.db.bulk import chunks
from tumbuh.db.models import Region, table_of
from tumbuh.db.models_asuh import Allocation, Disbursement, Payment, Sponsor
from tumbuh.growth.asuh import RecipientKind, Unspent

LEDGER_LOCK_KEY = 0x74756D6275680014  # PostgreSQL advisory lock of the ledger (issue 14)


def lock_ledger(connection: Connection) -> None:
    """Take the ledger lock for the rest of the caller's write transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LEDGER_LOCK_KEY})


# --- payments -------------------------------------------------------------------------


def references_taken(connection: Connection, references: Collection[str]) -> set[str]:
    """Those of ``references`` a stored payment already has."""
    t = table_of(Payment)
    found: set[str] = set()
    for chunk in chunks(sorted(set(references))):
        found |= {
            str(r[0])
            for r in connection.execute(select(t.c.reference).where(t.c.reference.in_(chunk)))
        }
    return found


def insert_payments(connection: Connection, rows: Sequence[Mapping[str, object]]) -> list[int]:
    """Add payments in one statement; their ids in order."""
    return insert_rows(connection, Payment, rows)


@dataclass(frozen=True)
class PaymentRow:
    """A payment with its sponsor and how much of it was disbursed."""

    id: int
    sponsor_id: int
    sponsor_name: str
    institution: str | None
    pledge_id: int | None
    received_on: date
    amount_rupiah: int
    reference: str
    note: str | None
    disbursed_rupiah: int


def _allocated() -> Any:
    a = table_of(Allocation)
    return (
        select(a.c.payment_id, func.sum(a.c.amount_rupiah).label("allocated"))
        .group_by(a.c.payment_id)
        .subquery()
    )


def payment_rows(
    connection: Connection,
    *,
    sponsor_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[PaymentRow]:
    """Payments (of a sponsor, received from ``start`` to before ``end``, as given),
    oldest first."""
    t, s, allocated = table_of(Payment), table_of(Sponsor), _allocated()
    query = (
        select(
            t,
            s.c.name.label("sponsor_name"),
            s.c.institution,
            func.coalesce(allocated.c.allocated, 0).label("disbursed"),
        )
        .join(s, s.c.id == t.c.sponsor_id)
        .outerjoin(allocated, allocated.c.payment_id == t.c.id)
        .order_by(t.c.received_on, t.c.id)
    )
    if sponsor_id is not None:
        query = query.where(t.c.sponsor_id == sponsor_id)
    if start is not None:
        query = query.where(t.c.received_on >= start)
    if end is not None:
        query = query.where(t.c.received_on < end)
    return [
        PaymentRow(
            id=int(r.id),
            sponsor_id=int(r.sponsor_id),
            sponsor_name=r.sponsor_name,
            institution=r.institution,
            pledge_id=r.pledge_id,
            received_on=r.received_on,
            amount_rupiah=int(r.amount_rupiah),
            reference=r.reference,
            note=r.note,
            disbursed_rupiah=int(r.disbursed),
        )
        for r in connection.execute(query)
    ]


def unspent_payments(
    connection: Connection, *, received_by: date, sponsor_id: int | None = None
) -> list[Unspent]:
    """The money of each payment received on or before ``received_by`` (of one sponsor
    when given) not yet disbursed, oldest payment first; fully spent ones left out."""
    t, allocated = table_of(Payment), _allocated()
    left = t.c.amount_rupiah - func.coalesce(allocated.c.allocated, 0)
    query = (
        select(t.c.id, left.label("left"))
        .outerjoin(allocated, allocated.c.payment_id == t.c.id)
        .where(t.c.received_on <= received_by, left > 0)
        .order_by(t.c.received_on, t.c.id)
    )
    if sponsor_id is not None:
        query = query.where(t.c.sponsor_id == sponsor_id)
    return [Unspent(int(r.id), int(r.left)) for r in connection.execute(query)]


# --- disbursements --------------------------------------------------------------------


def insert_disbursement(connection: Connection, values: Mapping[str, object]) -> int:
    """Add one disbursement; its id."""
    return insert_rows(connection, Disbursement, [values])[0]


def insert_allocations(connection: Connection, rows: Sequence[Mapping[str, object]]) -> None:
    """Add allocations (disbursement_id, payment_id, amount_rupiah)."""
    insert_rows(connection, Allocation, rows)


@dataclass(frozen=True)
class DisbursementRow:
    """A disbursement with its kelurahan's name."""

    id: int
    paid_on: date
    kelurahan_code: str
    kelurahan_name: str
    amount_rupiah: int
    proposal_reference: str
    recipient_kind: RecipientKind
    kitchen_id: int | None
    kitchen_name: str | None
    note: str | None


def disbursement_rows(
    connection: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    ids: Collection[int] | None = None,
) -> list[DisbursementRow]:
    """Disbursements (paid from ``start`` to before ``end``, or with ``ids``), oldest
    first."""
    t, r = table_of(Disbursement), table_of(Region)
    query = (
        select(t, region_name().label("kelurahan_name"))
        .join(r, r.c.code == t.c.kelurahan_code)
        .order_by(t.c.paid_on, t.c.id)
    )
    if start is not None:
        query = query.where(t.c.paid_on >= start)
    if end is not None:
        query = query.where(t.c.paid_on < end)
    if ids is not None:
        query = query.where(t.c.id.in_(sorted(ids)))
    return [
        DisbursementRow(
            id=int(x.id),
            paid_on=x.paid_on,
            kelurahan_code=x.kelurahan_code,
            kelurahan_name=x.kelurahan_name,
            amount_rupiah=int(x.amount_rupiah),
            proposal_reference=x.proposal_reference,
            recipient_kind=RecipientKind(x.recipient_kind),
            kitchen_id=x.kitchen_id,
            kitchen_name=x.kitchen_name,
            note=x.note,
        )
        for x in connection.execute(query)
    ]


@dataclass(frozen=True)
class AllocationRow:
    """Rupiah of a payment (of a sponsor) that went into a disbursement."""

    disbursement_id: int
    payment_id: int
    sponsor_id: int
    amount_rupiah: int
    received_on: date
    paid_on: date
    kelurahan_code: str


def allocation_rows(
    connection: Connection,
    *,
    sponsor_id: int | None = None,
    disbursement_ids: Collection[int] | None = None,
) -> list[AllocationRow]:
    """Allocations (of a sponsor's payments, or of some disbursements), in the order of
    the disbursements, then of the payments."""
    a, t, d = table_of(Allocation), table_of(Payment), table_of(Disbursement)
    query = (
        select(
            a.c.disbursement_id,
            a.c.payment_id,
            t.c.sponsor_id,
            a.c.amount_rupiah,
            t.c.received_on,
            d.c.paid_on,
            d.c.kelurahan_code,
        )
        .join(t, t.c.id == a.c.payment_id)
        .join(d, d.c.id == a.c.disbursement_id)
        .order_by(d.c.paid_on, d.c.id, t.c.received_on, t.c.id)
    )
    if sponsor_id is not None:
        query = query.where(t.c.sponsor_id == sponsor_id)
    if disbursement_ids is not None:
        query = query.where(a.c.disbursement_id.in_(sorted(disbursement_ids)))
    return [
        AllocationRow(int(r[0]), int(r[1]), int(r[2]), int(r[3]), r[4], r[5], str(r[6]))
        for r in connection.execute(query)
    ]
