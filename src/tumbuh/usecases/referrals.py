"""The lists of a month (refer, counsel, re-measure) for a user: children (for roles that
may see them) or counts only (analyst, partner), always inside the user's scope.

:func:`tumbuh.db.surveillance.referrals.referral_list` judges the children
(docs/surveillance.md, "Referral list"); roles that may not see children get
:func:`~tumbuh.db.surveillance.referrals.referral_tallies`, which reads no name, NIK or
birth date at all. Either way the result is cut here, once, to the posyandu of the area
inside the scope and counted per area one level down.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db.surveillance.referrals import (
    Referral,
    ReferralTally,
    referral_list,
    referral_rules,
    referral_tallies,
)
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


def _tally(referrals: list[Referral]) -> list[ReferralTally]:
    children: Counter[str | None] = Counter(r.posyandu_code for r in referrals)
    reasons: dict[str | None, Counter[ReferralReason]] = {}
    for r in referrals:
        reasons.setdefault(r.posyandu_code, Counter()).update(r.reasons)
    return [
        ReferralTally(code, n, {reason: reasons[code][reason] for reason in ReferralReason})
        for code, n in children.items()
    ]


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
        listed = memo(
            ("referral_list", month, area, rules, kind),
            lambda: referral_list(connection, month, area=area, rules=rules, kind=kind),
        )
        referrals = [r for r in listed if inside(r.posyandu_code)]
        tallies = _tally(referrals)
    else:
        found = memo(
            ("referral_tallies", month, area, rules, kind),
            lambda: referral_tallies(connection, month, area=area, rules=rules, kind=kind),
        )
        tallies = [t for t in found if inside(t.posyandu_code)]
    below = sub_areas(places, area, scope)
    grouped: dict[str | None, list[ReferralTally]] = {}
    for tally in tallies:
        sub = below.get(tally.posyandu_code or "")
        if sub is not None or tally.posyandu_code is None:
            grouped.setdefault(sub.code if sub else None, []).append(tally)
    rows = [_count(sub, grouped.get(sub.code, [])) for sub in places.children(area, scope)]
    if None in grouped:
        rows.append(_count(None, grouped[None]))
    return ReferralView(kind, month, area, _count(area, tallies), rows, referrals)
