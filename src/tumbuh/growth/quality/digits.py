"""Digit preference (docs/data-quality.md §3): WHO MONICA score and heaping histograms.

1. Each value is read at its recorded precision: weight and height to one decimal (12 reads
   as 12.0, terminal digit 0), MUAC in whole mm (13.5 cm is 135 mm, terminal digit 5). In
   all three cases the terminal digit is ``round(value * 10) mod 10`` of the value in kg or cm.
2. O_d counts the terminal digits 0-9 over N values; E = N / 10.
3. chi^2 = sum (O_d - E)^2 / E with df = 9.
4. DPS = 100 * sqrt(chi^2 / (N * df)): 0 for an even spread, 100 when every value ends in
   the same digit (nipnTK ``digitPreference``).

Whole-number heaping (WHO Survey Analyser) counts the truncated integer part of weights
(2-25 kg) and lengths/heights (35-125 cm). Fix unit slips first, or DPS measures the slip.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.quality._grouped import as_float, count_by, group_codes, share
from tumbuh.growth.types import FloatArray, IntArray

DIGITS = 10
DIGIT_DF = DIGITS - 1
WEIGHT_WHOLE_RANGE_KG = (2, 25)
HEIGHT_WHOLE_RANGE_CM = (35, 125)


@dataclass(frozen=True)
class DigitPreference:
    """Per group: terminal-digit counts and shares, chi-squared and the DPS."""

    n: IntArray
    digit_counts: IntArray  # shape (n_groups, 10), digits 0-9
    digit_shares: FloatArray  # shape (n_groups, 10); NaN where n = 0
    chi_squared: FloatArray
    dps: FloatArray  # unrounded; SMART bands use it rounded to a whole number


@dataclass(frozen=True)
class WholeNumberCounts:
    """Per group: how many values have each integer part from ``low`` to ``high``."""

    low: int
    high: int
    counts: IntArray  # shape (n_groups, high - low + 1)


def terminal_digit(value: FloatArray) -> IntArray:
    """The first decimal of a value recorded to 0.1 (kg or cm); -1 where missing."""
    tenths = np.rint(np.asarray(value, dtype=np.float64) * 10.0)
    ok = np.isfinite(tenths)
    digits = np.mod(np.where(ok, tenths, 0.0), DIGITS).astype(np.int64)
    return np.where(ok, digits, -1)


def digit_preference(
    value: FloatArray, group: IntArray, *, n_groups: int | None = None
) -> DigitPreference:
    """Digit preference score of weights (kg), heights (cm) or MUAC (cm) per group."""
    values = as_float(value, np.asarray(group).size, "value")
    codes, n_groups = group_codes(group, values.size, n_groups)
    digits = terminal_digit(values)
    counts = count_by(codes, digits, digits >= 0, n_groups, DIGITS)
    n = counts.sum(axis=1)
    expected = n / DIGITS
    with np.errstate(invalid="ignore", divide="ignore"):
        chi_squared = np.where(
            n > 0,
            ((counts - expected[:, None]) ** 2).sum(axis=1) / np.maximum(expected, 1e-300),
            np.nan,
        )
        dps = 100.0 * np.sqrt(chi_squared / (n * DIGIT_DF))
    return DigitPreference(
        n=n,
        digit_counts=counts,
        digit_shares=share(counts, n[:, None]),
        chi_squared=chi_squared,
        dps=dps,
    )


def whole_number_counts(
    value: FloatArray, group: IntArray, *, low: int, high: int, n_groups: int | None = None
) -> WholeNumberCounts:
    """Counts of the truncated integer part of each value, from ``low`` to ``high``."""
    values = as_float(value, np.asarray(group).size, "value")
    codes, n_groups = group_codes(group, values.size, n_groups)
    ok = np.isfinite(values)
    whole = np.where(ok, np.trunc(np.where(ok, values, 0.0)), -1).astype(np.int64) - low
    counts = count_by(codes, whole, ok, n_groups, high - low + 1)
    return WholeNumberCounts(low=low, high=high, counts=counts)
