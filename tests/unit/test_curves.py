"""Growth-chart curves at -3...+3 SD from the WHO tables."""

import numpy as np
import pytest

from tumbuh.growth.curves import growth_curves
from tumbuh.growth.enums import Indicator, Sex, Standard
from tumbuh.growth.lms import LMS, zscore_restricted
from tumbuh.growth.tables import TableName, load_table


def test_median_curve_is_the_tables_m_column() -> None:
    curves = growth_curves(Indicator.HAZ, Sex.MALE)
    assert curves.x_unit == "days"
    assert curves.x[0] == 0
    assert curves.x[-1] == 1826
    assert curves.values[0][0] == 49.8842  # lenanthro.txt, boys, day 0


def test_length_curves_are_linear_in_sd_because_l_is_one() -> None:
    # L = 1: value = M (1 + S z); boys day 0: M 49.8842, S 0.03795.
    curves = growth_curves(Indicator.HAZ, Sex.MALE)
    assert curves.values[-2][0] == pytest.approx(49.8842 * (1 - 2 * 0.03795), rel=1e-12)


def test_weight_for_length_curves_are_indexed_by_cm() -> None:
    curves = growth_curves(Indicator.WHZ, Sex.FEMALE, lying=True)
    assert curves.x_unit == "cm"
    assert curves.x[0] == 45.0
    assert curves.x[-1] == 110.0
    height = growth_curves(Indicator.WHZ, Sex.FEMALE, lying=False)
    assert height.x[0] == 65.0
    assert height.x[-1] == 120.0


@pytest.mark.parametrize("sd", [-4, -3, -1, 0, 2, 3, 4])
def test_curve_values_score_back_to_their_sd(sd: int) -> None:
    curves = growth_curves(Indicator.WAZ, Sex.FEMALE, sds=(sd,))
    table = load_table(TableName.WEIGHT_FOR_AGE)
    rows = table.flat_index(np.full(curves.x.shape, 2), curves.x)
    lms = LMS(table.power[rows], table.median[rows], table.cv[rows])
    np.testing.assert_allclose(zscore_restricted(curves.values[sd], lms), sd, atol=1e-9)


def test_curves_increase_with_sd() -> None:
    curves = growth_curves(Indicator.BAZ, Sex.MALE, standard=Standard.WHO2007)
    assert curves.x_unit == "months"
    stacked = np.stack([curves.values[sd] for sd in (-3, -2, -1, 0, 1, 2, 3)])
    assert np.all(np.diff(stacked, axis=0) > 0)


def test_unknown_combination_is_refused() -> None:
    with pytest.raises(ValueError, match="WHO 2006"):
        growth_curves(Indicator.WHZ, Sex.MALE, standard=Standard.WHO2007)
    with pytest.raises(ValueError, match="no who2007 table"):
        growth_curves(Indicator.HCZ, Sex.MALE, standard=Standard.WHO2007)
