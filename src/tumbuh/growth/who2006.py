"""WHO Child Growth Standards (0-5 years), exactly as WHO anthro 1.1.0 computes them.

Every rule here is anthro's (``anthro_zscores`` in R/z-score.R and R/z-score-helper.R):

* age in days = age, or age in months x 30.4375, rounded half up to a whole day;
* z-scores only when the *unrounded* age in months is below 60;
* a child measured standing before 9 months has the position dropped (``c9mo_flag``);
* length/height +0.7 cm when measured standing before 731 days, -0.7 cm when measured
  lying from 731 days on;
* weight-for-length below 731 days and weight-for-height from 731 days; with age
  missing, by the recorded position, else below/above 87 cm; L, M, S interpolated
  linearly between the 0.1 cm rows;
* the restricted rule beyond +/-3 SD for all indicators except length/height- and head
  circumference-for-age;
* oedema makes weight-for-age, weight-for-length/height and BMI-for-age missing;
* z rounded to 2 decimals as R rounds, then flagged with WHO's limits.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.enums import Indicator, Problem
from tumbuh.growth.lms import LMS, zscore, zscore_restricted
from tumbuh.growth.scores import Scores, finish
from tumbuh.growth.tables import LmsTable, TableName, load_table
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, UInt32Array

DAYS_PER_MONTH = 30.4375  # 365.25 / 12, ANTHRO_DAYS_OF_MONTH
LENGTH_HEIGHT_SWITCH_DAYS = 731  # below: recumbent length; from here on: standing height
POSITION_ADJUSTMENT_CM = 0.7
MAX_AGE_MONTHS = 60  # z-scores only below this unrounded age
MAX_TABLE_AGE_DAYS = 1856  # anthro's allowed_age_range upper bound
STANDING_MIN_AGE_MONTHS = 9
LENGTH_OR_HEIGHT_CUTOFF_CM = 87.0  # choice of table when age and position are missing


@dataclass(frozen=True)
class _AgeIndicator:
    table: TableName
    restricted: bool
    flag_low: float  # flagged when z < flag_low
    flag_high: float  # flagged when z > flag_high
    first_day: int = 0
    oedema_invalidates: bool = False


# Flag limits: WHO anthro documentation of anthro_zscores (flen |z| > 6; fwei z < -6 or
# z > 5; all others |z| > 5).
_AGE_INDICATORS: dict[Indicator, _AgeIndicator] = {
    Indicator.HAZ: _AgeIndicator(TableName.LENGTH_HEIGHT_FOR_AGE, False, -6, 6),
    Indicator.WAZ: _AgeIndicator(TableName.WEIGHT_FOR_AGE, True, -6, 5, oedema_invalidates=True),
    Indicator.BAZ: _AgeIndicator(TableName.BMI_FOR_AGE, True, -5, 5, oedema_invalidates=True),
    Indicator.HCZ: _AgeIndicator(TableName.HEAD_CIRCUMFERENCE_FOR_AGE, False, -5, 5),
    Indicator.ACZ: _AgeIndicator(TableName.ARM_CIRCUMFERENCE_FOR_AGE, True, -5, 5, 91),
    Indicator.TSZ: _AgeIndicator(TableName.TRICEPS_SKINFOLD_FOR_AGE, True, -5, 5, 91),
    Indicator.SSZ: _AgeIndicator(TableName.SUBSCAPULAR_SKINFOLD_FOR_AGE, True, -5, 5, 91),
}
WHZ_FLAG_LIMIT = 5.0
WFL_RANGE_CM = (45.0, 110.0)
WFH_RANGE_CM = (65.0, 120.0)


@dataclass(frozen=True)
class Who2006Result:
    """anthro's output columns as arrays, plus age in days and refused-row problems."""

    age_days: FloatArray  # whole days after rounding half up; NaN when missing
    clenhei: FloatArray
    cmeasure: Int8Array  # 0 missing, 1 lying, 2 standing (after the 9-month rule)
    c9mo_flag: Int8Array
    cbmi: FloatArray
    csex: Int8Array  # 0 missing, 1 male, 2 female
    scores: dict[Indicator, Scores]
    problems: UInt32Array  # bits of Problem; rows with any bit set get no output


