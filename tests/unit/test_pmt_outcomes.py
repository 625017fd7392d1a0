"""Outcomes of PMT episodes against matched children who were not fed
(docs/methods-programmes.md): hand-worked cases of the outcomes, the matching rules and the
small-number rule; published intervals (Newcombe 1998, the paired t interval); and
constructed cities with a known effect and regression to the mean, where the matched
estimate must find the effect that was put in and the naive before/after figure must not.
"""

import dataclasses
from typing import Any

import numpy as np
import pytest
from scipy import stats

from tumbuh.growth.grouping import everyone
from tumbuh.growth.pmt import Indication
from tumbuh.growth.pmt_comparison import (
    SampleSize,
    adjust_all,
    evaluate_city,
    summarise,
)
from tumbuh.growth.pmt_matching import MatchStatus, age_band
from tumbuh.growth.pmt_outcomes import (
    Candidates,
    Episodes,
    Evaluation,
    Measure,
    episode_outcomes,
    evaluate,
    match,
    weight_gain_g_kg_day,
)

NAN = float("nan")
WASTED, UNDERWEIGHT = Indication.WASTED.code, Indication.UNDERWEIGHT.code
MONTH = 2024 * 12 + 2  # March 2024
COURSE: dict[str, Any] = {
    "indication": WASTED,
    "version": "2023",
    "sex": 1,
    "age_months": 20,
    "baseline_month": MONTH,
    "baseline_whz": -2.5,
    "baseline_waz": -1.5,
    "baseline_haz": -1.0,
    "baseline_weight_kg": 10.0,
    "followup_day": 56.0,
    "followup_whz": -2.2,
    "followup_waz": -1.3,
    "followup_haz": -1.0,
    "followup_weight_kg": 10.3,
}


def _fields(n: int, fields: dict[str, Any]) -> dict[str, Any]:
    return {name: np.broadcast_to(np.asarray(value), (n,)).copy() for name, value in fields.items()}


def episodes(n: int = 1, **given: Any) -> Episodes:
    """``n`` episodes of gizi kurang, 2023 rules, boys of 20 months in March 2024."""
    defaults = {
        "child_id": np.arange(n),
        **COURSE,
        "episode_id": np.arange(n),
        "kitchen_id": 1,
        "kelurahan": "Ciwedus",
        "funding": "APBD",
        "planned_days": 56,
        "served_days": 50,
        "exit_outcome": "recovered",
    }
    return Episodes(**_fields(n, defaults | given))


def candidates(n: int = 1, **given: Any) -> Candidates:
    """``n`` comparison rows like :func:`episodes`, children numbered from 1000."""
    return Candidates(**_fields(n, {"child_id": np.arange(1000, 1000 + n), **COURSE} | given))


def _controls(found: Any, episode: int = 0) -> list[int]:
    controls: list[int] = found.candidate[found.episode == episode].tolist()
    return controls


# -- outcomes of one child ----------------------------------------------------------------


def test_weight_gain_is_grams_per_kg_of_starting_weight_per_day() -> None:
    # 10.0 kg to 10.56 kg in 28 days: 560 g / 10 kg / 28 days = 2.0 g/kg/day
    gain = weight_gain_g_kg_day(
        [10.0, 8.0, 10.0, 10.0, NAN, 0.0], [10.56, 7.9, 10.5, 10.5, 9, 1], [28, 25, 0, NAN, 5, 5]
    )
    assert gain[:2].tolist() == pytest.approx([2.0, -0.5])  # losing weight is negative
    assert np.isnan(gain[2:]).all()  # no days, no day, no weight, weight 0


def test_age_bands_are_6_to_11_months_then_whole_years() -> None:
    ages = [5, 6, 11, 12, 23, 24, 35, 36, 47, 48, 59, 60, NAN]
    assert age_band(ages).tolist() == [-1, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1, -1]


