"""What a bapak asuh sees of their own sponsorships, and what everyone may see of the
programme (docs/asuh.md, "The sponsor's view" and "The public page").

* :func:`sponsor_view`, for the sponsor role only: their sponsored children by initials,
  age in completed months, kelurahan and z-scores over time (by month of measurement:
  never a name, NIK, birth date or day of measurement), the deliveries made to them, and
  their money trail (pledged, paid, and where each rupiah of theirs was disbursed).
  Nothing of anyone else: every query is filtered by the sponsor of the scope.
* :func:`transparency`, with no sign-in: aggregates only; sponsors named only with their
  consent; counts of children from 1 to 4 withheld (:func:`tumbuh.growth.asuh.public_count`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from tumbuh.db.asuh import (
    AsuhanRow,
    PledgeRow,
    asuhan_rows,
    delivery_rows,
    family_children,
    kelurahan_names,
    pledge_rows,
    sponsor_row,
    sponsor_rows,
)
from tumbuh.db.asuh_money import allocation_rows, disbursement_rows, payment_rows
from tumbuh.db.registry import measurement_rows
from tumbuh.growth.ages import BALITA_MONTHS
from tumbuh.growth.asuh import AsuhanKind, PledgeKind, RecipientKind, public_count
from tumbuh.growth.categories import shown_category
from tumbuh.privacy import mask_name
from tumbuh.usecases.access import OutOfScope, Role, Scope
from tumbuh.usecases.asuh import age_months
from tumbuh.usecases.asuh_money import monthly_totals

__all__ = [
    "ChildTrend",
    "MoneyUse",
    "PublicKelurahan",
    "PublicMonth",
    "SponsorDelivery",
    "SponsorPayment",
    "SponsorView",
    "SponsoredAsuhan",
    "Transparency",
    "TrendPoint",
    "sponsor_view",
    "transparency",
]


@dataclass(frozen=True)
class TrendPoint:
    """A child's z-scores in one month (the latest measurement of that month)."""

    month: date  # first day of the month
    age_months: int
    haz: float | None
    waz: float | None
    whz: float | None
    haz_category: str | None  # HazCategory value, None when flagged or unknown


@dataclass(frozen=True)
class ChildTrend:
    """A sponsored child as the sponsor sees it."""

    initials: str
    age_months: int
    trend: list[TrendPoint]


@dataclass(frozen=True)
class SponsorDelivery:
    """Help delivered: when, what, by whom."""

    delivered_on: date
    what: str
    delivered_by: str


@dataclass(frozen=True)
class SponsoredAsuhan:
    """One of the sponsor's asuhan: a child, or a family with its balita."""

    id: int
    kind: AsuhanKind
    family: bool
    kelurahan_name: str | None
    start_on: date
    end_on: date | None
    children: list[ChildTrend]
    deliveries: list[SponsorDelivery]


@dataclass(frozen=True)
class SponsorPayment:
    """A payment of the sponsor, and how much of it has been disbursed."""

    received_on: date
    amount_rupiah: int
    reference: str
    disbursed_rupiah: int


@dataclass(frozen=True)
class MoneyUse:
    """Rupiah of the sponsor's money in one disbursement: when, where, to what."""

    paid_on: date
    kelurahan_name: str
    recipient_kind: RecipientKind
    kitchen_name: str | None
    amount_rupiah: int


@dataclass(frozen=True)
class SponsorView:
    """Everything the sponsor's page shows."""

    sponsor_name: str
    asuhan: list[SponsoredAsuhan]
    pledges: list[PledgeRow]
    payments: list[SponsorPayment]
    uses: list[MoneyUse]

    @property
    def pledged(self) -> int:
        """Money pledged in all (a month's amount times the months)."""
        return sum(
            (p.monthly_amount_rupiah or 0) * p.months
            for p in self.pledges
            if p.kind is PledgeKind.MONEY
        )

    @property
    def paid(self) -> int:
        """Money paid to Baznas."""
        return sum(p.amount_rupiah for p in self.payments)

    @property
    def disbursed(self) -> int:
        """Of it, disbursed to the kelurahan."""
        return sum(u.amount_rupiah for u in self.uses)


def _trend(connection: Connection, child_id: int, born: date) -> list[TrendPoint]:
    by_month: dict[date, TrendPoint] = {}
    for r in measurement_rows(connection, child_id):
        first = date(r.measured_on.year, r.measured_on.month, 1)
        by_month[first] = TrendPoint(  # oldest first: the month's latest wins
            first,
            age_months(born, r.measured_on),
            None if r.haz_flag else r.haz,
            None if r.waz_flag else r.waz,
            None if r.whz_flag else r.whz,
            shown_category(r.haz_category, bool(r.haz_flag)),
        )
    return [by_month[m] for m in sorted(by_month)]


