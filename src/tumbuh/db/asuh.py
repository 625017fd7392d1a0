"""Bapak Asuh rows: sponsors, pledges, asuhan with their children or families, deliveries,
and the children with an open stunting case that a proposal list is made from
(docs/asuh.md). The money is :mod:`tumbuh.db.asuh_money`'s.

A child lies where its posyandu lies (that posyandu's kelurahan), a family where its
family card says. Functions take explicit filters and know nothing of roles; many rows
are inserted in one statement (``insert_*``), so a generator can write a city's worth in
one transaction.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, insert, or_, select, update

from tumbuh.db.bulk import chunks
from tumbuh.db.models import (
    Child,
    Family,
    MeasurementDerived,
    Posyandu,
    Region,
    RegionLevel,
    table_of,
)
from tumbuh.db.models_asuh import Asuhan, Delivery, Pledge, Sponsor
from tumbuh.db.models_cases import NutritionCase
from tumbuh.growth.asuh import AsuhanKind, Channel, PledgeKind, SponsorKind
from tumbuh.growth.cases import CaseStatus, Problem
from tumbuh.growth.enums import Sex


def region_name() -> ColumnElement[str]:
    """A region's name as users write it (the local spelling when there is one)."""
    r = table_of(Region)
    return func.coalesce(r.c.local_name, r.c.name)


def insert_rows(
    connection: Connection, model: type[Any], rows: Sequence[Mapping[str, object]]
) -> list[int]:
    """Add ``rows`` to the table of ``model`` in one statement; their ids in order."""
    if not rows:
        return []
    table = table_of(model)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(r[0]) for r in connection.execute(statement, [dict(r) for r in rows])]


def kelurahan_names(connection: Connection, city_code: str) -> dict[str, str]:
    """Every kelurahan of the city: code -> name, by code."""
    r = table_of(Region)
    query = (
        select(r.c.code, region_name())
        .where(r.c.level == RegionLevel.KELURAHAN.value, r.c.code.startswith(f"{city_code}."))
        .order_by(r.c.code)
    )
    return {str(code): str(name) for code, name in connection.execute(query)}


# --- sponsors and pledges -------------------------------------------------------------


@dataclass(frozen=True)
class SponsorRow:
    """A sponsor as stored."""

    id: int
    kind: SponsorKind
    name: str
    institution: str | None
    contact: str | None
    listed_publicly: bool


def _sponsor(r: Any) -> SponsorRow:
    return SponsorRow(
        int(r.id), SponsorKind(r.kind), r.name, r.institution, r.contact, bool(r.listed_publicly)
    )


def sponsor_rows(connection: Connection, ids: Collection[int] | None = None) -> list[SponsorRow]:
    """Sponsors (only ``ids`` when given), by name then id."""
    s = table_of(Sponsor)
    query = select(s).order_by(func.lower(s.c.name), s.c.id)
    if ids is not None:
        query = query.where(s.c.id.in_(sorted(ids)))
    return [_sponsor(r) for r in connection.execute(query)]


def sponsor_row(connection: Connection, sponsor_id: int) -> SponsorRow | None:
    """One sponsor, or None."""
    found = sponsor_rows(connection, [sponsor_id])
    return found[0] if found else None


def update_sponsor(connection: Connection, sponsor_id: int, values: Mapping[str, object]) -> None:
    """Change a sponsor's columns."""
    s = table_of(Sponsor)
    connection.execute(update(s).where(s.c.id == sponsor_id).values(**values))


@dataclass(frozen=True)
class PledgeRow:
    """A pledge as stored."""

    id: int
    sponsor_id: int
    kind: PledgeKind
    monthly_amount_rupiah: int | None
    in_kind: str | None
    months: int
    start_month: date
    channel: Channel
    note: str | None


def pledge_rows(
    connection: Connection, sponsor_ids: Collection[int] | None = None
) -> list[PledgeRow]:
    """Pledges (of ``sponsor_ids`` when given), oldest start first."""
    p = table_of(Pledge)
    query = select(p).order_by(p.c.start_month, p.c.id)
    if sponsor_ids is not None:
        query = query.where(p.c.sponsor_id.in_(sorted(sponsor_ids)))
    return [
        PledgeRow(
            int(r.id),
            int(r.sponsor_id),
            PledgeKind(r.kind),
            None if r.monthly_amount_rupiah is None else int(r.monthly_amount_rupiah),
            r.in_kind,
            int(r.months),
            r.start_month,
            Channel(r.channel),
            r.note,
        )
        for r in connection.execute(query)
    ]


