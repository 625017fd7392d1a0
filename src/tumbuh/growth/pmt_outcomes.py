"""Outcomes of PMT episodes, and the children they are compared with (docs/methods-programmes.md).

Two kinds of children come in, as arrays of equal length (:class:`Courses`): the
**episodes** (children fed at a kitchen, :class:`Episodes`) and the **candidates**
(children eligible in a month who were not enrolled, :class:`Candidates`). Each has a
baseline measurement and one follow-up measurement some days later. Per child:

* **recovered** by the exit rule of the episode's rule version, through
  :func:`tumbuh.growth.pmt.recovered` (docs/domain.md §6);
* **weight gain** in g/kg/day, ``1000 (W1 - W0) / (W0 * days)`` (:func:`weight_gain_g_kg_day`);
* the **change** in WHZ, WAZ and HAZ (follow-up minus baseline).

:func:`match` pairs every episode with up to five candidates of the same indication, rule
version, sex, age band (6-11, 12-23, 24-35, 36-47, 48-59 months) and baseline month, whose
baseline z of the indicator of the exit rule (WHZ for gizi kurang, WAZ for BB kurang and T)
is within 0.25 of the episode's and whose follow-up came within 14 days of the episode's
follow-up day (:mod:`tumbuh.growth.pmt_matching`: nearest z first, with replacement). A
candidate is judged by the episode's rule **on the episode's follow-up day** (as the rule
counts it: :attr:`Episodes.rule_day`), so a rule "by day 56" treats both children alike.

:func:`evaluate` returns all of it; :mod:`tumbuh.growth.pmt_comparison` summarises it by
group with intervals.
"""

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.pmt import RULES, Checkpoint, Indication, adherence, recovered
from tumbuh.growth.pmt_matching import (
    CALIPER_Z,
    FOLLOWUP_WINDOW_DAYS,
    MAX_CONTROLS,
    Matches,
    MatchRows,
    age_band,
    match_controls,
)
from tumbuh.growth.types import FloatArray, IntArray

_VERSIONS: tuple[str, ...] = tuple(sorted(RULES))
_INDICATORS = ("whz", "waz", "haz")


class Measure(StrEnum):
    """What is compared: recovery (0/1), weight gain, and the change of each z-score."""

    RECOVERED = "recovered"
    GAIN = "gain_g_kg_day"
    WHZ_CHANGE = "whz_change"
    WAZ_CHANGE = "waz_change"
    HAZ_CHANGE = "haz_change"


@dataclass(frozen=True)
class Courses:
    """Children with a baseline and one follow-up measurement; one element per child.

    ``indication``: :attr:`Indication.code`; ``version``: the rule version (a key of
    :data:`tumbuh.growth.pmt.RULES`, e.g. ``"2023"``); ``sex``: 1 male, 2 female;
    ``age_months``: completed months at baseline; ``baseline_month``: the month of the
    baseline as an integer month number (e.g. ``year * 12 + month - 1``) or as
    ``datetime64[M]``, the same form for episodes and candidates; ``followup_day``: days
    from the baseline to the follow-up (NaN: none). z-scores and weights NaN when missing.
    """

    child_id: ArrayLike  # integer; a child may have several rows (months, episodes)
    indication: ArrayLike
    version: ArrayLike
    sex: ArrayLike
    age_months: ArrayLike
    baseline_month: ArrayLike
    baseline_whz: ArrayLike
    baseline_waz: ArrayLike
    baseline_haz: ArrayLike
    baseline_weight_kg: ArrayLike
    followup_day: ArrayLike
    followup_whz: ArrayLike
    followup_waz: ArrayLike
    followup_haz: ArrayLike
    followup_weight_kg: ArrayLike