def round_half_up(value: FloatArray) -> FloatArray:
    """anthro's ``round_up``: fractions of .5 and more go up (inputs are >= 0)."""
    whole = np.floor(value)
    with np.errstate(invalid="ignore"):
        return np.where(value - whole >= 0.5, whole + 1, whole)


def age_days_and_months(age: FloatArray, age_in_months: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Whole age in days (rounded half up) and unrounded age in months, as anthro derives them."""
    with np.errstate(invalid="ignore"):
        days_raw = np.where(age_in_months, age * DAYS_PER_MONTH, age)
        months = np.where(age_in_months, age, age / DAYS_PER_MONTH)
    return round_half_up(days_raw), months


def _lookup(table: LmsTable, index: np.ndarray) -> LMS:
    return LMS(table.power[index], table.median[index], table.cv[index])


def _age_indicator(
    spec: _AgeIndicator,
    measure: FloatArray,
    sex: Int8Array,
    age_days: FloatArray,
    age_ok: BoolArray,
    oedema: BoolArray,
) -> Scores:
    table = load_table(spec.table)
    lms = _lookup(table, table.flat_index(sex, age_days))
    with np.errstate(invalid="ignore"):
        y = np.where(measure > 0, measure, np.nan)  # anthro: a measure <= 0 gives no z
        valid = age_ok & (age_days >= spec.first_day)
    if spec.oedema_invalidates:
        valid &= ~oedema
    z = zscore_restricted(y, lms) if spec.restricted else zscore(y, lms)
    return finish(z, valid, spec.flag_low, spec.flag_high)


def _weight_for_lenhei(
    weight: FloatArray,
    clenhei: FloatArray,
    cmeasure: Int8Array,
    sex: Int8Array,
    age_days: FloatArray,
    age_months: FloatArray,
    oedema: BoolArray,
) -> Scores:
    """Weight-for-length (< 731 days) or -for-height, interpolating L, M, S by 0.1 cm."""
    has_age = ~np.isnan(age_days)
    with np.errstate(invalid="ignore"):
        use_length = np.where(
            has_age,
            age_days < LENGTH_HEIGHT_SWITCH_DAYS,
            np.where(cmeasure != 0, cmeasure == 1, clenhei < LENGTH_OR_HEIGHT_CUTOFF_CM),
        )
        use_height = np.where(
            has_age,
            age_days >= LENGTH_HEIGHT_SWITCH_DAYS,
            np.where(cmeasure != 0, cmeasure == 2, clenhei >= LENGTH_OR_HEIGHT_CUTOFF_CM),
        )
        # anthro: low = trunc(x * 10) / 10, upp = trunc(x * 10 + 1) / 10, joined exactly
        low_tenths = np.trunc(clenhei * 10)
        upp_tenths = np.trunc(clenhei * 10 + 1)
        diff = (clenhei - low_tenths / 10) / 0.1
    wfl = load_table(TableName.WEIGHT_FOR_LENGTH)
    wfh = load_table(TableName.WEIGHT_FOR_HEIGHT)
    low = _pick(wfl, wfh, use_length, use_height, sex, low_tenths)
    upp = _pick(wfl, wfh, use_length, use_height, sex, upp_tenths)
    with np.errstate(invalid="ignore"):
        interpolate = diff > 0
        lms = LMS(
            *(
                np.where(interpolate, lo + diff * (up - lo), lo)
                for lo, up in zip(low, upp, strict=True)
            )
        )
        z = zscore_restricted(weight, lms)
        in_range = np.where(
            use_length,
            (clenhei >= WFL_RANGE_CM[0]) & (clenhei <= WFL_RANGE_CM[1]),
            use_height & (clenhei >= WFH_RANGE_CM[0]) & (clenhei <= WFH_RANGE_CM[1]),
        )
        # anthro's NA-propagation keeps the score when age is missing.
        age_ok = ~has_age | ((age_days <= MAX_TABLE_AGE_DAYS) & (age_months < MAX_AGE_MONTHS))
    valid = in_range & ~oedema & age_ok
    return finish(z, valid, -WHZ_FLAG_LIMIT, WHZ_FLAG_LIMIT)


def _pick(
    wfl: LmsTable,
    wfh: LmsTable,
    use_length: BoolArray,
    use_height: BoolArray,
    sex: Int8Array,
    tenths: FloatArray,
) -> LMS:
    from_length = _lookup(wfl, wfl.flat_index(sex, tenths))
    from_height = _lookup(wfh, wfh.flat_index(sex, tenths))
    return LMS(
        *(
            np.where(use_length, a, np.where(use_height, b, np.nan))
            for a, b in zip(from_length, from_height, strict=True)
        )
    )


def compute(
    *,
    sex: Int8Array,
    age: FloatArray,
    age_in_months: BoolArray,
    weight_kg: FloatArray,
    lenhei_cm: FloatArray,
    measure: Int8Array,
    oedema: BoolArray,
    headc_cm: FloatArray,
    armc_cm: FloatArray,
    triskin_mm: FloatArray,
    subskin_mm: FloatArray,
    problems: UInt32Array,
) -> Who2006Result:
    """All eight WHO 2006 z-scores for arrays of equal length (codes as in ``Who2006Result``).

    ``problems`` carries what the caller already refused (unknown codes, text in number
    columns); a negative age is added here. Refused rows get NaN everywhere.
    """
    with np.errstate(invalid="ignore"):
        problems = problems | np.where(age < 0, np.uint32(Problem.AGE_NEGATIVE), np.uint32(0))
    refused = problems != 0
    age = np.where(refused, np.nan, age)
    age_days, age_months = age_days_and_months(age, age_in_months)
    sex = np.where(refused, 0, sex).astype(np.int8)
    with np.errstate(invalid="ignore", divide="ignore"):
        c9mo = (measure == 2) & (age_months < STANDING_MIN_AGE_MONTHS) & ~refused
        cmeasure = np.where(c9mo | refused, 0, measure).astype(np.int8)
        shift = np.where(
            (age_days < LENGTH_HEIGHT_SWITCH_DAYS) & (cmeasure == 2),
            POSITION_ADJUSTMENT_CM,
            np.where((age_days >= LENGTH_HEIGHT_SWITCH_DAYS) & (cmeasure == 1), -1.0, 0.0),
        )
        # anthro adds 0.7 or subtracts 0.7 (never adds -0.7): keep its exact arithmetic.
        clenhei = np.where(
            shift > 0,
            lenhei_cm + POSITION_ADJUSTMENT_CM,
            np.where(shift < 0, lenhei_cm - POSITION_ADJUSTMENT_CM, lenhei_cm),
        )
        clenhei = np.where(refused, np.nan, clenhei)
        cbmi = weight_kg / ((clenhei / 100) ** 2)
        age_ok = (age_days <= MAX_TABLE_AGE_DAYS) & (age_months < MAX_AGE_MONTHS)
    oedema = oedema & ~refused
    measures = {
        Indicator.HAZ: clenhei,
        Indicator.WAZ: weight_kg,
        Indicator.BAZ: cbmi,
        Indicator.HCZ: headc_cm,
        Indicator.ACZ: armc_cm,
        Indicator.TSZ: triskin_mm,
        Indicator.SSZ: subskin_mm,
    }
    scores = {
        ind: _age_indicator(spec, measures[ind], sex, age_days, age_ok, oedema)
        for ind, spec in _AGE_INDICATORS.items()
    }
    scores[Indicator.WHZ] = _weight_for_lenhei(
        weight_kg, clenhei, cmeasure, sex, age_days, age_months, oedema
    )
    return Who2006Result(
        age_days=age_days,
        clenhei=clenhei,
        cmeasure=cmeasure,
        c9mo_flag=np.where(refused, -1, c9mo).astype(np.int8),
        cbmi=np.where(refused, np.nan, cbmi),
        csex=sex,
        scores={ind: scores[ind] for ind in Indicator},
        problems=problems.astype(np.uint32),
    )
