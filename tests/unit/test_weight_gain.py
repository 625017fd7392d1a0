"""N/T/O/B by the Buku KIA rule: the KMS channel, then the KBM table.

Every expected code is worked out by hand in the comments, or drawn on the chart: weights
read off the WHO weight-for-age curves at a chosen z-score, as a kader would plot them.
"""

import numpy as np
import pytest

from tumbuh.growth.enums import Sex
from tumbuh.growth.lms import LMS, value_at_zscore_restricted, zscore_restricted
from tumbuh.growth.rounding import r_round
from tumbuh.growth.tables import TableName, load_table
from tumbuh.growth.weight_gain import (
    DEFAULT_KBM,
    KMS_LINES,
    NO_PREVIOUS,
    KbmTable,
    TrendClause,
    WeightTrend,
    kms_channel,
    weight_trend,
)


def days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def test_default_kbm_is_the_buku_kia_mapping_and_holds_200_g_after_a_year() -> None:
    ages = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 40, 59])
    expected = [800, 800, 900, 800, 600, 500, 400, 400, 300, 300, 200, 200, 200, 200]
    assert DEFAULT_KBM.at(ages).tolist() == expected


# One child born 10 Jan 2024 and one born 20 Jan 2023, rows deliberately out of order.
ROWS = [
    # (child, date, weight kg, expected code, expected previous row, gain g, kbm g)
    (1, "2024-04-06", 5.8, "T", 1, 800, 900),  # age 2 (6 < 10): KBM 900 > 800 g gained
    (1, "2024-03-05", 5.0, "B", None, None, None),  # first weighing
    (1, "2024-05-07", 6.7, "N", 0, 900, 800),  # age 3: 900 g >= 800
    (1, "2024-07-01", 7.0, "O", None, None, None),  # nothing in June
    (1, "2024-08-12", 7.4, "N", 3, 400, 400),  # age 7: exactly KBM is N
    (2, "2024-02-10", None, None, None, None, None),  # no weight: no code
    (2, "2024-03-11", 10.0, "B", None, None, None),  # earlier row had no weight
    (2, "2024-04-12", 10.1, "T", 6, 100, 200),  # age 14: 100 g < 200
    (2, "2024-04-25", 10.4, "N", 6, 400, 200),  # second April weighing: still vs March
    (2, "2024-05-02", 10.4, "T", 8, 0, 200),  # vs the *last* April weighing: no gain
]
BIRTHS = {1: "2024-01-10", 2: "2023-01-20"}


def _trend_of_rows(table: KbmTable = DEFAULT_KBM) -> tuple[list[str | None], list[int]]:
    result = weight_trend(
        child_id=np.array([r[0] for r in ROWS]),
        measured_on=days(*(r[1] for r in ROWS)),
        weight_kg=np.array([np.nan if r[2] is None else r[2] for r in ROWS]),
        birth_date=days(*(BIRTHS[r[0]] for r in ROWS)),
        table=table,
    )
    codes = [WeightTrend.from_code(int(c)) for c in result.code]
    return [None if c is None else c.value for c in codes], result.previous.tolist()


def test_weight_trend_codes_follow_the_kbm_rule_and_the_calendar_month() -> None:
    codes, _ = _trend_of_rows()
    assert codes == [r[3] for r in ROWS]


def test_weight_trend_points_at_the_last_weighing_of_the_previous_month() -> None:
    _, previous = _trend_of_rows()
    assert previous == [NO_PREVIOUS if r[4] is None else r[4] for r in ROWS]


def test_weight_trend_reports_whole_gram_gains_and_the_kbm_applied() -> None:
    result = weight_trend(
        child_id=np.array([r[0] for r in ROWS]),
        measured_on=days(*(r[1] for r in ROWS)),
        weight_kg=np.array([np.nan if r[2] is None else r[2] for r in ROWS]),
        birth_date=days(*(BIRTHS[r[0]] for r in ROWS)),
    )
    gains = [None if np.isnan(g) else int(g) for g in result.gain_g]
    kbm = [None if np.isnan(k) else int(k) for k in result.kbm_g]
    assert gains == [r[5] for r in ROWS]
    assert kbm == [r[6] for r in ROWS]


