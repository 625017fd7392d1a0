"""Matching fed children to children who were not fed (docs/methods-programmes.md, "Matching").

Each fed child (an episode) gets up to ``max_controls`` comparison children (controls) that

* agree exactly on every key (for PMT: indication, rule version, sex, age band, baseline
  month; :mod:`tumbuh.growth.pmt_outcomes` builds them);
* have a baseline z within ``caliper`` of the episode's, the limit included (0.25 matches,
  0.2501 does not; a tolerance of 1e-9 absorbs the binary rounding of decimal z-scores);
* were measured again within ``window_days`` of the episode's follow-up day.

The nearest baseline z comes first, then the nearest follow-up day, then the candidate's
row order, so the result does not depend on chance. Matching is **with replacement**: a
control may stand in for several episodes (the summaries' intervals count that reuse). A
child is at most once among one episode's controls, whichever of its rows is nearest.

Vectorised: a sort of the candidates by cell and z and two binary searches give every
episode its range of candidates; no loop over episodes.
"""

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.types import FloatArray, IntArray

# Completed months, [start, end): 6-11, 12-23, 24-35, 36-47, 48-59.
AGE_BANDS_MONTHS: tuple[tuple[int, int], ...] = ((6, 12), (12, 24), (24, 36), (36, 48), (48, 60))
CALIPER_Z = 0.25  # baseline z within 0.25 of the episode's
FOLLOWUP_WINDOW_DAYS = 14  # follow-up within two weeks of the episode's follow-up day
MAX_CONTROLS = 5  # the nearest five, averaged
_Z_TOLERANCE = 1e-9  # z-scores have 2 decimals: -2.05 - (-2.30) is not 0.25 in binary
_Z_LIMIT = 10.0  # |z| beyond this is no measurement (WHO flags start at 5 or 6)


class MatchStatus(IntEnum):
    """Why an episode is (not) in the comparison."""

    MATCHED = 0
    NO_FOLLOWUP = 1  # no follow-up measurement (day missing or not after the baseline)
    NOT_MATCHABLE = 2  # a key unknown (no rule, age band or sex) or no baseline z
    NO_CONTROL = 3  # no candidate in its cell within the caliper and the window


@dataclass(frozen=True)
class MatchRows:
    """Rows to match, one element each: exact keys (negative: unknown), baseline z (NaN:
    unknown), follow-up day since the baseline (NaN: none) and the child's id."""

    keys: tuple[IntArray, ...]
    z: FloatArray
    day: FloatArray
    child: IntArray

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.z.shape[0])


@dataclass(frozen=True)
class Matches:
    """Pairs (episode index, candidate index), grouped by episode, nearest first, with
    their cell and how far apart they are; per episode its :class:`MatchStatus` code and
    number of controls."""

    episode: IntArray  # per pair: index into the episodes
    candidate: IntArray  # per pair: index into the candidates
    child: IntArray  # per pair: the candidate's child id
    cell: IntArray  # per pair: the combination of exact keys they share
    z_gap: FloatArray  # per pair: episode's baseline z minus the candidate's
    day_gap: FloatArray  # per pair: episode's follow-up day minus the candidate's
    status: IntArray  # per episode
    n_controls: IntArray  # per episode
    z: FloatArray  # per episode: its baseline z (the one matched on)
    day: FloatArray  # per episode: its follow-up day

    @property
    def weight(self) -> FloatArray:
        """Per pair: 1 / the episode's number of controls (its controls are averaged)."""
        share: FloatArray = 1.0 / self.n_controls[self.episode]
        return share


def age_band(age_months: ArrayLike) -> IntArray:
    """Index into :data:`AGE_BANDS_MONTHS` of completed months (-1 outside 6-59 or NaN)."""
    age = np.asarray(age_months, dtype=np.float64)
    edges = [start for start, _ in AGE_BANDS_MONTHS] + [AGE_BANDS_MONTHS[-1][1]]
    band = np.digitize(np.where(np.isnan(age), -1.0, age), edges) - 1
    inside = (band >= 0) & (band < len(AGE_BANDS_MONTHS))
    return np.where(inside, band, -1).astype(np.int64)


def _cells(fed: MatchRows, pool: MatchRows) -> tuple[IntArray, IntArray]:
    """One code per combination of keys, shared by both sets; -1 where a key is unknown."""
    if len(fed.keys) != len(pool.keys):
        raise ValueError("episodes and candidates must have the same matching keys")
    keys = [
        np.concatenate([a, b]).astype(np.int64) for a, b in zip(fed.keys, pool.keys, strict=True)
    ]
    if any(k.shape[0] != fed.n + pool.n for k in keys):
        raise ValueError("every matching key must have one element per row")
    known = np.all([k >= 0 for k in keys], axis=0) if keys else np.ones(fed.n + pool.n, bool)
    if keys:
        _, code = np.unique(np.stack(keys, axis=1), axis=0, return_inverse=True)
    else:
        code = np.zeros(fed.n + pool.n, dtype=np.int64)
    cell = np.where(known, np.asarray(code, dtype=np.int64).ravel(), -1)
    return cell[: fed.n], cell[fed.n :]


