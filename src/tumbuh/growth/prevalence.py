"""Prevalence of stunting, wasting, underweight and overweight, and z-score summaries, by group.

All results are typed (frozen dataclasses of arrays, one element per group) and every
estimator works on whole columns with grouped sums: the web application, reports and the
``tumbuh prevalence`` command call these functions.

Which z-scores count follows WHO anthro's standard analysis (``anthro_prevalence``,
R/prevalence.R of anthro 1.1.0):

* a WHO-flagged z-score (implausible value) is left out, as if missing;
* a child with oedema has no weight-based z-score (weight-for-age, weight-for-length/
  height, BMI-for-age) for the mean and SD, but counts with z = -3.1 in their prevalences:
  in every denominator, and as severely wasted / underweight;
* a prevalence is the share of children with a known z-score below (cut-off < 0) or above
  (cut-off > 0) the cut-off; a combined outcome (stunted and wasted) is known when both
  z-scores are, and present when both conditions hold.

Two kinds of estimate:

* :func:`register_prevalence` — register data (every child of the area measured, e.g.
  e-PPGBM or a bulan timbang): counts, prevalence and a Wilson (default) or exact binomial
  interval per group, and mean/SD of the z-scores;
* :func:`survey_prevalence` — survey data: anthro's estimates, standard errors and
  logit intervals for a simple, weighted or stratified cluster sample
  (:mod:`tumbuh.growth.survey`, :mod:`tumbuh.growth.domains`).

Example (stunting per kecamatan and posyandu from stored z-scores)::

    scores = prevalence_scores({Indicator.HAZ: haz}, flags={Indicator.HAZ: fhaz})
    table = register_prevalence(scores, [kecamatan, posyandu_id], outcomes=[STUNTING])
    table.labels, table.proportions[STUNTING].proportion, table.proportions[STUNTING].lower

Methods and sources: docs/methods-prevalence.md.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth import domains, intervals, survey
from tumbuh.growth.enums import Indicator
from tumbuh.growth.grouping import Grouping, everyone, group_by
from tumbuh.growth.scores import flag
from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.who2006 import WHO_FLAG_LIMITS

OEDEMA_ZSCORE = -3.1  # anthro: a child with oedema counts as below -3 SD
WEIGHT_BASED = (Indicator.WAZ, Indicator.WHZ, Indicator.BAZ)
MAIN_INDICATORS = (Indicator.HAZ, Indicator.WAZ, Indicator.WHZ, Indicator.BAZ)
# WHO flag limits of the four indicators anthro's prevalence covers (the same in anthro and
# anthroplus); other indicators are not flagged here unless the caller gives flags.
FLAG_LIMITS: dict[Indicator, tuple[float, float]] = {
    indicator: WHO_FLAG_LIMITS[indicator] for indicator in MAIN_INDICATORS
}
ANTHRO_CUTOFFS = (-3.0, -2.0, -1.0, 1.0, 2.0, 3.0)


@dataclass(frozen=True)
class Condition:
    """``z < threshold`` for a negative threshold, ``z > threshold`` for a positive one."""

    indicator: Indicator
    threshold: float

    def holds(self, z: FloatArray) -> FloatArray:
        """1.0 where the condition holds, 0.0 where not, NaN where z is missing."""
        with np.errstate(invalid="ignore"):
            hit = z < self.threshold if self.threshold < 0 else z > self.threshold
        return np.where(np.isnan(z), np.nan, hit.astype(np.float64))


@dataclass(frozen=True)
class Outcome:
    """A nutritional outcome: all its conditions hold. Outcomes with the same conditions
    are equal whatever their names (``STUNTING == cutoff(Indicator.HAZ, -2)``)."""

    name: str = field(compare=False)
    conditions: tuple[Condition, ...]


def cutoff(indicator: Indicator, threshold: float) -> Outcome:
    """The outcome of one cut-off, named like anthro's columns (``haz_2``: HAZ < -2)."""
    sign = "_" if threshold < 0 else ""
    return Outcome(f"{indicator.value}{sign}{abs(threshold):g}", (Condition(indicator, threshold),))


