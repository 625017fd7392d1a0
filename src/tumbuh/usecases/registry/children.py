"""Finding children inside the user's scope: one child and its measurements, a
posyandu's children a page at a time, the children due at a posyandu session, and the
search by name or whole NIK.

A list that grows with the registry is never sent whole: the posyandu's children come
:data:`PAGE_SIZE` at a time in a total order (name, then id), and a search lists the
first :data:`SEARCH_LIMIT` with the total. The session page lists every child due that
month (0-59 months at one posyandu), the kader's checklist for the day.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from tumbuh.db.children import children_at, count_children_at, first_measured_on, nik_holder
from tumbuh.db.registry import child_row, measurement_rows, measurements_between, search_rows
from tumbuh.growth.ages import BALITA_MONTHS
from tumbuh.growth.categories import shown_category
from tumbuh.growth.enums import Position
from tumbuh.growth.weight_gain import WeightTrend
from tumbuh.usecases.access import OutOfScope, Scope
from tumbuh.usecases.registry.records import (
    ChildRecord,
    MeasurementValues,
    MeasurementView,
    SameNik,
    child_record,
)

PAGE_SIZE = 50  # children of a posyandu listed on one page
SEARCH_LIMIT = 50  # children listed per search; the total is given beside them
ZSCORES = ("haz", "waz", "whz", "baz", "acz")


def find_child(connection: Connection, scope: Scope, child_id: int) -> ChildRecord:
    """The child if it lies in the scope and the role may see children; else OutOfScope."""
    if not scope.may_see_children:
        raise OutOfScope
    row = child_row(connection, child_id)
    if row is None:
        raise OutOfScope
    child = child_record(row)
    if not scope.covers_posyandu(child.posyandu_id, child.kelurahan_code):
        raise OutOfScope
    return child


def history(connection: Connection, child_id: int) -> list[MeasurementView]:
    """The measurements of a child found in the scope (:func:`find_child`), oldest first,
    with derived values."""
    return [
        MeasurementView(
            id=int(r.id),
            values=MeasurementValues(
                r.measured_on,
                r.weight_kg,
                r.height_cm,
                Position(r.position) if r.position else None,
                r.muac_cm,
                bool(r.oedema),
                WeightTrend(r.kader_weight_trend) if r.kader_weight_trend else None,
            ),
            age_days=r.age_days,
            height_used_cm=r.height_used_cm,
            bmi=r.bmi,
            zscores={n: getattr(r, n) for n in ZSCORES},
            flags={n: bool(getattr(r, f"{n}_flag")) for n in ZSCORES},
            haz_category=shown_category(r.haz_category, bool(r.haz_flag)),
            waz_category=shown_category(r.waz_category, bool(r.waz_flag)),
            whz_category=shown_category(r.whz_category, bool(r.whz_flag)),
            weight_trend=r.weight_trend,
            weight_trend_clause=r.weight_trend_clause,
            kader_weight_trend=r.kader_weight_trend,
            source=r.source,
            version=int(r.version),
            pmt_received_kg=r.pmt_received_kg,
        )
        for r in measurement_rows(connection, child_id)
    ]


def stored_measurement(
    connection: Connection, child: ChildRecord, measurement_id: int
) -> MeasurementView:
    """A measurement of a child already found in the scope; OutOfScope if it has none such."""
    for view in history(connection, child.id):
        if view.id == measurement_id:
            return view
    raise OutOfScope


def find_measurement(
    connection: Connection, scope: Scope, child: ChildRecord, measurement_id: int
) -> MeasurementView:
    """A measurement of a child the user can see (else OutOfScope)."""
    if not scope.covers_posyandu(child.posyandu_id, child.kelurahan_code):
        raise OutOfScope
    return stored_measurement(connection, child, measurement_id)


def first_measurement_day(connection: Connection, child: ChildRecord) -> date | None:
    """The day a child found in the scope was first measured (None: never)."""
    return first_measured_on(connection, child.id)


def nik_holder_seen(
    connection: Connection, scope: Scope, nik: str | None, *, except_child: int | None = None
) -> SameNik | None:
    """The child other than ``except_child`` that has ``nik``, as far as the user may know
    it; None when no other child has it (or ``nik`` is None)."""
    holder = nik_holder(connection, nik, except_child=except_child) if nik else None
    if holder is None:
        return None
    if scope.may_see_children and scope.covers_posyandu(holder.posyandu_id, holder.kelurahan_code):
        return SameNik(holder.child_id, holder.name)
    return SameNik(None, None)


@dataclass(frozen=True)
class ChildPage:
    """One page of a posyandu's children (``page`` from 1 to ``pages``) and their total."""

    children: list[ChildRecord]
    total: int
    page: int
    pages: int
    page_size: int


