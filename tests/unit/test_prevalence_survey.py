"""Design-based variance (R survey's Taylor linearisation), worked out by hand on four rows.

The toy design: stratum A holds PSU 1 (two rows) and PSU 2 (one row, weight 2); stratum B
holds one PSU only (a "lonely" PSU, which anthro's ``survey.lonely.psu = "adjust"``
handles). y is 1, 0, 1, 0. Influence values u = w (y - p) / sum(w) are summed per PSU
into t; Var = sum_h n_h/(n_h - 1) sum_c (t_hc - mean_h t)^2, and t^2 for the lonely PSU.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tumbuh.growth.domains import domain_means, domain_shares, domains, value_variance
from tumbuh.growth.grouping import Grouping
from tumbuh.growth.survey import (
    Estimator,
    SurveyDesign,
    cluster_design,
    simple_design,
    weighted_design,
)

Y = np.array([1.0, 0.0, 1.0, 0.0])
WEIGHTS = np.array([1.0, 1.0, 2.0, 1.0])
STRATA = np.array(["A", "A", "A", "B"])
CLUSTERS = np.array([1, 1, 2, 3])


def toy_design() -> SurveyDesign:
    return cluster_design(4, weights=WEIGHTS, strata=STRATA, cluster=CLUSTERS)


def grouping(codes: list[int]) -> Grouping:
    n = max(codes) + 1
    return Grouping(np.array(codes, dtype=np.int64), tuple((f"g{i}",) for i in range(n)), ("g",))


def shares(design: SurveyDesign, codes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of y per group, by the 0/1 path and by the general path."""
    dom = domains(design, grouping(codes))
    binary = domain_shares(design, dom, Y.astype(np.int64), np.array([[False], [True]]))
    general = domain_means(design, dom, Y[:, None])
    np.testing.assert_allclose(binary.mean, general.mean, rtol=1e-13)
    np.testing.assert_allclose(binary.variance, general.variance, rtol=1e-12, atol=1e-15)
    return general.mean[:, 0], general.variance[:, 0]


def test_whole_sample_variance_with_a_lonely_psu() -> None:
    # p = 3/5; u = .08, -.12, .16, -.12; t_A1 = -.04, t_A2 = .16, t_B = -.12.
    # Stratum A: 2/1 * ((-.04 - .06)^2 + (.16 - .06)^2) = .04; stratum B: .12^2 = .0144.
    mean, variance = shares(toy_design(), [0, 0, 0, 0])
    assert mean[0] == pytest.approx(0.6, rel=1e-15)
    assert variance[0] == pytest.approx(0.0544, rel=1e-12)


def test_domain_variance_counts_the_psus_of_the_whole_design() -> None:
    # Group 0 = rows 1, 3, 4: p = 3/4; t_A1 = .0625, t_A2 = .125, t_B = -.1875.
    # A: 2 * ((.0625 - .09375)^2 + (.125 - .09375)^2) = .00390625; B: .1875^2.
    # Group 1 = row 2 alone: p = 0 and every influence value is 0.
    mean, variance = shares(toy_design(), [0, 1, 0, 0])
    np.testing.assert_allclose(mean, [0.75, 0.0], rtol=1e-15)
    np.testing.assert_allclose(variance, [0.00390625 + 0.03515625, 0.0], atol=1e-15)


def test_stratum_with_one_psu_of_the_domain_is_centred_on_the_stratum() -> None:
    # Rows 3 and 4 only: p = 2/3, u = 2/9 (PSU A2) and -2/9 (PSU B). PSU A1 has no row of
    # the domain but is one of stratum A's two PSUs: t_A = (0, 2/9), so
    # A: 2 * ((0 - 1/9)^2 + (2/9 - 1/9)^2) = 4/81; B (lonely): (2/9)^2 = 4/81.
    mean, variance = shares(toy_design(), [-1, -1, 0, 0])
    assert mean[0] == pytest.approx(2 / 3, rel=1e-15)
    assert variance[0] == pytest.approx(8 / 81, rel=1e-12)