STUNTING = Outcome("stunting", (Condition(Indicator.HAZ, -2),))
SEVERE_STUNTING = Outcome("severe_stunting", (Condition(Indicator.HAZ, -3),))
WASTING = Outcome("wasting", (Condition(Indicator.WHZ, -2),))
SEVERE_WASTING = Outcome("severe_wasting", (Condition(Indicator.WHZ, -3),))
UNDERWEIGHT = Outcome("underweight", (Condition(Indicator.WAZ, -2),))
SEVERE_UNDERWEIGHT = Outcome("severe_underweight", (Condition(Indicator.WAZ, -3),))
OVERWEIGHT = Outcome("overweight", (Condition(Indicator.WHZ, 2),))
OBESITY = Outcome("obesity", (Condition(Indicator.WHZ, 3),))
STUNTED_AND_WASTED = Outcome("stunted_and_wasted", STUNTING.conditions + WASTING.conditions)
STUNTED_AND_OVERWEIGHT = Outcome(
    "stunted_and_overweight", STUNTING.conditions + OVERWEIGHT.conditions
)
REGISTER_OUTCOMES = (
    STUNTING,
    SEVERE_STUNTING,
    WASTING,
    SEVERE_WASTING,
    UNDERWEIGHT,
    SEVERE_UNDERWEIGHT,
    OVERWEIGHT,
    OBESITY,
    STUNTED_AND_WASTED,
    STUNTED_AND_OVERWEIGHT,
)


def anthro_outcomes(indicators: Sequence[Indicator] = MAIN_INDICATORS) -> tuple[Outcome, ...]:
    """anthro's table: six cut-offs per indicator, then the two combined outcomes."""
    single = tuple(cutoff(i, t) for i in indicators for t in ANTHRO_CUTOFFS)
    if Indicator.HAZ in indicators and Indicator.WHZ in indicators:
        return (*single, STUNTED_AND_WASTED, STUNTED_AND_OVERWEIGHT)
    return single


@dataclass(frozen=True)
class PrevalenceScores:
    """The z-scores an analysis uses, after anthro's flag and oedema rules."""

    summary: dict[Indicator, FloatArray]  # for mean and SD: flagged and oedema rows NaN
    prevalence: dict[Indicator, FloatArray]  # for cut-offs: oedema rows -3.1 where it applies

    @property
    def n_rows(self) -> int:
        """Number of rows (children or measurements)."""
        return int(next(iter(self.summary.values())).shape[0])

    def outcome(self, outcome: Outcome) -> FloatArray:
        """1/0 per row for ``outcome``; NaN where one of its z-scores is missing."""
        result = np.ones(self.n_rows, dtype=np.float64)
        for condition in outcome.conditions:
            result = result * condition.holds(self.prevalence[condition.indicator])
        return result


def prevalence_scores(
    zscores: Mapping[Indicator, ArrayLike],
    *,
    flags: Mapping[Indicator, ArrayLike] | None = None,
    oedema: ArrayLike | Mapping[Indicator, ArrayLike] | None = None,
) -> PrevalenceScores:
    """Apply anthro's rules to rounded z-scores (one array per indicator, equal lengths).

    ``flags`` are WHO flags (1 = implausible); when absent they are derived from the
    z-scores with WHO's limits (:data:`FLAG_LIMITS`). ``oedema`` is one boolean array
    for all weight-based indicators, or one per indicator (anthroplus counts oedema for
    weight-for-age only up to 120 months).
    """
    summary: dict[Indicator, FloatArray] = {}
    prevalence: dict[Indicator, FloatArray] = {}
    lengths = set()
    for indicator, values in zscores.items():
        z = np.array(values, dtype=np.float64)
        lengths.add(z.shape)
        if flags is not None and indicator in flags:
            flagged = np.asarray(flags[indicator], dtype=np.float64) == 1
        else:
            low, high = FLAG_LIMITS.get(indicator, (-np.inf, np.inf))
            flagged = flag(z, low, high) == 1
        z[flagged] = np.nan
        swollen = _oedema_for(indicator, oedema, z.shape[0])
        summary[indicator] = np.where(swollen, np.nan, z)
        prevalence[indicator] = np.where(swollen, OEDEMA_ZSCORE, z)
    if len(lengths) != 1:
        raise ValueError("prevalence needs one z-score array per indicator, all of equal length")
    return PrevalenceScores(summary, prevalence)


