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

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from tumbuh.growth.chunks import CHUNK_ROWS, check_same_length, map_chunks
from tumbuh.growth.enums import WHO2006_INDICATORS, Indicator, Problem
from tumbuh.growth.lms import LMS, zscore, zscore_restricted
from tumbuh.growth.scores import Scores, finish
from tumbuh.growth.tables import LmsTable, TableName, load_table
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, IntArray, UInt32Array

# The WHO constants of Tumbuh, defined here once and imported wherever they are needed.
DAYS_PER_MONTH = 30.4375  # 365.25 / 12, ANTHRO_DAYS_OF_MONTH: anthro's average month
DAYS_PER_YEAR = 12 * DAYS_PER_MONTH  # 365.25
LENGTH_HEIGHT_SWITCH_DAYS = 731  # below: recumbent length; from here on: standing height
POSITION_ADJUSTMENT_CM = 0.7
MAX_AGE_MONTHS = 60  # z-scores only below this unrounded age
MAX_AGE_DAYS = 1826  # the last whole day below 60 months (60 x 30.4375 = 1826.25)
MAX_TABLE_AGE_DAYS = 1856  # anthro's allowed_age_range upper bound
STANDING_MIN_AGE_MONTHS = 9
LENGTH_OR_HEIGHT_CUTOFF_CM = 87.0  # choice of table when age and position are missing


@dataclass(frozen=True)
class _AgeIndicator:
    table: TableName
    restricted: bool
    first_day: int = 0
    oedema_invalidates: bool = False


# WHO flag limits, (flagged when z < low, flagged when z > high), strict inequalities: the
# documentation of anthro_zscores (flen |z| > 6; fwei z < -6 or z > 5; all others
# |z| > 5). anthroplus (WHO 2007) flags height-, weight- and BMI-for-age the same way.
WHO_FLAG_LIMITS: dict[Indicator, tuple[float, float]] = {
    Indicator.HAZ: (-6.0, 6.0),
    Indicator.WAZ: (-6.0, 5.0),
    Indicator.WHZ: (-5.0, 5.0),
    Indicator.BAZ: (-5.0, 5.0),
    Indicator.HCZ: (-5.0, 5.0),
    Indicator.ACZ: (-5.0, 5.0),
    Indicator.TSZ: (-5.0, 5.0),
    Indicator.SSZ: (-5.0, 5.0),
}
_AGE_INDICATORS: dict[Indicator, _AgeIndicator] = {
    Indicator.HAZ: _AgeIndicator(TableName.LENGTH_HEIGHT_FOR_AGE, False),
    Indicator.WAZ: _AgeIndicator(TableName.WEIGHT_FOR_AGE, True, oedema_invalidates=True),
    Indicator.BAZ: _AgeIndicator(TableName.BMI_FOR_AGE, True, oedema_invalidates=True),
    Indicator.HCZ: _AgeIndicator(TableName.HEAD_CIRCUMFERENCE_FOR_AGE, False),
    Indicator.ACZ: _AgeIndicator(TableName.ARM_CIRCUMFERENCE_FOR_AGE, True, 91),
    Indicator.TSZ: _AgeIndicator(TableName.TRICEPS_SKINFOLD_FOR_AGE, True, 91),
    Indicator.SSZ: _AgeIndicator(TableName.SUBSCAPULAR_SKINFOLD_FOR_AGE, True, 91),
}
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


def _lookup(table: LmsTable, index: IntArray) -> LMS:
    return LMS(table.power[index], table.median[index], table.cv[index])


def _lookup_lms(lms: LMS, index: IntArray) -> LMS:
    return LMS(lms.power[index], lms.median[index], lms.cv[index])


def _age_indicator(
    indicator: Indicator,
    spec: _AgeIndicator,
    measure: FloatArray,
    index: IntArray,
    age_days: FloatArray,
    age_ok: BoolArray,
    oedema: BoolArray,
) -> Scores:
    lms = _lookup(load_table(spec.table), index)
    with np.errstate(invalid="ignore"):
        y = np.where(measure > 0, measure, np.nan)  # anthro: a measure <= 0 gives no z
        valid = age_ok & (age_days >= spec.first_day)
    if spec.oedema_invalidates:
        valid &= ~oedema
    z = zscore_restricted(y, lms) if spec.restricted else zscore(y, lms)
    return finish(z, valid, *WHO_FLAG_LIMITS[indicator])


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
    low = _weight_for_lenhei_lms(use_length, use_height, sex, low_tenths)
    upp = _weight_for_lenhei_lms(use_length, use_height, sex, upp_tenths)
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
    return finish(z, valid, *WHO_FLAG_LIMITS[Indicator.WHZ])


@cache
def _combined_wfl_wfh() -> LMS:
    """Weight-for-length rows, then weight-for-height rows, then one NaN sentinel."""
    wfl = load_table(TableName.WEIGHT_FOR_LENGTH)
    wfh = load_table(TableName.WEIGHT_FOR_HEIGHT)
    return LMS(
        *(
            np.concatenate([a[:-1], b])
            for a, b in zip(
                (wfl.power, wfl.median, wfl.cv), (wfh.power, wfh.median, wfh.cv), strict=True
            )
        )
    )


