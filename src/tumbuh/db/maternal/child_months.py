"""A child's month as rows (``child_month``): exclusive breastfeeding, MP-ASI, vitamin A
and the KPSP result, one row per child and month; and the day the child's basic
immunisation was complete (``child.basic_immunisation_completed_on``).

Weight, length and LiLA of that month are ``measurement`` rows (one fact, one home).
A child's area is its posyandu's kelurahan, as everywhere in the registry.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select, update

from tumbuh.db.maternal.refusals import MonthTaken, insert_row
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.db.models_maternal import ChildMonth
from tumbuh.db.versions import versioned_update
from tumbuh.growth.child_months import KpspResult

MONTH_UNIQUE = ("uq_child_month_child_id_month", "child_month.child_id, child_month.month")


@dataclass(frozen=True)
class MonthRecord:
    """What was recorded of a child in one month; None: not recorded (or not asked)."""

    exclusive_breastfeeding: bool | None = None  # ASI eksklusif, under 6 months
    complementary_feeding: bool | None = None  # MP-ASI, 6-23 months
    vitamin_a_given: bool | None = None  # February and August
    kpsp_result: KpspResult | None = None


@dataclass(frozen=True)
class ChildMonthRow:
    """A stored month of a child."""

    id: int
    child_id: int
    month: date  # first day
    record: MonthRecord
    recorded_by: int | None


def _check_month(month: date) -> None:
    if month.day != 1:  # a programmer's error: callers pass the month's first day
        raise ValueError(f"a month is its first day, not day {month.day}")


def save_child_month(
    connection: Connection,
    child_id: int,
    month: date,
    record: MonthRecord,
    *,
    by: int | None,
    now: datetime,
) -> int:
    """Store the child's record of ``month`` (its first day), replacing the one there
    is; the row's id. :class:`MonthTaken` when another save added it meanwhile."""
    _check_month(month)
    m = table_of(ChildMonth)
    values = asdict(record) | {"recorded_by": by, "updated_at": now}
    where = (m.c.child_id == child_id, m.c.month == month)
    found = connection.execute(update(m).where(*where).values(**values).returning(m.c.id))
    existing = found.scalar_one_or_none()
    if existing is not None:
        return int(existing)
    values |= {"child_id": child_id, "month": month, "created_at": now}
    taken = MonthTaken("the child has a record of that month")
    return insert_row(connection, ChildMonth, values, (taken, *MONTH_UNIQUE))


def child_month_rows(
    connection: Connection,
    months: tuple[date, date],
    *,
    kelurahan: frozenset[str] | None = None,
    child_ids: Iterable[int] | None = None,
) -> list[ChildMonthRow]:
    """The records of the months from ``months[0]`` to ``months[1]`` (first days,
    inclusive) of children whose posyandu is in ``kelurahan`` (None: every child) and
    among ``child_ids``; by child, then month."""
    m, c, p = table_of(ChildMonth), table_of(Child), table_of(Posyandu)
    query = select(m).where(m.c.month.between(*months))
    if kelurahan is not None:
        query = (
            query.join(c, c.c.id == m.c.child_id)
            .join(p, p.c.id == c.c.posyandu_id)
            .where(p.c.kelurahan_code.in_(sorted(kelurahan)))
        )
    if child_ids is not None:
        query = query.where(m.c.child_id.in_(sorted(set(child_ids))))
    query = query.order_by(m.c.child_id, m.c.month)
    return [
        ChildMonthRow(
            id=int(r.id),
            child_id=int(r.child_id),
            month=r.month,
            record=MonthRecord(
                r.exclusive_breastfeeding,
                r.complementary_feeding,
                r.vitamin_a_given,
                None if r.kpsp_result is None else KpspResult(r.kpsp_result),
            ),
            recorded_by=r.recorded_by,
        )
        for r in connection.execute(query)
    ]


def set_basic_immunisation(
    connection: Connection, child_id: int, version: int, completed_on: date | None
) -> None:
    """Store the day the child's basic immunisation was complete (None: not known), if
    the child is still at ``version``; else :class:`tumbuh.db.versions.StaleVersion`."""
    values = {"basic_immunisation_completed_on": completed_on}
    versioned_update(connection, table_of(Child), child_id, version, values)


def basic_immunisation(connection: Connection, child_ids: Iterable[int]) -> dict[int, date]:
    """The day basic immunisation was complete, of those of the children who have one."""
    c = table_of(Child)
    day = c.c.basic_immunisation_completed_on
    query = select(c.c.id, day).where(c.c.id.in_(sorted(set(child_ids))), day.is_not(None))
    return {int(r.id): r.basic_immunisation_completed_on for r in connection.execute(query)}
