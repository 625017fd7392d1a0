"""SKDN of a posyandu month: S target, K with a card, D weighed, N gained (docs/domain.md §5).

* **S**: the balita registered at the posyandu that month (the caller decides who: Tumbuh
  counts children whose home posyandu it is and who are 0-59 completed months old at some
  time in the month);
* **K**: of S, those with a KMS or Buku KIA;
* **D**: children weighed that month (counted once, at the posyandu of their last
  weighing of the month);
* **N**: of D, those whose weighing is N (gained at least KBM since last month);
* **D'**: of D, those weighed last month too, i.e. judged N or T: the stricter
  denominator, because N cannot be judged for O and B children.

Ratios (SKDN slides cited in docs/domain.md §5): K/S reach, D/S participation (target 90 %
in 2024, Perpres 72/2021; 80 % in Standar Pemantauan Pertumbuhan Balita 2006), D/K
continuity, N/D growth-promotion success, N/D' the same among judgeable children, N/S
overall effectiveness. The T, 2T, O, B and BGM counts are reported with SKDN (2T:
Kemenkes 2019).
"""

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.weight_gain import WeightTrend


def _ratio(numerator: IntArray, denominator: IntArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)


@dataclass(frozen=True)
class SkdnCounts:
    """SKDN and the weighing codes per group (arrays aligned with the groups)."""

    s: IntArray  # registered balita
    k: IntArray  # of S: has a KMS / Buku KIA
    d: IntArray  # weighed this month
    n: IntArray  # of D: N
    d_prime: IntArray  # of D: weighed last month too (N or T)
    t: IntArray  # of D: T (including 2T)
    two_t: IntArray  # of D: T this month and at last month's weighing
    o: IntArray  # of D: not weighed last month
    b: IntArray  # of D: first weighing
    bgm: IntArray  # of D: below the red line (weight-for-age below the BGM cut-off)

    @property
    def k_s(self) -> FloatArray:
        """K/S, 0-1 (NaN where S is 0)."""
        return _ratio(self.k, self.s)

    @property
    def d_s(self) -> FloatArray:
        """D/S, 0-1."""
        return _ratio(self.d, self.s)

    @property
    def d_k(self) -> FloatArray:
        """D/K, 0-1."""
        return _ratio(self.d, self.k)

    @property
    def n_d(self) -> FloatArray:
        """N/D, 0-1."""
        return _ratio(self.n, self.d)

    @property
    def n_d_prime(self) -> FloatArray:
        """N/D', 0-1."""
        return _ratio(self.n, self.d_prime)

    @property
    def n_s(self) -> FloatArray:
        """N/S, 0-1."""
        return _ratio(self.n, self.s)

    def combined(self, parent: ArrayLike, n_parents: int) -> "SkdnCounts":
        """Sums of the groups into ``n_parents`` larger groups (``parent[g]``; -1: none)."""
        into = np.asarray(parent, dtype=np.int64)
        keep = into >= 0
        return SkdnCounts(
            **{
                f.name: np.bincount(
                    into[keep], weights=getattr(self, f.name)[keep], minlength=n_parents
                ).astype(np.int64)
                for f in fields(self)
            }
        )


def skdn_counts(
    *,
    registered_group: ArrayLike,
    has_buku_kia: ArrayLike,
    weighed_group: ArrayLike,
    trend: ArrayLike,
    previous_trend: ArrayLike,
    bgm: ArrayLike,
    n_groups: int,
) -> SkdnCounts:
    """Counts per group from one element per registered child and one per weighed child.

    ``registered_group``/``has_buku_kia``: per registered balita, its group (-1: none) and
    whether it has a card. ``weighed_group``, ``trend`` (WeightTrend codes), the code of
    last month's counted weighing (``previous_trend``, 0 when none) and ``bgm``: per
    weighed child, its counted weighing of the month.
    """
    registered = np.asarray(registered_group, dtype=np.int64)
    card = np.asarray(has_buku_kia, dtype=bool)
    group = np.asarray(weighed_group, dtype=np.int64)
    code = np.asarray(trend, dtype=np.int64)
    before = np.asarray(previous_trend, dtype=np.int64)
    below = np.asarray(bgm, dtype=bool)

    def count(where: BoolArray, groups: IntArray) -> IntArray:
        keep = where & (groups >= 0)
        return np.bincount(groups[keep], minlength=n_groups).astype(np.int64)

    weighed = np.ones(group.shape[0], dtype=bool)
    is_t = code == WeightTrend.T.code
    return SkdnCounts(
        s=count(np.ones(registered.shape[0], dtype=bool), registered),
        k=count(card, registered),
        d=count(weighed, group),
        n=count(code == WeightTrend.N.code, group),
        d_prime=count((code == WeightTrend.N.code) | is_t, group),
        t=count(is_t, group),
        two_t=count(is_t & (before == WeightTrend.T.code), group),
        o=count(code == WeightTrend.O.code, group),
        b=count(code == WeightTrend.B.code, group),
        bgm=count(below, group),
    )
