"""Fed children against their matched comparison, by group, with 95 % intervals
(docs/methods-programmes.md).

Per group (kitchen, kelurahan, funding, indication, the whole city) and per
:class:`~tumbuh.growth.pmt_outcomes.Measure`, over the matched episodes whose value and at
least one control's value are known (``n``): the fed mean ``F``, the comparison mean ``C``
(each episode's controls averaged, then averaged over episodes) and ``F - C``, the effect
on the fed children (ATT) estimated by matching.

* **Recovery** (a proportion): Newcombe's hybrid score interval of ``F - C`` (Newcombe 1998,
  *Statistics in Medicine* 17:873-890, method 10), from a Wilson interval of ``F`` on ``n``
  episodes and of ``C`` on Kish's effective number of controls ``n_eff = n^2 / sum_j w_j^2``
  (``w_j``: control ``j``'s total weight; Kish, *Survey Sampling*, 1965), which counts
  averaging and reuse. It treats the two rates as independent (matching makes them a
  little positively correlated); in simulations it covers the true difference 94-95 %
  of the time (tests/unit/test_pmt_outcomes.py).
* **Gain and z changes** (means): with ``d_i = y_i - mean of i's controls``,
  ``Var = sum (d_i - D)^2 / (n (n - 1)) + sigma^2 sum_j (w_j^2 - s_j) / n^2``, ``s_j`` the
  sum of the squared weights of ``j``: the matched differences' own spread plus the
  covariance of controls shared by several episodes (Abadie and Imbens 2006,
  *Econometrica* 74:235-267, theorem 7); ``sigma^2`` pooled within sets of controls. The
  interval is ``D -/+ t(n - 1) sqrt(Var)``.

A row with fewer than ``min_matched`` matched episodes or ``min_controls`` distinct controls
is **too small**: its counts stay, every estimate is NaN and its reason is a
:class:`SampleSize` code. A measure known for fewer than ``min_matched`` episodes is NaN too.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

import numpy as np

from tumbuh.growth.grouping import Grouping, GroupValue, everyone, group_by
from tumbuh.growth.intervals import t_quantile, wilson_interval
from tumbuh.growth.pmt_adjustment import Adjusted, adjust
from tumbuh.growth.pmt_matching import CALIPER_Z, FOLLOWUP_WINDOW_DAYS, MAX_CONTROLS, MatchStatus
from tumbuh.growth.pmt_outcomes import Candidates, Episodes, Evaluation, Measure, evaluate
from tumbuh.growth.trend import difference_interval
from tumbuh.growth.types import BoolArray, FloatArray, IntArray

MIN_MATCHED = 20  # matched episodes a row needs before it shows any estimate
MIN_CONTROLS = 10  # distinct comparison children a row needs
LEVEL = 0.95


class OutcomeGroup(StrEnum):
    """The groupings :func:`evaluate_city` summarises by: the whole city (or area), each
    kitchen, kelurahan, funding line and indication."""

    CITY = "city"
    KITCHEN = "kitchen"
    KELURAHAN = "kelurahan"
    FUNDING = "funding"
    INDICATION = "indication"


class SampleSize(IntEnum):
    """Whether a row has enough children to say anything (0), or why not."""

    ENOUGH = 0
    FEW_MATCHED = 1  # fewer than min_matched matched episodes
    FEW_CONTROLS = 2  # fewer than min_controls distinct comparison children


@dataclass(frozen=True)
class Comparison:
    """One measure, per group: the fed and comparison means (recovery: rates 0-1), the
    difference fed minus comparison and its interval; NaN where too small."""

    n: IntArray  # matched episodes with the measure known for them and a control
    fed: FloatArray
    comparison: FloatArray
    difference: FloatArray
    lower: FloatArray
    upper: FloatArray


@dataclass(frozen=True)
class OutcomeSummary:
    """Per group (``keys`` in the order of the :class:`Grouping`): counts, adherence, the
    naive before/after means of the fed, and the matched comparison of each measure."""

    names: tuple[str, ...]  # grouping key names, () for the whole city
    keys: tuple[tuple[GroupValue, ...], ...]
    n_enrolled: IntArray
    n_followed: IntArray  # with a follow-up measurement
    n_matched: IntArray  # with at least one control
    n_controls: IntArray  # distinct comparison children used
    too_small: BoolArray
    reason: IntArray  # SampleSize codes
    adherence: FloatArray  # mean days served / planned, over episodes with days planned
    exits: dict[str, IntArray]  # recorded exit outcome ("": none yet) -> episodes
    before_after: dict[Measure, FloatArray]  # naive: mean among fed with a follow-up
    comparisons: dict[Measure, Comparison]


@dataclass(frozen=True)
class CityOutcomes:
    """The evaluation of a whole city and its summaries by each grouping."""

    evaluation: Evaluation
    by_kitchen: OutcomeSummary
    by_kelurahan: OutcomeSummary
    by_funding: OutcomeSummary
    by_indication: OutcomeSummary
    city: OutcomeSummary


def _sums(group: IntArray, n_groups: int, weights: FloatArray | None = None) -> FloatArray:
    inside = group >= 0
    chosen = None if weights is None else weights[inside]
    return np.bincount(group[inside], weights=chosen, minlength=n_groups).astype(np.float64)


def _means(group: IntArray, n_groups: int, values: FloatArray) -> FloatArray:
    known = ~np.isnan(values)
    total = _sums(np.where(known, group, -1), n_groups, np.where(known, values, 0.0))
    count = _sums(np.where(known, group, -1), n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: FloatArray = total / count
    return mean


@dataclass(frozen=True)
class _Sets:
    """The matched sets of one measure: valid pairs and per-episode sums."""

    group: IntArray  # per episode: group, -1 where not in the comparison of this measure
    pair_episode: IntArray  # per valid pair
    pair_group: IntArray
    pair_weight: FloatArray
    pair_value: FloatArray
    control_mean: FloatArray  # per episode
    n_controls: FloatArray  # per episode: valid controls
    reuse: tuple[FloatArray, FloatArray]  # per group: sum_j w_j^2 and sum_j (w_j^2 - s_j)
    adjustment: FloatArray  # per group: n^2 times the variance the adjustment's slopes add


def _sets(
    evaluation: Evaluation, measure: Measure, adjusted: Adjusted, group: IntArray, n_groups: int
) -> _Sets:
    matches = evaluation.matches
    fed = evaluation.fed.of(measure)
    n_episodes = fed.shape[0]
    pair_e = matches.episode
    ok = ~np.isnan(adjusted.values) & ~np.isnan(fed[pair_e]) & (group[pair_e] >= 0)
    pair_e, child, value = pair_e[ok], matches.child[ok], adjusted.values[ok]
    n_controls = np.bincount(pair_e, minlength=n_episodes).astype(np.float64)
    weight = 1.0 / n_controls[pair_e]
    control_mean = np.bincount(pair_e, weights=weight * value, minlength=n_episodes).astype(
        np.float64
    )
    pair_group = group[pair_e]
    # a child whose rows (months) serve several episodes counts as one control
    _, child = np.unique(child, return_inverse=True)
    stride = int(child.max()) + 1 if child.size else 1
    shared, which = np.unique(pair_group * stride + child.ravel(), return_inverse=True)
    w_j = np.bincount(which.ravel(), weights=weight).astype(np.float64)
    s_j = np.bincount(which.ravel(), weights=weight * weight).astype(np.float64)
    group_j = shared // stride
    reuse = (_sums(group_j, n_groups, w_j * w_j), _sums(group_j, n_groups, w_j * w_j - s_j))
    # the slopes' uncertainty, carried by each group's weighted sum of gaps per stratum
    n_strata = adjusted.covariance.shape[0]
    at = pair_group * n_strata + evaluation.stratum[ok]
    gaps = [matches.z_gap[ok] * weight, matches.day_gap[ok] * weight]
    total = np.stack(
        [np.bincount(at, weights=g, minlength=n_groups * n_strata) for g in gaps], axis=1
    ).reshape(n_groups, n_strata, 2)
    adjustment = np.einsum("gsi,sij,gsj->g", total, adjusted.covariance, total)
    in_comparison = np.where(n_controls > 0, group, -1)
    return _Sets(
        in_comparison,
        pair_e,
        pair_group,
        weight,
        value,
        control_mean,
        n_controls,
        reuse,
        adjustment,
    )


def _within_variance(sets: _Sets, n_groups: int) -> FloatArray:
    """Per group: the controls' variance within their sets, pooled; where every set has
    one control, their variance across sets (larger: it includes the sets' differences)."""
    deviation = sets.pair_value - sets.control_mean[sets.pair_episode]
    squares = _sums(sets.pair_group, n_groups, deviation * deviation)
    df = _sums(sets.group, n_groups, sets.n_controls - 1)
    count = _sums(sets.pair_group, n_groups)
    total = _sums(sets.pair_group, n_groups, sets.pair_value)
    second = _sums(sets.pair_group, n_groups, sets.pair_value**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        across = np.where(count > 1, (second - total * total / count) / (count - 1), 0.0)
        pooled: FloatArray = np.where(df > 0, squares / df, np.maximum(across, 0.0))
    return pooled


def _compare(
    evaluation: Evaluation,
    measure: Measure,
    adjusted: Adjusted,
    by: Grouping,
    level: float,
) -> Comparison:
    group, n_groups = by.codes, by.n_groups
    sets = _sets(evaluation, measure, adjusted, group, n_groups)
    fed_values = evaluation.fed.of(measure)
    n = _sums(sets.group, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        fed = _sums(sets.group, n_groups, fed_values) / n
        comparison = _sums(sets.group, n_groups, sets.control_mean) / n
        if measure is Measure.RECOVERED:
            fed_low, fed_high = wilson_interval(fed * n, n, level)
            n_eff = n * n / sets.reuse[0]
            # the adjustment's own uncertainty lowers the comparison's effective number
            spread = np.clip(comparison, 0, 1) * (1 - np.clip(comparison, 0, 1))
            n_eff = np.where(
                spread > 0, spread / (spread / n_eff + sets.adjustment / (n * n)), n_eff
            )
            low, high = wilson_interval(np.clip(comparison, 0, 1) * n_eff, n_eff, level)
            both = difference_interval((comparison, low, high), (fed, fed_low, fed_high))
            difference, lower, upper = both.change, both.lower, both.upper
        else:
            difference = fed - comparison
            centre = np.append(difference, np.nan)[np.where(sets.group >= 0, sets.group, n_groups)]
            own = fed_values - sets.control_mean - centre
            spread = _sums(sets.group, n_groups, own * own) / (n * (n - 1))
            shared = _within_variance(sets, n_groups) * sets.reuse[1] / (n * n)
            half = t_quantile(n - 1, level) * np.sqrt(spread + shared + sets.adjustment / (n * n))
            lower, upper = difference - half, difference + half
    return Comparison(n.astype(np.int64), fed, comparison, difference, lower, upper)


def _counts(evaluation: Evaluation, group: IntArray, n_groups: int) -> dict[str, IntArray]:
    """n_enrolled, n_followed, n_matched and n_controls per group."""
    status, matches = evaluation.matches.status, evaluation.matches
    pair_group = group[matches.episode]
    inside = pair_group >= 0
    _, child = np.unique(matches.child[inside], return_inverse=True)
    stride = int(child.max()) + 1 if child.size else 1
    distinct = np.unique(pair_group[inside] * stride + child.ravel()) // stride
    found = {
        "n_enrolled": _sums(group, n_groups),
        "n_followed": _sums(np.where(status != MatchStatus.NO_FOLLOWUP, group, -1), n_groups),
        "n_matched": _sums(np.where(status == MatchStatus.MATCHED, group, -1), n_groups),
        "n_controls": _sums(distinct.astype(np.int64), n_groups),
    }
    return {name: values.astype(np.int64) for name, values in found.items()}


def _blank(comparison: Comparison, hidden: BoolArray) -> Comparison:
    """NaN in every estimate of the rows ``hidden``."""

    def blank(values: FloatArray) -> FloatArray:
        return np.where(hidden, np.nan, values)

    return Comparison(
        comparison.n,
        blank(comparison.fed),
        blank(comparison.comparison),
        blank(comparison.difference),
        blank(comparison.lower),
        blank(comparison.upper),
    )


def _exits(evaluation: Evaluation, group: IntArray, n_groups: int) -> dict[str, IntArray]:
    """Episodes per recorded exit outcome, per group."""
    recorded = np.asarray(evaluation.exit_outcome, dtype=object)
    return {
        value: _sums(np.where(recorded == value, group, -1), n_groups).astype(np.int64)
        for value in sorted(set(evaluation.exit_outcome))
    }


def adjust_all(evaluation: Evaluation) -> dict[Measure, Adjusted]:
    """The adjusted controls of every measure (:func:`tumbuh.growth.pmt_adjustment.adjust`),
    computed once for several summaries of one evaluation."""
    return {measure: adjust(evaluation, measure) for measure in Measure}


def summarise(
    evaluation: Evaluation,
    by: Grouping,
    *,
    adjusted: Mapping[Measure, Adjusted] | None = None,
    min_matched: int = MIN_MATCHED,
    min_controls: int = MIN_CONTROLS,
    level: float = LEVEL,
) -> OutcomeSummary:
    """The summary of every group of ``by`` (one group code per episode, -1: none);
    ``adjusted`` from :func:`adjust_all` when several summaries share the evaluation."""
    group, n_groups = by.codes, by.n_groups
    if group.shape[0] != evaluation.adherence.shape[0]:
        raise ValueError("the grouping must have one code per episode")
    moved = adjust_all(evaluation) if adjusted is None else adjusted
    counts = _counts(evaluation, group, n_groups)
    reason = np.select(
        [counts["n_matched"] < min_matched, counts["n_controls"] < min_controls],
        [SampleSize.FEW_MATCHED, SampleSize.FEW_CONTROLS],
        default=SampleSize.ENOUGH,
    ).astype(np.int64)
    too_small = reason != SampleSize.ENOUGH
    comparisons = {}
    for measure in Measure:
        found = _compare(evaluation, measure, moved[measure], by, level)
        comparisons[measure] = _blank(found, too_small | (found.n < min_matched))
    return OutcomeSummary(
        names=by.names,
        keys=by.keys,
        **counts,
        too_small=too_small,
        reason=reason,
        adherence=_means(group, n_groups, evaluation.adherence),
        exits=_exits(evaluation, group, n_groups),
        before_after={
            measure: np.where(
                too_small, np.nan, _means(group, n_groups, evaluation.fed.of(measure))
            )
            for measure in Measure
        },
        comparisons=comparisons,
    )


def evaluate_city(
    episodes: Episodes,
    candidates: Candidates,
    *,
    caliper: float = CALIPER_Z,
    window_days: float = FOLLOWUP_WINDOW_DAYS,
    max_controls: int = MAX_CONTROLS,
    min_matched: int = MIN_MATCHED,
    min_controls: int = MIN_CONTROLS,
) -> CityOutcomes:
    """Every episode of a city evaluated at once, summarised by kitchen, kelurahan, funding,
    indication and for the whole city (95 % intervals)."""
    evaluation = evaluate(
        episodes,
        candidates,
        caliper=caliper,
        window_days=window_days,
        max_controls=max_controls,
    )
    adjusted = adjust_all(evaluation)

    def by(grouping: Grouping) -> OutcomeSummary:
        return summarise(
            evaluation,
            grouping,
            adjusted=adjusted,
            min_matched=min_matched,
            min_controls=min_controls,
        )

    return CityOutcomes(
        evaluation=evaluation,
        by_kitchen=by(group_by(episodes.kitchen_id, names=("kitchen",))),
        by_kelurahan=by(group_by(episodes.kelurahan, names=("kelurahan",))),
        by_funding=by(group_by(episodes.funding, names=("funding",))),
        by_indication=by(group_by(episodes.indication, names=("indication",))),
        city=by(everyone(evaluation.adherence.shape[0])),
    )
