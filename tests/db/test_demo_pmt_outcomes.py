"""The matched comparison of fed and unfed children (docs/methods-programmes.md) finds, on
the demo city, the effect its generator put into the fed children's weights
(:data:`tumbuh.demo.pmt.PLANTED_EFFECT`), within its interval, while the naive
before/after figure overstates it (regression to the mean). Twice: once as the outcome
page reads it (:func:`tumbuh.usecases.pmt_outcomes.pmt_outcomes`, the whole city), and
once from rows this test reads itself, so that the use case's reading is checked too.

The episodes and the comparison pool are read from the stored demo here, as
docs/methods-programmes.md describes them: an episode's follow-up is its last checkpoint
(weeks 2, 4, 8, as the episode page reads them), else its next weighing; a candidate is a
child eligible in a month (that month's lists, :func:`tumbuh.growth.pmt.eligibility`) and
not enrolled from it, with each later weighing within 120 days before it was fed again.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, Engine, func, select

from tumbuh.db.models import Child, Measurement, table_of
from tumbuh.db.models_pmt import PmtEpisode, PmtServing
from tumbuh.db.pmt_episodes import MeasuredPoint, points_of
from tumbuh.db.pmt_evaluation import ended_episodes
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.db.surveillance.referrals import referral_marks
from tumbuh.demo.pmt import planted_boosts
from tumbuh.growth.ages import completed_months
from tumbuh.growth.periods import month_period
from tumbuh.growth.pmt import Indication, eligibility, rules_for
from tumbuh.growth.pmt_comparison import evaluate_city
from tumbuh.growth.pmt_episodes import checkpoint_rows, last_checkpoint
from tumbuh.growth.pmt_outcomes import Candidates, Episodes, Measure
from tumbuh.growth.referrals import DEFAULT_RULES
from tumbuh.usecases import pmt_outcomes
from tumbuh.usecases.access import Role, Scope
from tumbuh.usecases.places import load_places

CITY = Area("36.72", "36.72", AreaKind.KOTA)
ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
FOLLOW_UP_DAYS = 120
NAN = float("nan")


@dataclass
class _Columns:
    """Rows of :class:`Episodes` or :class:`Candidates`, one list per field."""

    values: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))

    def add(
        self,
        child: Any,
        indication: Indication,
        version: str,
        base: MeasuredPoint,
        follow: MeasuredPoint | None,
        born: date,
        **extra: Any,
    ) -> None:
        row = {
            "child_id": child.id,
            "indication": indication.code,
            "version": version,
            "sex": 1 if child.sex == "male" else 2,
            "age_months": int(
                completed_months(
                    np.array([born], "datetime64[D]"), np.array([base.measured_on], "datetime64[D]")
                )[0]
            ),
            "baseline_month": base.measured_on.year * 12 + base.measured_on.month - 1,
            "followup_day": NAN if follow is None else (follow.measured_on - base.measured_on).days,
            **extra,
        }
        for when, point in (("baseline", base), ("followup", follow)):
            for name in ("whz", "waz", "haz", "weight_kg"):
                value = None if point is None else getattr(point, name)
                row[f"{when}_{name}"] = NAN if value is None else value
        for name, value in row.items():
            self.values[name].append(value)


@pytest.fixture
def db(pmt_demo: Engine) -> Iterator[Connection]:
    with pmt_demo.connect() as connection:
        yield connection


def _points(connection: Connection) -> dict[int, list[MeasuredPoint]]:
    c = table_of(Child)
    children = [int(i) for i in connection.execute(select(c.c.id)).scalars()]
    return points_of(connection, children, start=date(2021, 1, 1), end=date(2026, 1, 1))


def _episodes(
    connection: Connection, points: dict[int, list[MeasuredPoint]], children: dict[int, Any]
) -> tuple[Episodes, list[tuple[int, int]]]:
    """The episodes, and per episode its (baseline, follow-up) measurement ids."""
    s = table_of(PmtServing)
    query = select(s.c.episode_id, func.count()).group_by(s.c.episode_id)
    served: dict[int, int] = {int(k): int(n) for k, n in connection.execute(query)}
    e = table_of(PmtEpisode)
    columns, pairs = _Columns(), []
    children_only = select(e).where(e.c.child_id.is_not(None)).order_by(e.c.id)
    for episode in connection.execute(children_only):  # a pregnant woman has no z-score
        mine = points[episode.child_id]
        base = next(p for p in mine if p.id == episode.baseline_measurement_id)
        later = [p for p in mine if p.measured_on > episode.started_on]
        until = episode.ended_on or date.max
        inside = [p for p in later if p.measured_on <= until]
        last = last_checkpoint(
            checkpoint_rows([(p.measured_on - episode.started_on).days for p in inside])
        )
        follow = inside[last] if last >= 0 else (later[0] if later else None)
        child = children[episode.child_id]
        columns.add(
            child,
            episode.indication,
            episode.rules_version,
            base,
            follow,
            child.birth_date,
            episode_id=episode.id,
            kitchen_id=episode.kitchen_id,
            kelurahan=None,
            funding=episode.funding.value,
            planned_days=episode.planned_days,
            served_days=served.get(episode.id, 0),
            exit_outcome=None if episode.exit is None else episode.exit.value,
        )
        pairs.append((base.id, -1 if follow is None else follow.id))
    return Episodes(**columns.values), pairs


def _fed_spans(connection: Connection) -> dict[int, list[tuple[date, date]]]:
    e = table_of(PmtEpisode)
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    query = select(e.c.child_id, e.c.started_on, e.c.ended_on).where(e.c.child_id.is_not(None))
    for child, start, end in connection.execute(query):
        spans[int(child)].append((start, end or date.max))
    return spans


def _candidates(
    connection: Connection, points: dict[int, list[MeasuredPoint]], children: dict[int, Any]
) -> Candidates:
    spans = _fed_spans(connection)
    e = table_of(PmtEpisode)
    fed = e.c.child_id.is_not(None)  # children's episodes; a pregnant woman has no baseline
    baselines = select(e.c.baseline_measurement_id).where(fed)
    enrolled = {int(b) for b in connection.execute(baselines).scalars()}
    first = connection.execute(select(func.min(e.c.started_on)).where(fed)).scalar_one()
    last = connection.execute(select(func.max(table_of(Measurement).c.measured_on))).scalar_one()
    columns = _Columns()
    month = date(first.year, first.month, 1)
    while month <= last:
        for mark in referral_marks(
            connection, month_period(month.year, month.month), area=CITY, kind=None
        ):
            mine = points[mark.child_id]
            base = [
                p
                for p in mine
                if (p.measured_on.year, p.measured_on.month) == (month.year, month.month)
            ][-1]
            child = children[mark.child_id]
            age = completed_months(
                np.array([child.birth_date], "datetime64[D]"),
                np.array([base.measured_on], "datetime64[D]"),
            )
            code, _ = eligibility([sum(r.bit for r in mark.reasons)], age)
            if code[0] < 0 or base.id in enrolled:
                continue
            indication = list(Indication)[int(code[0])]
            version = rules_for(base.measured_on.year).version
            for follow in mine:
                gap = (follow.measured_on - base.measured_on).days
                if gap <= 0 or gap > FOLLOW_UP_DAYS:
                    continue
                if any(
                    s <= follow.measured_on and end >= base.measured_on
                    for s, end in spans[mark.child_id]
                ):
                    break  # fed before this weighing: no longer a comparison child
                columns.add(child, indication, version, base, follow, child.birth_date)
        month = (month + timedelta(days=32)).replace(day=1)
    return Candidates(**columns.values)


def test_the_matched_comparison_finds_the_planted_effect(db: Connection) -> None:
    points = _points(db)
    c = table_of(Child)
    children = {int(r.id): r for r in db.execute(select(c.c.id, c.c.sex, c.c.birth_date))}
    episodes, pairs = _episodes(db, points, children)
    candidates = _candidates(db, points, children)
    outcomes = evaluate_city(episodes, candidates)
    city = outcomes.city
    waz = city.comparisons[Measure.WAZ_CHANGE]
    assert not city.too_small[0]
    boosts = planted_boosts(db)
    fed = outcomes.evaluation.fed.waz_change
    matched = sorted(set(outcomes.evaluation.matches.episode.tolist()))
    planted = [
        boosts.get(pairs[i][1], 0.0) - boosts.get(pairs[i][0], 0.0)
        for i in matched
        if not np.isnan(fed[i])
    ]
    put_in = float(np.mean(planted))
    assert put_in > 0.03  # the generator did put something in
    assert waz.lower[0] <= put_in <= waz.upper[0]
    assert waz.lower[0] > 0  # and the comparison sees it
    # Regression to the mean: the naive before/after rise is larger than the effect.
    assert city.before_after[Measure.WAZ_CHANGE][0] > waz.difference[0] + 0.01


def _measurement_ids(connection: Connection) -> dict[tuple[int, date], int]:
    m = table_of(Measurement)
    query = select(m.c.id, m.c.child_id, m.c.measured_on)
    return {(int(child), day): int(i) for i, child, day in connection.execute(query)}


def test_the_outcome_page_finds_the_planted_effect(db: Connection) -> None:
    places = load_places(db, CITY.code)
    page = pmt_outcomes.pmt_outcomes(
        db, places, lambda _, compute: compute(), ADMIN, DEFAULT_RULES, pmt_outcomes.OutcomeQuery()
    )
    whole = page.whole
    waz = whole.compared[Measure.WAZ_CHANGE]
    assert not whole.too_small
    assert waz.lower is not None
    assert waz.upper is not None
    assert waz.difference is not None
    # The episodes the page matched, from the same reading: their planted rise is the truth.
    ended = ended_episodes(db)
    pool = pmt_outcomes.city_candidates(db, places, page.months, DEFAULT_RULES)
    again = evaluate_city(
        pmt_outcomes.episode_arrays(ended),
        pmt_outcomes.candidate_arrays(
            [c for c in pool if c.follow_ups], pmt_outcomes.episode_versions(ended)
        ),
    )
    assert again.city.comparisons[Measure.WAZ_CHANGE].difference[0] == pytest.approx(waz.difference)
    boosts, ids = planted_boosts(db), _measurement_ids(db)
    fed = again.evaluation.fed.waz_change
    planted = []
    for i in sorted(set(again.evaluation.matches.episode.tolist())):
        episode = ended[i]
        follow, _ = pmt_outcomes.follow_up(episode)
        if follow is None or episode.baseline is None or np.isnan(fed[i]):
            continue
        after = boosts.get(ids[(episode.child_id, follow.on)], 0.0)
        planted.append(after - boosts.get(ids[(episode.child_id, episode.baseline.on)], 0.0))
    put_in = float(np.mean(planted))
    assert len(planted) == waz.n
    assert put_in > 0.03
    assert waz.lower <= put_in <= waz.upper
    assert waz.lower > 0
    naive = whole.before_after[Measure.WAZ_CHANGE]
    assert naive is not None
    assert naive > waz.difference + 0.01