def test_each_episode_is_judged_by_the_rule_of_its_version() -> None:
    # WHZ -2.00 at day 56 with a gain: "at least -2" (2022, 2023) but not "above -2" (2025)
    found = episode_outcomes(
        episodes(3, version=["2022", "2023", "2025"], followup_whz=-2.0, followup_haz=-0.9)
    )
    assert found.recovered.tolist() == [1.0, 1.0, 0.0]
    assert found.gain_g_kg_day.tolist() == pytest.approx([300 / 10 / 56] * 3)
    assert found.whz_change.tolist() == pytest.approx([0.5] * 3)
    assert found.waz_change.tolist() == pytest.approx([0.2] * 3)
    assert found.haz_change.tolist() == pytest.approx([0.1] * 3)


def test_an_episode_without_follow_up_has_no_outcome() -> None:
    found = episode_outcomes(episodes(2, followup_day=[NAN, 0.0]))
    assert np.isnan(found.recovered).all()
    assert np.isnan(found.gain_g_kg_day).all()
    assert np.isnan(found.whz_change).all()


# -- matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fed_z", "control_z", "matched"),
    [
        (-2.30, -2.05, True),  # 0.25 above (not exactly 0.25 in binary: still in)
        (-2.30, -2.55, True),  # 0.25 below
        (-2.30, -2.0499, False),  # 0.2501 above
        (-2.30, -2.5501, False),  # 0.2501 below
        (-2.50, -2.25, True),
        (-2.50, -2.2499, False),
    ],
)
def test_the_caliper_is_0_25_inclusive(fed_z: float, control_z: float, matched: bool) -> None:
    found = match(episodes(baseline_whz=fed_z), candidates(baseline_whz=control_z))
    assert bool(found.n_controls[0] == 1) is matched


def test_controls_share_sex_age_band_month_indication_and_version() -> None:
    rows = {
        "sex": [1, 2, 1, 1, 1, 1, 1, 1, 1],
        "age_months": [12, 20, 23, 24, 11, 20, 20, 20, 20],
        "baseline_month": [MONTH] * 5 + [MONTH + 1, MONTH - 1, MONTH, MONTH],
        "indication": [WASTED] * 7 + [UNDERWEIGHT, WASTED],
        "version": ["2023"] * 8 + ["2025"],
    }
    found = match(episodes(), candidates(9, **rows))
    # only 12 and 23 months (the band 12-23) of the same sex, month, indication, version
    assert sorted(_controls(found)) == [0, 2]


def test_the_follow_up_must_be_within_14_days_of_the_episodes() -> None:
    found = match(episodes(), candidates(5, followup_day=[42, 41, 70, 71, NAN]))
    assert sorted(_controls(found)) == [0, 2]


def test_nearest_baseline_z_first_then_nearest_day_at_most_five_and_a_child_once() -> None:
    # the episode: WHZ -2.50, follow-up at day 56
    z = [-2.40, -2.30, -2.53, -2.46, -2.62, -2.50, -2.50, -2.72, -2.50]
    day = [56, 56, 56, 56, 56, 60, 53, 56, 56]
    child = [1, 2, 3, 4, 5, 6, 6, 7, 8]  # child 6 weighed twice later: its nearer row only
    found = match(episodes(), candidates(9, baseline_whz=z, followup_day=day, child_id=child))
    # |dz| 0 at 0 days, 0 at 3 days (row 5, 4 days, is the same child), 0.03, 0.04, 0.10;
    # 0.12, 0.20 and 0.22 are beyond the five nearest
    assert _controls(found) == [8, 6, 2, 3, 0]
    assert found.weight.tolist() == [0.2] * 5


def test_matching_is_with_replacement() -> None:
    found = match(episodes(3), candidates())
    assert found.n_controls.tolist() == [1, 1, 1]
    assert found.candidate.tolist() == [0, 0, 0]


def test_an_unmatched_episode_says_why() -> None:
    found = match(
        episodes(
            5,
            followup_day=[NAN, 56, 56, 56, 56],
            age_months=[20, 4, 20, 20, 20],
            indication=[WASTED, WASTED, Indication.PREGNANT_KEK.code, WASTED, WASTED],
            baseline_whz=[-2.5, -2.5, -2.5, -1.0, -2.5],
        ),
        candidates(),
    )
    assert found.status.tolist() == [
        MatchStatus.NO_FOLLOWUP,
        MatchStatus.NOT_MATCHABLE,  # 4 months: no age band
        MatchStatus.NOT_MATCHABLE,  # a pregnant woman: no exit rule to compare
        MatchStatus.NO_CONTROL,  # WHZ -1.0: nobody within 0.25
        MatchStatus.MATCHED,
    ]


