"""Who may be fed PMT lokal in a month, for a user (docs/pmt.md, "Eligibility list").

The month's reasons are those of the three lists of issue 13 (refer, counsel,
re-measure: :func:`tumbuh.db.surveillance.referrals.referral_list` with every reason, T
included), judged by :func:`tumbuh.growth.pmt.eligibility` with the child's age at its
last measurement of the month: 6-59 months with gizi kurang, BB sangat kurang, BB kurang,
T or 2T; never gizi buruk. The list is cut here, once, to the posyandu of the area inside
the user's scope (a kader sees her posyandu's, read-only); children with an open episode
stay on it, marked, so that the list says who is fed already. Children refused by a
rule (age, gizi buruk, no indication) are shown only when asked, for an enrolment that
overrides the rule with a reason.

:func:`judge_children` judges children one by one for an enrolment, on the same data.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.pmt_episodes import (
    CaseLink,
    MeasuredPoint,
    last_point_between,
    open_cases_of,
    open_episodes_of,
)
from tumbuh.db.surveillance.referrals import Referral, referral_list
from tumbuh.growth.ages import completed_months
from tumbuh.growth.enums import Sex
from tumbuh.growth.periods import Period
from tumbuh.growth.pmt import Indication, Refusal, eligibility, rules_for
from tumbuh.growth.pmt_episodes import linked_case
from tumbuh.growth.referrals import ReferralReason, ReferralRules
from tumbuh.usecases.access import NotAllowed, Role, Scope
from tumbuh.usecases.areas import Area, AreaKind
from tumbuh.usecases.child_lists import latest_month_in
from tumbuh.usecases.memo import Memo
from tumbuh.usecases.places import Places, counts_unplaced, posyandu_codes
from tumbuh.usecases.registry import ChildRecord

__all__ = [
    "PAGE_SIZE",
    "EligibilityList",
    "EligibilityQuery",
    "EligibleChild",
    "Judged",
    "NotAllowed",
    "eligibility_list",
    "judge_children",
    "may_enrol",
]

PAGE_SIZE = 50
ENROLLING_ROLES = frozenset({Role.ADMIN, Role.NUTRITIONIST})


def may_enrol(scope: Scope) -> bool:
    """Whether the role enrols and closes episodes: the puskesmas's nutritionist and the
    administrator (a kader reads her posyandu's list and episodes)."""
    return scope.role in ENROLLING_ROLES


@dataclass(frozen=True)
class EligibilityQuery:
    """What the user asked for: the month (None: the latest with data in the area), an
    indication (None: all), whether to show the children a rule refuses, and the page."""

    month: Period | None = None
    indication: Indication | None = None
    show_refused: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class EligibleChild:
    """A child of the month's lists as the eligibility list shows it: the values it was
    judged on, the indication (None: refused, ``refusal`` says by which rule), the days
    the version of the month's year plans, the open case an enrolment would link and
    the open episode (None: not enrolled)."""

    child_id: int
    name: str
    sex: Sex
    posyandu_code: str | None
    posyandu_name: str | None
    kelurahan_code: str | None
    kelurahan_name: str | None
    age_months: int
    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    haz: float | None
    waz: float | None
    whz: float | None
    reasons: tuple[ReferralReason, ...]
    indication: Indication | None
    refusal: Refusal
    planned_days: int | None
    open_case: CaseLink | None
    episode_id: int | None


@dataclass(frozen=True)
class EligibilityList:
    """One page of the month's eligibility list. ``month`` None: the area has no
    measurement; ``measured`` False: none in that month (then no child is listed)."""

    area: Area
    month: Period | None
    measured: bool
    rules_version: str | None  # the version in force in the month's year
    children: list[EligibleChild]  # this page
    total: int  # children listed with the filters (refused ones only when asked)
    eligible: int  # eligible children, enrolled or not (any indication)
    enrolled: int  # of them, with an open episode
    refused: int  # children of the month's lists refused by a rule
    by_indication: dict[Indication, int]  # eligible children per indication
    page: int
    pages: int
    page_size: int
    may_enrol: bool


def _month_list(
    connection: Connection, memo: Memo, area: Area, month: Period, rules: ReferralRules
) -> list[Referral]:
    """Every child of ``area`` with a reason of any list in ``month`` (kept by the memo:
    it does not depend on the user)."""
    return memo(
        ("pmt_month_list", month, area, rules),
        lambda: referral_list(connection, month, area=area, rules=rules, kind=None),
    )


def _mask(reasons: Sequence[ReferralReason]) -> int:
    return sum(reason.bit for reason in reasons)


def _judged(listed: list[Referral]) -> list[tuple[Indication | None, Refusal]]:
    codes, refusals = eligibility(
        [_mask(r.reasons) for r in listed], [r.age_months for r in listed]
    )
    kinds = list(Indication)
    return [
        (kinds[int(code)] if code >= 0 else None, Refusal(int(refusal)))
        for code, refusal in zip(codes.tolist(), refusals.tolist(), strict=True)
    ]


def _in_scope(places: Places, area: Area, scope: Scope, listed: list[Referral]) -> list[Referral]:
    allowed = posyandu_codes(places, area, scope)
    unplaced = counts_unplaced(area, scope)
    return [
        r for r in listed if r.posyandu_code in allowed or (r.posyandu_code is None and unplaced)
    ]


def _measured(
    connection: Connection, places: Places, area: Area, scope: Scope, month: Period, memo: Memo
) -> bool:
    last_day = month.end - timedelta(days=1)
    return latest_month_in(connection, places, area, scope, last_day, memo) == month


def _kelurahan_by_posyandu(places: Places) -> dict[str, Area]:
    return {
        p.code: area
        for p in places.posyandu.values()
        if (area := places.kelurahan.get(p.kelurahan_code)) is not None
    }


def _child(
    r: Referral,
    judged: tuple[Indication | None, Refusal],
    kelurahan_of: dict[str, Area],
    month: Period,
    links: tuple[list[CaseLink], int | None],
) -> EligibleChild:
    indication, refusal = judged
    cases, episode = links
    kelurahan = kelurahan_of.get(r.posyandu_code or "")
    planned = None if indication is None else rules_for(month.year).planned_days[indication]
    chosen = linked_case([c.problem for c in cases], indication) if indication else 0
    return EligibleChild(
        child_id=r.child_id,
        name=r.name,
        sex=r.sex,
        posyandu_code=r.posyandu_code,
        posyandu_name=r.posyandu_name,
        kelurahan_code=None if kelurahan is None else kelurahan.code,
        kelurahan_name=None if kelurahan is None else kelurahan.name,
        age_months=r.age_months,
        measured_on=r.measured_on,
        weight_kg=r.weight_kg,
        height_cm=r.height_cm,
        haz=r.haz,
        waz=r.waz,
        whz=r.whz,
        reasons=r.reasons,
        indication=indication,
        refusal=refusal,
        planned_days=planned,
        open_case=cases[chosen] if cases else None,
        episode_id=episode,
    )


def _order(child: EligibleChild) -> tuple[int, int, int, str, int]:
    """Eligible children first, by indication (gizi kurang first), then the youngest."""
    code = child.indication.code if child.indication else len(Indication)
    return (child.indication is None, code, child.age_months, child.name.casefold(), child.child_id)


def eligibility_list(
    connection: Connection,
    places: Places,
    memo: Memo,
    area: Area,
    scope: Scope,
    rules: ReferralRules,
    query: EligibilityQuery,
    *,
    today: date,
) -> EligibilityList:
    """Page ``query.page`` of the month's eligibility list in ``area`` as far as ``scope``
    reaches; :class:`NotAllowed` for roles that see figures only."""
    if not scope.may_see_children:
        raise NotAllowed
    month = query.month or latest_month_in(connection, places, area, scope, today, memo)
    version = None if month is None else rules_for(month.year).version
    if month is None or not _measured(connection, places, area, scope, month, memo):
        return EligibilityList(
            area, month, False, version, [], 0, 0, 0, 0, {}, 1, 1, query.page_size, False
        )
    listed = _in_scope(places, area, scope, _month_list(connection, memo, area, month, rules))
    ids = [r.child_id for r in listed]
    cases, episodes = open_cases_of(connection, ids), open_episodes_of(connection, ids)
    kelurahan_of = _kelurahan_by_posyandu(places)
    children = [
        _child(
            r, j, kelurahan_of, month, (cases.get(r.child_id, []), _episode(episodes, r.child_id))
        )
        for r, j in zip(listed, _judged(listed), strict=True)
    ]
    eligible = [c for c in children if c.indication is not None]
    shown = [
        c
        for c in children
        if (c.indication is not None or query.show_refused)
        and (query.indication is None or c.indication is query.indication)
    ]
    shown.sort(key=_order)
    size = query.page_size
    pages = max(1, -(-len(shown) // size))
    page = min(max(query.page, 1), pages)
    by_indication = {i: sum(c.indication is i for c in eligible) for i in Indication}
    return EligibilityList(
        area=area,
        month=month,
        measured=True,
        rules_version=version,
        children=shown[(page - 1) * size : page * size],
        total=len(shown),
        eligible=len(eligible),
        enrolled=sum(c.episode_id is not None for c in eligible),
        refused=len(children) - len(eligible),
        by_indication={i: n for i, n in by_indication.items() if n},
        page=page,
        pages=pages,
        page_size=size,
        may_enrol=may_enrol(scope),
    )


def _episode(episodes: dict[int, tuple[int, date]], child_id: int) -> int | None:
    found = episodes.get(child_id)
    return None if found is None else found[0]


@dataclass(frozen=True)
class Judged:
    """One child judged for an enrolment on ``month``'s data: its reasons, its age at its
    last measurement of the month (at the month's last day when it has none), the
    indication or the refusal, and that measurement (the episode's baseline)."""

    child_id: int
    reasons: tuple[ReferralReason, ...]
    age_months: int
    indication: Indication | None
    refusal: Refusal
    baseline: MeasuredPoint | None


def _age(born: date, on: date) -> int:
    days = np.array([born, on], dtype="datetime64[D]")
    return int(completed_months(days[:1], days[1:])[0])


def judge_children(
    connection: Connection, month: Period, children: Sequence[ChildRecord], rules: ReferralRules
) -> dict[int, Judged]:
    """Each child judged as the eligibility list of ``month`` judges it (one list of the
    month per kelurahan of the children)."""
    listed: dict[int, Referral] = {}
    for code in sorted({c.kelurahan_code for c in children if c.kelurahan_code}):
        area = Area(code, code, AreaKind.KELURAHAN)
        wanted = {c.id for c in children if c.kelurahan_code == code}
        for r in referral_list(connection, month, area=area, rules=rules, kind=None):
            if r.child_id in wanted:
                listed[r.child_id] = r
    found: dict[int, Judged] = {}
    for child in children:
        baseline = last_point_between(connection, child.id, month.start, month.end)
        on = baseline.measured_on if baseline else month.end - timedelta(days=1)
        found_on_list = listed.get(child.id)
        reasons = found_on_list.reasons if found_on_list else ()
        age = found_on_list.age_months if found_on_list else _age(child.birth_date, on)
        codes, refusals = eligibility([_mask(reasons)], [age])
        indication = list(Indication)[int(codes[0])] if int(codes[0]) >= 0 else None
        found[child.id] = Judged(
            child.id, reasons, age, indication, Refusal(int(refusals[0])), baseline
        )
    return found
