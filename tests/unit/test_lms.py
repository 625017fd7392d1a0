"""The LMS z-score, its inverse and WHO's restricted rule beyond +/-3 SD."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.lms import (
    LMS,
    value_at_zscore,
    value_at_zscore_restricted,
    zscore,
    zscore_restricted,
)
from tumbuh.growth.tables import TableName, load_table


def one(value: float) -> np.ndarray:
    return np.array([value], dtype=np.float64)


def lms_of(power: float, median: float, cv: float) -> LMS:
    return LMS(power=one(power), median=one(median), cv=one(cv))


# WHO weight-for-age, boys, day 0 (weianthro.txt): L = 0.3487, M = 3.3464, S = 0.14602.
BOYS_WFA_DAY0 = lms_of(0.3487, 3.3464, 0.14602)


def test_median_has_z_zero() -> None:
    assert zscore(one(3.3464), BOYS_WFA_DAY0)[0] == 0.0


def test_zscore_follows_the_lms_formula() -> None:
    # z = ((y / M)^L - 1) / (S L), worked out for y = 4.0 kg.
    expected = ((4.0 / 3.3464) ** 0.3487 - 1) / (0.14602 * 0.3487)
    assert zscore(one(4.0), BOYS_WFA_DAY0)[0] == pytest.approx(expected, rel=1e-15)


def test_restricted_rule_beyond_plus_three_sd() -> None:
    # Above +3 SD: z = 3 + (y - SD3) / (SD3 - SD2), SDk = M (1 + L S k)^(1/L) (WHO 2006, ch. 7).
    sd3 = 3.3464 * (1 + 0.3487 * 0.14602 * 3) ** (1 / 0.3487)
    sd2 = 3.3464 * (1 + 0.3487 * 0.14602 * 2) ** (1 / 0.3487)
    y = 6.0
    assert zscore_restricted(one(y), BOYS_WFA_DAY0)[0] == pytest.approx(
        3 + (y - sd3) / (sd3 - sd2), rel=1e-14
    )


def test_restricted_rule_below_minus_three_sd() -> None:
    sd3neg = 3.3464 * (1 - 0.3487 * 0.14602 * 3) ** (1 / 0.3487)
    sd2neg = 3.3464 * (1 - 0.3487 * 0.14602 * 2) ** (1 / 0.3487)
    y = 1.5
    assert zscore_restricted(one(y), BOYS_WFA_DAY0)[0] == pytest.approx(
        -3 + (y - sd3neg) / (sd2neg - sd3neg), rel=1e-14
    )


def test_restricted_rule_leaves_values_within_three_sd_alone() -> None:
    y = np.array([2.5, 3.3464, 4.5])
    lms = LMS(*(np.repeat(p, 3) for p in BOYS_WFA_DAY0))
    np.testing.assert_array_equal(zscore_restricted(y, lms), zscore(y, lms))


def test_power_zero_uses_the_log_limit() -> None:
    assert zscore(one(np.e * 10), lms_of(0.0, 10.0, 0.1))[0] == pytest.approx(10.0)
    assert value_at_zscore(one(10.0), lms_of(0.0, 10.0, 0.1))[0] == pytest.approx(np.e * 10)


@pytest.mark.parametrize("sd", [-3, -2, -1, 0, 1, 2, 3])
def test_table_curves_give_back_their_z(sd: int) -> None:
    table = load_table(TableName.WEIGHT_FOR_AGE)
    row = table.flat_index(np.array([2]), np.array([400.0]))
    lms = LMS(table.power[row], table.median[row], table.cv[row])
    value = value_at_zscore(np.array([float(sd)]), lms)
    assert zscore(value, lms)[0] == pytest.approx(sd, abs=1e-12)


@given(
    z=st.floats(-4, 4),
    power=st.floats(-1, 1).filter(lambda p: p == 0 or abs(p) > 1e-3),
    cv=st.floats(0.02, 0.15),
)
def test_value_at_zscore_inverts_zscore(z: float, power: float, cv: float) -> None:
    lms = lms_of(power, 80.0, cv)
    assert zscore(value_at_zscore(one(z), lms), lms)[0] == pytest.approx(z, abs=1e-9)


@given(z=st.floats(-8, 8), power=st.floats(-1, 1).filter(lambda p: abs(p) > 1e-3))
def test_restricted_inverse_round_trip(z: float, power: float) -> None:
    lms = lms_of(power, 12.0, 0.12)
    value = value_at_zscore_restricted(one(z), lms)
    assert zscore_restricted(value, lms)[0] == pytest.approx(z, abs=1e-9)


@given(
    values=st.lists(st.floats(0.5, 50), min_size=2, max_size=20, unique=True),
    power=st.floats(-1, 1).filter(lambda p: abs(p) > 1e-3),
)
def test_zscore_increases_with_the_measurement(values: list[float], power: float) -> None:
    y = np.sort(np.array(values))
    lms = LMS(*(np.full(len(y), p) for p in (power, 12.0, 0.1)))
    z = zscore_restricted(y, lms)
    assert np.all(np.diff(z) >= 0)  # never decreases (ties only between adjacent doubles)


def test_nan_in_gives_nan_out() -> None:
    assert np.isnan(zscore(one(np.nan), BOYS_WFA_DAY0)[0])
    assert np.isnan(zscore_restricted(one(np.nan), BOYS_WFA_DAY0)[0])
    assert np.isnan(value_at_zscore(one(np.nan), BOYS_WFA_DAY0)[0])
    assert np.isnan(zscore(one(3.0), lms_of(np.nan, np.nan, np.nan))[0])