# --- asuhan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AsuhanRow:
    """An asuhan with its sponsor and its child (or family) and place."""

    id: int
    sponsor_id: int
    sponsor_name: str
    kind: AsuhanKind
    child_id: int | None
    family_id: int | None
    case_id: int | None
    start_on: date
    end_on: date | None
    note: str | None
    child_name: str | None  # None for a family
    sex: Sex | None
    birth_date: date | None
    kelurahan_code: str | None
    kelurahan_name: str | None


def _asuhan_query() -> Select[Any]:
    a, s, c, p, f = (
        table_of(Asuhan),
        table_of(Sponsor),
        table_of(Child),
        table_of(Posyandu),
        table_of(Family),
    )
    r = table_of(Region)
    kelurahan = func.coalesce(p.c.kelurahan_code, f.c.kelurahan_code)
    return (
        select(
            a,
            s.c.name.label("sponsor_name"),
            c.c.name.label("child_name"),
            c.c.sex,
            c.c.birth_date,
            kelurahan.label("kelurahan_code"),
            region_name().label("kelurahan_name"),
        )
        .join(s, s.c.id == a.c.sponsor_id)
        .outerjoin(c, c.c.id == a.c.child_id)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(f, f.c.id == a.c.family_id)
        .outerjoin(r, r.c.code == kelurahan)
    )


def _asuhan(r: Any) -> AsuhanRow:
    return AsuhanRow(
        id=int(r.id),
        sponsor_id=int(r.sponsor_id),
        sponsor_name=r.sponsor_name,
        kind=AsuhanKind(r.kind),
        child_id=r.child_id,
        family_id=r.family_id,
        case_id=r.case_id,
        start_on=r.start_on,
        end_on=r.end_on,
        note=r.note,
        child_name=r.child_name,
        sex=Sex(r.sex) if r.sex else None,
        birth_date=r.birth_date,
        kelurahan_code=r.kelurahan_code,
        kelurahan_name=r.kelurahan_name,
    )


def active_on(day: date) -> ColumnElement[bool]:
    """The asuhan running on ``day``."""
    a = table_of(Asuhan)
    return and_(a.c.start_on <= day, or_(a.c.end_on.is_(None), a.c.end_on >= day))


def asuhan_rows(
    connection: Connection,
    *,
    sponsor_id: int | None = None,
    ids: Collection[int] | None = None,
    running_on: date | None = None,
) -> list[AsuhanRow]:
    """Asuhan (of a sponsor, with ``ids``, running on a day, as given), newest start
    first, then by id."""
    a = table_of(Asuhan)
    query = _asuhan_query().order_by(a.c.start_on.desc(), a.c.id)
    if sponsor_id is not None:
        query = query.where(a.c.sponsor_id == sponsor_id)
    if ids is not None:
        query = query.where(a.c.id.in_(sorted(ids)))
    if running_on is not None:
        query = query.where(active_on(running_on))
    return [_asuhan(r) for r in connection.execute(query)]


def update_asuhan(connection: Connection, asuhan_id: int, values: Mapping[str, object]) -> None:
    """Change an asuhan's columns."""
    a = table_of(Asuhan)
    connection.execute(update(a).where(a.c.id == asuhan_id).values(**values))


def sponsored_children(connection: Connection, day: date) -> set[int]:
    """The children with an asuhan running on ``day``."""
    a = table_of(Asuhan)
    query = select(a.c.child_id).where(a.c.child_id.is_not(None), active_on(day))
    return {int(r[0]) for r in connection.execute(query)}


@dataclass(frozen=True)
class FamilyChild:
    """A child of a sponsored family."""

    family_id: int
    child_id: int
    name: str
    birth_date: date


def family_children(connection: Connection, family_ids: Collection[int]) -> list[FamilyChild]:
    """The children of these families, oldest first."""
    c = table_of(Child)
    found: list[FamilyChild] = []
    for chunk in chunks(sorted(set(family_ids))):
        query = (
            select(c.c.family_id, c.c.id, c.c.name, c.c.birth_date)
            .where(c.c.family_id.in_(chunk))
            .order_by(c.c.birth_date, c.c.id)
        )
        found += [FamilyChild(int(r[0]), int(r[1]), r[2], r[3]) for r in connection.execute(query)]
    return found


