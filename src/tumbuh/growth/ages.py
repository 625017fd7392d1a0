"""Age in completed months, as Permenkes 2/2020 counts it: calendar months from the birth
date, minus one when the day of the month has not been reached yet (2 months 29 days is 2).

The one home of this rule. The KBM table, the balita limit (:data:`BALITA_MONTHS`) and the
data-quality age ratio all count age this way; WHO's z-scores do not (they use age in
days, :mod:`tumbuh.growth.who2006`). Two forms, because the callers differ in one thing:
:func:`completed_months` for dates that are always there (whole numbers, for table
lookups), :func:`completed_months_or_nan` for data whose dates may be missing (NaT), where
a missing age must stay visible as NaN instead of a number.

Also the one home of the programme's age groups (docs/domain.md §1): a **baduta**
is 0-23 completed months old (under :data:`BADUTA_MONTHS`), a **balita** 0-59 (under
:data:`BALITA_MONTHS`). Reports split the balita into baduta and 24-59 months
(:class:`AgeGroup`, :func:`age_group`), as BKKBN's PK21 target families with a child 0-23
or 24-59 months do (docs/domain.md §10).
"""

from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tumbuh.growth.types import BoolArray, DateArray, FloatArray, IntArray, MaybeValues

BADUTA_MONTHS = 24  # a baduta is 0-23 completed months old: under 24
BALITA_MONTHS = 60  # a balita is 0-59 completed months old: under 60


class AgeGroup(StrEnum):
    """The two parts of the balita age range, in completed months."""

    BADUTA = "baduta"  # 0-23 completed months
    BALITA_24_59 = "balita_24_59"  # 24-59 completed months


def completed_months(birth_date: DateArray, on: DateArray) -> IntArray:
    """Age in completed calendar months on ``on``; both dates must be known (no NaT)."""
    born = np.asarray(birth_date, dtype="datetime64[D]")
    day = np.asarray(on, dtype="datetime64[D]")
    born_month = born.astype("datetime64[M]")
    day_month = day.astype("datetime64[M]")
    months = (day_month - born_month).astype(np.int64)
    born_dom = (born - born_month.astype("datetime64[D]")).astype(np.int64)
    day_dom = (day - day_month.astype("datetime64[D]")).astype(np.int64)
    result: IntArray = months - (day_dom < born_dom).astype(np.int64)
    return result


def completed_months_or_nan(birth_date: DateArray, on: DateArray) -> FloatArray:
    """:func:`completed_months` as floats, NaN where either date is missing (NaT)."""
    born = np.asarray(birth_date, dtype="datetime64[D]")
    day = np.asarray(on, dtype="datetime64[D]")
    missing = np.isnat(born) | np.isnat(day)
    with np.errstate(invalid="ignore"):
        months = completed_months(born, day).astype(np.float64)
    result: FloatArray = np.where(missing, np.nan, months)
    return result


def _months(months: MaybeValues) -> FloatArray:
    """Completed months as floats; None becomes NaN (unknown)."""
    return np.asarray(months, dtype=np.float64)


def is_baduta(months: MaybeValues) -> BoolArray:
    """True where the age is known and 0-23 completed months (False where unknown)."""
    age = _months(months)
    with np.errstate(invalid="ignore"):
        result: BoolArray = (age >= 0) & (age < BADUTA_MONTHS)
    return result


def is_balita(months: MaybeValues) -> BoolArray:
    """True where the age is known and 0-59 completed months (False where unknown)."""
    age = _months(months)
    with np.errstate(invalid="ignore"):
        result: BoolArray = (age >= 0) & (age < BALITA_MONTHS)
    return result


def age_group(months: MaybeValues) -> NDArray[np.object_]:
    """The :class:`AgeGroup` of each age in completed months; None where the age is unknown
    (NaN/None) or outside 0-59 (negative, or 60 months and older: not a balita).

    Pass whole completed months (:func:`completed_months`, or :func:`completed_months_or_nan`
    where dates may be missing): 23 is a baduta, 24 is not. Any shape; scalars broadcast.
    """
    age = _months(months)
    result = np.full(age.shape, None, dtype=object)
    result[is_baduta(age)] = AgeGroup.BADUTA
    with np.errstate(invalid="ignore"):
        result[(age >= BADUTA_MONTHS) & (age < BALITA_MONTHS)] = AgeGroup.BALITA_24_59
    return result


def completed_years_or_nan(birth_date: DateArray, on: DateArray) -> FloatArray:
    """Age in completed years (whole years lived, as a woman's age is counted for the
    "4 Terlalu", docs/domain.md §14); NaN where either date is missing."""
    result: FloatArray = np.floor(completed_months_or_nan(birth_date, on) / 12)
    return result
