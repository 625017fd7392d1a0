"""The lists of a month (refer, counsel, re-measure) for a user: children (for roles that
may see them) or counts only (analyst, partner), always inside the user's scope.

:func:`tumbuh.db.surveillance.referrals.referral_list` judges the children
(docs/surveillance.md, "Referral list"); roles that may not see children get
:func:`~tumbuh.db.surveillance.referrals.referral_marks`, which reads no name, NIK or
birth date at all. Either way the result is cut here, once, to the posyandu of the area
inside the scope and counted per area one level down. On the referral list, a reason
whose problem has a case that was referred already is left out: the child is not
referred again, and the case's follow-up shows instead (docs/cases.md).
"""

from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import Connection

from tumbuh.db.cases import open_case_statuses
from tumbuh.db.surveillance.referrals import (
    Referral,
    ReferralMark,
    ReferralTally,
    referral_list,
    referral_marks,
    referral_rules,
    tallies_of,
)
from tumbuh.growth.cases import still_to_refer
from tumbuh.growth.periods import Period
from tumbuh.growth.referrals import ListKind, ReferralReason, ReferralRules
from tumbuh.usecases.access import Scope
from tumbuh.usecases.areas import Area
from tumbuh.usecases.memo import Memo
from tumbuh.usecases.places import Places, counts_unplaced, posyandu_codes, sub_areas
from tumbuh.usecases.surveillance import latest_month

__all__ = [
    "ListKind",
    "Referral",
    "ReferralCount",
    "ReferralView",
    "latest_month",
    "referral_rules",
    "referral_view",
]


@dataclass(frozen=True)
class ReferralCount:
    """Children to refer in one area (None: measured at no posyandu), by reason."""

    area: Area | None
    children: int
    by_reason: dict[ReferralReason, int]


@dataclass(frozen=True)
class ReferralView:
    """What a list page and its API twin show."""

    kind: ListKind
    month: Period
    area: Area
    total: ReferralCount
    rows: list[ReferralCount]  # per area one level down, in code order
    referrals: list[Referral] | None  # None: the role sees counts only
    followed: int = 0  # children left off the referral list: their case was referred


Listed = TypeVar("Listed", Referral, ReferralMark)


def _listed(
    connection: Connection, kind: ListKind, listed: list[Listed]
) -> tuple[list[Listed], list[str | None]]:
    """On the referral list: ``listed`` without the reasons whose problem has a case
    referred already (its follow-up shows instead, docs/cases.md), and the posyandu codes
    of the children that leaves off. The other lists as they are. Kept by the memo: a case
    step writes an audit row, which refreshes it."""
    if kind is not ListKind.REFER:
        return listed, []
    statuses = open_case_statuses(connection, [r.child_id for r in listed])
    kept: list[Listed] = []
    left_off: list[str | None] = []
    for row in listed:
        reasons = still_to_refer(row.reasons, statuses.get(row.child_id, {}))
        if reasons:
            kept.append(row if reasons == row.reasons else replace(row, reasons=reasons))
        else:
            left_off.append(row.posyandu_code)
    return kept, left_off


def _count(area: Area | None, tallies: list[ReferralTally]) -> ReferralCount:
    return ReferralCount(
        area,
        sum(t.children for t in tallies),
        {r: sum(t.by_reason[r] for t in tallies) for r in ReferralReason},
    )


def referral_view(
    connection: Connection,
    places: Places,
    memo: Memo,
    area: Area,
    scope: Scope,
    month: Period,
    rules: ReferralRules,
    kind: ListKind = ListKind.REFER,
) -> ReferralView:
    """The month's list ``kind`` of ``area`` as far as ``scope`` may see it (the lists,
    which do not depend on the scope, are kept by ``memo``)."""
    allowed = posyandu_codes(places, area, scope)
    unplaced = counts_unplaced(area, scope)

    def inside(code: str | None) -> bool:
        return code in allowed or (code is None and unplaced)

    referrals: list[Referral] | None = None
    if scope.may_see_children:
        listed, left_off = memo(
            ("referral_list", month, area, rules, kind),
            lambda: _listed(
                connection,
                kind,
                referral_list(connection, month, area=area, rules=rules, kind=kind),
            ),
        )
        referrals = [r for r in listed if inside(r.posyandu_code)]
        tallies = tallies_of(referrals)
    else:
        marks, left_off = memo(
            ("referral_marks", month, area, rules, kind),
            lambda: _listed(
                connection,
                kind,
                referral_marks(connection, month, area=area, rules=rules, kind=kind),
            ),
        )
        tallies = tallies_of([m for m in marks if inside(m.posyandu_code)])
    followed = sum(1 for code in left_off if inside(code))
    below = sub_areas(places, area, scope)
    grouped: dict[str | None, list[ReferralTally]] = {}
    for tally in tallies:
        sub = below.get(tally.posyandu_code or "")
        if sub is not None or tally.posyandu_code is None:
            grouped.setdefault(sub.code if sub else None, []).append(tally)
    rows = [_count(sub, grouped.get(sub.code, [])) for sub in places.children(area, scope)]
    if None in grouped:
        rows.append(_count(None, grouped[None]))
    return ReferralView(kind, month, area, _count(area, tallies), rows, referrals, followed)