def test_a_gain_of_exactly_kbm_in_decimal_kilograms_is_n() -> None:
    # 10.9 - 10.1 is 0.8000000000000007 in binary floating point; in grams it is 800.
    result = weight_trend(
        child_id=np.array([5, 5]),
        measured_on=days("2024-03-12", "2024-04-12"),
        weight_kg=np.array([10.1, 10.9]),
        birth_date=days("2024-01-10", "2024-01-10"),  # age 3 months: KBM 800 g
    )
    assert result.code.tolist() == [WeightTrend.B.code, WeightTrend.N.code]


def test_another_kbm_table_changes_the_judgement_at_month_three() -> None:
    # A 700 g gain at 3 months: T with 800 g (Buku KIA mapping), N with 600 g (the
    # programme spreadsheet variant named in docs/domain.md §5).
    variant = KbmTable.from_mapping("month 3 = 600 g", {1: 800, 2: 900, 3: 600, 4: 600})

    def second_code(table: KbmTable) -> int:
        result = weight_trend(
            child_id=np.array([7, 7]),
            measured_on=days("2024-03-12", "2024-04-12"),
            weight_kg=np.array([6.0, 6.7]),
            birth_date=days("2024-01-10", "2024-01-10"),
            table=table,
        )
        return int(result.code[1])

    assert second_code(DEFAULT_KBM) == WeightTrend.T.code
    assert second_code(variant) == WeightTrend.N.code


def test_a_child_without_birth_date_gets_no_n_or_t() -> None:
    result = weight_trend(
        child_id=np.array([9, 9]),
        measured_on=days("2024-03-12", "2024-04-12"),
        weight_kg=np.array([6.0, 6.9]),
        birth_date=np.array(["NaT", "NaT"], dtype="datetime64[D]"),
    )
    assert result.code.tolist() == [WeightTrend.B.code, 0]


def test_kbm_table_months_must_be_consecutive() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        KbmTable.from_mapping("gap", {1: 800, 3: 800})


def test_weight_trend_refuses_arrays_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        weight_trend(
            child_id=np.array([1, 2]),
            measured_on=days("2024-01-01"),
            weight_kg=np.array([1.0, 2.0]),
            birth_date=days("2023-01-01", "2023-01-01"),
        )


# --- The channel rule, on trajectories drawn on the chart ------------------------------

GIRL_BORN = "2020-01-15"  # weighed on the 15th: 36 months on 2023-01-15


def _visits(months: int) -> np.ndarray:
    return np.array(
        [np.datetime64("2023-01", "M") + i for i in range(months)], dtype="datetime64[D]"
    ) + np.timedelta64(14, "D")


def _wfa_lms(on: np.ndarray, born: str) -> LMS:
    table = load_table(TableName.WEIGHT_FOR_AGE)
    age = (on - np.datetime64(born)).astype(np.float64)
    rows = table.flat_index(np.full(age.shape, Sex.FEMALE.code), age)
    return LMS(table.power[rows], table.median[rows], table.cv[rows])


def _drawn(
    z_path: list[float], step_kg: float, born: str = GIRL_BORN
) -> tuple[np.ndarray, np.ndarray]:
    """Weights on a girl's chart at the z-scores of ``z_path`` (one a month from January
    2023), read to ``step_kg``; and the rounded weight-for-age z-scores of those weights."""
    on = _visits(len(z_path))
    lms = _wfa_lms(on, born)
    weight = np.round(value_at_zscore_restricted(np.array(z_path), lms) / step_kg) * step_kg
    return weight, r_round(zscore_restricted(weight, lms), 2)


def _judge(
    weight: np.ndarray, waz: np.ndarray | None, born: str = GIRL_BORN
) -> tuple[list[str], list[str]]:
    n = weight.shape[0]
    result = weight_trend(
        child_id=np.ones(n, dtype=np.int64),
        measured_on=_visits(n),
        weight_kg=weight,
        birth_date=np.full(n, born, dtype="datetime64[D]"),
        waz=waz,
    )
    codes = [WeightTrend.from_code(int(c)) for c in result.code]
    clauses = [TrendClause.from_code(int(c)) for c in result.clause]
    return [c.value if c else "-" for c in codes], [c.value if c else "-" for c in clauses]


