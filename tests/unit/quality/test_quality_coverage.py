"""Coverage D/S and the register prevalence beside a survey figure."""

import numpy as np
import pytest

from tumbuh.growth.quality.coverage import coverage, survey_comparison


def test_low_coverage_is_below_target_and_not_trusted() -> None:
    # Posyandu 0: children 1, 2, 3 (child 3 twice) of 5 targeted: D/S = 3/5 = 60 %.
    # Posyandu 1: 19 of 20 = 95 %: meets the 80 % target and the 95 % "trusted" line.
    child = np.array([1, 2, 3, 3, *range(10, 29)])
    group = np.array([0, 0, 0, 0] + [1] * 19)
    result = coverage(child, group, np.array([5.0, 20.0]))
    assert result.measured.tolist() == [3, 19]
    assert result.ratio.tolist() == pytest.approx([0.6, 0.95])
    assert result.below_target.tolist() == [True, False]
    assert result.below_trusted.tolist() == [True, False]


def test_unknown_target_gives_no_ratio() -> None:
    result = coverage(np.array([1, 2]), np.array([0, 0]), np.array([np.nan]))
    assert np.isnan(result.ratio[0])
    assert result.below_target.tolist() == [False]


def test_register_prevalence_beside_the_survey_and_the_gap() -> None:
    # 100 children with a valid HAZ, 3 stunted; one more at HAZ -6.5 is WHO-flagged and
    # left out; one has no HAZ. Register 3.0 %; SSGI 2021 Cilegon 20.6 %: gap 17.6 points,
    # ratio 20.6 / 3 = 6.87.
    haz = np.concatenate([np.full(3, -2.5), np.full(97, -0.5), [-6.5, np.nan]])
    result = survey_comparison(haz, np.zeros(102, dtype=np.int64), np.array([20.6]))
    assert result.n_valid.tolist() == [100]
    assert result.n_cases.tolist() == [3]
    assert result.register_percent.tolist() == pytest.approx([3.0])
    assert result.gap_points.tolist() == pytest.approx([17.6])
    assert result.ratio.tolist() == pytest.approx([20.6 / 3])


def test_register_close_to_the_survey_shows_a_small_gap() -> None:
    haz = np.concatenate([np.full(20, -2.1), np.full(80, 0.0)])
    result = survey_comparison(haz, np.zeros(100, dtype=np.int64), np.array([19.1]))
    assert result.gap_points.tolist() == pytest.approx([-0.9])


def test_no_survey_figure_gives_no_gap() -> None:
    result = survey_comparison(
        np.array([-3.0, 0.0]), np.zeros(2, dtype=np.int64), np.array([np.nan])
    )
    assert result.register_percent.tolist() == [50.0]
    assert np.isnan(result.gap_points[0])
