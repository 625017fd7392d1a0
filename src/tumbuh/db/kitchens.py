"""Kitchens and their funding lines as rows: read, added, changed (docs/kitchens.md).

Queries take explicit filters (the kelurahan codes a use case allows, a kitchen id) and
know nothing of roles. **One kitchen name per kelurahan** is the unique constraint
``uq_kitchen_kelurahan_code_name``; a second one is :class:`KitchenNameTaken`, refused
inside a savepoint so the caller's transaction goes on.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tumbuh.db.models import Region, table_of
from tumbuh.db.models_access import AppUser
from tumbuh.db.models_pmt import Kitchen, KitchenFunding, PmtEpisode
from tumbuh.db.rows import lock_row
from tumbuh.growth.pmt import Funding, KitchenKind, KitchenOperator

NAME_INDEX = "uq_kitchen_kelurahan_code_name"


class KitchenNameTaken(Exception):  # noqa: N818 - a signal to the caller
    """The kelurahan has a kitchen of this name already."""


@dataclass(frozen=True)
class KitchenRow:
    """A kitchen with its kelurahan's name."""

    id: int
    name: str
    kind: KitchenKind
    kelurahan_code: str
    kelurahan_name: str
    operator: KitchenOperator
    contact_name: str | None
    contact_phone: str | None
    capacity: int
    weekdays: int
    active: bool
    note: str | None


@dataclass(frozen=True)
class FundingRow:
    """One funding line of a kitchen."""

    id: int
    kitchen_id: int
    source: Funding
    amount_rp: int
    starts_on: date
    ends_on: date
    note: str | None


def _query() -> Select[Any]:
    k, r = table_of(Kitchen), table_of(Region)
    return select(k, func.coalesce(r.c.local_name, r.c.name).label("kelurahan_name")).join(
        r, r.c.code == k.c.kelurahan_code
    )


def _row(r: Any) -> KitchenRow:
    return KitchenRow(
        id=int(r.id),
        name=r.name,
        kind=KitchenKind(r.kind),
        kelurahan_code=r.kelurahan_code,
        kelurahan_name=r.kelurahan_name,
        operator=KitchenOperator(r.operator),
        contact_name=r.contact_name,
        contact_phone=r.contact_phone,
        capacity=int(r.capacity),
        weekdays=int(r.weekdays),
        active=bool(r.active),
        note=r.note,
    )


def kitchen_rows(
    connection: Connection,
    *,
    kelurahan: frozenset[str] | None = None,
    ids: Iterable[int] | None = None,
) -> list[KitchenRow]:
    """Kitchens in ``kelurahan`` (None: every one) and among ``ids`` (None: all), by
    kelurahan name then kitchen name."""
    k = table_of(Kitchen)
    query = _query()
    if kelurahan is not None:
        query = query.where(k.c.kelurahan_code.in_(sorted(kelurahan)))
    if ids is not None:
        query = query.where(k.c.id.in_(sorted(set(ids))))
    query = query.order_by("kelurahan_name", k.c.name, k.c.id)
    return [_row(r) for r in connection.execute(query)]


def kitchen_row(connection: Connection, kitchen_id: int) -> KitchenRow | None:
    """One kitchen, or None."""
    k = table_of(Kitchen)
    found = connection.execute(_query().where(k.c.id == kitchen_id)).first()
    return None if found is None else _row(found)


def lock_kitchen(connection: Connection, kitchen_id: int) -> None:
    """Take the kitchen's row lock: two saves of one kitchen's log, or two changes of
    it, go one after the other, and the second sees what the first wrote."""
    lock_row(connection, Kitchen, kitchen_id)


def _name_taken(error: IntegrityError) -> bool:
    text = str(error.orig)
    return NAME_INDEX in text or "kitchen.kelurahan_code, kitchen.name" in text


def insert_kitchen(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a kitchen (in a savepoint); :class:`KitchenNameTaken` when its kelurahan has
    one of that name."""
    k = table_of(Kitchen)
    try:
        with connection.begin_nested():
            new_id = connection.execute(insert(k).values(**values).returning(k.c.id)).scalar_one()
    except IntegrityError as error:
        if _name_taken(error):
            raise KitchenNameTaken from None
        raise
    return int(new_id)


def update_kitchen(connection: Connection, kitchen_id: int, values: Mapping[str, object]) -> None:
    """Change a kitchen's columns (in a savepoint); :class:`KitchenNameTaken` as
    :func:`insert_kitchen`."""
    k = table_of(Kitchen)
    try:
        with connection.begin_nested():
            connection.execute(update(k).where(k.c.id == kitchen_id).values(**values))
    except IntegrityError as error:
        if _name_taken(error):
            raise KitchenNameTaken from None
        raise


def _funding(r: Any) -> FundingRow:
    return FundingRow(
        id=int(r.id),
        kitchen_id=int(r.kitchen_id),
        source=Funding(r.source),
        amount_rp=int(r.amount_rp),
        starts_on=r.starts_on,
        ends_on=r.ends_on,
        note=r.note,
    )


def funding_rows(
    connection: Connection,
    kitchen_ids: Iterable[int],
    *,
    overlapping: tuple[date, date] | None = None,
) -> list[FundingRow]:
    """The funding lines of the kitchens, by kitchen, start and id; only those in force
    for part of ``overlapping`` (first day, last day) when given."""
    f = table_of(KitchenFunding)
    query = select(f).where(f.c.kitchen_id.in_(sorted(set(kitchen_ids))))
    if overlapping is not None:
        query = query.where(f.c.starts_on <= overlapping[1], f.c.ends_on >= overlapping[0])
    query = query.order_by(f.c.kitchen_id, f.c.starts_on, f.c.id)
    return [_funding(r) for r in connection.execute(query)]


def funding_row(connection: Connection, funding_id: int) -> FundingRow | None:
    """One funding line, or None."""
    f = table_of(KitchenFunding)
    found = connection.execute(select(f).where(f.c.id == funding_id)).first()
    return None if found is None else _funding(found)


def insert_funding(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a funding line; its id."""
    f = table_of(KitchenFunding)
    return int(connection.execute(insert(f).values(**values).returning(f.c.id)).scalar_one())


def update_funding(connection: Connection, funding_id: int, values: Mapping[str, object]) -> None:
    """Change a funding line's columns."""
    f = table_of(KitchenFunding)
    connection.execute(update(f).where(f.c.id == funding_id).values(**values))


def delete_funding(connection: Connection, funding_id: int) -> None:
    """Remove a funding line."""
    f = table_of(KitchenFunding)
    connection.execute(delete(f).where(f.c.id == funding_id))


def kitchen_users(connection: Connection, kitchen_id: int) -> list[str]:
    """The usernames of the operators of a kitchen, by username."""
    u = table_of(AppUser)
    query = select(u.c.username).where(u.c.kitchen_id == kitchen_id).order_by(u.c.username)
    return [str(name) for name in connection.execute(query).scalars()]


def busiest_kitchen(connection: Connection) -> int | None:
    """The active kitchen with the most open episodes (the lowest id among equals); None
    when there is no active kitchen (the demo's kitchen operator works there)."""
    k, e = table_of(Kitchen), table_of(PmtEpisode)
    open_episodes = func.count(e.c.id)
    query = (
        select(k.c.id)
        .select_from(k.outerjoin(e, (e.c.kitchen_id == k.c.id) & e.c.ended_on.is_(None)))
        .where(k.c.active)
        .group_by(k.c.id)
        .order_by(open_episodes.desc(), k.c.id)
        .limit(1)
    )
    found = connection.execute(query).scalar_one_or_none()
    return None if found is None else int(found)
