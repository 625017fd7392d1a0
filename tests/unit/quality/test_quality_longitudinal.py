"""Copied values, EWMA and the growthcleanr-style cleaning."""

import numpy as np
import pytest

from tumbuh.growth.quality.cleaning import clean_parameter
from tumbuh.growth.quality.longitudinal import (
    Cleaning,
    Parameter,
    cleaning_summary,
    copied_values,
    ewma,
)


def _w(days: float) -> float:
    return float((5.0 + days) ** -1.5)  # growthcleanr weight, ewma.exp = -1.5


def test_ewma_of_three_values_worked_by_hand() -> None:
    # Ages 0, 10, 20 days, scores 0, 1, 2.
    result = ewma(np.zeros(3, dtype=np.int64), np.array([0.0, 10.0, 20.0]), np.array([0.0, 1, 2]))
    first_all = (_w(10) * 1 + _w(20) * 2) / (_w(10) + _w(20))
    middle_all = (_w(10) * 0 + _w(10) * 2) / (2 * _w(10))
    assert result.all.tolist() == pytest.approx(
        [first_all, middle_all, (_w(20) * 0 + _w(10) * 1) / (_w(20) + _w(10))]
    )
    # "before" leaves out the previous value too, "after" the next one.
    assert result.before[1] == pytest.approx(2.0)
    assert result.after[1] == pytest.approx(0.0)
    assert result.after[0] == pytest.approx(2.0)
    assert result.before[0] == pytest.approx(first_all)


def test_ewma_keeps_children_apart_and_skips_missing_scores() -> None:
    child = np.array([1, 2, 1, 1])
    result = ewma(child, np.array([0.0, 0.0, 30.0, 60.0]), np.array([1.0, 5.0, np.nan, 3.0]))
    assert result.all[0] == pytest.approx(3.0)
    assert np.isnan(result.all[1])  # child 2 has no other value
    assert np.isnan(result.all[2])


def test_copied_heights_and_records_are_counted_per_group() -> None:
    # Child 1: month 2 copies height and weight of month 1; month 3 new height.
    # Child 2: month 2 keeps the weight (a real T is possible) but a new height.
    child = np.array([1, 1, 1, 2, 2])
    day = np.array([0.0, 30.0, 60.0, 0.0, 30.0])
    weight = np.array([9.0, 9.0, 9.4, 8.0, 8.0])
    height = np.array([75.0, 75.0, 76.2, 70.0, 70.8])
    group = np.array([0, 0, 1, 0, 0])
    result = copied_values(child, day, weight, height, group)
    assert result.n_with_previous.tolist() == [2, 1]
    assert result.n_height_repeated.tolist() == [1, 0]
    assert result.n_weight_repeated.tolist() == [2, 0]
    assert result.n_both_repeated.tolist() == [1, 0]
    assert result.height_repeated_share.tolist() == [0.5, 0.0]


def _child(values: list[float], z: list[float], start: int = 0) -> dict[str, np.ndarray]:
    n = len(values)
    return {
        "child": np.zeros(n, dtype=np.int64),
        "age": np.array([start + 30.0 * i for i in range(n)]),
        "value": np.array(values),
        "z": np.array(z),
    }


def _clean(data: dict[str, np.ndarray], parameter: Parameter) -> list[int]:
    codes = clean_parameter(
        data["child"], data["age"], data["value"], data["z"], parameter=parameter
    )
    return [int(c) for c in codes]


def test_a_weight_far_off_the_childs_curve_is_an_ewma_extreme() -> None:
    # z 0, 0.1, 5, 0.2, 0.1 (ages 0..120 days): for the third value the EWMA of the others
    # is about 0.1, so dewma ~ 4.9 > 3.5, both one-sided dewmas > 3 and z > 3.5.
    data = _child([5.0, 5.5, 12.0, 6.5, 7.0], [0.0, 0.1, 5.0, 0.2, 0.1])
    assert _clean(data, Parameter.WEIGHT) == [0, 0, Cleaning.EWMA_EXTREME, 0, 0]


