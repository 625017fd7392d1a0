"""The demo city's PMT lokal (docs/demo-city.md, "PMT lokal"): kitchens with their funding
lines, children enrolled from the month's lists, their daily servings and exits, and a
known effect of the feeding on their weight.

Two steps around the cases (:mod:`tumbuh.demo.cases`):

1. :func:`feed_demo_children`, right after the city is stored: month by month it puts the
   effect of the servings eaten so far into that month's measurements (and their derived
   values), reads the month's lists, closes the episodes that end and enrols new children
   (:mod:`tumbuh.demo.pmt_episodes`). The lists the cases open from are then those of the
   final measurements.
2. :func:`store_demo_pmt`, after the cases: writes kitchens, funding lines, episodes (with
   the case open when each started), servings and the enrolments' audit rows.

**The planted effect** (:data:`PLANTED_EFFECT`): every serving eaten raises the child's
weight-for-age z-score by 0.25/56, at most 0.25 per episode (a full 8-week course of 56
days) and 0.35 from all of a child's episodes; the rise stays in every later
measurement. A child who is eligible but not enrolled gets nothing, and every child still
has the city's regression to the mean (children listed for a low or falling weight rise
afterwards, fed or not). Heights never
change, so the published stunting rounds stay exact. :func:`planted_boosts` gives back,
from the stored servings, the rise each measurement carries, so that a test can check
that the matched comparison of fed and unfed children finds it.
"""

import time
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import ArrayLike
from sqlalchemy import Connection, select

from tumbuh.db.models import DemoPlantedError, Measurement, table_of
from tumbuh.db.models_pmt import PmtEpisode, PmtServing
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.db.surveillance.referrals import referral_marks
from tumbuh.demo.city import CITY_CODE, City
from tumbuh.demo.pmt_episodes import Episode, Programme
from tumbuh.demo.pmt_kitchens import KitchenPlan, build_kitchens
from tumbuh.demo.pmt_weights import COPIED, WEIGHT_ERRORS, Ledger
from tumbuh.demo.settings import MONTHS, month_index, month_start
from tumbuh.growth.periods import month_period
from tumbuh.growth.types import FloatArray


@dataclass(frozen=True)
class PlantedEffect:
    """What the demo's PMT adds to a fed child's weight, in weight-for-age z-score units:
    ``per_serving`` for every serving eaten before a measurement, at most ``episode_cap``
    from one episode and ``child_cap`` from all of a child's episodes; the rise stays in
    every later measurement (docs/demo-city.md says why it does not fade)."""

    per_serving: float = 0.25 / 56
    episode_cap: float = 0.25
    child_cap: float = 0.35

    def of_episode(self, servings: ArrayLike) -> FloatArray:
        """The rise from ``servings`` eaten in one episode."""
        eaten = np.asarray(servings, dtype=np.float64)
        rise: FloatArray = np.minimum(self.episode_cap, self.per_serving * eaten)
        return rise

    def of_child(self, per_episode: ArrayLike) -> float:
        """The rise a child carries from the rises of its episodes."""
        return float(min(self.child_cap, float(np.sum(per_episode))))

    def at(self, day: date, episodes: list[tuple[date, list[date]]]) -> float:
        """The rise a child carries on ``day`` from its episodes (start day, days served
        in order)."""
        eaten = [bisect_left(served, day) for start, served in episodes if start < day]
        return self.of_child(self.of_episode(eaten)) if eaten else 0.0


PLANTED_EFFECT = PlantedEffect()


@dataclass(frozen=True)
class Fed:
    """What :func:`feed_demo_children` made, to be stored by :func:`store_demo_pmt`."""

    kitchens: list[KitchenPlan]
    episodes: list[Episode]
    weights_changed: int
    seconds: float


def _boosts(
    programme: Programme, ledger: Ledger, rows: np.ndarray
) -> tuple[np.ndarray, FloatArray]:
    """The rows (of one month) of children fed before them, and the rise each carries."""
    chosen, rises = [], []
    for row in rows.tolist():
        history = programme.of_child.get(int(ledger.child[row]))
        if not history:
            continue
        day = ledger.day[row].astype(object)
        if any(e.started_on < day for e in history):
            chosen.append(row)
            rises.append(PLANTED_EFFECT.at(day, [(e.started_on, e.served) for e in history]))
    return np.array(chosen, dtype=np.int64), np.array(rises, dtype=np.float64)