def _oedema_for(
    indicator: Indicator, oedema: ArrayLike | Mapping[Indicator, ArrayLike] | None, n: int
) -> BoolArray:
    if oedema is None:
        return np.zeros(n, dtype=bool)
    if isinstance(oedema, Mapping):
        values = oedema.get(indicator)
        return np.zeros(n, dtype=bool) if values is None else np.asarray(values, dtype=bool)
    if indicator not in WEIGHT_BASED:
        return np.zeros(n, dtype=bool)
    return np.asarray(oedema, dtype=bool)


@dataclass(frozen=True)
class ProportionEstimates:
    """One outcome in every group (arrays aligned with the table's groups)."""

    n: IntArray  # children whose outcome is known: the denominator
    weighted_n: FloatArray  # their summed sampling weights (= n without weights)
    cases: IntArray  # children with the outcome (unweighted)
    proportion: FloatArray  # estimated prevalence, 0-1; NaN where n is 0
    se: FloatArray  # its standard error
    lower: FloatArray  # confidence interval, 0-1
    upper: FloatArray


@dataclass(frozen=True)
class ZscoreSummary:
    """Mean and standard deviation of one z-score in every group."""

    n: IntArray
    weighted_n: FloatArray
    mean: FloatArray
    se: FloatArray  # standard error of the mean
    lower: FloatArray  # confidence interval of the mean
    upper: FloatArray
    sd: FloatArray  # standard deviation of the z-scores; NaN below 2 children


@dataclass(frozen=True)
class PrevalenceTable:
    """Estimates for every group of one grouping."""

    grouping: Grouping
    proportions: dict[Outcome, ProportionEstimates]
    zscores: dict[Indicator, ZscoreSummary]
    level: float  # confidence level of the intervals

    @property
    def labels(self) -> tuple[str, ...]:
        """Group labels, in row order."""
        return self.grouping.labels


class Interval(StrEnum):
    """Confidence interval for register prevalences."""

    WILSON = "wilson"
    EXACT = "exact"  # Clopper-Pearson


def _chosen(
    scores: PrevalenceScores,
    indicators: Sequence[Indicator] | None,
    outcomes: Sequence[Outcome] | None,
    default_outcomes: Sequence[Outcome],
) -> tuple[tuple[Indicator, ...], tuple[Outcome, ...]]:
    """The z-scores and outcomes to estimate: by default those the scores allow."""
    available = set(scores.summary)
    if indicators is None:
        indicators = [i for i in MAIN_INDICATORS if i in available]
    if outcomes is None:
        outcomes = [o for o in default_outcomes if {c.indicator for c in o.conditions} <= available]
    needed = set(indicators) | {c.indicator for o in outcomes for c in o.conditions}
    if not needed <= available:
        missing = ", ".join(sorted(i.value for i in needed - available))
        raise ValueError(f"no z-scores given for {missing}")
    return tuple(indicators), tuple(outcomes)


def _as_grouping(by: Grouping | Sequence[ArrayLike], n_rows: int) -> Grouping:
    if isinstance(by, Grouping):
        return by
    return group_by(*by) if len(by) else everyone(n_rows)


