"""What the cached figures ask of the records: a cheap fingerprint of them, the weighing
rounds, and the audit rows written since a fingerprint (to recount only their months).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, or_, select

from tumbuh.db.models import Measurement, MeasurementRound, Posyandu, RoundKind, table_of
from tumbuh.db.models_access import AuditEntry

Fingerprint = tuple[int, int, int]  # largest measurement, audit and posyandu ids


@dataclass(frozen=True)
class AuditChange:
    """One audit row: what was done to which entity, with its JSON before and after."""

    action: str  # an AuditAction value
    entity: str
    entity_id: int
    before: str | None
    after: str | None


def records_fingerprint(connection: Connection) -> Fingerprint:
    """The largest measurement, audit and posyandu ids (three index look-ups)."""
    m, a, p = table_of(Measurement), table_of(AuditEntry), table_of(Posyandu)
    row = connection.execute(
        select(
            select(func.coalesce(func.max(m.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(a.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(p.c.id), 0)).scalar_subquery(),
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def rounds_of_kinds(
    connection: Connection, kinds: tuple[RoundKind, ...]
) -> list[tuple[date, RoundKind]]:
    """(month, kind) of every measurement round of ``kinds``, oldest first."""
    table = table_of(MeasurementRound)
    rows = connection.execute(
        select(table.c.month, table.c.kind).where(table.c.kind.in_(kinds)).order_by(table.c.month)
    )
    return [(r.month, RoundKind(r.kind)) for r in rows]


def audit_changes(connection: Connection, after_id: int, up_to_id: int) -> list[AuditChange]:
    """The audit rows with ``after_id`` < id <= ``up_to_id``."""
    table = table_of(AuditEntry)
    rows = connection.execute(
        select(
            table.c.action, table.c.entity, table.c.entity_id, table.c.before, table.c.after
        ).where(table.c.id > after_id, table.c.id <= up_to_id)
    ).all()
    return [AuditChange(str(r.action), r.entity, int(r.entity_id), r.before, r.after) for r in rows]


def latest_measurement_day(connection: Connection, today: date) -> date | None:
    """The date of the latest measurement up to ``today`` (None: no measurements)."""
    m = table_of(Measurement)
    day = connection.execute(
        select(func.max(m.c.measured_on)).where(m.c.measured_on <= today)
    ).scalar_one_or_none()
    if day is None:
        return None
    return day if isinstance(day, date) else date.fromisoformat(str(day))


def latest_measurement_day_at(
    connection: Connection,
    up_to: date,
    posyandu_ids: Collection[int] | None,
    *,
    unplaced: bool = False,
) -> date | None:
    """The date of the latest measurement up to ``up_to`` at one of ``posyandu_ids``
    (None: at any posyandu), or at no posyandu when ``unplaced``; None when there is none."""
    m = table_of(Measurement)
    query = select(func.max(m.c.measured_on)).where(m.c.measured_on <= up_to)
    if posyandu_ids is not None:
        at = m.c.posyandu_id.in_(sorted(posyandu_ids))
        query = query.where(or_(at, m.c.posyandu_id.is_(None)) if unplaced else at)
    day = connection.execute(query).scalar_one_or_none()
    if day is None:
        return None
    return day if isinstance(day, date) else date.fromisoformat(str(day))