def test_a_smooth_curve_has_no_exclusion_even_when_low() -> None:
    data = _child([5.0, 5.4, 5.8, 6.1, 6.4], [-3.6, -3.7, -3.8, -3.7, -3.9])
    assert _clean(data, Parameter.WEIGHT) == [0] * 5


def test_of_two_far_apart_values_the_more_extreme_is_excluded() -> None:
    # Two values: 4.5 - 0 > 3.5 and 4.5 > 3.5 -> the pair rule excludes the second.
    data = _child([5.0, 14.0], [0.0, 4.5])
    assert _clean(data, Parameter.WEIGHT) == [0, Cleaning.EWMA_EXTREME_PAIR]


def test_only_heights_are_excluded_as_carried_forward() -> None:
    heights = _child([70.0, 70.0, 71.0], [-1.0, -1.2, -1.1])
    weights = _child([8.0, 8.0, 8.3], [-1.0, -1.1, -1.0])
    assert _clean(heights, Parameter.HEIGHT) == [0, Cleaning.CARRIED_FORWARD, 0]
    assert _clean(weights, Parameter.WEIGHT) == [0, 0, 0]


def test_a_height_that_shrinks_beyond_tolerance_is_excluded() -> None:
    # 60, 62, 58: the drop 62 -> 58 is 4 cm > 2.5. The 62's one-sided EWMA (after) is the
    # z of 60 (-1.0): |-1.2 + 1.0| = 0.2; the 58's (before) is also -1.0: |-1.1 + 1| = 0.1.
    # The 62 is further from its trajectory and is excluded.
    data = _child([60.0, 62.0, 58.0], [-1.0, -1.2, -1.1])
    assert _clean(data, Parameter.HEIGHT) == [0, Cleaning.MIN_HEIGHT_CHANGE, 0]


def test_small_height_decreases_are_tolerated() -> None:
    data = _child([60.0, 62.0, 59.6], [-1.0, -1.2, -1.1])  # drop of 2.4 cm <= 2.5
    assert _clean(data, Parameter.HEIGHT) == [0, 0, 0]


def test_same_day_values_keep_the_one_closest_to_the_childs_median() -> None:
    data = {
        "child": np.zeros(4, dtype=np.int64),
        "age": np.array([0.0, 30.0, 30.0, 60.0]),
        "value": np.array([5.0, 5.5, 9.0, 6.0]),
        "z": np.array([0.0, 0.1, 2.0, 0.2]),  # median 0.15: the 0.1 stays, the 2.0 goes
    }
    assert _clean(data, Parameter.WEIGHT) == [0, 0, Cleaning.EXTRANEOUS_SAME_DAY, 0]


def test_missing_and_absurd_values_get_their_codes() -> None:
    data = _child([5.0, np.nan, 500.0], [0.0, np.nan, 30.0])
    assert _clean(data, Parameter.WEIGHT) == [0, Cleaning.MISSING, Cleaning.SD_CUTOFF]


def test_cleaning_summary_counts_codes_per_group() -> None:
    codes = np.array([0, 1, 3, 5, 7, 0], dtype=np.int8)
    group = np.array([0, 0, 0, 0, 0, 1])
    summary = cleaning_summary(codes, group)
    assert summary.n_checked.tolist() == [4, 1]
    assert summary.implausible_share.tolist() == [0.5, 0.0]  # EWMA + height change of 4
    assert summary.carried_forward_share.tolist() == [0.25, 0.0]


def test_two_extremes_in_one_child_are_excluded_over_two_rounds() -> None:
    # Round 1 excludes the worst (z = 6, largest |z + dewma|); round 2 the 5. The second
    # child, measured alongside, keeps every value.
    z = np.array([0.0, 0.1, 5.0, 0.2, 6.0, 0.1, 0.0, -1.0, -1.1, -0.9])
    child = np.array([0] * 7 + [1] * 3)
    age = np.array([30.0 * i for i in range(7)] + [0.0, 30.0, 60.0])
    codes = clean_parameter(child, age, np.arange(10.0) + 5, z, parameter=Parameter.WEIGHT)
    extreme = int(Cleaning.EWMA_EXTREME)
    assert codes.tolist() == [0, 0, extreme, 0, extreme, 0, 0, 0, 0, 0]
