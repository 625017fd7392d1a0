"""WHO Growth Reference 2007 (5-19 years), exactly as WHO anthroplus computes it.

Rules (anthroplus R/zscores.R): age in months is used unrounded; L, M, S are
interpolated linearly between the two whole months around it; z-scores exist from 60
to 228 months (weight-for-age to 120 months); height-for-age uses the plain LMS formula,
weight- and BMI-for-age the restricted rule beyond +/-3 SD; oedema makes weight-for-age
and BMI-for-age missing; z is rounded to 2 decimals as R rounds, then flagged with anthro's
limits (|zhfa| > 6, zwfa < -6 or > 5, |zbfa| > 5: ``who2006.WHO_FLAG_LIMITS``). Unlike
anthro, a height or weight of 0 is scored (and flagged), and negative age, height or
weight refuse the row.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.enums import Indicator, Problem
from tumbuh.growth.lms import LMS, zscore, zscore_restricted
from tumbuh.growth.scores import Scores, finish
from tumbuh.growth.tables import TableName, load_table
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, UInt32Array
from tumbuh.growth.who2006 import WHO_FLAG_LIMITS

MIN_AGE_MONTHS = 60.0
MAX_AGE_MONTHS = 228.0
WFA_MAX_AGE_MONTHS = 120.0


@dataclass(frozen=True)
class _Spec:
    table: TableName
    restricted: bool
    max_age_months: float


_SPECS: dict[Indicator, _Spec] = {
    Indicator.HAZ: _Spec(TableName.HEIGHT_FOR_AGE_2007, False, MAX_AGE_MONTHS),
    Indicator.WAZ: _Spec(TableName.WEIGHT_FOR_AGE_2007, True, WFA_MAX_AGE_MONTHS),
    Indicator.BAZ: _Spec(TableName.BMI_FOR_AGE_2007, True, MAX_AGE_MONTHS),
}


@dataclass(frozen=True)
class Who2007Result:
    """anthroplus's output columns as arrays, plus refused-row problems."""

    csex: Int8Array
    coedema: BoolArray
    cbmi: FloatArray
    scores: dict[Indicator, Scores]
    problems: UInt32Array


def _interpolated_lms(table_name: TableName, sex: Int8Array, age_months: FloatArray) -> LMS:
    """L, M, S at a fractional age: linear between the whole months around it."""
    table = load_table(table_name)
    with np.errstate(invalid="ignore"):
        low_age = np.trunc(age_months)
        upp_age = np.trunc(age_months + 1)
        diff = age_months - low_age
        between = diff > 0
    low = table.flat_index(sex, low_age)
    upp = table.flat_index(sex, upp_age)
    params = []
    for column in (table.power, table.median, table.cv):
        lo, up = column[low], column[upp]
        params.append(np.where(between, lo + diff * (up - lo), lo))
    return LMS(*params)


def compute(
    *,
    sex: Int8Array,
    age_months: FloatArray,
    oedema: BoolArray,
    height_cm: FloatArray,
    weight_kg: FloatArray,
    problems: UInt32Array,
) -> Who2007Result:
    """Height-, weight- and BMI-for-age z-scores (WHO 2007) for arrays of equal length."""
    with np.errstate(invalid="ignore"):
        problems = (
            problems
            | np.where(age_months < 0, np.uint32(Problem.AGE_NEGATIVE), np.uint32(0))
            | np.where(height_cm < 0, np.uint32(Problem.LENHEI_NEGATIVE), np.uint32(0))
            | np.where(weight_kg < 0, np.uint32(Problem.WEIGHT_NEGATIVE), np.uint32(0))
        )
    refused = problems != 0
    age_months = np.where(refused, np.nan, age_months)
    sex = np.where(refused, 0, sex).astype(np.int8)
    oedema = oedema & ~refused
    with np.errstate(invalid="ignore", divide="ignore"):
        cbmi = np.where(refused, np.nan, weight_kg / ((height_cm / 100) ** 2))
    measures = {
        Indicator.HAZ: height_cm,
        Indicator.WAZ: np.where(oedema, np.nan, weight_kg),
        Indicator.BAZ: np.where(oedema, np.nan, cbmi),
    }
    scores: dict[Indicator, Scores] = {}
    for indicator, spec in _SPECS.items():
        lms = _interpolated_lms(spec.table, sex, age_months)
        fun = zscore_restricted if spec.restricted else zscore
        z = fun(measures[indicator], lms)
        with np.errstate(invalid="ignore"):
            valid = (age_months >= MIN_AGE_MONTHS) & (age_months <= spec.max_age_months)
        scores[indicator] = finish(z, valid, *WHO_FLAG_LIMITS[indicator])
    return Who2007Result(
        csex=sex, coedema=oedema, cbmi=cbmi, scores=scores, problems=problems.astype(np.uint32)
    )