def _children(
    connection: Connection, rows: list[AsuhanRow], today: date
) -> dict[int, list[ChildTrend]]:
    found: dict[int, list[ChildTrend]] = defaultdict(list)
    for row in rows:
        if row.child_name is not None and row.birth_date is not None and row.child_id:
            trend = _trend(connection, row.child_id, row.birth_date)
            child = ChildTrend(mask_name(row.child_name), age_months(row.birth_date, today), trend)
            found[row.id].append(child)
    families = {r.family_id: r.id for r in rows if r.family_id is not None}
    for member in family_children(connection, list(families)):
        months = age_months(member.birth_date, today)
        if months < BALITA_MONTHS:
            trend = _trend(connection, member.child_id, member.birth_date)
            child = ChildTrend(mask_name(member.name), months, trend)
            found[families[member.family_id]].append(child)
    return found


def sponsor_view(connection: Connection, scope: Scope, today: date) -> SponsorView:
    """The signed-in sponsor's own asuhan, deliveries and money; OutOfScope for any other
    role (or a sponsor account without its record)."""
    if scope.role is not Role.SPONSOR or scope.sponsor_id is None:
        raise OutOfScope
    sponsor = sponsor_row(connection, scope.sponsor_id)
    if sponsor is None:
        raise OutOfScope
    rows = asuhan_rows(connection, sponsor_id=sponsor.id)
    children = _children(connection, rows, today)
    delivered: dict[int, list[SponsorDelivery]] = defaultdict(list)
    for d in delivery_rows(connection, [r.id for r in rows]):
        delivered[d.asuhan_id].append(SponsorDelivery(d.delivered_on, d.what, d.delivered_by))
    asuhan = [
        SponsoredAsuhan(
            r.id,
            r.kind,
            r.family_id is not None,
            r.kelurahan_name,
            r.start_on,
            r.end_on,
            children[r.id],
            delivered[r.id],
        )
        for r in rows
    ]
    payments = [
        SponsorPayment(p.received_on, p.amount_rupiah, p.reference, p.disbursed_rupiah)
        for p in payment_rows(connection, sponsor_id=sponsor.id)
    ]
    return SponsorView(
        sponsor.name,
        asuhan,
        pledge_rows(connection, [sponsor.id]),
        payments,
        _uses(connection, sponsor.id),
    )


def _uses(connection: Connection, sponsor_id: int) -> list[MoneyUse]:
    shares = allocation_rows(connection, sponsor_id=sponsor_id)
    paid = {d.id: d for d in disbursement_rows(connection, ids={a.disbursement_id for a in shares})}
    totals: dict[int, int] = defaultdict(int)
    for share in shares:
        totals[share.disbursement_id] += share.amount_rupiah
    return [
        MoneyUse(
            paid[i].paid_on,
            paid[i].kelurahan_name,
            paid[i].recipient_kind,
            paid[i].kitchen_name,
            amount,
        )
        for i, amount in totals.items()
    ]


@dataclass(frozen=True)
class PublicMonth:
    """Money pledged (falling due), received and disbursed in a month, rupiah."""

    month: date
    pledged: int
    received: int
    disbursed: int


@dataclass(frozen=True)
class PublicKelurahan:
    """Money disbursed to a kelurahan, and how many children it has with an asuhan
    (None: from 1 to 4, withheld)."""

    code: str
    name: str
    disbursed: int
    children: int | None


@dataclass(frozen=True)
class Transparency:
    """The programme's public figures, as of a day."""

    as_of: date
    sponsors: int
    named: list[str]  # those who agreed to be named
    pledged: int
    received: int
    disbursed: int
    children: int | None  # children with an asuhan begun by ``as_of`` (None: 1 to 4)
    families: int | None
    months: list[PublicMonth]
    kelurahan: list[PublicKelurahan]


def transparency(connection: Connection, today: date, *, city_code: str) -> Transparency:
    """The public page's figures: aggregates only, with no sign-in."""
    sponsors = sponsor_rows(connection)
    totals = monthly_totals(connection)
    months = [PublicMonth(date(int(k[:4]), int(k[5:]), 1), *totals[k]) for k in sorted(totals)]
    begun = [a for a in asuhan_rows(connection) if a.start_on <= today]
    children: dict[str, set[int]] = defaultdict(set)
    for a in begun:
        if a.child_id is not None and a.kelurahan_code is not None:
            children[a.kelurahan_code].add(a.child_id)
    spent: dict[str, int] = defaultdict(int)
    for d in disbursement_rows(connection):
        spent[d.kelurahan_code] += d.amount_rupiah
    names = kelurahan_names(connection, city_code)
    kelurahan = [
        PublicKelurahan(code, names.get(code, code), spent[code], public_count(len(children[code])))
        for code in sorted(set(spent) | set(children))
    ]
    return Transparency(
        as_of=today,
        sponsors=len(sponsors),
        named=[s.name for s in sponsors if s.listed_publicly],
        pledged=sum(m.pledged for m in months),
        received=sum(m.received for m in months),
        disbursed=sum(m.disbursed for m in months),
        children=public_count(len({a.child_id for a in begun if a.child_id is not None})),
        families=public_count(len({a.family_id for a in begun if a.family_id is not None})),
        months=months,
        kelurahan=kelurahan,
    )
