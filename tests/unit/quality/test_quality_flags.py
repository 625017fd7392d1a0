"""WHO flags, SMART flags and raw MUAC flags."""

import numpy as np
import pytest

from tumbuh.growth import who2006
from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality.flags import flag_share, muac_flags, smart_flags, who_flags


@pytest.mark.parametrize(
    ("indicator", "flagged", "not_flagged"),
    [
        (Indicator.HAZ, [-6.01, 6.01], [-6.0, 6.0, 0.0]),
        (Indicator.WAZ, [-6.01, 5.01], [-6.0, 5.0]),
        (Indicator.WHZ, [-5.01, 5.01], [-5.0, 5.0]),
        (Indicator.BAZ, [-5.01, 5.01], [-5.0, 5.0]),
        (Indicator.HCZ, [-5.01, 5.01], [-5.0, 5.0]),
    ],
)
def test_who_flags_use_strict_limits(
    indicator: Indicator, flagged: list[float], not_flagged: list[float]
) -> None:
    assert who_flags(np.array(flagged), indicator).all()
    assert not who_flags(np.array(not_flagged), indicator).any()


def test_who_flags_skip_missing_z() -> None:
    assert not who_flags(np.array([np.nan]), Indicator.HAZ)[0]


def test_who_flags_agree_with_the_z_score_engine() -> None:
    # A boy of 400 days and 50 cm is far below -6 HAZ; 75 cm is plausible.
    n = 2
    result = who2006.compute(
        sex=np.array([1, 1], dtype=np.int8),
        age=np.array([400.0, 400.0]),
        age_in_months=np.zeros(n, dtype=bool),
        weight_kg=np.array([9.0, 9.0]),
        lenhei_cm=np.array([50.0, 75.0]),
        measure=np.array([1, 1], dtype=np.int8),
        oedema=np.zeros(n, dtype=bool),
        headc_cm=np.full(n, np.nan),
        armc_cm=np.full(n, np.nan),
        triskin_mm=np.full(n, np.nan),
        subskin_mm=np.full(n, np.nan),
        problems=np.zeros(n, dtype=np.uint32),
    )
    scores = result.scores[Indicator.HAZ]
    assert who_flags(scores.z, Indicator.HAZ).tolist() == (scores.flag == 1).tolist()
    assert who_flags(scores.z, Indicator.HAZ).tolist() == [True, False]


def test_smart_flags_follow_the_unit_mean() -> None:
    # docs/data-quality.md §1: with a mean WHZ of -0.8, values below -3.8 and above +2.2 are
    # flagged.
    # Unit 0: -3.9, 2.3, -0.8 and -0.8 have mean (-3.9 + 2.3 - 1.6) / 4 = -0.8.
    # Unit 1 has mean 0, so +2.3 there is not flagged.
    z = np.array([-3.9, 2.3, -0.8, -0.8, 2.3, -2.3])
    group = np.array([0, 0, 0, 0, 1, 1])
    assert smart_flags(z, group).tolist() == [True, True, False, False, False, False]


def test_smart_flags_keep_values_within_three_of_the_mean() -> None:
    # Mean 0; -3.0 is exactly 3 away and "more than 3" is strict.
    z = np.array([-3.0, 3.0, 0.0, np.nan])
    assert smart_flags(z, np.zeros(4, dtype=np.int64)).tolist() == [False] * 4


def test_muac_flags_below_100_and_above_200_mm() -> None:
    muac_cm = np.array([9.9, 10.0, 20.0, 20.1, np.nan])
    assert muac_flags(muac_cm).tolist() == [True, False, False, True, False]


def test_flag_share_uses_all_rows_and_rows_with_z() -> None:
    # 4 rows, one without z, one flagged: 1/4 of rows (WHO report), 1/3 of z (SMART).
    z = np.array([7.0, 0.0, 1.0, np.nan])
    result = flag_share(who_flags(z, Indicator.HAZ), z, np.zeros(4, dtype=np.int64))
    assert result.n_flagged.tolist() == [1]
    assert result.share_of_rows[0] == pytest.approx(0.25)
    assert result.share_of_z[0] == pytest.approx(1 / 3)
