"""Work lists, the home pages of the kader and the nutritionist (docs/web.md, "Home
pages"): who to weigh, re-measure, counsel or refer, and which cases wait for a follow-up.

- kader: one posyandu's session of a month: the children due there (0-59 months,
  :func:`~tumbuh.usecases.registry.children.children_due`, the session page's own list),
  each with its age, whether it was weighed, the lists it is on
  (:func:`~tumbuh.usecases.referrals.referral_view`, the same three lists as the list
  pages) and its open cases (:func:`~tumbuh.usecases.cases.case_list`) with the next
  follow-up, due or overdue (:mod:`tumbuh.growth.work_lists`);
- nutritionist: the open cases of her puskesmas area by severity then age, the overdue
  follow-ups, and the cases opened since her last visit; the visit is stored here, in its
  own short write transaction (skipped, not waited for, while the database is busy);
- admin: either list for a posyandu or a puskesmas of her choice;
- analyst and partner see no names: :class:`NotAllowed` (their home is the statistics).

Nothing is judged here: the lists, the cases and the follow-up rules are the existing
use cases' and :mod:`tumbuh.growth`'s; this module only puts them side by side.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import Connection

from tumbuh.db.users import puskesmas_kelurahan, puskesmas_names
from tumbuh.db.work_lists import last_visit, record_visit
from tumbuh.growth.cases import overdue
from tumbuh.growth.child_lists import list_key
from tumbuh.growth.enums import Sex
from tumbuh.growth.periods import Period, month_period
from tumbuh.growth.referrals import ListKind, ReferralReason, ReferralRules
from tumbuh.growth.work_lists import follow_up_due
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.areas import Area
from tumbuh.usecases.cases import PER_PAGE, CasePage, CaseRow, case_list
from tumbuh.usecases.child_lists import latest_month_in
from tumbuh.usecases.memo import Memo
from tumbuh.usecases.places import Places
from tumbuh.usecases.referrals import Referral, referral_view
from tumbuh.usecases.registry.children import children_due
from tumbuh.usecases.transactions import end_read, write_if_free

__all__ = [
    "CaseItem",
    "KaderWorkList",
    "NotAllowed",
    "OutOfScope",
    "PuskesmasWorkList",
    "WorkChild",
    "WorkListChoices",
    "kader_work_list",
    "puskesmas_work_list",
    "work_list_choices",
]


@dataclass(frozen=True)
class CaseItem:
    """An open case of a child, with where its follow-up stands."""

    case: CaseRow
    overdue: bool  # the next follow-up's date has passed
    due: bool  # the next follow-up falls within the coming week, or has passed

    @property
    def answered(self) -> bool:
        """True when the puskesmas recorded its findings (the rujukan balik)."""
        return self.case.examined_on is not None


@dataclass(frozen=True)
class WorkChild:
    """A child of the session: age, whether weighed this month, its lists and cases."""

    child_id: int
    name: str
    sex: Sex
    age_months: int  # completed months in the session's month
    measured_on: date | None  # its measurement of the month (None: not yet weighed)
    remeasure: tuple[ReferralReason, ...] = ()
    counsel: tuple[ReferralReason, ...] = ()
    refer: tuple[ReferralReason, ...] = ()
    cases: tuple[CaseItem, ...] = field(default=())

    @property
    def weighed(self) -> bool:
        """True when the child has a measurement in the session's month."""
        return self.measured_on is not None


@dataclass(frozen=True)
class KaderWorkList:
    """A posyandu's session of one month, section by section."""

    posyandu: Area
    month: Period
    this_month: Period  # the month of today (the page offers it when another is shown)
    children: list[WorkChild]  # every child due, by name
    not_weighed: list[WorkChild]  # by name
    remeasure: list[WorkChild]  # the list's order: most severe first, then the youngest
    counsel: list[WorkChild]
    refer: list[WorkChild]
    with_cases: list[WorkChild]  # children with an open case, the most severe first

    @property
    def weighed(self) -> int:
        """Children due who were weighed in the month."""
        return sum(c.weighed for c in self.children)

    @property
    def follow_ups_due(self) -> int:
        """Open cases whose follow-up falls within the coming week or has passed."""
        return sum(i.due for c in self.with_cases for i in c.cases)

    @property
    def overdue(self) -> int:
        """Open cases whose follow-up date has passed."""
        return sum(i.overdue for c in self.with_cases for i in c.cases)


@dataclass(frozen=True)
class PuskesmasWorkList:
    """A puskesmas area's cases: open ones a page at a time, overdue, and new ones."""

    name: str | None  # the puskesmas (None: the user's own area)
    open_cases: CasePage  # by severity, then the youngest child
    overdue: CasePage  # the first page of the open cases whose follow-up is overdue
    new: CasePage  # the first page of the open cases opened since the last visit
    last_visit: datetime | None  # the visit before this one (None: the first)


@dataclass(frozen=True)
class WorkListChoices:
    """What an administrator may open: every posyandu and every puskesmas (id, name)."""

    posyandu: list[tuple[int, str]]
    puskesmas: list[tuple[int, str]]


def _items(rows: Iterable[CaseRow], today: date) -> dict[int, list[CaseItem]]:
    found: dict[int, list[CaseItem]] = {}
    for row in rows:
        item = CaseItem(row, overdue(row.next_due_on, today), follow_up_due(row.next_due_on, today))
        found.setdefault(row.child_id, []).append(item)
    return found


def _listed(
    connection: Connection,
    places: Places,
    memo: Memo,
    where: tuple[Area, Scope, Period],
    rules: ReferralRules,
) -> dict[ListKind, list[Referral]]:
    area, scope, month = where
    return {
        kind: referral_view(connection, places, memo, area, scope, month, rules, kind).referrals
        or []
        for kind in ListKind
    }