def feed_demo_children(connection: Connection, city: City, seed: int) -> Fed:
    """Kitchens, episodes and servings of the demo city, with the planted effect written
    into the measurements, in the caller's transaction."""
    started = time.perf_counter()
    streams = np.random.SeedSequence([seed, 14]).spawn(3)
    kitchens = build_kitchens(np.random.default_rng(streams[0]), city.places)
    ledger = Ledger.of(city, np.random.default_rng(streams[2]))
    last_day: date = ledger.day.max().astype(object)
    programme = Programme(np.random.default_rng(streams[1]), kitchens, ledger, last_day)
    area = Area(CITY_CODE, CITY_CODE, AreaKind.KOTA)
    first = month_index(min(k.opened_on for k in kitchens))
    changed = 0
    for month in range(first, MONTHS):
        rows = ledger.rows_of_month(month)
        boosted, rises = _boosts(programme, ledger, rows)
        changed += ledger.rewrite(connection, month, boosted, rises)
        start = month_start(month)
        period = month_period(start.year, start.month)
        marks = referral_marks(connection, period, area=area, kind=None)
        of_child = {int(ledger.child[r]): int(r) for r in rows.tolist()}
        programme.close_due(start, of_child, marks)
        programme.enrol(of_child, marks)
    programme.finish()
    ledger.write_true_values(connection)
    return Fed(kitchens, programme.episodes, changed, time.perf_counter() - started)


def planted_boosts(connection: Connection) -> dict[int, float]:
    """Per measurement of a fed child (id -> z units): the rise of its weight-for-age
    z-score that the demo's PMT put into its recorded weight, computed again from the
    stored episodes and servings. A record copied from last month carries last month's
    rise; a measurement with oedema none."""
    e, s, m = table_of(PmtEpisode), table_of(PmtServing), table_of(Measurement)
    served: dict[int, list[date]] = defaultdict(list)
    for episode, day in connection.execute(select(s.c.episode_id, s.c.served_on)):
        served[int(episode)].append(day)
    episodes: dict[int, list[tuple[date, list[date]]]] = defaultdict(list)
    query = select(e.c.id, e.c.child_id, e.c.started_on).where(e.c.child_id.is_not(None))
    for episode, child, start in connection.execute(query):
        episodes[int(child)].append((start, sorted(served[int(episode)])))
    p = table_of(DemoPlantedError)
    copied = {
        int(r[0])
        for r in connection.execute(select(p.c.measurement_id, p.c.kind, p.c.field))
        if WEIGHT_ERRORS.get((str(r[1]), str(r[2]))) == COPIED
    }
    rows = connection.execute(
        select(m.c.id, m.c.child_id, m.c.measured_on, m.c.oedema)
        .where(m.c.child_id.in_(list(episodes)))
        .order_by(m.c.child_id, m.c.measured_on)
    )
    boosts: dict[int, float] = {}
    previous: tuple[int, float] = (-1, 0.0)
    for mid, child, day, oedema in rows:
        rise = PLANTED_EFFECT.at(day, episodes[int(child)])
        if int(mid) in copied and previous[0] == int(child):
            rise = previous[1]
        boosts[int(mid)] = 0.0 if oedema else rise
        previous = (int(child), boosts[int(mid)])
    return boosts


@dataclass(frozen=True)
class PmtCounts:
    """What the demo's PMT holds, for the generator's report."""

    kitchens: int
    funding_lines: int
    episodes: int
    open_episodes: int
    servings: int
    exits: dict[str, int]


def counts_of(fed: Fed) -> PmtCounts:
    """Counts of what :func:`feed_demo_children` made."""
    exits = Counter(e.exit.value if e.exit is not None else "open" for e in fed.episodes)
    return PmtCounts(
        kitchens=len(fed.kitchens),
        funding_lines=sum(len(k.lines) for k in fed.kitchens),
        episodes=len(fed.episodes),
        open_episodes=exits.get("open", 0),
        servings=sum(len(e.served) for e in fed.episodes),
        exits=dict(sorted(exits.items())),
    )
