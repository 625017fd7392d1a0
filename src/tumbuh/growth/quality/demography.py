"""Sex ratio, age ratio and age distribution (docs/data-quality.md §2 and §4).

* Sex ratio: share of boys against an expected 0.5, one-sample proportion test with 1 df
  and Yates' correction (R ``prop.test``, as nipnTK ``sexRatioTest`` and mwana).
* Age ratio: completed months, A = 6-29 and B = 30-59; expected A : B = 0.85, so A's
  expected share is 0.85 / 1.85; same test (nipnTK ``ageRatioTest``, SMART).
* Age distribution (WHO Survey Analyser / TEAM (iii)): children by completed year x sex,
  by completed month (72 bars) and by calendar month of birth (12 bars).
* Age heaping index [project]: children at 12, 24, 36 and 48 completed months divided by
  the mean of their neighbouring months (11 and 13, 23 and 25, ...); 1 means no heaping.

In a register a skewed ratio signals selective attendance, not sampling error.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.quality._grouped import (
    as_float,
    as_int,
    count,
    count_by,
    group_codes,
    share,
)
from tumbuh.growth.quality.stats import prop_test
from tumbuh.growth.types import FloatArray, IntArray

SMART_AGE_MONTHS = (6, 59)  # SMART population: 6-59 completed months
AGE_RATIO_SPLIT_MONTH = 30  # A = 6-29, B = 30-59
HEAPING_MONTHS = (12, 24, 36, 48)
N_AGE_MONTHS = 72
N_AGE_YEARS = 6


@dataclass(frozen=True)
class RatioTest:
    """Per group: a two-way split, its ratio and the one-sample proportion test."""

    n: IntArray  # children in the test
    n_first: IntArray  # boys, or children aged 6-29 months
    n_second: IntArray  # girls, or children aged 30-59 months
    ratio: FloatArray  # boys : girls, or A : B
    share_first: FloatArray  # observed share of the first class
    expected_share: float
    statistic: FloatArray  # Yates-corrected chi-squared, 1 df
    p_value: FloatArray


@dataclass(frozen=True)
class AgeDistribution:
    """Per group: children by completed year x sex, by completed month, by birth month."""

    by_year_sex: IntArray  # shape (n_groups, 6, 2): years 0-5 x (boys, girls)
    by_month: IntArray  # shape (n_groups, 72): completed months 0-71
    by_birth_month: IntArray  # shape (n_groups, 12): January-December; zeros without dates
    heaping_index: FloatArray  # [project] 1 = no heaping at whole years


# The name db.quality_data still imports; the rule's home is tumbuh.growth.ages.


def _ratio_test(
    first: np.ndarray, second: np.ndarray, codes: IntArray, n_groups: int, expected: float
) -> RatioTest:
    n_first = count(codes, first, n_groups)
    n_second = count(codes, second, n_groups)
    n = n_first + n_second
    statistic, p_value = prop_test(n_first, n, expected)
    return RatioTest(
        n=n,
        n_first=n_first,
        n_second=n_second,
        ratio=share(n_first, n_second),
        share_first=share(n_first, n),
        expected_share=expected,
        statistic=statistic,
        p_value=p_value,
    )


def sex_ratio_test(
    sex: IntArray, group: IntArray, *, expected_male_share: float = 0.5, n_groups: int | None = None
) -> RatioTest:
    """Boys against girls per group (sex codes 1 boy, 2 girl, 0 missing and left out)."""
    sexes = as_int(sex, np.asarray(group).size, "sex")
    codes, n_groups = group_codes(group, sexes.size, n_groups)
    return _ratio_test(sexes == 1, sexes == 2, codes, n_groups, expected_male_share)


def age_ratio_test(
    age_months: FloatArray,
    group: IntArray,
    *,
    expected_ratio: float = 0.85,
    n_groups: int | None = None,
) -> RatioTest:
    """Children 6-29 against 30-59 completed months per group (ages are floored first)."""
    months = np.floor(as_float(age_months, np.asarray(group).size, "age_months"))
    codes, n_groups = group_codes(group, months.size, n_groups)
    low, high = SMART_AGE_MONTHS
    with np.errstate(invalid="ignore"):
        first = (months >= low) & (months < AGE_RATIO_SPLIT_MONTH)
        second = (months >= AGE_RATIO_SPLIT_MONTH) & (months <= high)
    expected_share = expected_ratio / (1.0 + expected_ratio)
    return _ratio_test(first, second, codes, n_groups, expected_share)


def age_distribution(
    age_months: FloatArray,
    sex: IntArray,
    group: IntArray,
    *,
    birth_date: np.ndarray | None = None,
    n_groups: int | None = None,
) -> AgeDistribution:
    """Children per group by completed year x sex, completed month and birth month."""
    months_f = np.floor(as_float(age_months, np.asarray(group).size, "age_months"))
    codes, n_groups = group_codes(group, months_f.size, n_groups)
    sexes = as_int(sex, months_f.size, "sex")
    known = ~np.isnan(months_f)
    months = np.where(known, months_f, -1).astype(np.int64)
    by_month = count_by(codes, months, known, n_groups, N_AGE_MONTHS)
    year_sex = np.where(known & (sexes > 0), (months // 12) * 2 + sexes - 1, -1)
    by_year_sex = count_by(codes, year_sex, known, n_groups, N_AGE_YEARS * 2)
    if birth_date is None:
        by_birth_month = np.zeros((n_groups, 12), dtype=np.int64)
    else:
        born = np.asarray(birth_date, dtype="datetime64[D]")
        calendar = born.astype("datetime64[M]").astype(np.int64) % 12
        by_birth_month = count_by(codes, calendar, ~np.isnat(born), n_groups, 12)
    heaps = list(HEAPING_MONTHS)
    at_heaps = by_month[:, heaps].sum(axis=1)
    neighbours = (by_month[:, [m - 1 for m in heaps]] + by_month[:, [m + 1 for m in heaps]]).sum(
        axis=1
    )
    return AgeDistribution(
        by_year_sex=by_year_sex.reshape(n_groups, N_AGE_YEARS, 2),
        by_month=by_month,
        by_birth_month=by_birth_month,
        heaping_index=share(at_heaps, neighbours / 2.0),
    )
