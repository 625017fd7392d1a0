"""Sex ratio, age ratio and age distribution (completed months: tests/unit/test_ages.py)."""

import math

import numpy as np
import pytest

from tumbuh.growth.quality.bands import p_value_band
from tumbuh.growth.quality.codes import Band
from tumbuh.growth.quality.demography import (
    age_distribution,
    age_ratio_test,
    sex_ratio_test,
)


def _zeros(n: int) -> np.ndarray:
    return np.zeros(n, dtype=np.int64)


def test_more_boys_than_chance_triggers_the_sex_ratio_criterion() -> None:
    # 60 boys, 40 girls: chi2 = (10 - 0.5)^2 / 25 = 3.61, p = erfc(sqrt(3.61/2)) = 0.0574
    # -> "good" (p > 0.05), 2 points. Boys : girls = 1.5.
    sex = np.array([1] * 60 + [2] * 40)
    result = sex_ratio_test(sex, _zeros(100))
    assert result.ratio[0] == pytest.approx(1.5)
    assert result.statistic[0] == pytest.approx(3.61)
    assert result.p_value[0] == pytest.approx(math.erfc(math.sqrt(3.61 / 2)))
    assert p_value_band(result.p_value)[0] == Band.GOOD


def test_balanced_sexes_do_not_trigger_and_missing_sex_is_left_out() -> None:
    sex = np.array([1] * 50 + [2] * 50 + [0] * 7)
    result = sex_ratio_test(sex, _zeros(107))
    assert result.n.tolist() == [100]
    assert result.p_value[0] == pytest.approx(1.0)
    assert p_value_band(result.p_value)[0] == Band.EXCELLENT


def test_too_many_young_children_trigger_the_age_ratio_criterion() -> None:
    # 70 aged 6-29 and 30 aged 30-59: expected share of A = 0.85 / 1.85.
    # chi2 = (|70 - 100 p| - 0.5)^2 / (100 p (1 - p)) = 22.34 -> p = 2.3e-6, problematic.
    p = 0.85 / 1.85
    months = np.array([6.0] * 35 + [29.9] * 35 + [30.0] * 15 + [59.0] * 15)
    result = age_ratio_test(months, _zeros(100))
    expected = (abs(70 - 100 * p) - 0.5) ** 2 / (100 * p * (1 - p))
    assert result.n_first.tolist() == [70]
    assert result.ratio[0] == pytest.approx(70 / 30)
    assert result.statistic[0] == pytest.approx(expected)
    assert result.p_value[0] == pytest.approx(math.erfc(math.sqrt(expected / 2)))
    assert p_value_band(result.p_value)[0] == Band.PROBLEMATIC


def test_expected_age_ratio_does_not_trigger_and_other_ages_are_left_out() -> None:
    # 46 : 54 is close to 0.85 (100 p = 45.95): |46 - 45.95| < 0.5 so chi2 = 0 and p = 1.
    months = np.array([10.0] * 46 + [40.0] * 54 + [5.9, 60.0, np.nan])
    result = age_ratio_test(months, _zeros(103))
    assert result.n.tolist() == [100]
    assert result.p_value[0] == pytest.approx(1.0)
    assert p_value_band(result.p_value)[0] == Band.EXCELLENT


def test_age_distribution_counts_years_by_sex_months_and_birth_months() -> None:
    months = np.array([0.0, 11.0, 12.0, 12.0, 59.0, np.nan])
    sex = np.array([1, 2, 1, 0, 2, 1])
    born = np.array(
        ["2024-01-05", "2023-02-01", "2023-01-09", "NaT", "2019-12-31", "2020-05-05"],
        dtype="datetime64[D]",
    )
    result = age_distribution(months, sex, _zeros(6), birth_date=born)
    assert result.by_year_sex[0, 0].tolist() == [1, 1]  # year 0: boy (0 mo), girl (11 mo)
    assert result.by_year_sex[0, 1].tolist() == [1, 0]  # year 1: one boy; sex 0 left out
    assert result.by_year_sex[0, 4].tolist() == [0, 1]
    assert result.by_month[0, 12] == 2
    assert result.by_birth_month[0].tolist() == [2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]


def test_heaping_at_whole_years_raises_the_heaping_index() -> None:
    # 8 children at 24 months, 2 at 23 and 2 at 25: index = 8 / ((2 + 2) / 2) = 4.
    heaped = np.array([24.0] * 8 + [23.0] * 2 + [25.0] * 2)
    # Flat: one child at every month 11-13, 23-25, 35-37, 47-49: index = 4 / (8 / 2) = 1.
    flat = np.array([float(m) for c in (12, 24, 36, 48) for m in (c - 1, c, c + 1)])
    months = np.concatenate([heaped, flat])
    group = np.array([0] * heaped.size + [1] * flat.size)
    result = age_distribution(months, np.ones(months.size, dtype=np.int64), group)
    assert result.heaping_index.tolist() == pytest.approx([4.0, 1.0])