def _near(
    cells: tuple[IntArray, IntArray], z: tuple[FloatArray, FloatArray], caliper: float
) -> tuple[IntArray, IntArray]:
    """Every (episode, candidate) of the same cell with z within ``caliper`` (rows with a
    cell of -1 take no part). A sort and two binary searches, no loop."""
    (cell_e, cell_c), (z_e, z_c) = cells, z
    take_e = np.flatnonzero(cell_e >= 0)
    take_c = np.flatnonzero(cell_c >= 0)
    # cell * 4 * limit + (z + limit) keeps cells apart and sorts by z within a cell
    stride = 4 * _Z_LIMIT
    key_c = cell_c[take_c] * stride + z_c[take_c] + _Z_LIMIT
    order = np.argsort(key_c, kind="stable")
    sorted_c = key_c[order]
    key_e = cell_e[take_e] * stride + z_e[take_e] + _Z_LIMIT
    margin = caliper + 1e-6  # a superset; the exact test is done on the z-scores
    lo = np.searchsorted(sorted_c, key_e - margin, side="left")
    hi = np.searchsorted(sorted_c, key_e + margin, side="right")
    counts = hi - lo
    episode = np.repeat(take_e, counts)
    position = np.arange(int(counts.sum())) + np.repeat(lo - np.cumsum(counts) + counts, counts)
    candidate = take_c[order[position]]
    same = (cell_e[episode] == cell_c[candidate]) & (
        np.abs(z_e[episode] - z_c[candidate]) <= caliper + _Z_TOLERANCE
    )
    return episode[same].astype(np.int64), candidate[same].astype(np.int64)


def _nearest(
    pairs: tuple[IntArray, IntArray],
    distance: tuple[FloatArray, FloatArray],
    child: IntArray,
    max_controls: int,
) -> tuple[IntArray, IntArray]:
    """Of each episode's pairs: nearest z first, then nearest day, then candidate order;
    one row per child; the first ``max_controls``."""
    episode, candidate = pairs
    order = np.lexsort((candidate, distance[1], distance[0], episode))
    episode, candidate = episode[order], candidate[order]
    _, child_code = np.unique(child, return_inverse=True)
    n_children = int(child_code.max()) + 1 if child_code.size else 1
    pair_child = np.asarray(child_code, dtype=np.int64).ravel()[candidate]
    _, first = np.unique(episode * n_children + pair_child, return_index=True)
    kept = np.sort(first)
    episode, candidate = episode[kept], candidate[kept]
    rank = np.arange(episode.shape[0]) - np.searchsorted(episode, episode, side="left")
    return episode[rank < max_controls], candidate[rank < max_controls]


def match_controls(
    fed: MatchRows,
    pool: MatchRows,
    *,
    caliper: float = CALIPER_Z,
    window_days: float = FOLLOWUP_WINDOW_DAYS,
    max_controls: int = MAX_CONTROLS,
) -> Matches:
    """Each row of ``fed`` matched to up to ``max_controls`` rows of ``pool`` (module
    docstring): same cell, |z - z_fed| <= caliper, |day - day_fed| <= window_days."""
    if caliper < 0 or window_days < 0 or max_controls < 1:
        raise ValueError("caliper and window_days must be >= 0 and max_controls >= 1")
    cell_e, cell_c = _cells(fed, pool)
    with np.errstate(invalid="ignore"):
        followed = fed.day > 0
        matchable = (cell_e >= 0) & (np.abs(fed.z) < _Z_LIMIT)
        usable = (pool.day > 0) & (np.abs(pool.z) < _Z_LIMIT)
    episode, candidate = _near(
        (np.where(followed & matchable, cell_e, -1), np.where(usable, cell_c, -1)),
        (fed.z, pool.z),
        caliper,
    )
    day_apart = np.abs(fed.day[episode] - pool.day[candidate])
    close = day_apart <= window_days
    episode, candidate = _nearest(
        (episode[close], candidate[close]),
        (np.abs(fed.z[episode] - pool.z[candidate])[close], day_apart[close]),
        pool.child,
        max_controls,
    )
    n_controls = np.bincount(episode, minlength=fed.n).astype(np.int64)
    status = np.select(
        [~followed, ~matchable, n_controls == 0],
        [MatchStatus.NO_FOLLOWUP, MatchStatus.NOT_MATCHABLE, MatchStatus.NO_CONTROL],
        default=MatchStatus.MATCHED,
    ).astype(np.int64)
    return Matches(
        episode,
        candidate,
        pool.child[candidate],
        cell_e[episode],
        fed.z[episode] - pool.z[candidate],
        fed.day[episode] - pool.day[candidate],
        status,
        n_controls,
        fed.z,
        fed.day,
    )
