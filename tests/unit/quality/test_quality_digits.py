"""Digit preference score (WHO MONICA / nipnTK) and whole-number heaping."""

import math

import numpy as np
import pytest

from tumbuh.growth.quality.bands import dps_band
from tumbuh.growth.quality.codes import Band
from tumbuh.growth.quality.digits import digit_preference, terminal_digit, whole_number_counts


def test_terminal_digit_reads_one_decimal_and_whole_mm() -> None:
    # 12 reads as 12.0; 7.3 survives binary rounding; MUAC 13.5 cm is 135 mm.
    values = np.array([12.0, 7.3, 10.95 - 0.05, 13.5, np.nan])
    assert terminal_digit(values).tolist() == [0, 3, 9, 5, -1]


def test_every_value_ending_in_the_same_digit_scores_100() -> None:
    # 10 values ending in 0: O_0 = 10, E = 1, chi2 = 9^2 + 9 * 1 = 90, DPS = 100*sqrt(90/90).
    weights = np.array([10.0 + i for i in range(10)])
    result = digit_preference(weights, np.zeros(10, dtype=np.int64))
    assert result.chi_squared[0] == pytest.approx(90.0)
    assert result.dps[0] == pytest.approx(100.0)
    assert dps_band(result.dps)[0] == Band.PROBLEMATIC


def test_heaped_weights_trigger_a_problematic_score() -> None:
    # 20 weights: digit 0 six times, 5 four times, 1 and 2 twice, 3, 4, 6-9 once.
    # E = 2: chi2 = (16 + 9 * 0 ... ) -> (6-2)^2 + (4-2)^2 + 6 * (1-2)^2 = 16 + 4 + 6 = 26,
    # divided by E: 13. DPS = 100 * sqrt(13 / (20 * 9)) = 26.87 -> 27 > 20: problematic.
    digits = [0] * 6 + [5] * 4 + [1, 1, 2, 2, 3, 4, 6, 7, 8, 9]
    weights = np.array([10 + d / 10 for d in digits])
    result = digit_preference(weights, np.zeros(20, dtype=np.int64))
    assert result.digit_counts[0].tolist() == [6, 2, 2, 1, 1, 4, 1, 1, 1, 1]
    assert result.chi_squared[0] == pytest.approx(13.0)
    assert result.dps[0] == pytest.approx(100 * math.sqrt(13 / 180))
    assert dps_band(result.dps)[0] == Band.PROBLEMATIC


def test_evenly_spread_decimals_score_zero() -> None:
    heights = np.array([80 + d / 10 for d in range(10)] * 3)
    result = digit_preference(heights, np.zeros(30, dtype=np.int64))
    assert result.dps[0] == pytest.approx(0.0)
    assert result.digit_shares[0].tolist() == pytest.approx([0.1] * 10)
    assert dps_band(result.dps)[0] == Band.EXCELLENT


def test_dps_is_computed_per_group_and_missing_for_empty_groups() -> None:
    values = np.array([10.0, 10.5, 11.0, np.nan])
    group = np.array([0, 0, 0, 1])
    result = digit_preference(values, group, n_groups=3)
    assert result.n.tolist() == [3, 0, 0]
    # Group 0: O_0 = 2, O_5 = 1, E = 0.3: chi2 = (1.7^2 + 0.7^2 + 8 * 0.3^2) / 0.3 = 12.0
    assert result.chi_squared[0] == pytest.approx((1.7**2 + 0.7**2 + 8 * 0.09) / 0.3)
    assert np.isnan(result.dps[1:]).all()


@pytest.mark.parametrize(
    ("dps", "band"),
    [
        (7.49, Band.EXCELLENT),
        (7.5, Band.GOOD),
        (12.4, Band.GOOD),
        (12.6, Band.ACCEPTABLE),
        (20.4, Band.ACCEPTABLE),
        (20.5, Band.ACCEPTABLE),
        (20.51, Band.PROBLEMATIC),
    ],
)
def test_dps_is_rounded_to_a_whole_number_before_banding(dps: float, band: Band) -> None:
    # 7.5 rounds half to even -> 8 (good); 20.5 -> 20 (acceptable); 20.51 -> 21.
    assert dps_band(np.array([dps]))[0] == band


def test_whole_number_counts_truncate_the_integer_part() -> None:
    weights = np.array([2.0, 2.9, 3.5, 25.9, 26.0, 1.9, np.nan])
    result = whole_number_counts(weights, np.zeros(7, dtype=np.int64), low=2, high=25)
    assert result.counts.shape == (1, 24)
    assert result.counts[0, 0] == 2  # 2.0 and 2.9
    assert result.counts[0, 1] == 1  # 3.5
    assert result.counts[0, 23] == 1  # 25.9; 26.0 and 1.9 fall outside
    assert result.counts.sum() == 4