def child_place(connection: Connection, child_id: int) -> str | None:
    """The kelurahan of a child's posyandu (None: no such child, or no posyandu)."""
    c, p = table_of(Child), table_of(Posyandu)
    query = select(p.c.kelurahan_code).join(c, c.c.posyandu_id == p.c.id).where(c.c.id == child_id)
    found = connection.execute(query).scalar_one_or_none()
    return None if found is None else str(found)


def family_exists(connection: Connection, family_id: int) -> bool:
    """True when a family has this id."""
    f = table_of(Family)
    return connection.execute(select(f.c.id).where(f.c.id == family_id)).first() is not None


def child_exists(connection: Connection, child_id: int) -> bool:
    """True when a child has this id."""
    c = table_of(Child)
    return connection.execute(select(c.c.id).where(c.c.id == child_id)).first() is not None


# --- proposals ------------------------------------------------------------------------


@dataclass(frozen=True)
class StuntedChild:
    """A child with an open stunting case, where it lies and the HAZ it was opened on."""

    case_id: int
    child_id: int
    child_name: str
    birth_date: date
    kelurahan_code: str
    kelurahan_name: str
    posyandu_name: str
    haz: float | None
    opened_on: date


def stunted_children(connection: Connection, *, without_asuhan_on: date) -> list[StuntedChild]:
    """The children with an open stunting case and a posyandu, and no asuhan running on
    ``without_asuhan_on``; one row per child (its newest open case)."""
    k, c, p, d = (
        table_of(NutritionCase),
        table_of(Child),
        table_of(Posyandu),
        table_of(MeasurementDerived),
    )
    r, a = table_of(Region), table_of(Asuhan)
    running = (
        select(a.c.id).where(a.c.child_id == k.c.child_id, active_on(without_asuhan_on)).exists()
    )
    query = (
        select(
            k.c.id,
            k.c.child_id,
            c.c.name,
            c.c.birth_date,
            p.c.kelurahan_code,
            region_name(),
            p.c.name.label("posyandu_name"),
            d.c.haz,
            k.c.opened_on,
        )
        .join(c, c.c.id == k.c.child_id)
        .join(p, p.c.id == c.c.posyandu_id)
        .join(r, r.c.code == p.c.kelurahan_code)
        .outerjoin(d, d.c.measurement_id == k.c.measurement_id)
        .where(
            k.c.problem == Problem.STUNTING.value,
            k.c.status != CaseStatus.SELESAI.value,
            ~running,
        )
        .order_by(k.c.child_id, k.c.id.desc())
    )
    found: dict[int, StuntedChild] = {}
    for row in connection.execute(query):
        child = int(row[1])
        if child not in found:
            found[child] = StuntedChild(
                int(row[0]),
                child,
                row[2],
                row[3],
                str(row[4]),
                str(row[5]),
                str(row[6]),
                None if row[7] is None else float(row[7]),
                row[8],
            )
    return list(found.values())


def open_stunting_case(connection: Connection, child_id: int) -> int | None:
    """The child's open stunting case, if any (the newest)."""
    k = table_of(NutritionCase)
    query = select(func.max(k.c.id)).where(
        k.c.child_id == child_id,
        k.c.problem == Problem.STUNTING.value,
        k.c.status != CaseStatus.SELESAI.value,
    )
    found = connection.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


# --- deliveries -----------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryRow:
    """A delivery under an asuhan."""

    id: int
    asuhan_id: int
    delivered_on: date
    what: str
    delivered_by: str
    note: str | None
    created_at: datetime


def delivery_rows(
    connection: Connection, asuhan_ids: Collection[int] | None = None, *, limit: int | None = None
) -> list[DeliveryRow]:
    """Deliveries (under ``asuhan_ids`` when given), newest first."""
    t = table_of(Delivery)
    query = select(t).order_by(t.c.delivered_on.desc(), t.c.id.desc())
    if asuhan_ids is not None:
        query = query.where(t.c.asuhan_id.in_(sorted(asuhan_ids)))
    if limit is not None:
        query = query.limit(limit)
    return [
        DeliveryRow(
            int(r.id),
            int(r.asuhan_id),
            r.delivered_on,
            r.what,
            r.delivered_by,
            r.note,
            r.created_at,
        )
        for r in connection.execute(query)
    ]
