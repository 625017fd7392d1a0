"""R's round(x, 2), which anthro applies to every z-score."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.rounding import _r_round_exact, r_round


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # R >= 4.0.0: round(0.285, 2) is 0.28 because the double 0.285 lies below the tie.
        (0.285, 0.28),
        (-0.285, -0.28),
        # Exactly representable ties go to the even candidate, as in R.
        (0.125, 0.12),
        (0.375, 0.38),
        (-0.125, -0.12),
        # 0.135 is stored as 0.13500000000000000888: above the tie.
        (0.135, 0.14),
        (2.675, 2.67),
        (1.005, 1.0),
        (-3.004999, -3.0),
        # The stored 5.015 is exactly as far from 5.01 as from 5.02 (as doubles): R takes
        # the candidate with the even last digit, unlike Python's round (5.01).
        (5.015, 5.02),
    ],
)
def test_rounds_like_r(value: float, expected: float) -> None:
    assert r_round(np.array([value]))[0] == expected


def test_nan_and_infinities_pass_through() -> None:
    result = r_round(np.array([np.nan, np.inf, -np.inf, 0.0]))
    assert np.isnan(result[0])
    assert result[1] == np.inf
    assert result[2] == -np.inf
    assert result[3] == 0.0


def test_very_large_values_are_returned_unchanged_as_in_r() -> None:
    # R returns x when rounding to 2 digits cannot change a double this large.
    value = 2.0**50 + 0.5
    assert r_round(np.array([value]))[0] == value


def test_rejects_digits_below_one() -> None:
    with pytest.raises(ValueError, match="digits"):
        r_round(np.array([1.0]), 0)


@given(st.lists(st.floats(-1e7, 1e7) | st.just(float("nan")), min_size=1, max_size=50))
def test_fast_path_agrees_with_r_algorithm(values: list[float]) -> None:
    x = np.array(values)
    np.testing.assert_array_equal(r_round(x), _r_round_exact(x, 2))


@given(st.integers(-10_000_000, 10_000_000))
def test_decimal_ties_agree_with_r_algorithm(hundredths_and_half: int) -> None:
    # Values written as k.kk5 are the hard cases: stored just above or below the tie.
    x = np.array([(hundredths_and_half + 0.5) / 100])
    np.testing.assert_array_equal(r_round(x), _r_round_exact(x, 2))