def test_underweight_is_matched_on_waz_and_gizi_kurang_on_whz() -> None:
    fed = episodes(indication=UNDERWEIGHT, baseline_waz=-2.5, baseline_whz=-1.0)
    pool = candidates(
        2, indication=UNDERWEIGHT, baseline_waz=[-2.4, -2.0], baseline_whz=[-3.0, -1.0]
    )
    assert _controls(match(fed, pool)) == [0]


def test_a_control_is_judged_by_the_episodes_rule_on_the_episodes_day() -> None:
    # 2025: WHZ above -2 by day 56. The control was weighed at day 62 with WHZ -1.9: by its
    # own day it would have failed, but it stands in for a child checked at day 56.
    found = evaluate(
        episodes(version="2025", followup_whz=-1.9),
        candidates(version="2025", followup_day=62, followup_whz=-1.9, followup_weight_kg=10.6),
    )
    assert found.fed.recovered.tolist() == [1.0]
    assert found.control.recovered.tolist() == [1.0]
    assert found.control.gain_g_kg_day.tolist() == pytest.approx([600 / 10 / 62])


def test_the_rule_counts_days_from_the_start_when_the_episode_gives_them() -> None:
    # Weighed 5 days before the start, checked on day 56 of feeding: 61 days after the
    # baseline. The 2025 rule "by day 56" counts from the start; the gain over 61 days.
    fed = episodes(2, version="2025", followup_whz=-1.9, followup_day=61.0, rule_day=[56, NAN])
    pool = candidates(version="2025", followup_day=61, followup_whz=-1.9)
    found = evaluate(fed, pool)
    assert found.fed.recovered.tolist() == [1.0, 0.0]  # without a start day: day 61, too late
    assert found.control.recovered.tolist() == [1.0, 0.0]  # judged on its episode's day
    assert found.fed.gain_g_kg_day.tolist() == pytest.approx([300 / 10 / 61] * 2)
    assert episode_outcomes(fed).recovered.tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="same length"):
        episode_outcomes(dataclasses.replace(episodes(2), rule_day=[56, 56, 56]))


def test_months_as_datetime64_match_like_month_numbers() -> None:
    month = np.datetime64("2024-03", "M")
    found = match(episodes(baseline_month=month), candidates(2, baseline_month=[month, month + 1]))
    assert _controls(found) == [0]
    with pytest.raises(ValueError, match="same form"):
        match(episodes(baseline_month=month), candidates())


# -- summaries ----------------------------------------------------------------------------


def _one_to_one(fed: dict[str, Any], control: dict[str, Any], n: int) -> Evaluation:
    """``n`` episodes, each with its own control: one month each, same z and day."""
    months = MONTH + np.arange(n)
    return evaluate(
        episodes(n, baseline_month=months, **fed), candidates(n, baseline_month=months, **control)
    )


@pytest.mark.parametrize(
    ("n_matched", "n_children", "reason"),
    [
        (19, 19, SampleSize.FEW_MATCHED),
        (20, 20, SampleSize.ENOUGH),
        (20, 10, SampleSize.ENOUGH),
        (20, 9, SampleSize.FEW_CONTROLS),
    ],
)
def test_too_small_below_20_matched_episodes_or_10_comparison_children(
    n_matched: int, n_children: int, reason: SampleSize
) -> None:
    months = MONTH + np.arange(n_matched) % n_children  # episodes share the month's child
    found = evaluate(
        episodes(n_matched, baseline_month=months),
        candidates(n_children, baseline_month=MONTH + np.arange(n_children)),
    )
    summary = summarise(found, everyone(n_matched))
    assert summary.n_matched.tolist() == [n_matched]
    assert summary.n_controls.tolist() == [n_children]
    assert summary.reason.tolist() == [reason]
    assert summary.too_small.tolist() == [reason != SampleSize.ENOUGH]
    change = summary.comparisons[Measure.WHZ_CHANGE]
    assert np.isnan(change.difference[0]) == (reason != SampleSize.ENOUGH)
    assert np.isnan(summary.before_after[Measure.WHZ_CHANGE][0]) == (reason != SampleSize.ENOUGH)