def test_domain_missing_a_lonely_stratum_gets_nothing_from_it() -> None:
    # Rows 2 and 3: p = 2/3; t_A1 = -2/9, t_A2 = 2/9; stratum B has no row of the domain.
    mean, variance = shares(toy_design(), [-1, 0, 0, 1])
    assert mean[0] == pytest.approx(2 / 3, rel=1e-15)
    assert variance[0] == pytest.approx(16 / 81, rel=1e-12)


def test_degrees_of_freedom_are_psus_minus_strata() -> None:
    assert toy_design().degrees_of_freedom == 1.0  # 3 PSUs - 2 strata


def test_psus_with_only_zero_weights_do_not_count_for_degrees_of_freedom() -> None:
    design = cluster_design(
        4, weights=np.array([1.0, 1.0, 0.0, 1.0]), strata=STRATA, cluster=CLUSTERS
    )
    assert design.degrees_of_freedom == 0.0  # PSU 2 carries no weight: 2 PSUs - 2 strata


def test_clusters_are_nested_in_strata() -> None:
    # Cluster 1 of stratum B is not cluster 1 of stratum A (svydesign nest = TRUE).
    reused = cluster_design(4, weights=WEIGHTS, strata=STRATA, cluster=np.array([1, 1, 2, 1]))
    _mean, variance = shares(reused, [0, 0, 0, 0])
    assert variance[0] == pytest.approx(0.0544, rel=1e-12)
    assert reused.degrees_of_freedom == 1.0


def test_rows_are_psus_without_clusters() -> None:
    # Every row its own PSU: stratum A's u = .08, -.12, .16 (mean .04) give
    # 3/2 * (.04^2 + .16^2 + .12^2) = .0624; stratum B (one row): .12^2.
    design = cluster_design(4, weights=WEIGHTS, strata=STRATA)
    assert design.psu is None
    _mean, variance = shares(design, [0, 0, 0, 0])
    assert variance[0] == pytest.approx(0.0624 + 0.0144, rel=1e-12)
    assert design.degrees_of_freedom == 2.0  # 4 rows - 2 strata


def test_a_single_cluster_value_means_rows_are_psus() -> None:
    # anthro uses ids = ~1 when all rows share one cluster.
    design = cluster_design(4, weights=WEIGHTS, cluster=np.array([9, 9, 9, 9]))
    assert design.psu is None
    assert design.estimator is Estimator.DESIGN


def test_simple_design_variance_is_anthros_closed_form() -> None:
    # anthro (prevalence-simple.R): se = sqrt(N / (N - 1)) / n * sqrt(sum (x - p)^2)
    # with N all rows (4), n the known ones (3): x = 1, 0, 1 -> p = 2/3.
    design = simple_design(4)
    values = np.array([[1.0], [0.0], [1.0], [np.nan]])
    result = domain_means(design, domains(design, grouping([0, 0, 0, 0])), values)
    squares = (1 / 3) ** 2 * 2 + (2 / 3) ** 2
    expected_se = np.sqrt(4 / 3) / 3 * np.sqrt(squares)
    assert np.sqrt(result.variance[0, 0]) == pytest.approx(expected_se, rel=1e-12)
    assert result.n[0, 0] == 3
    assert design.degrees_of_freedom == 3.0


def test_value_variance_weighted_with_n_over_n_minus_one() -> None:
    # y = 1, 2, 4 with weights 1, 1, 2: mean 11/4; sum w (y - mean)^2 = 6.75;
    # 6.75 / 4 * 3 / 2 = 2.53125.
    design = weighted_design(np.array([1.0, 1.0, 2.0]))
    result = domain_means(
        design, domains(design, grouping([0, 0, 0])), np.array([[1.0], [2.0], [4.0]])
    )
    assert result.mean[0, 0] == pytest.approx(2.75, rel=1e-15)
    assert value_variance(result)[0, 0] == pytest.approx(2.53125, rel=1e-12)