def _weight_for_lenhei_lms(
    use_length: BoolArray, use_height: BoolArray, sex: Int8Array, tenths: FloatArray
) -> LMS:
    """L, M, S of the chosen table's row at ``tenths`` of a cm (NaN where there is none)."""
    wfl = load_table(TableName.WEIGHT_FOR_LENGTH)
    wfh = load_table(TableName.WEIGHT_FOR_HEIGHT)
    wfl_rows = 2 * wfl.width
    sentinel = wfl_rows + 2 * wfh.width
    from_length = wfl.flat_index(sex, tenths)
    from_length = np.where(from_length == wfl_rows, sentinel, from_length)
    from_height = wfl_rows + wfh.flat_index(sex, tenths)
    index = np.where(use_length, from_length, np.where(use_height, from_height, sentinel))
    return _lookup_lms(_combined_wfl_wfh(), index)


def _compute_chunk(  # noqa: PLR0913 - keyword-only options, one per input
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
    indicators: Collection[Indicator] = WHO2006_INDICATORS,
) -> Who2006Result:
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
    # Tables with the same days share one row index (computed once per chunk).
    indices: dict[tuple[int, int], IntArray] = {}
    wanted = {ind: spec for ind, spec in _AGE_INDICATORS.items() if ind in indicators}
    for spec in wanted.values():
        table = load_table(spec.table)
        key = (table.first_key, table.last_key)
        if key not in indices:
            indices[key] = table.flat_index(sex, age_days)
    scores = {
        ind: _age_indicator(
            ind,
            spec,
            measures[ind],
            indices[(load_table(spec.table).first_key, load_table(spec.table).last_key)],
            age_days,
            age_ok,
            oedema,
        )
        for ind, spec in wanted.items()
    }
    if Indicator.WHZ in indicators:
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
        scores={ind: scores[ind] for ind in Indicator if ind in scores},
        problems=problems.astype(np.uint32),
    )


def compute(  # noqa: PLR0913 - keyword-only options, one per input
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
    indicators: Collection[Indicator] = WHO2006_INDICATORS,
    threads: int | None = None,
) -> Who2006Result:
    """All eight WHO 2006 z-scores for arrays of equal length (codes as in ``Who2006Result``).

    ``problems`` carries what the caller already refused (unknown codes, text in number
    columns); a negative age is added here. Refused rows get NaN everywhere. Large inputs
    are processed in cache-sized chunks on ``threads`` threads (default: one per CPU);
    the result does not depend on the chunking. ``indicators`` limits the work (and the
    result's ``scores``) to the indicators asked for.
    """
    columns: dict[str, Any] = {
        "sex": np.asarray(sex, dtype=np.int8),
        "age": np.asarray(age, dtype=np.float64),
        "age_in_months": np.broadcast_to(np.asarray(age_in_months, dtype=bool), np.shape(age)),
        "weight_kg": np.asarray(weight_kg, dtype=np.float64),
        "lenhei_cm": np.asarray(lenhei_cm, dtype=np.float64),
        "measure": np.asarray(measure, dtype=np.int8),
        "oedema": np.asarray(oedema, dtype=bool),
        "headc_cm": np.asarray(headc_cm, dtype=np.float64),
        "armc_cm": np.asarray(armc_cm, dtype=np.float64),
        "triskin_mm": np.asarray(triskin_mm, dtype=np.float64),
        "subskin_mm": np.asarray(subskin_mm, dtype=np.float64),
        "problems": np.asarray(problems, dtype=np.uint32),
    }
    n = check_same_length(columns)
    chosen = tuple(ind for ind in Indicator if ind in indicators)
    if n <= CHUNK_ROWS:
        return _compute_chunk(**columns, indicators=chosen)
    out = _empty_result(n, chosen)

    def run(start: int, chunk: dict[str, np.ndarray]) -> None:
        # Copy each chunk's result into place while it is still in the CPU cache.
        _store(out, start, _compute_chunk(**chunk, indicators=chosen))

    map_chunks(run, columns, n, threads)
    return out


def _empty_result(n: int, indicators: Collection[Indicator]) -> Who2006Result:
    def floats() -> FloatArray:
        return np.empty(n, dtype=np.float64)

    def small() -> Int8Array:
        return np.empty(n, dtype=np.int8)

    return Who2006Result(
        age_days=floats(),
        clenhei=floats(),
        cmeasure=small(),
        c9mo_flag=small(),
        cbmi=floats(),
        csex=small(),
        scores={ind: Scores(floats(), floats(), floats()) for ind in indicators},
        problems=np.empty(n, dtype=np.uint32),
    )


def _store(out: Who2006Result, start: int, part: Who2006Result) -> None:
    stop = start + len(part.problems)
    for name in ("age_days", "clenhei", "cmeasure", "c9mo_flag", "cbmi", "csex", "problems"):
        getattr(out, name)[start:stop] = getattr(part, name)
    for ind, scores in part.scores.items():
        target = out.scores[ind]
        target.z[start:stop] = scores.z
        target.z_unrounded[start:stop] = scores.z_unrounded
        target.flag[start:stop] = scores.flag
