"""Chi-squared tail and R's prop.test, against closed forms and published values."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.quality.stats import chi2_sf, prop_test


@pytest.mark.parametrize(
    ("statistic", "df", "p"),
    [
        # Upper-tail critical values of the chi-squared table (NIST/SEMATECH e-Handbook,
        # table 1.3.6.7.4), printed to 3 decimals.
        (3.841, 1, 0.05),
        (6.635, 1, 0.01),
        (10.828, 1, 0.001),
        (16.919, 9, 0.05),
        (21.666, 9, 0.01),
        (43.773, 30, 0.05),
        (124.342, 100, 0.05),
    ],
)
def test_table_critical_values_give_their_tail_probability(
    statistic: float, df: int, p: float
) -> None:
    result = chi2_sf(np.array([statistic]), np.array([df]))
    assert result[0] == pytest.approx(p, rel=2e-3)  # the table rounds x to 0.001


@given(x=st.floats(0.0, 400.0))
def test_two_degrees_of_freedom_is_the_exponential_tail(x: float) -> None:
    # chi-squared(2) is exponential with mean 2: P(X > x) = exp(-x/2).
    assert chi2_sf(np.array([x]), np.array([2.0]))[0] == pytest.approx(
        math.exp(-x / 2), rel=1e-10, abs=1e-300
    )


@given(x=st.floats(1e-6, 200.0))
def test_one_degree_of_freedom_is_the_normal_two_sided_tail(x: float) -> None:
    # chi-squared(1) = Z^2: P(X > x) = erfc(sqrt(x / 2)).
    assert chi2_sf(np.array([x]), np.array([1.0]))[0] == pytest.approx(
        math.erfc(math.sqrt(x / 2)), rel=1e-9, abs=1e-300
    )


@given(a=st.floats(0.0, 100.0), b=st.floats(0.0, 100.0), df=st.integers(1, 500))
def test_tail_falls_as_the_statistic_grows(a: float, b: float, df: int) -> None:
    low, high = sorted((a, b))
    p = chi2_sf(np.array([low, high]), np.array([df, df]))
    assert p[0] >= p[1] - 1e-12


def test_missing_or_invalid_input_gives_nan_and_zero_gives_one() -> None:
    p = chi2_sf(np.array([np.nan, 1.0, 0.0]), np.array([1.0, 0.0, 3.0]))
    assert np.isnan(p[0])
    assert np.isnan(p[1])
    assert p[2] == 1.0


def test_prop_test_matches_r_for_60_boys_of_100() -> None:
    # R: prop.test(60, 100) -> X-squared = 3.61, p-value = 0.05743.
    # By hand: (|60 - 50| - 0.5)^2 / (100 * 0.5 * 0.5) = 9.5^2 / 25 = 3.61.
    statistic, p = prop_test(np.array([60.0]), np.array([100.0]), 0.5)
    assert statistic[0] == pytest.approx(3.61)
    assert p[0] == pytest.approx(0.05743, abs=5e-6)


def test_prop_test_yates_correction_never_overshoots() -> None:
    # |x - np| = 0.2 < 0.5: R corrects by min(0.5, 0.2), so the statistic is exactly 0.
    statistic, p = prop_test(np.array([5.0]), np.array([12.0]), 0.4)
    assert statistic[0] == pytest.approx(0.0, abs=1e-12)
    assert p[0] == 1.0


def test_prop_test_with_no_trials_is_not_available() -> None:
    statistic, p = prop_test(np.array([0.0]), np.array([0.0]), 0.5)
    assert np.isnan(statistic[0])
    assert np.isnan(p[0])
