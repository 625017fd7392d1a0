"""anthro's rules one by one, on constructed children (expected values from WHO's tables)."""

import numpy as np
import pandas as pd
import pytest

from tumbuh.growth.enums import Indicator
from tumbuh.growth.frame import zscores
from tumbuh.growth.lms import LMS, zscore
from tumbuh.growth.scores import flag
from tumbuh.growth.tables import TableName, load_table


def score(**columns: object) -> pd.Series:
    """Scores of one child given anthro's input columns."""
    frame = pd.DataFrame({k: [v] for k, v in columns.items()}, dtype=object)
    return zscores(frame).iloc[0]


def table_lms(name: TableName, sex: int, key: float) -> LMS:
    table = load_table(name)
    row = table.flat_index(np.array([sex]), np.array([key]))
    return LMS(table.power[row], table.median[row], table.cv[row])


def test_standing_height_before_731_days_gets_0_7_cm_added() -> None:
    assert score(sex=1, age=730, lenhei=85.0, measure="h")["clenhei"] == 85.0 + 0.7


def test_lying_length_from_731_days_gets_0_7_cm_subtracted() -> None:
    assert score(sex=1, age=731, lenhei=85.0, measure="l")["clenhei"] == 85.0 - 0.7


def test_position_matching_age_is_left_alone() -> None:
    assert score(sex=1, age=731, lenhei=85.0, measure="h")["clenhei"] == 85.0
    assert score(sex=1, age=730, lenhei=85.0, measure="l")["clenhei"] == 85.0


def test_age_in_days_is_rounded_half_up_before_the_731_day_switch() -> None:
    # 730.5 days rounds up to 731: lying length becomes height (anthro NEWS 0.9.2).
    assert score(sex=1, age=730.5, lenhei=85.0, measure="l")["clenhei"] == 85.0 - 0.7
    assert score(sex=1, age=730.49, lenhei=85.0, measure="l")["clenhei"] == 85.0


def test_standing_before_nine_months_drops_the_position() -> None:
    row = score(sex=2, age=8.9, is_age_in_month=True, lenhei=70.0, measure="h")
    assert row["c9mo_flag"] == 1
    assert pd.isna(row["cmeasure"])
    assert row["clenhei"] == 70.0  # no +0.7 once the position is dropped
    assert score(sex=2, age=9.0, is_age_in_month=True, lenhei=70.0, measure="h")["c9mo_flag"] == 0


def test_zscores_stop_at_60_months_of_unrounded_age() -> None:
    assert not np.isnan(score(sex=1, age=1826, weight=18.0)["zwei"])
    # 1826.25 days is exactly 60.0 months (x 30.4375): no z-score, although it rounds to 1826.
    assert np.isnan(score(sex=1, age=1826.25, weight=18.0)["zwei"])
    assert not np.isnan(score(sex=1, age=59.999, is_age_in_month=True, weight=18.0)["zwei"])
    assert np.isnan(score(sex=1, age=60.0, is_age_in_month=True, weight=18.0)["zwei"])


def test_age_in_months_is_converted_with_30_4375_days() -> None:
    # 12 months = 365.25 days, rounded half up to 365 (row 365 of the table).
    expected = zscore(np.array([9.5]), table_lms(TableName.WEIGHT_FOR_AGE, 2, 365))
    actual = score(sex=2, age=12, is_age_in_month=True, weight=9.5)["zwei"]
    assert actual == pytest.approx(expected[0], abs=0.005)


def test_weight_for_length_interpolates_between_tenth_cm_rows() -> None:
    low = table_lms(TableName.WEIGHT_FOR_LENGTH, 1, 800)
    high = table_lms(TableName.WEIGHT_FOR_LENGTH, 1, 801)
    middle = LMS(*((a + 0.5 * (b - a)) for a, b in zip(low, high, strict=True)))
    expected = zscore(np.array([10.0]), middle)[0]
    frame = pd.DataFrame({"sex": [1], "age": [400], "weight": [10.0], "lenhei": [80.05]})
    actual = zscores(frame, unrounded=True)["zwfl"].iloc[0]
    assert actual == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("measure", "lenhei", "scored"),
    [
        ("l", 50.0, True),  # length table 45-110 cm
        ("h", 50.0, False),  # height table starts at 65 cm
        ("l", 115.0, False),
        ("h", 115.0, True),
        (None, 86.9, True),  # no age, no position: below 87 cm means length
        (None, 120.0, True),  # 87 cm and above: height table
        (None, 121.0, False),
    ],
)
def test_weight_for_lenhei_table_when_age_is_missing(
    measure: str | None, lenhei: float, scored: bool
) -> None:
    row = score(sex=1, age=None, weight=10.0, lenhei=lenhei, measure=measure)
    assert (not np.isnan(row["zwfl"])) is scored
    assert np.isnan(row["zwei"])  # everything by age needs the age


def test_oedema_blanks_the_weight_based_scores_only() -> None:
    row = score(sex=1, age=400, weight=9.0, lenhei=75.0, measure="l", oedema="y")
    assert np.isnan([row["zwei"], row["zwfl"], row["zbmi"]]).all()
    assert row["zlen"] == -0.86  # anthro-zscores-errors.csv case 23


def test_measurement_of_zero_gives_no_zscore() -> None:
    row = score(sex=1, age=400, weight=0.0, lenhei=0.0, headc=0.0)
    assert np.isnan([row["zwei"], row["zlen"], row["zhc"]]).all()


def test_arm_and_skinfold_scores_start_at_91_days() -> None:
    assert np.isnan(score(sex=1, age=90, armc=12.0)["zac"])
    assert not np.isnan(score(sex=1, age=91, armc=12.0)["zac"])


@pytest.mark.parametrize(
    ("z", "low", "high", "flagged"),
    [(-6.0, -6, 5, 0.0), (-6.01, -6, 5, 1.0), (5.0, -6, 5, 0.0), (5.01, -6, 5, 1.0)],
)
def test_flags_use_whos_limits_on_the_rounded_zscore(
    z: float, low: float, high: float, flagged: float
) -> None:
    assert flag(np.array([z]), low, high)[0] == flagged


def test_every_indicator_is_scored_for_a_typical_child() -> None:
    row = score(
        sex=2, age=700, weight=10.5, lenhei=81.0, measure="l",
        headc=46.0, armc=15.0, triskin=9.0, subskin=7.0,
    )  # fmt: skip
    for indicator in Indicator:
        assert not np.isnan(row[f"z{indicator.anthro_name}"]), indicator
