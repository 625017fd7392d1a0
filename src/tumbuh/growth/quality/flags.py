"""Record-level flags (docs/data-quality.md §1): WHO flags, SMART flags, raw MUAC flags.

* WHO flags are WHO ``anthro``'s fixed limits on the z-score (R/z-score.R): strict
  inequalities, so z = -6 exactly is not flagged. They do not depend on the unit.
* SMART flags mark a z-score more than 3 from the *observed mean of that index in the
  analysis unit* (ENA for SMART; nipnTK/mwana ``flag_outliers``). Apply them once, to raw
  data, and only inside a unit's plausibility report.
* Raw MUAC below 100 mm or above 200 mm is flagged (mwana, after Bilukha & Kianian 2023).
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality._grouped import as_float, count, group_codes, share, total
from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.who2006 import WHO_FLAG_LIMITS

MUAC_PLAUSIBLE_MM = (100.0, 200.0)  # flagged below 100 or above 200 mm (mwana)


@dataclass(frozen=True)
class FlagShare:
    """Per group: rows, rows with a z-score, flagged rows, and the flagged shares."""

    n_rows: IntArray
    n_with_z: IntArray
    n_flagged: IntArray
    share_of_rows: FloatArray  # WHO Survey Analyser: all rows as denominator
    share_of_z: FloatArray  # SMART: children with a computed z as denominator


def who_flags(z: FloatArray, indicator: Indicator) -> BoolArray:
    """True where WHO ``anthro`` flags the z-score (False where z is missing)."""
    low, high = WHO_FLAG_LIMITS[indicator]
    zz = np.asarray(z, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return (zz < low) | (zz > high)


def muac_flags(muac_cm: FloatArray) -> BoolArray:
    """True where raw MUAC is below 100 mm or above 200 mm (False where missing)."""
    mm = np.asarray(muac_cm, dtype=np.float64) * 10.0
    with np.errstate(invalid="ignore"):
        return (mm < MUAC_PLAUSIBLE_MM[0]) | (mm > MUAC_PLAUSIBLE_MM[1])


def group_mean(
    z: FloatArray, group: IntArray, *, n_groups: int | None = None
) -> tuple[FloatArray, IntArray]:
    """Mean of the non-missing z per group and how many values it uses."""
    zz = np.asarray(z, dtype=np.float64)
    codes, n_groups = group_codes(group, zz.size, n_groups)
    has_z = ~np.isnan(zz)
    n = count(codes, has_z, n_groups)
    return share(total(codes, zz, has_z, n_groups), n), n


def smart_flags(
    z: FloatArray, group: IntArray, *, n_groups: int | None = None, distance: float = 3.0
) -> BoolArray:
    """True where z lies more than ``distance`` from its group's observed mean.

    The mean is taken over every non-missing z of the group (flags applied once, to raw
    data). With a mean WHZ of -0.8, values below -3.8 and above +2.2 are flagged.
    """
    zz = np.asarray(z, dtype=np.float64)
    codes, n_groups = group_codes(group, zz.size, n_groups)
    mean, _ = group_mean(zz, codes, n_groups=n_groups)
    centre = np.where(codes >= 0, mean[np.clip(codes, 0, None)], np.nan)
    with np.errstate(invalid="ignore"):
        return np.abs(zz - centre) > distance


def flag_share(
    flagged: BoolArray, z: FloatArray, group: IntArray, *, n_groups: int | None = None
) -> FlagShare:
    """How many rows of each group are flagged, over all rows and over rows with a z."""
    zz = as_float(z, np.asarray(flagged).size, "z")
    codes, n_groups = group_codes(group, zz.size, n_groups)
    every = np.ones(zz.size, dtype=bool)
    n_rows = count(codes, every, n_groups)
    n_with_z = count(codes, ~np.isnan(zz), n_groups)
    n_flagged = count(codes, np.asarray(flagged, dtype=bool) & ~np.isnan(zz), n_groups)
    return FlagShare(
        n_rows=n_rows,
        n_with_z=n_with_z,
        n_flagged=n_flagged,
        share_of_rows=share(n_flagged, n_rows),
        share_of_z=share(n_flagged, n_with_z),
    )