def test_the_kms_channels_are_bounded_by_the_lines_the_chart_draws() -> None:
    assert KMS_LINES == (-3, -2, -1, 0, 1, 2, 3)
    z = np.array([-3.01, -3.0, -2.5, -2.0, -0.01, 0.0, 2.99, 3.0, np.nan])
    assert kms_channel(z).tolist() == [0, 1, 1, 2, 3, 4, 6, 7, -1]


@pytest.mark.parametrize("step_kg", [0.01, 0.1])
def test_a_girl_along_the_minus_2_sd_line_is_n_every_month(step_kg: float) -> None:
    # 36-48 months: the -2 SD line rises about 125 g a month, below the KBM of 200 g, so
    # the KBM alone makes her T at nearly every weighing; the chart shows her on her line.
    weight, waz = _drawn([-1.96] * 13, step_kg)
    assert bool(np.all(waz >= -2))
    assert bool(np.all(np.diff(weight) >= 0.1 - 1e-9))
    codes, clauses = _judge(weight, waz)
    assert codes == ["B"] + ["N"] * 12
    assert clauses == ["-"] + ["channel"] * 12
    kbm_only, _ = _judge(weight, None)
    assert kbm_only.count("T") >= 6


def test_crossing_down_a_line_is_t_in_the_month_it_crosses() -> None:
    # A girl of 6 months sliding from -1.7 to -2.2 SD while still gaining 100-200 g a
    # month (less than the KBM of 300-400 g): N inside the channel, T in the month the
    # point drops under the -2 SD line, N again along the lower channel.
    born = "2022-07-15"
    path = [-1.7, -1.8, -1.9, -1.97, -2.05, -2.12, -2.2]
    weight, waz = _drawn(path, 0.01, born)
    assert bool(np.all(np.diff(weight) >= 0.1)), np.diff(weight)
    codes, clauses = _judge(weight, waz, born)
    assert codes == ["B", "N", "N", "N", "T", "N", "N"]
    assert clauses[4] == "dropped_channel"
    assert set(clauses[1:4] + clauses[5:]) == {"channel"}


def test_a_flat_or_falling_curve_is_t_even_inside_the_channel() -> None:
    weight = np.array([13.0, 13.0, 12.7, 12.8])
    waz = np.full(4, -0.5)  # all inside the [-1, 0) channel
    codes, clauses = _judge(weight, waz)
    assert codes == ["B", "T", "T", "N"]
    assert clauses == ["-", "flat", "falling", "channel"]


def test_one_scale_step_is_a_change_and_less_than_one_is_flat() -> None:
    # The dacin reads to 0.1 kg: +0.1 kg is a rise, -0.1 kg a fall, 0.05 kg either way
    # (a digital scale) is no change.
    weight = np.array([13.0, 13.1, 13.0, 13.05, 13.0])
    waz = np.full(5, -0.5)
    codes, clauses = _judge(weight, waz)
    assert codes == ["B", "N", "T", "T", "T"]
    assert clauses == ["-", "channel", "falling", "flat", "flat"]


def test_the_kbm_decides_when_the_channel_drops_or_is_unknown() -> None:
    # Gains of 300 g (>= KBM 200) then 150 g (< KBM): with a drop into a lower channel the
    # KBM decides; without z-scores (from 60 months, oedema) the KBM is the whole rule.
    weight = np.array([13.0, 13.3, 13.45])
    dropping = np.array([-1.95, -2.05, -2.15])
    assert _judge(weight, dropping) == (["B", "N", "N"], ["-", "kbm", "channel"])
    dropping_twice = np.array([-0.95, -1.05, -2.05])
    assert _judge(weight, dropping_twice) == (["B", "N", "T"], ["-", "kbm", "dropped_channel"])
    unknown = np.full(3, np.nan)
    assert _judge(weight, unknown) == (["B", "N", "T"], ["-", "kbm", "below_kbm"])


def test_o_and_b_have_no_clause() -> None:
    result = weight_trend(
        child_id=np.array([1, 1, 1]),
        measured_on=days("2024-01-15", "2024-03-15", "2024-04-15"),
        weight_kg=np.array([10.0, 10.5, 10.6]),
        birth_date=days("2023-01-01", "2023-01-01", "2023-01-01"),
        waz=np.array([-1.0, -0.8, -0.8]),
    )
    assert result.code.tolist() == [WeightTrend.B.code, WeightTrend.O.code, WeightTrend.N.code]
    assert result.clause.tolist() == [0, 0, TrendClause.CHANNEL.code]