def test_recovery_interval_is_newcombes_method_10_on_one_to_one_matches() -> None:
    # 9 of 10 fed recovered, 3 of 10 controls: Newcombe (1998) Table II example (b),
    # 0.1705 to 0.8090. Each control has its own cell, z and day equal: nothing to adjust.
    found = _one_to_one(
        {"followup_whz": [-1.5] * 9 + [-2.5]}, {"followup_whz": [-1.5] * 3 + [-2.5] * 7}, 10
    )
    summary = summarise(found, everyone(10), min_matched=10, min_controls=10)
    recovery = summary.comparisons[Measure.RECOVERED]
    assert (recovery.fed[0], recovery.comparison[0]) == pytest.approx((0.9, 0.3))
    assert recovery.difference[0] == pytest.approx(0.6)
    assert recovery.lower[0] == pytest.approx(0.1705, abs=5e-5)
    assert recovery.upper[0] == pytest.approx(0.8090, abs=5e-5)


def test_mean_interval_is_the_paired_t_interval_when_no_control_is_shared() -> None:
    rng = np.random.default_rng(3)
    fed_z, control_z = np.round(rng.normal(-2, 0.3, 25), 2), np.round(rng.normal(-2.2, 0.3, 25), 2)
    found = _one_to_one({"followup_whz": fed_z}, {"followup_whz": control_z}, 25)
    change = summarise(found, everyone(25)).comparisons[Measure.WHZ_CHANGE]
    d = fed_z - control_z
    half = stats.t.ppf(0.975, 24) * d.std(ddof=1) / np.sqrt(25)
    assert change.difference[0] == pytest.approx(d.mean())
    assert (change.lower[0], change.upper[0]) == pytest.approx((d.mean() - half, d.mean() + half))