@dataclass(frozen=True)
class Episodes(Courses):
    """Enrolled episodes: the baseline is the enrolment's measurement, the follow-up the
    checkpoint its exit is judged on. ``kitchen_id``, ``kelurahan`` and ``funding`` are
    grouping keys (None or NaN: none); ``planned_days`` and ``served_days`` give the
    adherence; ``exit_outcome`` (the recorded outcome, text) is only counted, never trusted:
    recovery is judged again from the measurements.

    ``rule_day``: the follow-up's day as the exit rule counts it, from the episode's start
    (the baseline is weighed a few days before the start; a 2025 rule "by day 56" counts
    from the start). None or NaN: ``followup_day``. The exit rule judges the episode and its
    controls on this day; matching, weight gain and z changes keep ``followup_day``, the
    days between the two weighings, as the candidates have it."""

    episode_id: ArrayLike
    kitchen_id: ArrayLike
    kelurahan: ArrayLike
    funding: ArrayLike
    planned_days: ArrayLike
    served_days: ArrayLike
    exit_outcome: ArrayLike
    rule_day: ArrayLike | None = None


@dataclass(frozen=True)
class Candidates(Courses):
    """Children eligible in ``baseline_month`` and not enrolled (before their follow-up),
    with the indication they would have had and their own next measurement. One row per
    child, month and follow-up; a child appears at most once among an episode's controls."""


@dataclass(frozen=True)
class Outcomes:
    """Per child (or per matched pair): recovered (1.0, 0.0, NaN undecided), weight gain in
    g/kg/day and the change of each z-score (NaN where a value is missing)."""

    recovered: FloatArray
    gain_g_kg_day: FloatArray
    whz_change: FloatArray
    waz_change: FloatArray
    haz_change: FloatArray

    def of(self, measure: Measure) -> FloatArray:
        """The values of ``measure``."""
        values: FloatArray = getattr(self, measure.value)
        return values


@dataclass(frozen=True)
class Evaluation:
    """Everything per episode and per pair that the summaries need."""

    fed: Outcomes  # one element per episode
    adherence: FloatArray  # per episode: served / planned days
    exit_outcome: tuple[str, ...]  # per episode, as given ("": none recorded)
    matches: Matches
    control: Outcomes  # one element per pair of ``matches``
    stratum: IntArray  # per pair: the episode's (indication, rule version), for adjustment


