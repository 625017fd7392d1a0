"""Longitudinal checks against each child's own trajectory (docs/data-quality.md §5).

Values copied from the previous measurement, and a subset of growthcleanr's pediatric
algorithm (Daymont et al., JAMIA 2017; R package growthcleanr 2.x, ``R/pediatric_clean.R``)
applied to one parameter (weight or length/height) at a time, in age order per child:

1. missing value, z-score or age -> ``Missing``;
2. several values on one day: keep the one closest to the child's median score, the others
   -> ``Exclude-Extraneous-Same-Day`` (growthcleanr keeps them temporarily until step 8);
5. a height identical to the child's previous height -> ``Exclude-Carried-Forward``
   (heights only [project]: an unchanged weight can be a real T);
6. |score| > 25 -> ``Exclude-SD-Cutoff``;
7. EWMA extremes, one exclusion per child per round, repeated: with >= 3 values
   dewma_all > 3.5 and dewma_before > 3 and dewma_after > 3 and score > 3.5 (or the
   negative mirror), the worst by |score + dewma_all| -> ``Exclude-EWMA-Extreme``; with
   exactly 2 values score - ewma > 3.5 and score > 3.5 (or mirror), the larger |score| ->
   ``Exclude-EWMA-Extreme-Pair``;
11. heights that shrink by more than ``height_tolerance_cm`` between consecutive values:
   the member of the pair further from its one-sided EWMA (with 2 values, the larger
   |score|) -> ``Exclude-Min-Height-Change``, one per child per round, repeated.

EWMA: weighted mean of the child's other scores with weights (5 + |age difference in
days|)^-1.5; "before" also leaves out the previous value, "after" the next one.
Differences from growthcleanr [project]: the score is the WHO 2006 z-score (not the CDC
SD-score), recentred by the median z for sex and completed month when the input holds at
least 5,000 values, otherwise not recentred (growthcleanr falls back to NHANES medians);
steps 3-4 (swaps, unit errors), 8-10 (final same-day choice, moderate EWMA), the
velocity tables of step 11, and steps 12-13 are not implemented.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum

import numpy as np

from tumbuh.growth.quality._grouped import as_float, as_int, count, count_by, group_codes, share
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, IntArray


class Parameter(StrEnum):
    """The measured quantity, as growthcleanr names it."""

    WEIGHT = "WEIGHTKG"
    HEIGHT = "HEIGHTCM"  # growthcleanr treats LENGTHCM as height


class Cleaning(IntEnum):
    """Per-value result code; ``label`` is growthcleanr's text code."""

    INCLUDE = 0
    MISSING = 1
    EXTRANEOUS_SAME_DAY = 2
    CARRIED_FORWARD = 3
    SD_CUTOFF = 4
    EWMA_EXTREME = 5
    EWMA_EXTREME_PAIR = 6
    MIN_HEIGHT_CHANGE = 7

    @property
    def label(self) -> str:
        """growthcleanr's code for this result."""
        return _LABELS[self]


_LABELS = {
    Cleaning.INCLUDE: "Include",
    Cleaning.MISSING: "Missing",
    Cleaning.EXTRANEOUS_SAME_DAY: "Exclude-Extraneous-Same-Day",
    Cleaning.CARRIED_FORWARD: "Exclude-Carried-Forward",
    Cleaning.SD_CUTOFF: "Exclude-SD-Cutoff",
    Cleaning.EWMA_EXTREME: "Exclude-EWMA-Extreme",
    Cleaning.EWMA_EXTREME_PAIR: "Exclude-EWMA-Extreme-Pair",
    Cleaning.MIN_HEIGHT_CHANGE: "Exclude-Min-Height-Change",
}
IMPLAUSIBLE = (
    Cleaning.SD_CUTOFF,
    Cleaning.EWMA_EXTREME,
    Cleaning.EWMA_EXTREME_PAIR,
    Cleaning.MIN_HEIGHT_CHANGE,
)


@dataclass(frozen=True)
class CleaningSettings:
    """growthcleanr defaults (``cleangrowth`` arguments) and Tumbuh's recentring rule."""

    ewma_exponent: float = -1.5  # ewma.exp
    sd_extreme: float = 25.0  # sd.extreme / z.extreme
    extreme_dewma: float = 3.5
    extreme_dewma_one_sided: float = 3.0
    extreme_score: float = 3.5
    height_tolerance_cm: float = 2.5  # height.tolerance.cm: largest tolerated decrease
    carried_forward_heights_only: bool = True  # [project]
    recentre_min_values: int = 5000  # recentre from the input only with this many values


@dataclass(frozen=True)
class Ewma:
    """Exponentially weighted moving averages of each value's neighbours (input order)."""

    all: FloatArray
    before: FloatArray
    after: FloatArray


@dataclass(frozen=True)
class CopiedReport:
    """Per group: measurements with an earlier one of the same child, and how many repeat it."""

    n_with_previous: IntArray
    n_weight_repeated: IntArray
    n_height_repeated: IntArray
    n_both_repeated: IntArray  # weight and height both identical: likely copied records
    height_repeated_share: FloatArray
    both_repeated_share: FloatArray


@dataclass(frozen=True)
class CleaningSummary:
    """Per group: counts of each cleaning code and the share of implausible values."""

    counts: IntArray  # shape (n_groups, len(Cleaning))
    n_checked: IntArray  # values that were not missing
    implausible_share: FloatArray  # SD cutoff, EWMA extremes, height decreases / checked
    carried_forward_share: FloatArray


