"""Age in completed months, as Permenkes 2/2020 counts it: calendar months from the birth
date, minus one when the day of the month has not been reached yet (2 months 29 days is 2).

The one home of this rule. The KBM table, the balita limit (:data:`BALITA_MONTHS`) and the
data-quality age ratio all count age this way; WHO's z-scores do not (they use age in
days, :mod:`tumbuh.growth.who2006`). Two forms, because the callers differ in one thing:
:func:`completed_months` for dates that are always there (whole numbers, for table
lookups), :func:`completed_months_or_nan` for data whose dates may be missing (NaT), where
a missing age must stay visible as NaN instead of a number.
"""

from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.types import DateArray, FloatArray, IntArray

BALITA_MONTHS = 60  # a balita is 0-59 completed months old: under 60
BADUTA_MONTHS = 24  # a baduta (bawah dua tahun) is 0-23 completed months old: under 24


class AgeGroup(StrEnum):
    """The programme's two age groups of balita (docs/glossary.md): baduta, 0-23
    completed months (the first 1,000 days end about here), and balita 24-59 months."""

    BADUTA = "baduta"
    BALITA_24_59 = "balita_24_59"


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


def age_group(age_months: ArrayLike) -> IntArray:
    """Index into ``list(AgeGroup)`` of each age in completed months: 0 for 0-23
    (baduta), 1 for 24-59; -1 outside 0-59 or where the age is missing (NaN).

    Ages are completed months (:func:`completed_months`); a fractional age is cut down
    to its completed months first (23.9 is 23, a baduta). Source: Permenkes 2/2020
    (balita 0-59 months) and the programme's baduta, children under two years.
    """
    months = np.asarray(age_months, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        whole = np.floor(months)
        result: IntArray = np.where(
            (whole >= 0) & (whole < BADUTA_MONTHS),
            0,
            np.where((whole >= BADUTA_MONTHS) & (whole < BALITA_MONTHS), 1, -1),
        ).astype(np.int64)
    return result
