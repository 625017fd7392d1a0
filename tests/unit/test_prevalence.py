"""Prevalence engine: anthro's flag and oedema rules, outcomes, register and survey estimates."""

import math

import numpy as np
import pytest

from tumbuh.growth.enums import Indicator
from tumbuh.growth.grouping import group_by
from tumbuh.growth.prevalence import (
    OBESITY,
    OVERWEIGHT,
    SEVERE_STUNTING,
    SEVERE_WASTING,
    STUNTED_AND_OVERWEIGHT,
    STUNTED_AND_WASTED,
    STUNTING,
    UNDERWEIGHT,
    WASTING,
    Interval,
    anthro_outcomes,
    cutoff,
    prevalence_scores,
    register_prevalence,
    survey_prevalence,
)
from tumbuh.growth.survey import simple_design, weighted_design

HAZ, WAZ, WHZ, BAZ = Indicator.HAZ, Indicator.WAZ, Indicator.WHZ, Indicator.BAZ
NAN = math.nan
T4 = 2.7764451051977987  # Student t, 4 df, 0.975 (R: qt(0.975, 4))


def expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_cutoffs_are_strict_below_and_above() -> None:
    z = np.array([-2.01, -2.0, 2.0, 2.01, NAN])
    scores = prevalence_scores({WHZ: z})
    assert scores.outcome(WASTING)[:4].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert scores.outcome(OVERWEIGHT)[:4].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert np.isnan(scores.outcome(WASTING)[4])


def test_flagged_zscores_are_left_out_by_whos_limits() -> None:
    # HAZ below -6 and WAZ above +5 are implausible (WHO flags): neither counted nor averaged.
    scores = prevalence_scores({HAZ: np.array([-6.01, -6.0, 1.0]), WAZ: np.array([5.01, 5.0, 0])})
    assert np.isnan(scores.summary[HAZ][0])
    assert scores.summary[HAZ][1] == -6.0
    assert np.isnan(scores.outcome(STUNTING)[0])
    assert np.isnan(scores.summary[WAZ][0])
    assert scores.summary[WAZ][1] == 5.0


def test_given_flags_are_used_instead_of_the_limits() -> None:
    scores = prevalence_scores({HAZ: np.array([-2.5, -2.5])}, flags={HAZ: np.array([1.0, 0.0])})
    assert np.isnan(scores.summary[HAZ][0])
    assert scores.outcome(STUNTING)[1] == 1.0


def test_oedema_counts_as_severe_for_weight_based_prevalence_only() -> None:
    # anthro: a child with oedema has no WAZ/WHZ/BAZ for the means, but counts with
    # z = -3.1 in their prevalences, even when the weight was not measured (NaN).
    z = np.array([1.0, NAN, 0.5])
    oedema = np.array([True, True, False])
    scores = prevalence_scores({HAZ: z, WAZ: z, WHZ: z, BAZ: z}, oedema=oedema)
    for indicator in (WAZ, WHZ, BAZ):
        assert np.isnan(scores.summary[indicator][:2]).all()
        assert scores.prevalence[indicator][:2].tolist() == [-3.1, -3.1]
    assert scores.outcome(SEVERE_WASTING).tolist() == [1.0, 1.0, 0.0]
    assert scores.outcome(UNDERWEIGHT).tolist() == [1.0, 1.0, 0.0]
    # Length/height-for-age is not weight-based: oedema changes nothing.
    assert scores.summary[HAZ][0] == 1.0
    assert scores.outcome(STUNTING)[0] == 0.0


def test_oedema_can_apply_per_indicator() -> None:
    # anthroplus counts oedema in weight-for-age only up to 120 months.
    z = np.array([0.0, 0.0])
    scores = prevalence_scores(
        {WAZ: z, BAZ: z}, oedema={WAZ: np.array([True, False]), BAZ: np.array([True, True])}
    )
    assert scores.prevalence[WAZ].tolist() == [-3.1, 0.0]
    assert scores.prevalence[BAZ].tolist() == [-3.1, -3.1]


