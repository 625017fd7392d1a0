"""Measuring position against age (docs/data-quality.md §1 and §4).

* The WHO Anthro Survey Analyser counts **mismatches**: standing under 24 months, or lying
  at 24 months or more, by standard age group, and counts missing positions separately.
  Tumbuh puts the 24-month line where WHO ``anthro`` switches from length to height
  (731 days), so that the check agrees with the z-scores.
* WHO ``anthro`` >= 1.1.0 treats a standing measurement under 9 months as implausible
  (``c9mo_flag``); those are counted too.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.quality._grouped import as_float, as_int, count, count_by, group_codes, share
from tumbuh.growth.types import FloatArray, IntArray
from tumbuh.growth.who2006 import DAYS_PER_MONTH, LENGTH_HEIGHT_SWITCH_DAYS, STANDING_MIN_AGE_MONTHS

LYING = 1
STANDING = 2
# WHO's standard age groups in completed months: 0-5, 6-11, 12-23, 24-35, 36-47, 48-59.
AGE_GROUP_EDGES_MONTHS = (0, 6, 12, 24, 36, 48, 60)


@dataclass(frozen=True)
class PositionReport:
    """Per group: position mismatches and missing positions, overall and by age group."""

    n_checked: IntArray  # rows with a length/height, an age and a position
    n_missing_position: IntArray  # rows with a length/height and an age but no position
    n_standing_under_24: IntArray
    n_lying_from_24: IntArray
    n_mismatch: IntArray
    mismatch_share: FloatArray  # n_mismatch / n_checked
    n_standing_under_9: IntArray  # anthro's c9mo_flag
    mismatch_by_age_group: IntArray  # shape (n_groups, 6)
    missing_by_age_group: IntArray  # shape (n_groups, 6)


def age_group(age_days: FloatArray) -> IntArray:
    """Standard WHO age group 0..5 (0-5, 6-11, 12-23, 24-35, 36-47, 48-59 months); -1 else."""
    months = np.asarray(age_days, dtype=np.float64) / DAYS_PER_MONTH
    edges = np.asarray(AGE_GROUP_EDGES_MONTHS, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        index = np.searchsorted(edges, months, side="right") - 1
        inside = (months >= edges[0]) & (months < edges[-1])
    return np.where(inside, index, -1).astype(np.int64)


def position_mismatch(
    position: IntArray,
    age_days: FloatArray,
    group: IntArray,
    *,
    height_cm: FloatArray | None = None,
    n_groups: int | None = None,
) -> PositionReport:
    """Count position mismatches per group (codes: 1 lying, 2 standing, 0 missing).

    Only rows with an age (and, when ``height_cm`` is given, a length/height) are checked.
    """
    days = as_float(age_days, np.asarray(group).size, "age_days")
    codes, n_groups = group_codes(group, days.size, n_groups)
    positions = as_int(position, days.size, "position")
    measured = ~np.isnan(days)
    if height_cm is not None:
        measured &= ~np.isnan(as_float(height_cm, days.size, "height_cm"))
    with np.errstate(invalid="ignore"):
        under_24 = days < LENGTH_HEIGHT_SWITCH_DAYS
        under_9 = days / DAYS_PER_MONTH < STANDING_MIN_AGE_MONTHS
    known = measured & ((positions == LYING) | (positions == STANDING))
    missing = measured & ~known
    standing_young = known & (positions == STANDING) & under_24
    lying_old = known & (positions == LYING) & ~under_24
    mismatch = standing_young | lying_old
    groups_by_age = age_group(days)
    n_checked = count(codes, known, n_groups)
    n_mismatch = count(codes, mismatch, n_groups)
    return PositionReport(
        n_checked=n_checked,
        n_missing_position=count(codes, missing, n_groups),
        n_standing_under_24=count(codes, standing_young, n_groups),
        n_lying_from_24=count(codes, lying_old, n_groups),
        n_mismatch=n_mismatch,
        mismatch_share=share(n_mismatch, n_checked),
        n_standing_under_9=count(codes, known & (positions == STANDING) & under_9, n_groups),
        mismatch_by_age_group=count_by(codes, groups_by_age, mismatch, n_groups, 6),
        missing_by_age_group=count_by(codes, groups_by_age, missing, n_groups, 6),
    )
