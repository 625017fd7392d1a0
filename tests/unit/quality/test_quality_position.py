"""Measuring position against age."""

import numpy as np
import pytest

from tumbuh.growth.quality.position import age_group, position_mismatch

LYING, STANDING = 1, 2


def test_standing_babies_and_lying_toddlers_are_mismatches() -> None:
    # Standing at 730 days (< 731: under 24 months) and at 200 days (also under 9 months);
    # lying at 731 days; correct: lying at 100 days, standing at 1000 days.
    position = np.array([STANDING, STANDING, LYING, LYING, STANDING, 0])
    age_days = np.array([730.0, 200.0, 731.0, 100.0, 1000.0, 400.0])
    result = position_mismatch(position, age_days, np.zeros(6, dtype=np.int64))
    assert result.n_checked.tolist() == [5]
    assert result.n_standing_under_24.tolist() == [2]
    assert result.n_lying_from_24.tolist() == [1]
    assert result.n_mismatch.tolist() == [3]
    assert result.mismatch_share[0] == pytest.approx(3 / 5)
    assert result.n_standing_under_9.tolist() == [1]  # 200 days = 6.6 months
    assert result.n_missing_position.tolist() == [1]
    # By age group: 200 d -> 6-11 mo (1); 730 d = 23.98 mo -> 12-23 (2); 731 d -> 24-35 (3).
    assert result.mismatch_by_age_group[0].tolist() == [0, 1, 1, 1, 0, 0]
    assert result.missing_by_age_group[0].tolist() == [0, 0, 1, 0, 0, 0]


def test_correct_positions_give_no_mismatch() -> None:
    position = np.array([LYING, LYING, STANDING, STANDING])
    age_days = np.array([0.0, 730.0, 731.0, 1800.0])
    result = position_mismatch(position, age_days, np.zeros(4, dtype=np.int64))
    assert result.n_mismatch.tolist() == [0]
    assert result.mismatch_share[0] == 0.0


def test_rows_without_height_or_age_are_not_checked() -> None:
    position = np.array([STANDING, STANDING])
    age_days = np.array([100.0, np.nan])
    heights = np.array([np.nan, 80.0])
    result = position_mismatch(position, age_days, np.zeros(2, dtype=np.int64), height_cm=heights)
    assert result.n_checked.tolist() == [0]
    assert np.isnan(result.mismatch_share[0])


def test_standard_age_groups() -> None:
    days = np.array([0.0, 182.0, 183.0, 365.25, 1826.0, 1827.0, np.nan])
    # 182 d = 5.98 mo; 183 d = 6.01 mo; 1826 d = 59.99 mo; 1827 d = 60.02 mo.
    assert age_group(days).tolist() == [0, 0, 1, 2, 5, -1, -1]
