"""What the PMT outcome evaluation reads, as plain rows (docs/pmt.md, "Outcome
evaluation"): the children fed (each ended episode with its baseline and last checkpoint,
or for an episode that ended without one the child's next weighing) and the children who
could have been (eligible in the same month, not enrolled from that month's list or an
earlier one, with every later weighing of the follow-up window taken before any feeding).
The matched comparison itself is pure and lives in ``growth``.

Both sides are measured the same way: the baseline is the measurement the month's
reasons were judged on (for an episode, the one stored with it at enrolment), z-scores
WHO-flagged are None, ages in completed months at the baseline. Kept apart from
:mod:`tumbuh.db.pmt_episodes` for size.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, select

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Child, Measurement, Posyandu, table_of
from tumbuh.db.models_pmt import Kitchen, PmtEpisode, PmtServing
from tumbuh.db.pmt_episodes import (
    ID_CHUNK,
    MANY_CHILDREN,
    MeasuredPoint,
    points_by_id,
    points_of,
)
from tumbuh.db.surveillance.areas import Area
from tumbuh.db.surveillance.referrals import Referral, referral_list
from tumbuh.growth.ages import completed_months
from tumbuh.growth.enums import Sex
from tumbuh.growth.periods import Period
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, eligibility
from tumbuh.growth.pmt_episodes import checkpoint_rows, last_checkpoint
from tumbuh.growth.referrals import DEFAULT_RULES, ReferralRules

# A follow-up weighing: 1 to 19 weeks after the baseline. A weighing within a week is a
# check of the measurement, not a follow-up; 135 days covers the last checkpoint of the
# longest episode (90 days, 2022 rules) started up to 31 days after its baseline, and the
# 14 days either side of it that matching allows.
FOLLOW_UP_DAYS = (7, 135)


@dataclass(frozen=True)
class Measured:
    """A measurement as the evaluation reads it (None: not taken, or WHO-flagged)."""

    on: date
    waz: float | None
    whz: float | None
    haz: float | None
    weight_kg: float | None


@dataclass(frozen=True)
class EndedEpisode:
    """An ended child episode: who, where, how it was fed and how it ended, with the
    baseline (None when the episode has none) and its last checkpoint (None: no
    measurement during the episode), ``checkpoint_day`` counted from the start day.

    For an episode with no checkpoint (it ended, dropped out or moved before one was
    weighed), ``next_weighing`` is the child's first measurement after the start day that
    is a follow-up of the baseline (:data:`FOLLOW_UP_DAYS` after it), with
    ``next_weighing_day`` counted from the start; None otherwise."""

    episode_id: int
    child_id: int
    sex: Sex
    kitchen_id: int | None
    kitchen_kelurahan_code: str | None
    posyandu_id: int | None  # the child's
    kelurahan_code: str | None  # the child's (its posyandu's)
    funding: Funding
    indication: Indication
    rules_version: str
    started_on: date
    ended_on: date
    planned_days: int
    served_days: int
    exit: EpisodeExit
    age_months: int | None  # at the baseline
    baseline: Measured | None
    checkpoint_day: int | None
    checkpoint: Measured | None
    next_weighing_day: int | None = None
    next_weighing: Measured | None = None


@dataclass(frozen=True)
class FollowUp:
    """A later weighing of a comparison child: ``day`` counted from its baseline."""

    day: int
    measured: Measured


@dataclass(frozen=True)
class ComparisonChild:
    """A child eligible in ``month`` (the same reasons and age rule as an enrolment) who
    was not enrolled from that month's list or an earlier one, with its baseline (its
    measurement the reasons were judged on) and **every** measurement
    :data:`FOLLOW_UP_DAYS` later, in order of day (empty: none then). A child enrolled
    from a later month's list keeps only the weighings before its feeding started
    (``fed_from``)."""

    child_id: int
    sex: Sex
    posyandu_code: str | None
    kelurahan_code: str | None
    month: date  # first day
    indication: Indication
    age_months: int
    baseline: Measured
    follow_ups: tuple[FollowUp, ...]
    fed_from: date | None = None  # the start of its first episode, when enrolled later


def _measured(point: MeasuredPoint) -> Measured:
    return Measured(point.measured_on, point.waz, point.whz, point.haz, point.weight_kg)


def _age_months(birth_date: date, on: date) -> int:
    days = np.array([birth_date, on], dtype="datetime64[D]")
    return int(completed_months(days[:1], days[1:])[0])


def _ended_rows(connection: Connection, started: tuple[date, date] | None) -> list[Any]:
    k, c, p, kit = table_of(PmtEpisode), table_of(Child), table_of(Posyandu), table_of(Kitchen)
    s = table_of(PmtServing)
    served = (
        select(s.c.episode_id, func.count(s.c.id).label("n")).group_by(s.c.episode_id).subquery()
    )
    query = (
        select(
            k,
            c.c.sex,
            c.c.birth_date,
            c.c.posyandu_id,
            p.c.kelurahan_code,
            kit.c.kelurahan_code.label("kitchen_kelurahan_code"),
            served.c.n.label("served_days"),
        )
        .join(c, c.c.id == k.c.child_id)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(kit, kit.c.id == k.c.kitchen_id)
        .outerjoin(served, served.c.episode_id == k.c.id)
        .where(k.c.ended_on.is_not(None), k.c.exit.is_not(None))
        .order_by(k.c.id)
    )
    if started is not None:
        query = query.where(k.c.started_on >= started[0], k.c.started_on < started[1])
    return list(connection.execute(query))


def _last_checkpoint(
    points: list[MeasuredPoint], started_on: date, ended_on: date
) -> tuple[int, MeasuredPoint] | None:
    """(day, measurement) of the last checkpoint of an episode among the child's
    measurements, or None."""
    during = [p for p in points if started_on < p.measured_on <= ended_on]
    days = [(p.measured_on - started_on).days for p in during]
    row = last_checkpoint(checkpoint_rows(days))
    return None if row < 0 else (days[row], during[row])


def _next_weighing(
    points: list[MeasuredPoint], started_on: date, base: MeasuredPoint | None
) -> tuple[int, MeasuredPoint] | None:
    """(day from the start, measurement) of the child's first weighing after the start
    day that follows up the baseline, or None."""
    if base is None:
        return None
    low, high = FOLLOW_UP_DAYS
    for point in points:
        gap = (point.measured_on - base.measured_on).days
        if point.measured_on > started_on and low <= gap <= high:
            return (point.measured_on - started_on).days, point
    return None


def _ended(
    r: Any,
    base: MeasuredPoint | None,
    checkpoint: tuple[int, MeasuredPoint] | None,
    following: tuple[int, MeasuredPoint] | None,
) -> EndedEpisode:
    return EndedEpisode(
        episode_id=int(r.id),
        child_id=int(r.child_id),
        sex=Sex(r.sex),
        kitchen_id=r.kitchen_id,
        kitchen_kelurahan_code=r.kitchen_kelurahan_code,
        posyandu_id=r.posyandu_id,
        kelurahan_code=r.kelurahan_code,
        funding=Funding(r.funding),
        indication=Indication(r.indication),
        rules_version=r.rules_version,
        started_on=r.started_on,
        ended_on=r.ended_on,
        planned_days=int(r.planned_days),
        served_days=int(r.served_days or 0),
        exit=EpisodeExit(r.exit),
        age_months=None if base is None else _age_months(r.birth_date, base.measured_on),
        baseline=None if base is None else _measured(base),
        checkpoint_day=None if checkpoint is None else checkpoint[0],
        checkpoint=None if checkpoint is None else _measured(checkpoint[1]),
        next_weighing_day=None if following is None else following[0],
        next_weighing=None if following is None else _measured(following[1]),
    )


def ended_episodes(
    connection: Connection,
    *,
    kelurahan: frozenset[str] | None = None,
    started: tuple[date, date] | None = None,
) -> list[EndedEpisode]:
    """Every ended child episode (of children of these kelurahan, None: the city; started
    from ``started[0]`` to before ``started[1]``, None: any day), in order of id, with its
    baseline and last checkpoint, or its next weighing when it has none (docs/pmt.md)."""
    rows = [
        r
        for r in _ended_rows(connection, started)
        if kelurahan is None or r.kelurahan_code in kelurahan
    ]
    if not rows:
        return []
    base = points_by_id(connection, [int(r.baseline_measurement_id or 0) for r in rows])
    first = min(r.started_on for r in rows)
    last = max(max(r.ended_on, r.started_on + timedelta(days=FOLLOW_UP_DAYS[1])) for r in rows)
    children = [int(r.child_id) for r in rows]
    points = points_of(connection, children, start=first, end=last + timedelta(days=1))
    found = []
    for r in rows:
        mine = points.get(int(r.child_id), [])
        baseline = base.get(int(r.baseline_measurement_id or 0))
        checkpoint = _last_checkpoint(mine, r.started_on, r.ended_on)
        following = None if checkpoint else _next_weighing(mine, r.started_on, baseline)
        found.append(_ended(r, baseline, checkpoint, following))
    return found


def _kelurahan_of(connection: Connection, codes: Sequence[str]) -> dict[str, str]:
    p = table_of(Posyandu)
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(codes)), ID_CHUNK):
        query = select(p.c.code, p.c.kelurahan_code).where(p.c.code.in_(chunk))
        found.update({str(r[0]): str(r[1]) for r in connection.execute(query)})
    return found


def _follow_ups(
    points: list[MeasuredPoint], baseline_on: date, fed_from: date | None
) -> tuple[FollowUp, ...]:
    """Every measurement :data:`FOLLOW_UP_DAYS` after the baseline and before any feeding,
    with its day."""
    low, high = FOLLOW_UP_DAYS
    return tuple(
        FollowUp((point.measured_on - baseline_on).days, _measured(point))
        for point in points
        if low <= (point.measured_on - baseline_on).days <= high
        and (fed_from is None or point.measured_on < fed_from)
    )


@dataclass(frozen=True)
class FirstEnrolment:
    """When a child was first enrolled: the day of the measurement it was enrolled on
    (its episode's baseline; the start when there is none) and the first day it was fed,
    each the earliest over its episodes."""

    listed_on: date
    fed_from: date


def first_enrolments(connection: Connection, child_ids: Sequence[int]) -> dict[int, FirstEnrolment]:
    """The first enrolment of each child of ``child_ids`` that has an episode, open or
    ended (children without one absent)."""
    k, m = table_of(PmtEpisode), table_of(Measurement)
    wanted = set(child_ids)
    parts: list[list[int] | None] = (
        [None] if len(wanted) > MANY_CHILDREN else list(chunks(sorted(wanted), ID_CHUNK))
    )
    found: dict[int, FirstEnrolment] = {}
    for part in parts:
        query = (
            select(k.c.child_id, k.c.started_on, m.c.measured_on)
            .outerjoin(m, m.c.id == k.c.baseline_measurement_id)
            .where(k.c.child_id.is_not(None))
        )
        if part is not None:
            query = query.where(k.c.child_id.in_(part))
        for child, started_on, listed_on in connection.execute(query):
            if int(child) not in wanted:
                continue
            fed = _day(started_on)
            listed = fed if listed_on is None else _day(listed_on)
            before = found.get(int(child))
            if before is not None:
                listed, fed = min(listed, before.listed_on), min(fed, before.fed_from)
            found[int(child)] = FirstEnrolment(listed, fed)
    return found


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def comparison_children(
    connection: Connection,
    month: Period,
    *,
    area: Area | None = None,
    rules: ReferralRules = DEFAULT_RULES,
    listed: Sequence[Referral] | None = None,
) -> list[ComparisonChild]:
    """The children of ``area`` eligible for PMT in ``month`` by the month's reasons and
    age (as the eligibility list judges them) and not enrolled from this month's list or
    an earlier one, in order of child id, with their baseline and every later weighing of
    the follow-up window taken before any feeding (docs/pmt.md). ``listed``: the month's
    lists already read (and cut to an area), instead of reading those of ``area``."""
    if listed is None:
        if area is None:
            raise ValueError("comparison_children needs an area or the month's lists")
        listed = referral_list(connection, month, area=area, rules=rules, kind=None)
    return comparison_children_of_months(connection, [(month, listed)])


def _eligible(listed: Sequence[Referral]) -> list[tuple[Referral, Indication]]:
    masks = [sum(reason.bit for reason in r.reasons) for r in listed]
    codes, _ = eligibility(masks, [r.age_months for r in listed])
    indications = list(Indication)
    return [
        (r, indications[int(code)])
        for r, code in zip(listed, codes.tolist(), strict=True)
        if code >= 0
    ]


def comparison_children_of_months(
    connection: Connection, lists: Sequence[tuple[Period, Sequence[Referral]]]
) -> list[ComparisonChild]:
    """:func:`comparison_children` of several months at once, each from its lists already
    read, in order of month then child id: the first enrolments, the measurements and the
    posyandu are each read once for all of them."""
    eligible = [(month, _eligible(listed)) for month, listed in lists]
    if not any(found for _, found in eligible):
        return []
    enrolled = first_enrolments(connection, [r.child_id for _, e in eligible for r, _ in e])
    chosen: list[tuple[Period, Referral, Indication, FirstEnrolment | None]] = []
    for month, found in eligible:
        kept = [
            (month, r, indication, enrolled.get(r.child_id))
            for r, indication in found
            if r.child_id not in enrolled or enrolled[r.child_id].listed_on >= month.end
        ]
        chosen += sorted(kept, key=lambda c: c[1].child_id)
    if not chosen:
        return []
    points = points_of(
        connection,
        [r.child_id for _, r, _, _ in chosen],
        start=min(month.start for month, _ in lists),
        end=max(month.end for month, _ in lists) + timedelta(days=FOLLOW_UP_DAYS[1] + 1),
    )
    places = _kelurahan_of(
        connection, [r.posyandu_code for _, r, _, _ in chosen if r.posyandu_code]
    )
    result = []
    for month, r, indication, first in chosen:
        mine = points.get(r.child_id, [])
        point = next((p for p in reversed(mine) if p.measured_on == r.measured_on), None)
        if point is not None:  # a listed child has its measurement of that day
            kelurahan = places.get(r.posyandu_code or "")
            fed_from = None if first is None else first.fed_from
            result.append(_compared(r, month, (indication, kelurahan), (point, mine), fed_from))
    return result


def _compared(
    r: Referral,
    month: Period,
    judged: tuple[Indication, str | None],
    measured: tuple[MeasuredPoint, list[MeasuredPoint]],
    fed_from: date | None,
) -> ComparisonChild:
    indication, kelurahan = judged
    point, points = measured
    return ComparisonChild(
        child_id=r.child_id,
        sex=r.sex,
        posyandu_code=r.posyandu_code,
        kelurahan_code=kelurahan,
        month=month.start,
        indication=indication,
        age_months=r.age_months,
        baseline=_measured(point),
        follow_ups=_follow_ups(points, r.measured_on, fed_from),
        fed_from=fed_from,
    )