def _blocks(child_sorted: IntArray) -> tuple[IntArray, IntArray]:
    """Position of each element within its child's block, and the block's size."""
    n = child_sorted.size
    new = np.ones(n, dtype=bool)
    new[1:] = child_sorted[1:] != child_sorted[:-1]
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    block = np.cumsum(new) - 1
    return np.arange(n) - starts[block], sizes[block]


def _ewma_sorted(child: IntArray, age: FloatArray, score: FloatArray, exponent: float) -> Ewma:
    """EWMA over arrays sorted by child and age (each pair of a child visited once)."""
    pos, size = _blocks(child)
    num = np.zeros(score.size)
    den = np.zeros(score.size)
    w_next = np.zeros(score.size)
    remaining = size - pos - 1
    rows = np.flatnonzero(remaining >= 1)
    k = 1
    while rows.size:
        other = rows + k
        w = (5.0 + np.abs(age[other] - age[rows])) ** exponent
        num[rows] += w * score[other]
        den[rows] += w
        num[other] += w * score[rows]
        den[other] += w
        if k == 1:
            w_next[rows] = w
        k += 1
        rows = rows[remaining[rows] >= k]
    w_prev = np.zeros(score.size)
    w_prev[1:] = np.where(pos[1:] > 0, w_next[:-1], 0.0)
    s_prev = np.concatenate([[0.0], score[:-1]])
    s_next = np.concatenate([score[1:], [0.0]])
    with np.errstate(invalid="ignore", divide="ignore"):
        return Ewma(
            all=np.where(den > 0, num / den, np.nan),
            before=(num - w_prev * s_prev) / (den - w_prev),
            after=(num - w_next * s_next) / (den - w_next),
        )


def ewma(
    child: IntArray, age_days: FloatArray, score: FloatArray, *, exponent: float = -1.5
) -> Ewma:
    """EWMA of each value's other values of the same child (NaN scores are left out)."""
    scores = np.asarray(score, dtype=np.float64)
    ages = as_float(age_days, scores.size, "age_days")
    children = as_int(child, scores.size, "child")
    ok = ~np.isnan(scores) & ~np.isnan(ages)
    rows = np.flatnonzero(ok)
    order = rows[np.lexsort((ages[rows], children[rows]))]
    sorted_result = _ewma_sorted(children[order], ages[order], scores[order], exponent)
    out = [np.full(scores.size, np.nan) for _ in range(3)]
    for target, values in zip(
        out, (sorted_result.all, sorted_result.before, sorted_result.after), strict=True
    ):
        target[order] = values
    return Ewma(all=out[0], before=out[1], after=out[2])


def _previous_same_child(child: IntArray, day: FloatArray) -> tuple[IntArray, BoolArray]:
    """Sort order by child and day, and a mask of sorted rows whose predecessor is the same
    child on an earlier day."""
    order = np.lexsort((day, child))
    c, d = child[order], day[order]
    has_previous = np.zeros(order.size, dtype=bool)
    has_previous[1:] = (c[1:] == c[:-1]) & (d[1:] > d[:-1])
    return order, has_previous


def copied_values(
    child: IntArray,
    day: FloatArray,
    weight_kg: FloatArray,
    height_cm: FloatArray,
    group: IntArray,
    *,
    n_groups: int | None = None,
) -> CopiedReport:
    """Measurements identical to the same child's previous measurement, per group.

    ``day`` is any day number (age in days or days since an epoch); the measurement counts
    in the group of the later measurement. Rows with a missing child code (< 0) or day are
    ignored; a same-day predecessor is no "previous month".
    """
    days = as_float(day, np.asarray(group).size, "day")
    codes, n_groups = group_codes(group, days.size, n_groups)
    children = as_int(child, days.size, "child")
    weights = as_float(weight_kg, days.size, "weight_kg")
    heights = as_float(height_cm, days.size, "height_cm")
    rows = np.flatnonzero((children >= 0) & ~np.isnan(days))
    order, has_previous = _previous_same_child(children[rows], days[rows])
    sorted_rows = rows[order]
    prev_rows = np.concatenate([[0], sorted_rows[:-1]]) if sorted_rows.size else sorted_rows
    same_weight = has_previous & (weights[sorted_rows] == weights[prev_rows])
    same_height = has_previous & (heights[sorted_rows] == heights[prev_rows])
    g = codes[sorted_rows]
    n_with_previous = count(g, has_previous, n_groups)
    n_height = count(g, same_height, n_groups)
    n_both = count(g, same_weight & same_height, n_groups)
    return CopiedReport(
        n_with_previous=n_with_previous,
        n_weight_repeated=count(g, same_weight, n_groups),
        n_height_repeated=n_height,
        n_both_repeated=n_both,
        height_repeated_share=share(n_height, n_with_previous),
        both_repeated_share=share(n_both, n_with_previous),
    )


def cleaning_summary(
    codes: Int8Array, group: IntArray, *, n_groups: int | None = None
) -> CleaningSummary:
    """Counts of each cleaning code per group and the implausible and copied shares."""
    results = as_int(codes, np.asarray(group).size, "codes")
    groups, n_groups = group_codes(group, results.size, n_groups)
    counts = count_by(groups, results, np.ones(results.size, dtype=bool), n_groups, len(Cleaning))
    checked = count(groups, results != Cleaning.MISSING, n_groups)
    implausible = counts[:, [int(c) for c in IMPLAUSIBLE]].sum(axis=1)
    return CleaningSummary(
        counts=counts,
        n_checked=checked,
        implausible_share=share(implausible, checked),
        carried_forward_share=share(counts[:, int(Cleaning.CARRIED_FORWARD)], checked),
    )


def included(codes: Int8Array) -> BoolArray:
    """True where a value passed the cleaning."""
    return np.asarray(np.asarray(codes) == Cleaning.INCLUDE, dtype=bool)
