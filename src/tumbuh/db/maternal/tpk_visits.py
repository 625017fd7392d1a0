"""TPK visits to a family as rows: the day, who came, what was advised or given (a set of
:class:`~tumbuh.db.models_maternal.TpkAction`, stored one row each in
``tpk_visit_action``) and a note. A family's area is its ``kelurahan_code``; its KRS
criteria stay on ``family``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update

from tumbuh.db.maternal.refusals import insert_row
from tumbuh.db.models import Family, table_of
from tumbuh.db.models_maternal import TpkAction, TpkVisit, TpkVisitAction


@dataclass(frozen=True)
class TpkVisitData:
    """What a visit recorded. Who came: ``tpk_member`` (a team member's name as the team
    writes it) or ``user_id`` (a Tumbuh user), at least one of the two."""

    visited_on: date
    actions: frozenset[TpkAction]
    tpk_member: str | None = None
    user_id: int | None = None
    note: str | None = None  # free text; says what "other" was


@dataclass(frozen=True)
class TpkVisitRow:
    """A stored visit of a family."""

    id: int
    family_id: int
    visit: TpkVisitData


def _columns(visit: TpkVisitData) -> dict[str, object]:
    return {
        "visited_on": visit.visited_on,
        "tpk_member": visit.tpk_member,
        "user_id": visit.user_id,
        "note": visit.note,
    }


def _store_actions(connection: Connection, visit_id: int, actions: frozenset[TpkAction]) -> None:
    a = table_of(TpkVisitAction)
    connection.execute(delete(a).where(a.c.visit_id == visit_id))
    if actions:
        rows = [{"visit_id": visit_id, "action": action} for action in sorted(actions)]
        connection.execute(insert(a), rows)


def add_tpk_visit(
    connection: Connection, family_id: int, visit: TpkVisitData, *, now: datetime
) -> int:
    """Add a visit of the family with its actions; the visit's id."""
    values = _columns(visit) | {"family_id": family_id, "created_at": now, "updated_at": now}
    visit_id = insert_row(connection, TpkVisit, values)
    _store_actions(connection, visit_id, visit.actions)
    return visit_id


def update_tpk_visit(
    connection: Connection, visit_id: int, visit: TpkVisitData, *, now: datetime
) -> None:
    """Replace a visit's fields and actions."""
    v = table_of(TpkVisit)
    values = _columns(visit) | {"updated_at": now}
    connection.execute(update(v).where(v.c.id == visit_id).values(**values))
    _store_actions(connection, visit_id, visit.actions)


def delete_tpk_visit(connection: Connection, visit_id: int) -> None:
    """Remove a visit (its actions go with it)."""
    v = table_of(TpkVisit)
    connection.execute(delete(v).where(v.c.id == visit_id))


def tpk_visit_rows(
    connection: Connection,
    *,
    kelurahan: frozenset[str] | None = None,
    family_ids: Iterable[int] | None = None,
    visited: tuple[date, date] | None = None,
) -> list[TpkVisitRow]:
    """Visits of families in ``kelurahan`` (None: the city), among ``family_ids``, between
    the two days of ``visited`` (inclusive); by day, then id."""
    v, f = table_of(TpkVisit), table_of(Family)
    query = select(v)
    if kelurahan is not None:
        query = query.join(f, f.c.id == v.c.family_id).where(
            f.c.kelurahan_code.in_(sorted(kelurahan))
        )
    if family_ids is not None:
        query = query.where(v.c.family_id.in_(sorted(set(family_ids))))
    if visited is not None:
        query = query.where(v.c.visited_on.between(*visited))
    found = list(connection.execute(query.order_by(v.c.visited_on, v.c.id)))
    actions = _actions(connection, query.with_only_columns(v.c.id))
    return [
        TpkVisitRow(
            int(r.id),
            int(r.family_id),
            TpkVisitData(
                r.visited_on, frozenset(actions[int(r.id)]), r.tpk_member, r.user_id, r.note
            ),
        )
        for r in found
    ]


def _actions(connection: Connection, visit_ids: Select[Any]) -> dict[int, set[TpkAction]]:
    """The actions of the visits ``visit_ids`` selects (a subquery, not a list of ids:
    a city's visits are more than a statement's parameters may be)."""
    a = table_of(TpkVisitAction)
    by_visit: dict[int, set[TpkAction]] = defaultdict(set)
    for r in connection.execute(select(a).where(a.c.visit_id.in_(visit_ids.scalar_subquery()))):
        by_visit[int(r.visit_id)].add(TpkAction(r.action))
    return by_visit


def tpk_visit_row(connection: Connection, visit_id: int) -> TpkVisitRow | None:
    """One visit with its actions, or None."""
    v = table_of(TpkVisit)
    found = connection.execute(select(v.c.family_id).where(v.c.id == visit_id)).scalar()
    if found is None:
        return None
    rows = tpk_visit_rows(connection, family_ids=[int(found)])
    return next(row for row in rows if row.id == visit_id)


@dataclass(frozen=True)
class VisitCount:
    """How often a family was visited, and the last day."""

    visits: int
    last_visited_on: date


def visit_counts(
    connection: Connection, *, kelurahan: frozenset[str] | None
) -> dict[int, VisitCount]:
    """Per family of ``kelurahan`` (None: the city) with a visit: the visits and the last day."""
    v, f = table_of(TpkVisit), table_of(Family)
    query = select(v.c.family_id, func.count(), func.max(v.c.visited_on)).group_by(v.c.family_id)
    if kelurahan is not None:
        query = query.join(f, f.c.id == v.c.family_id).where(
            f.c.kelurahan_code.in_(sorted(kelurahan))
        )
    return {int(r[0]): VisitCount(int(r[1]), r[2]) for r in connection.execute(query)}
