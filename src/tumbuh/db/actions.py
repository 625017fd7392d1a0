"""Actions (RTL items and commitments) as rows: added, changed, read with the responsible
institution's name (docs/tpps.md, "Actions").

Queries take explicit filters (kind, institution, ids) and know nothing of roles: the use
cases decide who sees and changes what.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, func, insert, select, update

from tumbuh.db.models import Region, table_of
from tumbuh.db.models_tpps import ActionItem, Institution
from tumbuh.db.rows import lock_row
from tumbuh.growth.tpps import ActionKind, ActionStatus


@dataclass(frozen=True)
class ActionRow:
    """An action with the names of its institution and kelurahan."""

    id: int
    kind: ActionKind
    action: str
    institution_id: int
    institution_name: str
    institution_region_code: str | None  # a camat's or lurah's office: its area
    institution_region_name: str | None
    kelurahan_code: str | None
    kelurahan_name: str | None
    agreed_on: date
    starts_on: date | None
    due_on: date | None
    budget_rupiah: int | None
    budget_source: str | None
    status: ActionStatus
    delivered: str | None
    done_on: date | None
    evaluation: str | None
    evaluated_on: date | None
    created_by: int | None
    created_at: datetime
    updated_at: datetime


def _query() -> Select[Any]:
    a, i, r = table_of(ActionItem), table_of(Institution), table_of(Region)
    office = r.alias("office_region")
    return (
        select(
            a,
            i.c.name.label("institution_name"),
            i.c.region_code.label("institution_region_code"),
            func.coalesce(office.c.local_name, office.c.name).label("institution_region_name"),
            func.coalesce(r.c.local_name, r.c.name).label("kelurahan_name"),
        )
        .join(i, i.c.id == a.c.institution_id)
        .outerjoin(r, r.c.code == a.c.kelurahan_code)
        .outerjoin(office, office.c.code == i.c.region_code)
    )


def _row(r: Any) -> ActionRow:
    return ActionRow(
        id=int(r.id),
        kind=ActionKind(r.kind),
        action=r.action,
        institution_id=int(r.institution_id),
        institution_name=r.institution_name,
        institution_region_code=r.institution_region_code,
        institution_region_name=r.institution_region_name,
        kelurahan_code=r.kelurahan_code,
        kelurahan_name=r.kelurahan_name,
        agreed_on=r.agreed_on,
        starts_on=r.starts_on,
        due_on=r.due_on,
        budget_rupiah=None if r.budget_rupiah is None else int(r.budget_rupiah),
        budget_source=r.budget_source,
        status=ActionStatus(r.status),
        delivered=r.delivered,
        done_on=r.done_on,
        evaluation=r.evaluation,
        evaluated_on=r.evaluated_on,
        created_by=r.created_by,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def insert_action(connection: Connection, values: Mapping[str, object]) -> int:
    """Add an action (``values``: the columns of ``action_item`` but ``id``); its id."""
    table = table_of(ActionItem)
    return int(
        connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    )


def update_action(connection: Connection, action_id: int, values: Mapping[str, object]) -> None:
    """Change the given columns of an action."""
    table = table_of(ActionItem)
    connection.execute(update(table).where(table.c.id == action_id).values(**values))


def action_rows(
    connection: Connection,
    *,
    kind: ActionKind | None = None,
    institution_id: int | None = None,
    ids: Iterable[int] | None = None,
) -> list[ActionRow]:
    """Actions matching every filter given, by due date (none last), then id."""
    a = table_of(ActionItem)
    query = _query()
    if kind is not None:
        query = query.where(a.c.kind == kind)
    if institution_id is not None:
        query = query.where(a.c.institution_id == institution_id)
    if ids is not None:
        query = query.where(a.c.id.in_(sorted(set(ids))))
    query = query.order_by(a.c.due_on.is_(None), a.c.due_on, a.c.id)
    return [_row(r) for r in connection.execute(query)]


def action_row(connection: Connection, action_id: int, *, lock: bool = False) -> ActionRow | None:
    """One action (locked for the caller's write when ``lock``), or None."""
    if lock:
        lock_row(connection, ActionItem, action_id)
    row = connection.execute(_query().where(table_of(ActionItem).c.id == action_id)).first()
    return None if row is None else _row(row)