def register_prevalence(
    scores: PrevalenceScores,
    by: Grouping | Sequence[ArrayLike] = (),
    *,
    outcomes: Sequence[Outcome] | None = None,
    indicators: Sequence[Indicator] | None = None,
    interval: Interval = Interval.WILSON,
    level: float = 0.95,
) -> PrevalenceTable:
    """Counts, prevalence and binomial intervals per group, for register data.

    ``by`` is a :class:`Grouping` or key arrays (kecamatan, posyandu, ...), one group per
    combination; nothing means one group of all rows. ``se`` is the binomial
    ``sqrt(p (1 - p) / n)``; the mean z-score gets ``mean +/- t(n - 1) * sd / sqrt(n)``.
    """
    indicators, outcomes = _chosen(scores, indicators, outcomes, REGISTER_OUTCOMES)
    grouping = _as_grouping(by, scores.n_rows)
    codes = grouping.codes
    g = grouping.n_groups
    proportions: dict[Outcome, ProportionEstimates] = {}
    for outcome in outcomes:
        value = scores.outcome(outcome)
        known = (codes >= 0) & ~np.isnan(value)
        n = np.bincount(codes[known], minlength=g)
        cases = (
            np.bincount(codes[known], weights=value[known], minlength=g).round().astype(np.int64)
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            p = cases / n
            se = np.sqrt(p * (1 - p) / n)
        bounds = (
            intervals.wilson_interval if interval is Interval.WILSON else intervals.exact_interval
        )
        lower, upper = bounds(cases, n, level)
        proportions[outcome] = ProportionEstimates(
            n, n.astype(np.float64), cases, p, se, lower, upper
        )
    summaries = {i: _register_summary(scores.summary[i], codes, g, level) for i in indicators}
    return PrevalenceTable(grouping, proportions, summaries, level)


def _register_summary(z: FloatArray, codes: IntArray, g: int, level: float) -> ZscoreSummary:
    known = (codes >= 0) & ~np.isnan(z)
    n = np.bincount(codes[known], minlength=g)
    total = np.bincount(codes[known], weights=z[known], minlength=g)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        deviation = z[known] - mean[codes[known]]
        squares = np.bincount(codes[known], weights=deviation * deviation, minlength=g)
        sd = np.where(n > 1, np.sqrt(squares / (n - 1)), np.nan)
        se = sd / np.sqrt(n)
    lower, upper = intervals.mean_interval(mean, se, n - 1, level)
    return ZscoreSummary(n, n.astype(np.float64), mean, se, lower, upper, sd)


def survey_prevalence(
    scores: PrevalenceScores,
    design: survey.SurveyDesign,
    by: Grouping | Sequence[ArrayLike] = (),
    *,
    outcomes: Sequence[Outcome] | None = None,
    indicators: Sequence[Indicator] | None = None,
    level: float = 0.95,
) -> PrevalenceTable:
    """anthro's prevalence estimates per group for a design (simple, weighted or clusters).

    Prevalences: weighted share, linearised standard error and logit interval on the
    design's degrees of freedom. Means: weighted mean, its standard error and
    ``mean +/- t * se``, where anthro's closed-form estimators (simple and weighted) use
    ``rows - 1`` degrees of freedom and the design estimator the design's. ``outcomes``
    defaults to anthro's table for ``indicators``.
    """
    grouping = _as_grouping(by, scores.n_rows)
    return survey_prevalence_tables(
        scores, design, [grouping], outcomes=outcomes, indicators=indicators, level=level
    )[0]


def survey_prevalence_tables(
    scores: PrevalenceScores,
    design: survey.SurveyDesign,
    groupings: Sequence[Grouping],
    *,
    outcomes: Sequence[Outcome] | None = None,
    indicators: Sequence[Indicator] | None = None,
    level: float = 0.95,
) -> list[PrevalenceTable]:
    """:func:`survey_prevalence` for several groupings, sharing the per-row work."""
    present = _chosen(scores, indicators, outcomes, ())[0]
    indicators, chosen = _chosen(scores, indicators, outcomes, anthro_outcomes(present))
    families = _families(scores, chosen)
    z = np.column_stack([scores.summary[i] for i in indicators])
    closed_form = design.estimator is not survey.Estimator.DESIGN
    design_df = design.degrees_of_freedom
    summary_df = design.row_degrees_of_freedom if closed_form else design_df
    hybrid = design.estimator is survey.Estimator.WEIGHTED
    tables = []
    for grouping in groupings:
        dom = domains.domains(design, grouping)
        proportions: dict[Outcome, ProportionEstimates] = {}
        for family in families:
            shares = domains.domain_shares(design, dom, family.category, family.membership)
            se = np.sqrt(shares.variance)
            lower, upper = intervals.logit_interval(shares.mean, se, design_df, level)
            for j, position in enumerate(family.outcomes):
                proportions[chosen[position]] = ProportionEstimates(
                    shares.n[:, j],
                    shares.weighted_n[:, j],
                    shares.total[:, j].round().astype(np.int64),
                    shares.mean[:, j],
                    se[:, j],
                    lower[:, j],
                    upper[:, j],
                )
        means = domains.domain_means(design, dom, z)
        mean_se = np.sqrt(means.variance)
        mean_lower, mean_upper = intervals.mean_interval(means.mean, mean_se, summary_df, level)
        sd = np.sqrt(domains.value_variance(means, count_zero_weights=hybrid))
        summaries = {
            indicator: ZscoreSummary(
                means.n[:, j],
                means.weighted_n[:, j],
                means.mean[:, j],
                mean_se[:, j],
                mean_lower[:, j],
                mean_upper[:, j],
                sd[:, j],
            )
            for j, indicator in enumerate(indicators)
        }
        ordered = {outcome: proportions[outcome] for outcome in chosen}
        tables.append(PrevalenceTable(grouping, ordered, summaries, level))
    return tables


@dataclass(frozen=True)
class _Family:
    """Outcomes on the same z-scores, coded as one category per row (see domain_shares)."""

    outcomes: tuple[int, ...]  # positions in the list of outcomes
    category: IntArray  # which combination of the family's conditions holds; -1 unknown
    membership: BoolArray  # categories x outcomes: where each outcome is present


def _families(scores: PrevalenceScores, outcomes: Sequence[Outcome]) -> list[_Family]:
    """Group outcomes by the z-scores they use; code each row by which conditions hold."""
    by_indicators: dict[tuple[Indicator, ...], list[int]] = {}
    for j, outcome in enumerate(outcomes):
        key = tuple(sorted({c.indicator for c in outcome.conditions}))
        by_indicators.setdefault(key, []).append(j)
    families = []
    for key, members in by_indicators.items():
        conditions = list(dict.fromkeys(c for j in members for c in outcomes[j].conditions))
        if len(conditions) > 62:
            raise ValueError("at most 62 distinct cut-offs on the same z-scores")
        known = np.logical_and.reduce([~np.isnan(scores.prevalence[i]) for i in key])
        bits = np.zeros(scores.n_rows, dtype=np.int64)
        for b, condition in enumerate(conditions):
            holds = condition.holds(scores.prevalence[condition.indicator]) == 1
            bits |= holds.astype(np.int64) << b
        codes, inverse = np.unique(bits[known], return_inverse=True)
        category = np.full(scores.n_rows, -1, dtype=np.int64)
        category[known] = np.asarray(inverse, dtype=np.int64).ravel()
        position = {c: b for b, c in enumerate(conditions)}
        membership = np.array(
            [
                [all(int(code) >> position[c] & 1 for c in outcomes[j].conditions) for j in members]
                for code in (codes.tolist() or [-1])
            ],
            dtype=bool,
        )
        families.append(_Family(tuple(members), category, membership))
    return families
