"""Growth-chart curves: the measurement at whole SDs along a WHO table (KMS-style charts).

For each row of a table (a day of age, a month, or 0.1 cm of length/height) the value at
z = -3 ... +3 is ``M (1 + L S z)^(1/L)``; for the indicators WHO restricts beyond +/-3 SD
the same function continues linearly past +/-3 (``value_at_zscore_restricted``), so a
chart may also draw -4 or +4 SD lines consistent with the z-scores Tumbuh reports.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.enums import Indicator, Sex, Standard
from tumbuh.growth.lms import LMS, value_at_zscore, value_at_zscore_restricted
from tumbuh.growth.tables import TableName, load_table
from tumbuh.growth.types import FloatArray

DEFAULT_SDS = (-3, -2, -1, 0, 1, 2, 3)

_TABLES: dict[tuple[Standard, Indicator], tuple[TableName, bool]] = {
    (Standard.WHO2006, Indicator.HAZ): (TableName.LENGTH_HEIGHT_FOR_AGE, False),
    (Standard.WHO2006, Indicator.WAZ): (TableName.WEIGHT_FOR_AGE, True),
    (Standard.WHO2006, Indicator.BAZ): (TableName.BMI_FOR_AGE, True),
    (Standard.WHO2006, Indicator.HCZ): (TableName.HEAD_CIRCUMFERENCE_FOR_AGE, False),
    (Standard.WHO2006, Indicator.ACZ): (TableName.ARM_CIRCUMFERENCE_FOR_AGE, True),
    (Standard.WHO2006, Indicator.TSZ): (TableName.TRICEPS_SKINFOLD_FOR_AGE, True),
    (Standard.WHO2006, Indicator.SSZ): (TableName.SUBSCAPULAR_SKINFOLD_FOR_AGE, True),
    (Standard.WHO2007, Indicator.HAZ): (TableName.HEIGHT_FOR_AGE_2007, False),
    (Standard.WHO2007, Indicator.WAZ): (TableName.WEIGHT_FOR_AGE_2007, True),
    (Standard.WHO2007, Indicator.BAZ): (TableName.BMI_FOR_AGE_2007, True),
}


@dataclass(frozen=True)
class Curves:
    """Values at each SD along ``x`` (age in days or months, or length/height in cm)."""

    x: FloatArray
    x_unit: str  # "days", "months" or "cm"
    values: dict[int, FloatArray]


def growth_curves(
    indicator: Indicator,
    sex: Sex,
    *,
    standard: Standard = Standard.WHO2006,
    lying: bool = True,
    sds: tuple[int, ...] = DEFAULT_SDS,
) -> Curves:
    """Curves of one indicator and sex; ``lying`` picks weight-for-length (else -height)."""
    if indicator is Indicator.WHZ:
        if standard is not Standard.WHO2006:
            raise ValueError("weight-for-length/height exists only in the WHO 2006 standards")
        name = TableName.WEIGHT_FOR_LENGTH if lying else TableName.WEIGHT_FOR_HEIGHT
        restricted = True
    else:
        try:
            name, restricted = _TABLES[(standard, indicator)]
        except KeyError:
            raise ValueError(f"{indicator} has no {standard} table") from None
    table = load_table(name)
    keys = np.arange(table.first_key, table.last_key + 1, dtype=np.float64)
    rows = table.flat_index(np.full(keys.shape, sex.code), keys)
    lms = LMS(table.power[rows], table.median[rows], table.cv[rows])
    inverse = value_at_zscore_restricted if restricted else value_at_zscore
    values = {sd: inverse(np.full(keys.shape, float(sd)), lms) for sd in sds}
    if indicator is Indicator.WHZ:
        return Curves(x=keys / 10, x_unit="cm", values=values)
    unit = "months" if standard is Standard.WHO2007 else "days"
    return Curves(x=keys, x_unit=unit, values=values)
