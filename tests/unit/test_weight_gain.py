"""N/T/O/B against the KBM table; every expected code is worked out by hand in the comments."""

import numpy as np
import pytest

from tumbuh.growth.weight_gain import (
    DEFAULT_KBM,
    NO_PREVIOUS,
    KbmTable,
    WeightTrend,
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
