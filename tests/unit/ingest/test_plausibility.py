"""Plausible weights and lengths by age (WHO flag limits) and the unit slips behind the rest."""

import math

import numpy as np
import pytest

from tumbuh.ingest.plausibility import LENGTH, WEIGHT, Slip, judge, plausible_range

# WHO weianthro.txt, boys, day 731: L, M, S. lenanthro.txt, boys, day 731 (L = 1).
W_L, W_M, W_S = -0.0137, 12.1548, 0.11427
H_M, H_S = 87.1303, 0.03508


def _weight_at(z: float) -> float:
    return float(W_M * (1 + W_L * W_S * z) ** (1 / W_L))


# WHO's restricted rule: beyond +/-3 SD, steps of the SD2-SD3 distance (Methods, ch. 7).
WEIGHT_LOW = _weight_at(-3) - 3 * (_weight_at(-2) - _weight_at(-3))  # z = -6, about 5.51 kg
WEIGHT_HIGH = _weight_at(3) + 2 * (_weight_at(3) - _weight_at(2))  # z = +5, about 20.86 kg
LENGTH_LOW, LENGTH_HIGH = H_M * (1 - 6 * H_S), H_M * (1 + 6 * H_S)  # 68.79, 105.47 cm


def _range(rule: object, sex: int, day: int) -> tuple[float, float]:
    low, high = plausible_range(rule, np.array([sex]), np.array([float(day)]))  # type: ignore[arg-type]
    return float(low[0]), float(high[0])


def test_the_plausible_range_is_whos_flag_limits_for_the_age() -> None:
    assert _range(WEIGHT, 1, 731) == pytest.approx((WEIGHT_LOW, WEIGHT_HIGH), abs=1e-9)
    assert _range(LENGTH, 1, 731) == pytest.approx((LENGTH_LOW, LENGTH_HIGH), abs=1e-9)


def test_the_range_agrees_with_whos_published_sd_table() -> None:
    # WHO weight-for-age boys, 24 months: -3 SD 8.6, -2 SD 9.7, +2 SD 15.3, +3 SD 17.1 kg.
    # Published to 0.1 kg, so the limits derived from them are good to about 0.35 kg.
    low, high = _range(WEIGHT, 1, 730)
    assert low == pytest.approx(8.6 - 3 * (9.7 - 8.6), abs=0.35)
    assert high == pytest.approx(17.1 + 2 * (17.1 - 15.3), abs=0.25)


def test_unknown_age_or_sex_gives_no_range() -> None:
    low, high = _range(WEIGHT, 0, 731)
    assert math.isnan(low)
    assert math.isnan(high)


@pytest.mark.parametrize("rule", [WEIGHT, LENGTH])
def test_the_range_is_narrower_than_a_factor_of_ten_at_every_age(rule: object) -> None:
    # So at most one slip factor (x10, /10, /100, /1000, x100) can bring a value into it.
    days = np.arange(0, 1856, dtype=float)
    for sex in (1, 2):
        low, high = plausible_range(rule, np.full(days.size, sex), days)  # type: ignore[arg-type]
        assert float(np.nanmax(high / low)) < 10


@pytest.mark.parametrize(
    ("rule", "value", "slip", "guess"),
    [
        (WEIGHT, 10945, Slip.GRAMS, 10.945),
        (WEIGHT, 125, Slip.DECIMAL_LOST, 12.5),
        (WEIGHT, 1250, Slip.DECIMAL_LOST, 12.5),  # /1000 gives 1.25 kg: too light; /100 fits
        (WEIGHT, 1.25, Slip.DECIMAL_MISPLACED, 12.5),
        (LENGTH, 875, Slip.MILLIMETRES, 87.5),
        (LENGTH, 0.875, Slip.METRES, 87.5),
        (LENGTH, 8.75, Slip.DECIMAL_MISPLACED, 87.5),
    ],
)
def test_a_slip_that_brings_the_value_into_range_is_the_guess(
    rule: object, value: float, slip: Slip, guess: float
) -> None:
    verdict = judge(value, rule, *_range(rule, 1, 731))  # type: ignore[arg-type]
    assert verdict is not None
    assert (verdict.slip, verdict.guess) == (slip, guess)
    low, high = (WEIGHT_LOW, WEIGHT_HIGH) if rule is WEIGHT else (LENGTH_LOW, LENGTH_HIGH)
    assert (verdict.low, verdict.high) == (round(low, 1), round(high, 1))


def test_a_value_inside_the_range_is_plausible() -> None:
    assert judge(12.2, WEIGHT, *_range(WEIGHT, 1, 731)) is None
    assert judge(87.1, LENGTH, *_range(LENGTH, 1, 731)) is None


def test_beyond_the_flag_without_a_slip_is_left_to_the_who_flag() -> None:
    # 25 kg at 2 years: above +5 SD, inside the envelope; 2.5 and 250 fit no range.
    verdict = judge(25.0, WEIGHT, *_range(WEIGHT, 1, 731))
    assert verdict is not None
    assert (verdict.slip, verdict.outside_envelope) == (None, False)


def test_outside_the_envelope_without_a_slip_is_implausible_at_any_age() -> None:
    verdict = judge(300.0, LENGTH, *_range(LENGTH, 1, 731))
    assert verdict is not None
    assert (verdict.slip, verdict.outside_envelope) == (None, True)


def test_without_an_age_the_envelope_judges_and_still_finds_the_slip() -> None:
    verdict = judge(10945.0, WEIGHT, math.nan, math.nan)
    assert verdict is not None
    assert (verdict.slip, verdict.guess, verdict.low) == (Slip.GRAMS, 10.945, None)
    assert judge(45.0, WEIGHT, math.nan, math.nan) is None  # inside 0.5-60 kg