def test_combined_outcomes_need_both_zscores() -> None:
    haz = np.array([-2.5, -2.5, -2.5, -1.0, NAN])
    whz = np.array([-2.5, 2.5, 0.0, -2.5, -2.5])
    scores = prevalence_scores({HAZ: haz, WHZ: whz})
    assert scores.outcome(STUNTED_AND_WASTED)[:4].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert scores.outcome(STUNTED_AND_OVERWEIGHT)[:4].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert np.isnan(scores.outcome(STUNTED_AND_WASTED)[4])


def test_named_outcomes_equal_anthros_cutoffs() -> None:
    assert cutoff(HAZ, -2) == STUNTING
    assert cutoff(WHZ, 3) == OBESITY
    assert cutoff(HAZ, -3).name == "haz_3"
    outcomes = anthro_outcomes()
    assert len(outcomes) == 4 * 6 + 2
    assert outcomes[-2:] == (STUNTED_AND_WASTED, STUNTED_AND_OVERWEIGHT)


def test_zscore_arrays_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="equal length"):
        prevalence_scores({HAZ: np.zeros(3), WAZ: np.zeros(4)})


def test_register_prevalence_by_kecamatan_with_wilson_intervals() -> None:
    # Cibeber: HAZ -2.5, -3.5, 0, 1 -> 2 stunted of 4; Jombang: -2.1 and a flagged -7.
    haz = np.array([-2.5, -3.5, 0.0, 1.0, -2.1, -7.0])
    kecamatan = np.array(["Cibeber", "Cibeber", "Cibeber", "Cibeber", "Jombang", "Jombang"])
    table = register_prevalence(
        prevalence_scores({HAZ: haz}), [kecamatan], outcomes=[STUNTING, SEVERE_STUNTING],
        indicators=[HAZ],
    )  # fmt: skip
    assert table.labels == ("Cibeber", "Jombang")
    stunting = table.proportions[STUNTING]
    assert stunting.n.tolist() == [4, 1]
    assert stunting.cases.tolist() == [2, 1]
    assert stunting.proportion.tolist() == [0.5, 1.0]
    # Wilson for 2 of 4: (p + z^2/8 -/+ z sqrt(p q / 4 + z^2 / 64)) / (1 + z^2 / 4).
    z = 1.959963984540054
    centre = (0.5 + z * z / 8) / (1 + z * z / 4)
    half = z * math.sqrt(0.25 / 4 + z * z / 64) / (1 + z * z / 4)
    assert stunting.lower[0] == pytest.approx(centre - half, rel=1e-12)
    assert stunting.upper[0] == pytest.approx(centre + half, rel=1e-12)
    assert stunting.se[0] == pytest.approx(math.sqrt(0.25 / 4), rel=1e-12)
    assert table.proportions[SEVERE_STUNTING].cases.tolist() == [1, 0]
    summary = table.zscores[HAZ]
    assert summary.mean[0] == pytest.approx(-1.25, rel=1e-15)
    # deviations -1.25, -2.25, 1.25, 2.25: sum of squares 13.25, sd = sqrt(13.25 / 3)
    assert summary.sd[0] == pytest.approx(math.sqrt(13.25 / 3), rel=1e-12)
    assert np.isnan(summary.sd[1])


def test_register_prevalence_exact_interval_and_everyone_in_one_group() -> None:
    haz = np.array([-2.5, 0.0, 0.0, 0.0])
    table = register_prevalence(
        prevalence_scores({HAZ: haz}), outcomes=[STUNTING], indicators=[HAZ],
        interval=Interval.EXACT,
    )  # fmt: skip
    assert table.labels == ("All",)
    # 1 of 4: lower = 1 - 0.975^(1/4) (Clopper-Pearson at one case).
    assert table.proportions[STUNTING].lower[0] == pytest.approx(1 - 0.975**0.25, rel=1e-10)


def test_register_prevalence_by_two_keys_keeps_only_occurring_combinations() -> None:
    haz = np.array([-2.5, 0.0, -2.5, 0.0])
    kecamatan = np.array(["Cibeber", "Cibeber", "Jombang", "Jombang"])
    posyandu = np.array([12, 12, 3, 4])
    table = register_prevalence(
        prevalence_scores({HAZ: haz}), [kecamatan, posyandu], outcomes=[STUNTING],
        indicators=[HAZ],
    )  # fmt: skip
    assert table.grouping.keys == (("Cibeber", 12), ("Jombang", 3), ("Jombang", 4))
    assert table.proportions[STUNTING].proportion.tolist() == [0.5, 1.0, 0.0]