def _session_month(
    connection: Connection, places: Places, area: Area, scope: Scope, today: date
) -> Period:
    """The latest month with a measurement at the posyandu (the lists of children's
    default, :func:`latest_month_in`), else the month of today."""
    found = latest_month_in(connection, places, area, scope, today)
    return found or month_period(today.year, today.month)


def _children(
    due: dict[int, WorkChild], listed: dict[ListKind, list[Referral]]
) -> dict[int, WorkChild]:
    """The children due with the reasons of each list they are on (a child on a list but
    not due at the session, aged out or registered elsewhere, is not the kader's here)."""
    children = dict(due)
    for kind, referrals in listed.items():
        for r in referrals:
            child = children.get(r.child_id)
            if child is None:
                continue
            if kind is ListKind.REMEASURE:
                child = replace(child, remeasure=r.reasons)
            elif kind is ListKind.COUNSEL:
                child = replace(child, counsel=r.reasons)
            else:
                child = replace(child, refer=r.reasons)
            children[r.child_id] = child
    return children


def _key(child: WorkChild, reasons: tuple[ReferralReason, ...]) -> tuple[int, int, str, int]:
    return list_key(reasons, child.age_months, child.name, child.child_id)


def kader_work_list(
    connection: Connection,
    places: Places,
    memo: Memo,
    scope: Scope,
    rules: ReferralRules,
    posyandu_id: int,
    *,
    today: date,
    month: Period | None = None,
) -> KaderWorkList:
    """The session of ``month`` (default: the latest month with a measurement at the
    posyandu, else this month) at a posyandu inside the scope; OutOfScope otherwise."""
    area = places.posyandu_area(posyandu_id)
    if (
        area is None
        or not scope.may_see_children
        or not scope.covers_posyandu(posyandu_id, area.parent_code)
    ):
        raise OutOfScope
    month = month or _session_month(connection, places, area, scope, today)
    due = {
        d.child.id: WorkChild(d.child.id, d.child.name, d.child.sex, d.age_months, d.measured_on)
        for d in children_due(connection, scope, posyandu_id, month.start)
    }
    listed = _listed(connection, places, memo, (area, scope, month), rules)
    children = _children(due, listed)
    open_cases = case_list(connection, scope, today=today, places=places, area=area, per_page=None)
    items = _items(open_cases.cases, today)
    children = {i: replace(c, cases=tuple(items.get(i, ()))) for i, c in children.items()}
    in_order = sorted(children.values(), key=lambda c: (c.name.casefold(), c.child_id))
    by_case = [children[i] for i in items if i in children]  # the register's order
    return KaderWorkList(
        posyandu=area,
        month=month,
        this_month=month_period(today.year, today.month),
        children=in_order,
        not_weighed=[c for c in in_order if not c.weighed],
        remeasure=sorted((c for c in in_order if c.remeasure), key=lambda c: _key(c, c.remeasure)),
        counsel=sorted((c for c in in_order if c.counsel), key=lambda c: _key(c, c.counsel)),
        refer=sorted((c for c in in_order if c.refer), key=lambda c: _key(c, c.refer)),
        with_cases=by_case,
    )


def _previous_visit(connection: Connection, user_id: int, now: datetime) -> datetime | None:
    """The user's last visit before this one, and this one stored (in a short write
    transaction; while the database is busy it is only read, and stored next time)."""
    seen: list[datetime | None] = []

    def work(c: Connection) -> None:
        seen.append(last_visit(c, user_id))
        record_visit(c, user_id, now)

    if write_if_free(connection, work, wait_ms=1000):
        return seen[0]
    found = last_visit(connection, user_id)
    end_read(connection)
    return found


def _puskesmas_scope(connection: Connection, scope: Scope, puskesmas_id: int | None) -> Scope:
    """The nutritionist's own scope; for an administrator, the puskesmas asked for."""
    if scope.role is Role.NUTRITIONIST:
        return scope
    if scope.role is not Role.ADMIN or puskesmas_id is None:
        raise NotAllowed
    codes = puskesmas_kelurahan(connection, puskesmas_id)
    if not codes:
        raise OutOfScope
    return replace(scope, kelurahan=codes, posyandu=None)


def puskesmas_work_list(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    *,
    today: date,
    now: datetime,
    puskesmas_id: int | None = None,
    page: int = 1,
) -> PuskesmasWorkList:
    """The cases of the nutritionist's puskesmas area (an administrator's: of
    ``puskesmas_id``), and the visit stored; NotAllowed for the other roles."""
    area = _puskesmas_scope(connection, scope, puskesmas_id)
    name = None
    if puskesmas_id is not None and scope.role is Role.ADMIN:
        name = dict(puskesmas_names(connection)).get(puskesmas_id)
    previous = _previous_visit(connection, user.id, now)
    return PuskesmasWorkList(
        name=name,
        open_cases=case_list(connection, area, today=today, page=page),
        overdue=case_list(connection, area, today=today, only_overdue=True, per_page=PER_PAGE),
        new=case_list(connection, area, today=today, opened_after=previous, per_page=PER_PAGE),
        last_visit=previous,
    )


def work_list_choices(connection: Connection, places: Places, scope: Scope) -> WorkListChoices:
    """The posyandu and puskesmas an administrator may open a work list of; NotAllowed
    for the other roles (their work list is their own area's)."""
    if scope.role is not Role.ADMIN:
        raise NotAllowed
    posyandu = sorted(((p.id, p.name) for p in places.posyandu.values()), key=lambda p: p[1])
    return WorkListChoices(posyandu, puskesmas_names(connection))
