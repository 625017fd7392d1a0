"""Lists of children, always inside the user's scope: a posyandu's children a page at a
time, the children due at a posyandu session, and the search by name or whole NIK.

A list that grows with the registry is never sent whole: the posyandu's children come
:data:`PAGE_SIZE` at a time in a total order (name, then id), and a search lists the
first :data:`SEARCH_LIMIT` with the total. The session page lists every child due that
month (0-59 months at one posyandu), the kader's checklist for the day.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from tumbuh.db.children import child_query, children_at, count_children_at
from tumbuh.db.models import Child, Measurement, Mother, table_of
from tumbuh.usecases.access import Scope
from tumbuh.web.children import ChildRecord, child_record
from tumbuh.web.deps import NotFound
from tumbuh.web.text_input import without_control_characters

BALITA_MONTHS = 60  # balita: 0-59 completed months
PAGE_SIZE = 50  # children of a posyandu listed on one page


def posyandu_children(connection: Connection, scope: Scope, posyandu_id: int) -> list[ChildRecord]:
    """Every child registered at a posyandu in the scope, by name."""
    if not scope.may_see_children:
        raise NotFound
    children = [child_record(r) for r in children_at(connection, posyandu_id)]
    return [ch for ch in children if scope.covers_posyandu(ch.posyandu_id, ch.kelurahan_code)]


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
    past the last shows the last one); NotFound outside the scope."""
    if not scope.may_see_children or not scope.covers_posyandu(posyandu_id, kelurahan_code):
        raise NotFound
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
    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    m = table_of(Measurement)
    taken: dict[int, tuple[date, float | None, float | None]] = {}
    for row in connection.execute(
        select(m.c.child_id, m.c.measured_on, m.c.weight_kg, m.c.height_cm)
        .where(m.c.posyandu_id == posyandu_id, m.c.measured_on >= month, m.c.measured_on < end)
        .order_by(m.c.measured_on, m.c.id)
    ):
        taken[int(row.child_id)] = (row.measured_on, row.weight_kg, row.height_cm)
    due = []
    for child in posyandu_children(connection, scope, posyandu_id):
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


SEARCH_LIMIT = 50  # children listed per search; the total is given beside them
NAME_QUERY_MIN = 3  # characters of a name to search for
NIK_DIGITS = 16
NIK_INCOMPLETE = "Write all 16 digits of the NIK, or a part of the name."
NAME_TOO_SHORT = "Write at least 3 letters of the name."
SEARCH_PROBLEMS = (NIK_INCOMPLETE, NAME_TOO_SHORT)


@dataclass(frozen=True)
class SearchResult:
    """The first :data:`SEARCH_LIMIT` children found (by name, then birth date), and how
    many were found in all; ``problem`` (English template) when the query was refused."""

    children: list[ChildRecord]
    total: int
    problem: str | None = None


def search_children(
    connection: Connection, scope: Scope, posyandu_in_scope: list[int], query: str
) -> SearchResult:
    """Children in the scope (``posyandu_in_scope``: the posyandu ids the scope covers,
    ignored for the whole city) whose name or mother's name contains ``query``
    (at least 3 characters, any case), or whose NIK is ``query`` (all 16 digits: a
    partial NIK finds nothing, so numbers cannot be guessed digit by digit)."""
    if not scope.may_see_children:
        raise NotFound
    text = " ".join(without_control_characters(query, " ").split())
    digits = text.replace(" ", "").replace(".", "")
    c, mo = table_of(Child), table_of(Mother)
    if digits.isdigit():
        if len(digits) != NIK_DIGITS:
            return SearchResult([], 0, NIK_INCOMPLETE)
        condition = c.c.nik == digits
    elif len(text) < NAME_QUERY_MIN:
        return SearchResult([], 0, NAME_TOO_SHORT)
    else:
        needle = text.casefold()
        condition = func.lower(c.c.name).contains(needle, autoescape=True) | func.lower(
            mo.c.name
        ).contains(needle, autoescape=True)
    base = child_query().where(condition)
    if not scope.whole_city:
        base = base.where(c.c.posyandu_id.in_(posyandu_in_scope))
    total = connection.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = connection.execute(base.order_by(c.c.name, c.c.birth_date, c.c.id).limit(SEARCH_LIMIT))
    return SearchResult([child_record(r) for r in rows], int(total))
