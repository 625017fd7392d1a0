"""Partner institutions as rows: added, changed, read with their region's name
(docs/tpps.md, "Institutions"). Queries know nothing of roles: the use cases decide who
sees and changes what."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, insert, select, update

from tumbuh.db.models import Region, table_of
from tumbuh.db.models_tpps import Institution
from tumbuh.growth.tpps import InstitutionKind


@dataclass(frozen=True)
class InstitutionRow:
    """An institution with its region's name."""

    id: int
    name: str
    short_name: str | None
    kind: InstitutionKind
    region_code: str | None
    region_name: str | None
    active: bool
    created_at: datetime


def _query() -> Select[Any]:
    i, r = table_of(Institution), table_of(Region)
    return select(i, func.coalesce(r.c.local_name, r.c.name).label("region_name")).outerjoin(
        r, r.c.code == i.c.region_code
    )


def _row(r: Any) -> InstitutionRow:
    return InstitutionRow(
        id=int(r.id),
        name=r.name,
        short_name=r.short_name,
        kind=InstitutionKind(r.kind),
        region_code=r.region_code,
        region_name=r.region_name,
        active=bool(r.active),
        created_at=r.created_at,
    )


def insert_institution(connection: Connection, values: Mapping[str, object]) -> int:
    """Add an institution (``values``: its columns but ``id``); its id."""
    table = table_of(Institution)
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_institution(
    connection: Connection, institution_id: int, values: Mapping[str, object]
) -> None:
    """Change the given columns of an institution."""
    table = table_of(Institution)
    connection.execute(update(table).where(table.c.id == institution_id).values(**values))


def institution_rows(
    connection: Connection, *, active_only: bool = False, ids: Iterable[int] | None = None
) -> list[InstitutionRow]:
    """Institutions (the active ones only, or of ``ids``), by name."""
    i = table_of(Institution)
    query = _query()
    if active_only:
        query = query.where(i.c.active.is_(True))
    if ids is not None:
        query = query.where(i.c.id.in_(sorted(set(ids))))
    return [_row(r) for r in connection.execute(query.order_by(i.c.name))]


def institution_choices(connection: Connection) -> list[tuple[int, str]]:
    """The active institutions (id, name), by name: what a form offers."""
    return [(r.id, r.name) for r in institution_rows(connection, active_only=True)]


def institution_row(connection: Connection, institution_id: int) -> InstitutionRow | None:
    """One institution, or None."""
    i = table_of(Institution)
    found = connection.execute(_query().where(i.c.id == institution_id)).first()
    return None if found is None else _row(found)


def institution_named(connection: Connection, name: str) -> int | None:
    """The id of the institution with exactly this name (case aside), or None."""
    i = table_of(Institution)
    found = connection.execute(
        select(i.c.id).where(func.lower(i.c.name) == name.strip().lower())
    ).first()
    return None if found is None else int(found.id)