def weight_gain_g_kg_day(
    start_weight_kg: ArrayLike, weight_kg: ArrayLike, days: ArrayLike
) -> FloatArray:
    """``1000 (W1 - W0) / (W0 * days)``: grams gained per kg of starting weight per day.

    The rate of weight gain of feeding programmes (WHO, *Management of severe
    malnutrition: a manual for physicians and other senior health workers*, 1999; the
    CMAM convention of discharge minus admission weight over admission weight and days),
    with the weight at enrolment as W0 (no oedema: gizi buruk is never PMT). NaN where a
    weight is missing or not positive, or ``days`` is not positive.
    """
    w0 = np.asarray(start_weight_kg, dtype=np.float64)
    w1 = np.asarray(weight_kg, dtype=np.float64)
    d = np.asarray(days, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = (w0 > 0) & (w1 > 0) & (d > 0)
        gain: FloatArray = np.where(ok, 1000.0 * (w1 - w0) / (w0 * d), np.nan)
    return gain


@dataclass(frozen=True)
class _Arrays:
    """:class:`Courses` as checked NumPy arrays."""

    child: IntArray
    indication: IntArray
    version: IntArray  # index into _VERSIONS, -1 unknown
    sex: IntArray
    band: IntArray
    month: FloatArray  # NaN: unknown
    baseline: dict[str, FloatArray]  # "whz", "waz", "haz", "weight_kg"
    followup: dict[str, FloatArray]
    day: FloatArray

    @property
    def n(self) -> int:
        return int(self.day.shape[0])


def _floats(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64).ravel()


def _codes(values: ArrayLike) -> IntArray:
    """Integer codes; -1 where missing (NaN)."""
    numbers = _floats(values)
    return np.where(np.isfinite(numbers), numbers, -1).astype(np.int64)


def _texts(values: ArrayLike) -> tuple[str, ...]:
    """Text per row; "" where missing (None or NaN)."""
    return tuple(
        "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
        for v in np.asarray(values, dtype=object).ravel().tolist()
    )


def _version_codes(version: ArrayLike) -> IntArray:
    text = np.asarray(version, dtype=object).ravel()
    if text.size == 0:
        return np.zeros(0, dtype=np.int64)
    uniques, inverse = np.unique(text.astype(str), return_inverse=True)
    codes = np.array([_VERSIONS.index(v) if v in _VERSIONS else -1 for v in uniques.tolist()])
    return np.asarray(codes[inverse.ravel()], dtype=np.int64)


def _month_numbers(months: ArrayLike) -> tuple[FloatArray, bool]:
    """Month numbers (NaN unknown), and whether they came as datetime64."""
    values = np.asarray(months).ravel()
    if values.dtype.kind == "M":
        numbers = values.astype("datetime64[M]").astype(np.int64).astype(np.float64)
        return np.where(np.isnat(values), np.nan, numbers), True
    return np.asarray(values, dtype=np.float64), False


def _arrays(courses: Courses) -> tuple[_Arrays, bool]:
    month, dated = _month_numbers(courses.baseline_month)
    day = _floats(courses.followup_day)
    with np.errstate(invalid="ignore"):
        day = np.where(day > 0, day, np.nan)  # a follow-up comes after the baseline
    sides = [
        {name: _floats(getattr(courses, f"{when}_{name}")) for name in (*_INDICATORS, "weight_kg")}
        for when in ("baseline", "followup")
    ]
    found = _Arrays(
        child=np.asarray(courses.child_id, dtype=np.int64).ravel(),
        indication=_codes(courses.indication),
        version=_version_codes(courses.version),
        sex=_codes(courses.sex),
        band=age_band(_floats(courses.age_months)),
        month=month,
        baseline=sides[0],
        followup=sides[1],
        day=day,
    )
    lengths = {a.shape[0] for a in (found.child, found.indication, found.version, found.sex)}
    lengths |= {a.shape[0] for side in sides for a in side.values()}
    if lengths - {found.n} or found.band.shape[0] != found.n or month.shape[0] != found.n:
        raise ValueError(f"every array of {type(courses).__name__} must have the same length")
    return found, dated


def _judge(rows: _Arrays, pick: IntArray, version: IntArray, day: FloatArray) -> FloatArray:
    """Recovered (1/0/NaN) for the rows ``pick`` of ``rows``, by the rule ``version`` (codes)
    of their indication, at checkpoint ``day``."""
    indication = rows.indication[pick]
    result = np.full(pick.shape[0], np.nan)
    for v, name in enumerate(_VERSIONS):
        rules = RULES[name]
        for kind in Indication:
            rule = rules.exits.get(kind)
            chosen = (version == v) & (indication == kind.code)
            if rule is None or not chosen.any():
                continue
            at = pick[chosen]
            checkpoint = Checkpoint(
                day=day[chosen],
                start_z=rows.baseline[rule.indicator][at],
                z=rows.followup[rule.indicator][at],
                start_weight_kg=rows.baseline["weight_kg"][at],
                weight_kg=rows.followup["weight_kg"][at],
            )
            result[chosen] = recovered(rules, kind, checkpoint)
    return result


def _outcomes(rows: _Arrays, pick: IntArray, recovered_: FloatArray) -> Outcomes:
    """The outcomes of rows ``pick`` (each over its own days), with ``recovered_`` given."""
    day = rows.day[pick]
    before, after = rows.baseline, rows.followup
    return Outcomes(
        recovered=recovered_,
        gain_g_kg_day=weight_gain_g_kg_day(
            before["weight_kg"][pick], after["weight_kg"][pick], day
        ),
        **{
            f"{name}_change": np.where(day > 0, after[name][pick] - before[name][pick], np.nan)
            for name in _INDICATORS
        },
    )


def _rule_days(episodes: Episodes, rows: _Arrays) -> FloatArray:
    """The day each episode's exit rule counts (``rule_day``; where None or NaN, the
    follow-up day); NaN where the episode has no follow-up."""
    if episodes.rule_day is None:
        return rows.day
    day = _floats(episodes.rule_day)
    if day.shape[0] != rows.n:
        raise ValueError("every array of Episodes must have the same length")
    return np.where(np.isnan(rows.day), np.nan, np.where(np.isnan(day), rows.day, day))


def episode_outcomes(episodes: Episodes) -> Outcomes:
    """Per episode: recovered by the rule of its version, gain and z-score changes."""
    rows, _ = _arrays(episodes)
    every = np.arange(rows.n, dtype=np.int64)
    return _outcomes(rows, every, _judge(rows, every, rows.version, _rule_days(episodes, rows)))


def _match_rows(rows: _Arrays) -> MatchRows:
    """Keys (indication, version, sex, age band, month) and the baseline z of each row's
    indicator, that of its exit rule (NaN without a rule: not matchable)."""
    z = np.full(rows.n, np.nan)
    for v, name in enumerate(_VERSIONS):
        for kind, rule in RULES[name].exits.items():
            chosen = (rows.version == v) & (rows.indication == kind.code)
            z[chosen] = rows.baseline[rule.indicator][chosen]
    month = np.where(np.isfinite(rows.month) & (rows.month >= 0), rows.month, -1)
    sex = np.where(np.isin(rows.sex, (1, 2)), rows.sex, -1)
    keys = (rows.indication, rows.version, sex, rows.band, month.astype(np.int64))
    return MatchRows(keys, z, rows.day, rows.child)


def _checked(episodes: Episodes, candidates: Candidates) -> tuple[_Arrays, _Arrays]:
    rows_e, dated_e = _arrays(episodes)
    rows_c, dated_c = _arrays(candidates)
    if dated_e != dated_c and rows_e.n and rows_c.n:
        raise ValueError(
            "baseline_month of episodes and candidates must be in the same form "
            "(both month numbers or both datetime64)"
        )
    return rows_e, rows_c


def match(
    episodes: Episodes,
    candidates: Candidates,
    *,
    caliper: float = CALIPER_Z,
    window_days: float = FOLLOWUP_WINDOW_DAYS,
    max_controls: int = MAX_CONTROLS,
) -> Matches:
    """Each episode's controls (:func:`tumbuh.growth.pmt_matching.match_controls`): same
    indication, rule version, sex, age band and baseline month, baseline z of the
    indicator within ``caliper``, follow-up within ``window_days`` of the episode's."""
    rows_e, rows_c = _checked(episodes, candidates)
    return match_controls(
        _match_rows(rows_e),
        _match_rows(rows_c),
        caliper=caliper,
        window_days=window_days,
        max_controls=max_controls,
    )


def evaluate(
    episodes: Episodes,
    candidates: Candidates,
    *,
    caliper: float = CALIPER_Z,
    window_days: float = FOLLOWUP_WINDOW_DAYS,
    max_controls: int = MAX_CONTROLS,
) -> Evaluation:
    """Outcomes of every episode, its matches, and the outcomes of its controls: judged
    by the episode's rule at the episode's follow-up day; gain and changes over their own
    days."""
    rows_e, rows_c = _checked(episodes, candidates)
    matches = match_controls(
        _match_rows(rows_e),
        _match_rows(rows_c),
        caliper=caliper,
        window_days=window_days,
        max_controls=max_controls,
    )
    every = np.arange(rows_e.n, dtype=np.int64)
    rule_day = _rule_days(episodes, rows_e)
    fed = _outcomes(rows_e, every, _judge(rows_e, every, rows_e.version, rule_day))
    pair_e, pair_c = matches.episode, matches.candidate
    control = _outcomes(
        rows_c, pair_c, _judge(rows_c, pair_c, rows_e.version[pair_e], rule_day[pair_e])
    )
    exits = _texts(episodes.exit_outcome)
    served = adherence(episodes.served_days, episodes.planned_days).ravel()
    if len(exits) != rows_e.n or served.shape[0] != rows_e.n:
        raise ValueError("every array of Episodes must have the same length")
    stratum = rows_e.indication[pair_e] * len(_VERSIONS) + rows_e.version[pair_e]
    return Evaluation(fed, served, exits, matches, control, stratum)
