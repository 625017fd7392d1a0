"""Age in completed months, as Permenkes 2/2020 counts it: calendar months from the birth
date, minus one when the day of the month has not been reached yet (2 months 29 days is 2).

The one home of this rule. The KBM table, the balita limit (:data:`BALITA_MONTHS`) and the
data-quality age ratio all count age this way; WHO's z-scores do not (they use age in
days, :mod:`tumbuh.growth.who2006`). Two forms, because the callers differ in one thing:
:func:`completed_months` for dates that are always there (whole numbers, for table
lookups), :func:`completed_months_or_nan` for data whose dates may be missing (NaT), where
a missing age must stay visible as NaN instead of a number.
"""

import numpy as np

from tumbuh.growth.types import DateArray, FloatArray, IntArray

BALITA_MONTHS = 60  # a balita is 0-59 completed months old: under 60


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
