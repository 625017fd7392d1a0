"""The lists of children to act on (referral, counselling, re-measure) as users read,
download and print them: filtered by reason and area, most severe first, a page at a time.

Each list is the month's :func:`~tumbuh.usecases.referrals.referral_view` of one kind,
inside the user's scope; here it is filtered by reason, put in the order of
:func:`tumbuh.growth.child_lists.list_key` and paged, never cut, so every child of the
user's area can be reached. The month defaults to the latest month with a measurement in
the area the user looks at (not the city's latest: one entry dated today at one posyandu
must not make every other list empty), and a month without any measurement there says
so instead of counting "0 children" (docs/surveillance.md, "Lists of children").

The download (:func:`child_list_export`) holds every child of the list with the current
filters; the name becomes initials, the NIK keeps its kota digits only and the birth date
is left out unless the user asks and may see them (:mod:`tumbuh.privacy`).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection

from tumbuh.db.surveillance.records import latest_measurement_day_at
from tumbuh.growth.child_lists import list_key
from tumbuh.growth.periods import Period, month_period
from tumbuh.growth.referrals import ListKind, ReferralReason, ReferralRules
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.usecases.access import NotAllowed, Scope
from tumbuh.usecases.areas import Area, AreaKind
from tumbuh.usecases.memo import Memo
from tumbuh.usecases.places import Places, counts_unplaced
from tumbuh.usecases.referrals import Referral, ReferralView, referral_view

__all__ = [
    "PAGE_SIZE",
    "ChildList",
    "ListExport",
    "ListKind",
    "ListQuery",
    "ListRow",
    "NotAllowed",
    "child_list",
    "child_list_export",
    "latest_month_in",
]

PAGE_SIZE = 50  # children on one page of a list


@dataclass(frozen=True)
class ListQuery:
    """What the user asked for: the list, the month (None: the latest with measurements in
    the area), a reason (None: all of the list's reasons) and the page (from 1)."""

    kind: ListKind
    month: Period | None = None
    reason: ReferralReason | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class ChildList:
    """One page of a list. ``month`` is None when the area has no measurement at all;
    ``measured`` is False for a month without any measurement in the area ("belum ada
    data"), and then ``view`` is None. ``children`` is None for roles that see counts only."""

    kind: ListKind
    area: Area
    month: Period | None
    measured: bool
    view: ReferralView | None
    reason: ReferralReason | None
    children: list[Referral] | None  # this page, most severe first
    total: int  # children of the list with the reason asked for (0 with counts only)
    page: int  # from 1, never past the last page
    pages: int  # at least 1
    page_size: int

    @property
    def first(self) -> int:
        """The number of the page's first child on the whole list (from 1)."""
        return (self.page - 1) * self.page_size + 1


def _posyandu_filter(places: Places, area: Area, scope: Scope) -> tuple[list[int] | None, bool]:
    """(posyandu ids of ``area`` in ``scope``, None for the whole city; whether
    measurements at no posyandu count)."""
    unplaced = counts_unplaced(area, scope)
    if area.kind is AreaKind.KOTA and scope.whole_city:
        return None, unplaced
    return places.posyandu_ids(area, scope), unplaced


def latest_month_in(
    connection: Connection,
    places: Places,
    area: Area,
    scope: Scope,
    today: date,
    memo: Memo | None = None,
) -> Period | None:
    """The month of the latest measurement up to ``today`` in the part of ``area`` inside
    ``scope`` (None: none there); kept by ``memo`` until the records change."""
    day = _latest_day(connection, places, area, scope, today, memo)
    return None if day is None else month_period(day.year, day.month)


def _latest_day(
    connection: Connection,
    places: Places,
    area: Area,
    scope: Scope,
    up_to: date,
    memo: Memo | None,
) -> date | None:
    """The latest measurement day up to ``up_to`` in the part of ``area`` in ``scope``
    (a max over the posyandu's measurements: tens of milliseconds for a puskesmas area on
    a city's register, so ``memo`` keeps it)."""
    ids, unplaced = _posyandu_filter(places, area, scope)

    def compute() -> date | None:
        return latest_measurement_day_at(connection, up_to, ids, unplaced=unplaced)

    if memo is None:
        return compute()
    key = ("latest_day", up_to, None if ids is None else tuple(sorted(ids)), unplaced)
    return memo(key, compute)


def _measured(
    connection: Connection,
    places: Places,
    area: Area,
    scope: Scope,
    month: Period,
    memo: Memo | None = None,
) -> bool:
    """True when the part of ``area`` inside ``scope`` has a measurement in ``month``."""
    last_day = month.end - timedelta(days=1)
    day = _latest_day(connection, places, area, scope, last_day, memo)
    return day is not None and day >= month.start


def _ordered(referrals: list[Referral], reason: ReferralReason | None) -> list[Referral]:
    chosen = [r for r in referrals if reason is None or reason in r.reasons]
    return sorted(chosen, key=lambda r: list_key(r.reasons, r.age_months, r.name, r.child_id))


def child_list(
    connection: Connection,
    places: Places,
    memo: Memo,
    area: Area,
    scope: Scope,
    rules: ReferralRules,
    query: ListQuery,
    *,
    today: date,
) -> ChildList:
    """Page ``query.page`` of the list ``query.kind`` in ``area`` as far as ``scope``
    reaches (a page past the last shows the last)."""
    month = query.month or latest_month_in(connection, places, area, scope, today, memo)
    empty = ChildList(query.kind, area, month, False, None, query.reason, None, 0, 1, 1, 1)
    if month is None or not _measured(connection, places, area, scope, month, memo):
        return empty
    view = referral_view(connection, places, memo, area, scope, month, rules, query.kind)
    if view.referrals is None:
        return ChildList(query.kind, area, month, True, view, query.reason, None, 0, 1, 1, 1)
    matching = _ordered(view.referrals, query.reason)
    size = query.page_size
    pages = max(1, -(-len(matching) // size))
    page = min(max(query.page, 1), pages)
    shown = matching[(page - 1) * size : page * size]
    return ChildList(
        query.kind, area, month, True, view, query.reason, shown, len(matching), page, pages, size
    )


@dataclass(frozen=True)
class ListRow:
    """A child of a downloaded list; name and NIK masked, birth date None, unless asked."""

    posyandu_code: str | None
    posyandu_name: str | None
    name: str
    nik: str | None
    sex: str  # a Sex value
    birth_date: date | None
    age_months: int
    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    muac_cm: float | None
    weight_trend: str | None  # N, T, ...
    haz: float | None
    waz: float | None
    whz: float | None
    oedema: bool
    reasons: tuple[ReferralReason, ...]


@dataclass(frozen=True)
class ListExport:
    """Every child of a list with the filters asked for, and whether identities are shown."""

    kind: ListKind
    area: Area
    month: Period | None
    measured: bool
    reason: ReferralReason | None
    rows: list[ListRow]
    unmask: bool  # names and birth dates in full (and the NIK, for a role that sees it)


def _row(r: Referral, unmask: bool, nik: bool) -> ListRow:
    return ListRow(
        posyandu_code=r.posyandu_code,
        posyandu_name=r.posyandu_name,
        name=r.name if unmask else mask_name(r.name),
        nik=r.nik if unmask and nik else mask_nik(r.nik),
        sex=r.sex.value,
        birth_date=r.birth_date if unmask else None,
        age_months=r.age_months,
        measured_on=r.measured_on,
        weight_kg=r.weight_kg,
        height_cm=r.height_cm,
        muac_cm=r.muac_cm,
        weight_trend=r.weight_trend.value if r.weight_trend else None,
        haz=r.haz,
        waz=r.waz,
        whz=r.whz,
        oedema=r.oedema,
        reasons=r.reasons,
    )


def child_list_export(  # noqa: PLR0913 - the view's inputs, one per argument
    connection: Connection,
    places: Places,
    memo: Memo,
    area: Area,
    scope: Scope,
    rules: ReferralRules,
    query: ListQuery,
    *,
    today: date,
    unmask: bool = False,
) -> ListExport:
    """Every child of the list ``query.kind`` with ``query``'s filters (all pages), in the
    list's order; :class:`NotAllowed` for a role that sees counts only. Names and birth
    dates are written in full only when ``unmask``, the NIK only for a role that sees it."""
    if not scope.may_see_children:
        raise NotAllowed
    every = ListQuery(query.kind, query.month, query.reason, 1, page_size=2**31 - 1)
    found = child_list(connection, places, memo, area, scope, rules, every, today=today)
    rows = [_row(r, unmask, scope.may_see_nik) for r in found.children or []]
    return ListExport(found.kind, area, found.month, found.measured, found.reason, rows, unmask)