def test_simple_estimator_reproduces_anthros_closed_form_by_hand() -> None:
    # anthro's simple path, N = 5 rows (one HAZ missing), n = 4 known:
    # p = 2/4; se = sqrt(N/(N-1)) / n * sqrt(sum (x - p)^2) = sqrt(5/4)/4 * 1;
    # logit interval: 0 -/+ t(N-1) * sqrt(N/(N-1) / (n p q)); t(4) = 2.7764...
    haz = np.array([-3.5, -2.5, -1.0, 0.5, NAN])
    table = survey_prevalence(
        prevalence_scores({HAZ: haz}), simple_design(5), indicators=[HAZ],
        outcomes=[STUNTING],
    )  # fmt: skip
    stunting = table.proportions[STUNTING]
    assert stunting.proportion[0] == 0.5
    assert stunting.se[0] == pytest.approx(math.sqrt(5 / 4) / 4, rel=1e-12)
    half = T4 * math.sqrt(5 / 4 / (4 * 0.25))
    assert stunting.lower[0] == pytest.approx(expit(-half), rel=1e-12)
    assert stunting.upper[0] == pytest.approx(expit(half), rel=1e-12)
    # mean -1.625; deviations -1.875, -.875, .625, 2.125 -> sum of squares 9.1875
    summary = table.zscores[HAZ]
    se = math.sqrt(5 / 4) / 4 * math.sqrt(9.1875)
    assert summary.mean[0] == pytest.approx(-1.625, rel=1e-15)
    assert summary.sd[0] == pytest.approx(math.sqrt(9.1875 / 3), rel=1e-12)
    assert summary.se[0] == pytest.approx(se, rel=1e-12)
    assert summary.lower[0] == pytest.approx(-1.625 - T4 * se, rel=1e-12)


def test_weighted_estimator_uses_the_weighted_share() -> None:
    # Weights 3 and 1: p = 3/4 of the weight is stunted; n stays 2 children.
    haz = np.array([-2.5, 0.0])
    table = survey_prevalence(
        prevalence_scores({HAZ: haz}), weighted_design(np.array([3.0, 1.0])),
        indicators=[HAZ], outcomes=[STUNTING],
    )  # fmt: skip
    stunting = table.proportions[STUNTING]
    assert stunting.proportion[0] == 0.75
    assert stunting.weighted_n[0] == 4.0
    assert stunting.n[0] == 2
    assert stunting.cases[0] == 1


def test_survey_prevalence_by_group_uses_all_rows_for_n() -> None:
    # anthro's simple estimator: N counts every row of the analysis, n the group's.
    haz = np.array([-2.5, 0.0, -3.2, -2.1, 1.0, NAN])
    sex = np.array(["Female", "Female", "Male", "Male", "Male", "Male"])
    scores = prevalence_scores({HAZ: haz})
    table = survey_prevalence(
        scores, simple_design(6), group_by(sex), indicators=[HAZ], outcomes=[STUNTING]
    )
    stunting = table.proportions[STUNTING]
    assert table.labels == ("Female", "Male")
    assert stunting.n.tolist() == [2, 3]
    assert stunting.proportion.tolist() == [0.5, pytest.approx(2 / 3)]
    # Male: x = 1, 1, 0, p = 2/3 -> sum (x - p)^2 = 1/9 + 1/9 + 4/9 = 2/3;
    # se = sqrt(N / (N - 1)) / n * sqrt(2/3) with N = 6 rows, n = 3.
    assert stunting.se[1] == pytest.approx(math.sqrt(6 / 5) / 3 * math.sqrt(2 / 3), rel=1e-12)


def test_defaults_follow_the_zscores_given_and_missing_ones_are_named() -> None:
    scores = prevalence_scores({HAZ: np.array([-2.5, 0.0])})
    table = register_prevalence(scores)
    assert list(table.proportions) == [STUNTING, SEVERE_STUNTING]
    assert list(table.zscores) == [HAZ]
    survey_table = survey_prevalence(scores, simple_design(2))
    assert len(survey_table.proportions) == 6  # anthro's six HAZ cut-offs
    with pytest.raises(ValueError, match="no z-scores given for whz"):
        register_prevalence(scores, outcomes=[WASTING])
