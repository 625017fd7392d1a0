"""What the PMT outcome evaluation reads, as plain rows (docs/pmt.md, "Outcome
evaluation"): the children fed (each ended episode with its baseline and last checkpoint)
and the children who could have been (eligible in the same month, never enrolled, with
their next measurement). The matched comparison itself is pure and lives in ``growth``.

Both sides are measured the same way: the baseline is the measurement the month's
reasons were judged on (for an episode, the one stored with it at enrolment), z-scores
WHO-flagged are None, ages in completed months at the baseline. Kept apart from
:mod:`tumbuh.db.pmt_episodes` for size.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, select

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Child, Posyandu, table_of
from tumbuh.db.models_pmt import Kitchen, PmtEpisode, PmtServing
from tumbuh.db.pmt_episodes import (
    ID_CHUNK,
    MeasuredPoint,
    enrolled_children,
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

FOLLOW_UP_DAYS = (14, 70)  # a comparison child's next measurement: 2 to 10 weeks later


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
    measurement during the episode), ``checkpoint_day`` counted from the start day."""

    episode_id: int
    child_id: int
    sex: Sex
    kitchen_id: int | None
    kitchen_kelurahan_code: str | None
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


@dataclass(frozen=True)
class ComparisonChild:
    """A child eligible in ``month`` (the same reasons and age rule as an enrolment) who
    was never enrolled, with its baseline (its measurement the reasons were judged on)
    and its first measurement 14-70 days later (None: none then), ``follow_up_day``
    counted from the baseline."""

    child_id: int
    sex: Sex
    posyandu_code: str | None
    kelurahan_code: str | None
    month: date  # first day
    indication: Indication
    age_months: int
    baseline: Measured
    follow_up_day: int | None
    follow_up: Measured | None


def _measured(point: MeasuredPoint) -> Measured:
    return Measured(point.measured_on, point.waz, point.whz, point.haz, point.weight_kg)


def _age_months(birth_date: date, on: date) -> int:
    days = np.array([birth_date, on], dtype="datetime64[D]")
    return int(completed_months(days[:1], days[1:])[0])


def _ended_rows(connection: Connection) -> list[Any]:
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


def _ended(
    r: Any, base: MeasuredPoint | None, checkpoint: tuple[int, MeasuredPoint] | None
) -> EndedEpisode:
    return EndedEpisode(
        episode_id=int(r.id),
        child_id=int(r.child_id),
        sex=Sex(r.sex),
        kitchen_id=r.kitchen_id,
        kitchen_kelurahan_code=r.kitchen_kelurahan_code,
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
    )


def ended_episodes(
    connection: Connection, *, kelurahan: frozenset[str] | None = None
) -> list[EndedEpisode]:
    """Every ended child episode (of children of these kelurahan; None: the city), in
    order of id, with its baseline and last checkpoint (docs/pmt.md)."""
    rows = [
        r for r in _ended_rows(connection) if kelurahan is None or r.kelurahan_code in kelurahan
    ]
    if not rows:
        return []
    base = points_by_id(connection, [int(r.baseline_measurement_id or 0) for r in rows])
    first, last = min(r.started_on for r in rows), max(r.ended_on for r in rows)
    children = [int(r.child_id) for r in rows]
    points = points_of(connection, children, start=first, end=last + timedelta(days=1))
    return [
        _ended(
            r,
            base.get(int(r.baseline_measurement_id or 0)),
            _last_checkpoint(points.get(int(r.child_id), []), r.started_on, r.ended_on),
        )
        for r in rows
    ]


def _kelurahan_of(connection: Connection, codes: Sequence[str]) -> dict[str, str]:
    p = table_of(Posyandu)
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(codes)), ID_CHUNK):
        query = select(p.c.code, p.c.kelurahan_code).where(p.c.code.in_(chunk))
        found.update({str(r[0]): str(r[1]) for r in connection.execute(query)})
    return found


def _follow_up(points: list[MeasuredPoint], baseline_on: date) -> tuple[int, MeasuredPoint] | None:
    """The first measurement :data:`FOLLOW_UP_DAYS` after the baseline, with its day."""
    low, high = FOLLOW_UP_DAYS
    for point in points:
        day = (point.measured_on - baseline_on).days
        if low <= day <= high:
            return day, point
    return None


def comparison_children(
    connection: Connection,
    month: Period,
    *,
    area: Area,
    rules: ReferralRules = DEFAULT_RULES,
) -> list[ComparisonChild]:
    """The children of ``area`` eligible for PMT in ``month`` by the month's reasons and
    age (as the eligibility list judges them) who never had an episode, in order of child
    id, with their baseline and next measurement (docs/pmt.md)."""
    listed = referral_list(connection, month, area=area, rules=rules, kind=None)
    masks = [sum(reason.bit for reason in r.reasons) for r in listed]
    codes, _ = eligibility(masks, [r.age_months for r in listed])
    enrolled = enrolled_children(connection, [r.child_id for r in listed])
    chosen = [
        (r, list(Indication)[int(code)])
        for r, code in zip(listed, codes.tolist(), strict=True)
        if code >= 0 and r.child_id not in enrolled
    ]
    chosen.sort(key=lambda pair: pair[0].child_id)
    points = points_of(
        connection,
        [r.child_id for r, _ in chosen],
        start=month.start,
        end=month.end + timedelta(days=FOLLOW_UP_DAYS[1] + 1),
    )
    places = _kelurahan_of(connection, [r.posyandu_code for r, _ in chosen if r.posyandu_code])
    found = []
    for r, indication in chosen:
        mine = points.get(r.child_id, [])
        point = next((p for p in reversed(mine) if p.measured_on == r.measured_on), None)
        if point is not None:  # a listed child has its measurement of that day
            kelurahan = places.get(r.posyandu_code or "")
            found.append(_compared(r, month, indication, kelurahan, (point, mine)))
    return found


def _compared(
    r: Referral,
    month: Period,
    indication: Indication,
    kelurahan: str | None,
    measured: tuple[MeasuredPoint, list[MeasuredPoint]],
) -> ComparisonChild:
    point, points = measured
    follow = _follow_up(points, r.measured_on)
    return ComparisonChild(
        child_id=r.child_id,
        sex=r.sex,
        posyandu_code=r.posyandu_code,
        kelurahan_code=kelurahan,
        month=month.start,
        indication=indication,
        age_months=r.age_months,
        baseline=_measured(point),
        follow_up_day=None if follow is None else follow[0],
        follow_up=None if follow is None else _measured(follow[1]),
    )