def posyandu_children_page(
    connection: Connection,
    scope: Scope,
    posyandu_id: int,
    kelurahan_code: str,
    page: int,
    page_size: int = PAGE_SIZE,
) -> ChildPage:
    """Page ``page`` of the children of a posyandu in the scope, by name then id (a page
    past the last shows the last one); OutOfScope outside the scope."""
    if not scope.may_see_children or not scope.covers_posyandu(posyandu_id, kelurahan_code):
        raise OutOfScope
    total = count_children_at(connection, posyandu_id)
    pages = max(1, -(-total // page_size))
    shown = min(max(page, 1), pages)
    rows = children_at(connection, posyandu_id, limit=page_size, offset=(shown - 1) * page_size)
    return ChildPage([child_record(r) for r in rows], total, shown, pages, page_size)


@dataclass(frozen=True)
class DueChild:
    """A child due at the posyandu session, with this month's measurement if taken."""

    child: ChildRecord
    age_months: int
    measured_on: date | None
    weight_kg: float | None
    height_cm: float | None


def children_due(
    connection: Connection, scope: Scope, posyandu_id: int, month: date
) -> list[DueChild]:
    """Children of the posyandu aged 0-59 completed months in ``month``, by name."""
    if not scope.may_see_children:
        raise OutOfScope
    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    taken: dict[int, tuple[date, float | None, float | None]] = {}
    for row in measurements_between(connection, posyandu_id, month, end):
        taken[int(row.child_id)] = (row.measured_on, row.weight_kg, row.height_cm)
    due = []
    for row in children_at(connection, posyandu_id):
        child = child_record(row)
        if not scope.covers_posyandu(child.posyandu_id, child.kelurahan_code):
            continue
        months = (month.year - child.birth_date.year) * 12 + month.month - child.birth_date.month
        if child.birth_date >= end or months >= BALITA_MONTHS:
            continue
        measured = taken.get(child.id)
        due.append(
            DueChild(
                child,
                max(months, 0),
                measured[0] if measured else None,
                measured[1] if measured else None,
                measured[2] if measured else None,
            )
        )
    return due


@dataclass(frozen=True)
class ChildQuery:
    """What a search looks for: a whole NIK, or a part of a name (lower case); or, when
    the query was refused, ``problem`` (an English message template)."""

    nik: str | None = None
    needle: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class SearchResult:
    """The first :data:`SEARCH_LIMIT` children found (by name, then birth date), and how
    many were found in all; ``problem`` (English template) when the query was refused."""

    children: list[ChildRecord]
    total: int
    problem: str | None = None


def search_children(
    connection: Connection, scope: Scope, posyandu_in_scope: Sequence[int], query: ChildQuery
) -> SearchResult:
    """Children in the scope (``posyandu_in_scope``: the posyandu ids the scope covers,
    ignored for the whole city) with the NIK or whose name or mother's name contains the
    needle of ``query``; OutOfScope when the role may not see children."""
    if not scope.may_see_children:
        raise OutOfScope
    if query.problem is not None:
        return SearchResult([], 0, query.problem)
    total, rows = search_rows(
        connection,
        nik=query.nik,
        needle=query.needle,
        posyandu_ids=None if scope.whole_city else list(posyandu_in_scope),
        limit=SEARCH_LIMIT,
    )
    return SearchResult([child_record(r) for r in rows], total)
