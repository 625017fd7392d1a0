"""Confidence intervals: values worked out by hand or from closed forms and published tables."""

import math

import numpy as np
import pytest

from tumbuh.growth.intervals import (
    exact_interval,
    logit_interval,
    mean_interval,
    t_quantile,
    wilson_interval,
)

Z975 = 1.959963984540054  # standard normal 0.975 quantile


def expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_t_quantile_with_one_degree_of_freedom_is_the_cauchy_quantile() -> None:
    # t with 1 df is Cauchy: quantile tan(pi (p - 1/2)).
    assert t_quantile(1.0)[()] == pytest.approx(math.tan(math.pi * 0.475), rel=1e-12)


def test_t_quantile_with_two_degrees_of_freedom_has_a_closed_form() -> None:
    # t with 2 df: quantile (2p - 1) / sqrt(2 p (1 - p)).
    p = 0.975
    assert t_quantile(2.0)[()] == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-12)


def test_t_quantile_is_normal_for_infinite_and_nan_without_degrees_of_freedom() -> None:
    values = t_quantile(np.array([np.inf, 0.0, -3.0]))
    assert values[0] == pytest.approx(Z975, rel=1e-15)
    assert np.isnan(values[1:]).all()


def test_t_quantile_at_90_percent() -> None:
    # 1 df: tan(pi * 0.45).
    assert t_quantile(1.0, level=0.90)[()] == pytest.approx(math.tan(math.pi * 0.45), rel=1e-12)


def test_mean_interval_is_mean_plus_minus_t_times_se() -> None:
    lower, upper = mean_interval(np.array([-1.5]), np.array([0.2]), 2.0)
    t = 0.95 / math.sqrt(2 * 0.975 * 0.025)
    assert lower[0] == pytest.approx(-1.5 - t * 0.2, rel=1e-12)
    assert upper[0] == pytest.approx(-1.5 + t * 0.2, rel=1e-12)


def test_logit_interval_back_transforms_logit_p_plus_minus_t_se_over_p_q() -> None:
    # p = 0.2, se = 0.02: se on the logit scale 0.02 / (0.2 * 0.8) = 0.125.
    lower, upper = logit_interval(np.array([0.2]), np.array([0.02]), np.inf)
    centre = math.log(0.2 / 0.8)
    assert lower[0] == pytest.approx(expit(centre - Z975 * 0.125), rel=1e-12)
    assert upper[0] == pytest.approx(expit(centre + Z975 * 0.125), rel=1e-12)


def test_one_percent_gets_a_real_interval_not_anthros_one_one() -> None:
    # anthro's survey path compares the prevalence in percent with 1 and reports [1, 1]
    # for exactly 1 %; Tumbuh computes the logit interval (docs/methods-prevalence.md).
    lower, upper = logit_interval(np.array([0.01]), np.array([0.005]), 1.0)
    t = math.tan(math.pi * 0.475)
    half = t * 0.005 / (0.01 * 0.99)
    assert lower[0] == pytest.approx(expit(math.log(0.01 / 0.99) - half), rel=1e-12)
    assert upper[0] == pytest.approx(expit(math.log(0.01 / 0.99) + half), rel=1e-12)
    assert lower[0] < 0.01 < upper[0]


def test_logit_interval_of_zero_and_one_is_degenerate_and_nan_stays_nan() -> None:
    lower, upper = logit_interval(np.array([0.0, 1.0, np.nan]), np.array([0.0, 0.0, 0.1]), 10.0)
    assert lower[:2].tolist() == [0.0, 1.0]
    assert upper[:2].tolist() == [0.0, 1.0]
    assert np.isnan(lower[2])
    assert np.isnan(upper[2])


@pytest.mark.parametrize(
    ("cases", "n", "low", "high"),
    [
        # Newcombe (1998), Stat Med 17:857-872, Table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombes_table(
    cases: int, n: int, low: float, high: float
) -> None:
    lower, upper = wilson_interval(np.array([cases]), np.array([n]))
    assert lower[0] == pytest.approx(low, abs=5e-5)
    assert upper[0] == pytest.approx(high, abs=5e-5)


def test_wilson_interval_formula_by_hand() -> None:
    # 3 of 10: (p + z^2/2n -/+ z sqrt(p q / n + z^2 / 4n^2)) / (1 + z^2 / n).
    p, n, z = 0.3, 10, Z975
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lower, upper = wilson_interval(np.array([3]), np.array([10]))
    assert lower[0] == pytest.approx(centre - half, rel=1e-12)
    assert upper[0] == pytest.approx(centre + half, rel=1e-12)


def test_wilson_interval_of_no_children_is_nan() -> None:
    lower, upper = wilson_interval(np.array([0]), np.array([0]))
    assert np.isnan(lower[0])
    assert np.isnan(upper[0])


def test_exact_interval_closed_forms_at_zero_and_one_case() -> None:
    # 0 of 20: upper = 1 - 0.025^(1/20); 1 of 29: lower = 1 - 0.975^(1/29);
    # 20 of 20: lower = 0.025^(1/20).
    lower, upper = exact_interval(np.array([0, 1, 20]), np.array([20, 29, 20]))
    assert lower[0] == 0.0
    assert upper[0] == pytest.approx(1 - 0.025 ** (1 / 20), rel=1e-10)
    assert lower[1] == pytest.approx(1 - 0.975 ** (1 / 29), rel=1e-10)
    assert lower[2] == pytest.approx(0.025 ** (1 / 20), rel=1e-10)
    assert upper[2] == 1.0


def test_exact_interval_is_symmetric_in_cases_and_non_cases() -> None:
    # Swapping "with" and "without" the outcome mirrors the interval around 1/2.
    cases = np.array([81, 15, 7])
    n = np.array([263, 148, 9])
    lower, upper = exact_interval(cases, n)
    mirror_lower, mirror_upper = exact_interval(n - cases, n)
    np.testing.assert_allclose(lower, 1 - mirror_upper, rtol=1e-10)
    np.testing.assert_allclose(upper, 1 - mirror_lower, rtol=1e-10)


def test_exact_interval_is_wider_than_wilsons() -> None:
    cases, n = np.array([81, 15]), np.array([263, 148])
    exact_low, exact_high = exact_interval(cases, n)
    wilson_low, wilson_high = wilson_interval(cases, n)
    assert (exact_low < wilson_low).all()
    assert (exact_high > wilson_high).all()


def test_confidence_level_outside_zero_one_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        wilson_interval(np.array([1]), np.array([2]), level=95)
