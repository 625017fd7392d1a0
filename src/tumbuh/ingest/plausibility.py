"""Plausible weights and lengths/heights by age, and the unit slips behind the rest.

The reasoning (docs/import-format.md, "Plausible values"):

* **By age.** WHO flags a z-score as biologically implausible beyond fixed limits:
  weight-for-age below -6 or above +5, length/height-for-age beyond +/-6 (WHO anthro,
  ``fwei``/``flen``; docs/data-quality.md §1). The values at those limits for the
  child's age and sex are the plausible range. A value outside it is imported with a
  warning (the flag) unless one of the slips below explains it.
* **Slips.** A value outside the range for its age that lands inside it once
  multiplied by one of these factors is almost surely that slip, and blocks the row
  with the corrected value as the guess: grams for kg (/1000), a lost decimal point
  (/10, /100), a misplaced one (x10), mm for cm (/10), metres for cm (x100). The range
  at any age is narrower than a factor of 10 (weight: at most x6.6, at birth; length:
  x1.7), so
  at most one factor can fit and a real extreme value is never "explained" by one.
  The same holds for MUAC (range at most x2.6; envelope 5-35 cm).
* **Envelope.** Whatever the age, a child under five weighs 0.5-60 kg and measures
  30-150 cm. The limits lie well outside the most extreme WHO flag limits from birth to
  60 months (0.92-38.8 kg; 38.0-138.0 cm, computed from the WHO 2006 tables) so that no
  real child is refused: 0.5 kg is about the lightest newborn that survives, 30 cm about the
  length of a 24-week preterm newborn. A value outside the envelope is an error even
  without a slip that explains it. The envelope also judges rows whose age is unknown.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from tumbuh.growth.enums import Indicator
from tumbuh.growth.lms import LMS, value_at_zscore, value_at_zscore_restricted
from tumbuh.growth.tables import TableName, load_table
from tumbuh.growth.types import FloatArray
from tumbuh.growth.who2006 import WHO_FLAG_LIMITS


class Slip(StrEnum):
    """A typing or unit slip that turns a right value into an implausible one."""

    GRAMS = "grams"  # 10945 written for 10.945 kg
    DECIMAL_LOST = "decimal_lost"  # 125 written for 12.5
    DECIMAL_MISPLACED = "decimal_misplaced"  # 1.25 written for 12.5
    MILLIMETRES = "millimetres"  # 875 written for 87.5 cm
    METRES = "metres"  # 0.87 written for 87 cm


@dataclass(frozen=True)
class MeasureRule:
    """Plausibility of one kind of measurement."""

    indicator: Indicator  # whose WHO flag limits bound the plausible range
    table: TableName
    restricted: bool  # WHO's restricted rule beyond +/-3 SD applies to this indicator
    envelope: tuple[float, float]
    slips: tuple[tuple[Slip, float], ...]  # (slip, factor that corrects it), in order

    @property
    def flag_low(self) -> float:
        """WHO flags a z-score below this (:data:`tumbuh.growth.who2006.WHO_FLAG_LIMITS`)."""
        return WHO_FLAG_LIMITS[self.indicator][0]

    @property
    def flag_high(self) -> float:
        """WHO flags a z-score above this."""
        return WHO_FLAG_LIMITS[self.indicator][1]


WEIGHT = MeasureRule(
    Indicator.WAZ,
    TableName.WEIGHT_FOR_AGE,
    restricted=True,
    envelope=(0.5, 60.0),
    slips=(
        (Slip.GRAMS, 1 / 1000),
        (Slip.DECIMAL_LOST, 1 / 10),
        (Slip.DECIMAL_LOST, 1 / 100),
        (Slip.DECIMAL_MISPLACED, 10.0),
    ),
)
LENGTH = MeasureRule(
    Indicator.HAZ,
    TableName.LENGTH_HEIGHT_FOR_AGE,
    restricted=False,
    envelope=(30.0, 150.0),
    slips=(
        (Slip.MILLIMETRES, 1 / 10),
        (Slip.METRES, 100.0),
        (Slip.DECIMAL_MISPLACED, 10.0),
    ),
)

# Mid-upper arm circumference: WHO flags |z| > 5 from 91 days (the table's first day);
# the envelope (5-35 cm) is far outside MUAC in any child under five.
MUAC = MeasureRule(
    Indicator.ACZ,
    TableName.ARM_CIRCUMFERENCE_FOR_AGE,
    restricted=True,
    envelope=(5.0, 35.0),
    slips=((Slip.MILLIMETRES, 1 / 10),),
)


@dataclass(frozen=True)
class Verdict:
    """What is wrong with one value: outside the envelope, a slip, or the range for age."""

    outside_envelope: bool
    outside_range: bool  # outside the WHO flag limits for the child's age
    slip: Slip | None = None
    guess: float | None = None
    low: float | None = None  # the plausible range for the child's age
    high: float | None = None


def plausible_range(
    rule: MeasureRule, sex_code: np.ndarray, age_days: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Values at the WHO flag limits for each age (days) and sex (1/2); NaN when unknown."""
    table = load_table(rule.table)
    index = table.flat_index(sex_code, np.floor(age_days))
    lms = LMS(table.power[index], table.median[index], table.cv[index])
    inverse = value_at_zscore_restricted if rule.restricted else value_at_zscore
    n = len(index)
    low = inverse(np.full(n, rule.flag_low), lms)
    high = inverse(np.full(n, rule.flag_high), lms)
    return low, high


def judge(value: float, rule: MeasureRule, low: float, high: float) -> Verdict | None:
    """None when ``value`` is plausible; else what is wrong and the likely slip.

    ``low``/``high`` is the range for the child's age (NaN when age or sex is unknown:
    then the envelope stands in for it).
    """
    known = not (np.isnan(low) or np.isnan(high))
    lo, hi = (low, high) if known else rule.envelope
    outside_envelope = not rule.envelope[0] <= value <= rule.envelope[1]
    if lo <= value <= hi and not outside_envelope:
        return None
    for slip, factor in rule.slips:
        corrected = value * factor
        if lo <= corrected <= hi:
            return Verdict(outside_envelope, True, slip, round(corrected, 3), _r(low), _r(high))
    return Verdict(outside_envelope, True, None, None, _r(low), _r(high))


def _r(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 1)


# PMT received (the ``PMT Diterima (kg)`` column of layout A), in kg. The largest ration a
# balita gets is the Kemenkes biscuit for gizi kurang: 12 pieces of 10 g a day at 12-59
# months, about 3.7 kg a month and 10.8 kg over a 90-day programme (docs/import-format.md,
# "PMT received"). 30 kg is nearly three whole programmes: no child received more, while
# grams written for kg (1200 for 1.2) land far above it.
PMT_MAX_KG = 30.0
# Above PMT_MAX_KG, a value of at least this many "kg" is read as grams (the guess is
# value / 1000, at least 0.1 kg); below it the value is only called implausible.
PMT_GRAMS_FROM = 100.0