def test_a_shared_control_widens_the_interval_as_much_as_it_should() -> None:
    # A fixed design where 60 episodes share 12 controls (5 each) and 60 have their own:
    # redraw only the outcomes (SD 0.1) many times; the intervals' mean variance must be
    # the estimate's real variance.
    n = 120
    month = MONTH + np.where(np.arange(n) < 60, np.arange(n) // 5, 12 + np.arange(n))
    fed = episodes(n, baseline_month=month)
    pool = candidates(72, baseline_month=np.unique(month))
    design = evaluate(fed, pool)
    rng = np.random.default_rng(7)
    estimates, variances = [], []
    for _ in range(400):
        own, other = rng.normal(0, 0.1, n), rng.normal(0, 0.1, 72)
        found = dataclasses.replace(
            design,
            fed=dataclasses.replace(design.fed, haz_change=own),
            control=dataclasses.replace(design.control, haz_change=other[design.matches.candidate]),
        )
        change = summarise(found, everyone(n)).comparisons[Measure.HAZ_CHANGE]
        estimates.append(change.difference[0])
        variances.append(((change.upper[0] - change.lower[0]) / 2 / stats.t.ppf(0.975, n - 1)) ** 2)
    # Var = sigma^2 (n + sum_j W_j^2) / n^2, each shared control weighing W_j = 5
    assert np.var(estimates) == pytest.approx(0.01 * (n + 12 * 25 + 60) / n**2, rel=0.15)
    assert np.mean(variances) == pytest.approx(np.var(estimates), rel=0.15)


def test_summaries_by_kitchen_kelurahan_funding_indication_and_city() -> None:
    n = 4
    fed = episodes(
        n,
        kitchen_id=[1, 1, 2, None],
        kelurahan=["Ciwedus", "Ciwedus", "Ramanuju", "Ramanuju"],
        funding=["APBD", "Baznas", "APBD", "APBD"],
        exit_outcome=["recovered", "dropped_out", "recovered", "moved"],
        served_days=[56, 28, 56, 0],
    )
    city = evaluate_city(fed, candidates())
    assert city.by_kitchen.keys == ((1,), (2,))
    assert city.by_kitchen.n_enrolled.tolist() == [2, 1]  # no kitchen: only in the city row
    assert city.by_kelurahan.keys == (("Ciwedus",), ("Ramanuju",))
    assert city.by_funding.n_enrolled.tolist() == [3, 1]
    assert city.by_indication.keys == ((WASTED,),)
    assert city.city.n_enrolled.tolist() == [4]
    assert city.by_kelurahan.adherence.tolist() == pytest.approx([0.75, 0.5])
    assert city.by_kelurahan.exits["dropped_out"].tolist() == [1, 0]
    assert city.city.reason.tolist() == [SampleSize.FEW_MATCHED]


@pytest.mark.parametrize(("n_episodes", "n_candidates"), [(0, 3), (3, 0), (0, 0)])
def test_a_city_without_episodes_or_candidates_gives_counts_and_no_figure(
    n_episodes: int, n_candidates: int
) -> None:
    city = evaluate_city(episodes(n_episodes, kitchen_id=None), candidates(n_candidates))
    assert city.city.n_enrolled.tolist() == [n_episodes]
    assert city.city.n_matched.tolist() == [0]
    assert city.city.reason.tolist() == [SampleSize.FEW_MATCHED]
    assert np.isnan(city.city.comparisons[Measure.RECOVERED].difference).all()
    assert city.by_kitchen.keys == ()  # no episode has a kitchen


# -- constructed cities: a known effect and regression to the mean -----------------------


@dataclasses.dataclass(frozen=True)
class City:
    episodes: Episodes
    candidates: Candidates
    effect: dict[Measure, np.ndarray]  # per episode: fed outcome minus its counterfactual
    fed: np.ndarray

    def truth(self, measure: Measure, among: np.ndarray | None = None) -> float:
        """The true average effect on the fed (``among``: those episodes only)."""
        effect = self.effect[measure]
        return float(effect.mean() if among is None else effect[among].mean())


def constructed_city(seed: int, n: int, effect_z: float, enrol: float = 0.2) -> City:
    """Children with gizi kurang (2023 rules), selected on a low WHZ measured with error, so
    everyone's WHZ rises at the next weighing (regression to the mean) and drifts up 0.1 in
    8 weeks; the lower the baseline, the likelier the enrolment. Fed children gain
    ``effect_z`` more WHZ (and the weight that goes with it)."""
    rng = np.random.default_rng(seed)
    level = rng.normal(-1.5, 0.6, n)  # the child's usual WHZ
    whz0 = np.round(level + rng.normal(0, 0.35, n), 2)  # measured: error and a bad month
    keep = (whz0 < -2) & (whz0 >= -3)  # gizi kurang, not gizi buruk
    level, whz0 = level[keep], whz0[keep]
    m = level.size
    fed = rng.random(m) < np.clip(enrol + 0.4 * (-2 - whz0), 0, 1)
    day = np.where(fed, 56 + rng.integers(-3, 4, m), rng.integers(45, 68, m)).astype(float)
    untreated = np.round(level + 0.1 * day / 56 + rng.normal(0, 0.35, m), 2)
    treated = np.round(untreated + effect_z, 2)
    w0 = np.round(rng.normal(10, 1.5, m), 1)

    def weight(whz1: np.ndarray) -> np.ndarray:
        return w0 * (1 + 0.0005 * day) * (1 + 0.09 * (whz1 - whz0))

    whz1 = np.where(fed, treated, untreated)
    recovered = [((z >= -2) & (weight(z) > w0)).astype(float) for z in (untreated, treated)]
    gains = [weight_gain_g_kg_day(w0, weight(z), day) for z in (untreated, treated)]
    haz0 = np.round(rng.normal(-1.5, 1, m), 2)
    rows: dict[str, Any] = {
        "child_id": np.arange(m),
        "sex": rng.integers(1, 3, m),
        "age_months": rng.integers(6, 60, m),
        "baseline_month": MONTH + rng.integers(0, 6, m),
        "baseline_whz": whz0,
        "baseline_waz": whz0,
        "baseline_haz": haz0,
        "baseline_weight_kg": w0,
        "followup_day": day,
        "followup_whz": whz1,
        "followup_waz": whz1,
        "followup_haz": np.round(haz0 + rng.normal(0, 0.1, m), 2),
        "followup_weight_kg": weight(whz1),
    }
    k = int(fed.sum())
    effect = {
        Measure.RECOVERED: (recovered[1] - recovered[0])[fed],
        Measure.GAIN: (gains[1] - gains[0])[fed],
        Measure.WHZ_CHANGE: (treated - untreated)[fed],
        Measure.HAZ_CHANGE: np.zeros(k),
    }
    return City(
        episodes(k, **{name: values[fed] for name, values in rows.items()}),
        candidates(int(m - k), **{name: values[~fed] for name, values in rows.items()}),
        effect,
        fed,
    )


def _city_row(city: City) -> tuple[Any, np.ndarray]:
    """The city's summary row, and which episodes were matched."""
    found = evaluate_city(city.episodes, city.candidates)
    return found.city, found.evaluation.matches.status == MatchStatus.MATCHED


def test_the_matched_estimate_finds_the_effect_the_naive_figure_overstates() -> None:
    city = constructed_city(seed=1, n=20_000, effect_z=0.3)
    row, matched = _city_row(city)
    assert row.reason.tolist() == [SampleSize.ENOUGH]
    assert row.n_matched[0] > 1_400
    for measure in (Measure.RECOVERED, Measure.GAIN, Measure.WHZ_CHANGE, Measure.HAZ_CHANGE):
        found = row.comparisons[measure]
        assert found.lower[0] <= city.truth(measure, matched) <= found.upper[0], measure
    change = row.comparisons[Measure.WHZ_CHANGE]
    assert change.lower[0] > 0.2  # a real effect, clearly above zero
    # Before/after, the fed rose about twice as much as feeding made them rise: the rest
    # is regression to the mean and the drift every child had.
    assert row.before_after[Measure.WHZ_CHANGE][0] > 1.8 * change.upper[0]
    assert row.before_after[Measure.RECOVERED][0] > 2 * row.comparisons[Measure.RECOVERED].upper[0]


def test_no_effect_gives_an_interval_around_zero_however_much_the_fed_rose() -> None:
    row, _ = _city_row(constructed_city(seed=2, n=20_000, effect_z=0.0))
    for measure in Measure:
        found = row.comparisons[measure]
        assert found.lower[0] < 0 < found.upper[0], measure
    assert row.before_after[Measure.WHZ_CHANGE][0] > 0.25  # yet they "improved"


def test_the_intervals_cover_the_true_effect_about_95_times_in_100() -> None:
    # 150 cities of about 300 matched episodes each, whose effects vary by chance.
    hits = dict.fromkeys((Measure.RECOVERED, Measure.GAIN, Measure.WHZ_CHANGE), 0)
    errors = []
    for seed in range(150):
        city = constructed_city(seed=100 + seed, n=3_000, effect_z=0.2, enrol=0.4)
        found = evaluate(city.episodes, city.candidates)
        row = summarise(found, everyone(int(city.fed.sum())), adjusted=adjust_all(found))
        matched = found.matches.status == MatchStatus.MATCHED
        truth = {measure: city.truth(measure, matched) for measure in Measure if measure in hits}
        for measure in hits:
            comparison = row.comparisons[measure]
            hits[measure] += comparison.lower[0] <= truth[measure] <= comparison.upper[0]
        errors.append(row.comparisons[Measure.RECOVERED].difference[0] - truth[Measure.RECOVERED])
    assert all(count >= 0.9 * 150 for count in hits.values()), hits
    assert abs(np.mean(errors)) < 0.01  # no bias left by the caliper (adjusted)