def test_zero_weights_count_in_n_only_for_the_weights_only_estimator() -> None:
    # y = 1, 5, 3 with weights 1, 0, 3: mean 2.5, sum w (y - mean)^2 = 3, sum w = 4.
    # survey >= 4.2 counts n = 2 rows with weight: 3/4 * 2/1 = 1.5; anthro's weights-only
    # estimator counts all 3 known rows: 3/4 * 3/2 = 1.125.
    design = weighted_design(np.array([1.0, 0.0, 3.0]))
    values = np.array([[1.0], [5.0], [3.0]])
    result = domain_means(design, domains(design, grouping([0, 0, 0])), values)
    assert value_variance(result)[0, 0] == pytest.approx(1.5, rel=1e-12)
    assert value_variance(result, count_zero_weights=True)[0, 0] == pytest.approx(1.125, rel=1e-12)


def test_one_child_has_no_standard_deviation() -> None:
    design = simple_design(2)
    values = np.array([[1.0], [np.nan]])
    result = domain_means(design, domains(design, grouping([0, 0])), values)
    assert np.isnan(value_variance(result)[0, 0])


def test_empty_group_has_nan_estimates_and_zero_counts() -> None:
    design = toy_design()
    dom = domains(design, Grouping(np.zeros(4, dtype=np.int64), (("a",), ("b",)), ("g",)))
    result = domain_shares(design, dom, Y.astype(np.int64), np.array([[False], [True]]))
    assert result.n[:, 0].tolist() == [4, 0]
    assert result.weighted_n[1, 0] == 0.0
    assert np.isnan(result.mean[1, 0])
    assert np.isnan(result.variance[1, 0])


def test_negative_weights_and_missing_strata_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="not negative"):
        weighted_design(np.array([1.0, -2.0]))
    with pytest.raises(ValueError, match="missing values"):
        cluster_design(2, strata=np.array([1.0, np.nan]))


@st.composite
def random_designs(draw: st.DrawFn) -> tuple[SurveyDesign, np.ndarray, list[int]]:
    """Small stratified cluster samples with 0/1/unknown values and two groups."""
    n = draw(st.integers(2, 30))
    strata = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    cluster = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    weights = np.array(draw(st.lists(st.floats(0.1, 50.0), min_size=n, max_size=n)))
    y = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=n, max_size=n)))
    groups = draw(st.lists(st.integers(-1, 1), min_size=n, max_size=n))
    return cluster_design(n, weights=weights, strata=strata, cluster=cluster), y, groups


@given(random_designs())
@settings(max_examples=200, deadline=None)
def test_category_sums_agree_with_the_general_path(
    case: tuple[SurveyDesign, np.ndarray, list[int]],
) -> None:
    design, y, groups = case
    dom = domains(design, grouping([max(g, 0) if i == 0 else g for i, g in enumerate(groups)]))
    category = np.where(np.isnan(y), -1, y).astype(np.int64)
    binary = domain_shares(design, dom, category, np.array([[False], [True]]))
    general = domain_means(design, dom, y[:, None])
    np.testing.assert_allclose(binary.mean, general.mean, rtol=1e-12)
    np.testing.assert_allclose(binary.variance, general.variance, rtol=1e-9, atol=1e-15)
    np.testing.assert_array_equal(binary.n, general.n)


@given(random_designs(), st.floats(0.01, 1000.0))
@settings(max_examples=100, deadline=None)
def test_scaling_every_weight_changes_no_estimate(
    case: tuple[SurveyDesign, np.ndarray, list[int]], factor: float
) -> None:
    design, y, groups = case
    scaled = SurveyDesign(
        design.estimator,
        design.weights * factor,
        design.psu,
        design.stratum,
        design.psu_stratum,
        design.psus_in_stratum,
    )
    codes = [max(g, 0) if i == 0 else g for i, g in enumerate(groups)]
    before = domain_means(design, domains(design, grouping(codes)), y[:, None])
    after = domain_means(scaled, domains(scaled, grouping(codes)), y[:, None])
    np.testing.assert_allclose(after.mean, before.mean, rtol=1e-10)
    np.testing.assert_allclose(after.variance, before.variance, rtol=1e-8, atol=1e-15)
