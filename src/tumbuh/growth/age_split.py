"""The age split of register prevalence: baduta (0-23 months) and balita 24-59 months.

The register's total keeps anthro's rows: an age of at most 1826 days, the last whole day
under 60 average months (:data:`tumbuh.growth.who2006.MAX_AGE_DAYS`, docs/methods-prevalence.md).
The age groups count completed calendar months (Permenkes 2/2020,
:func:`tumbuh.growth.ages.completed_months`), and the two rules part on one day: a child
whose fifth birthday falls on its 1826th day of life (five years holding one 29 February)
has 60 completed months on that day, yet anthro still scores it. Such a child stays in the
total and is counted with the 24-59 months, so that the two groups always add up to the
total the city publishes.
"""

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.ages import BALITA_MONTHS, AgeGroup, age_group
from tumbuh.growth.types import IntArray

SPLIT_GROUPS = tuple(AgeGroup)  # the split's groups, in the order of their indices


def counted_age_group(age_months: ArrayLike) -> IntArray:
    """Index into :data:`SPLIT_GROUPS` of each counted measurement's age in completed
    months: the group of :func:`tumbuh.growth.ages.age_group`, with 60 (the fifth birthday
    on day 1826, see the module doc) counted as 24-59; -1 where the age is missing or
    outside."""
    months = np.asarray(age_months, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        whole = np.where(np.floor(months) == BALITA_MONTHS, BALITA_MONTHS - 1, np.floor(months))
    groups = age_group(whole)
    result: IntArray = np.full(months.shape, -1, dtype=np.int64)
    for index, group in enumerate(SPLIT_GROUPS):
        result[groups == group] = index
    return result
