"""Missing values and completeness (WHO Anthro Survey Analyser report, section 1; TEAM (i)).

For each analysis variable the share and number missing, per group. Missing means NaN in
a float array, NaT in a datetime64 array and code 0 in an integer code array (sex,
position), as everywhere in the core. Age counts as missing when the birth date is missing,
so pass the birth date (or age) column as it was recorded. Duplicates are measurements of a
child that already has one in the same group (TEAM (i) mapped to routine data, [project]).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tumbuh.growth.quality._grouped import as_int, count, distinct, group_codes, share
from tumbuh.growth.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class MissingReport:
    """Per group: rows, missing count and share per variable, worst share, duplicates."""

    n_rows: IntArray
    n_missing: dict[str, IntArray]
    share_missing: dict[str, FloatArray]
    worst_share: FloatArray  # largest missing share over the variables (NaN: no rows)
    n_duplicates: IntArray  # rows minus distinct children (0 when no child codes given)


def is_missing(values: np.ndarray) -> BoolArray:
    """Missing elements: NaN (float), NaT (datetime64) or code 0 (integer codes)."""
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.datetime64):
        return np.asarray(np.isnat(array), dtype=bool)
    if np.issubdtype(array.dtype, np.floating):
        return np.asarray(np.isnan(array), dtype=bool)
    if np.issubdtype(array.dtype, np.integer):
        return np.asarray(array == 0, dtype=bool)
    raise TypeError(f"cannot tell missing values in an array of dtype {array.dtype}")


def missing_values(
    columns: Mapping[str, np.ndarray],
    group: IntArray,
    *,
    child: IntArray | None = None,
    n_groups: int | None = None,
) -> MissingReport:
    """Missing counts and shares per group for each column, plus duplicate measurements.

    ``columns`` maps a variable name (``"birth_date"``, ``"weight_kg"``, ``"height_cm"``,
    ``"sex"``, ``"position"``, ...) to its array; all have one element per measurement.
    ``child`` (integer child codes) enables the duplicate count.
    """
    size = np.asarray(group).size
    codes, n_groups = group_codes(group, size, n_groups)
    every = np.ones(size, dtype=bool)
    n_rows = count(codes, every, n_groups)
    n_missing: dict[str, IntArray] = {}
    shares: dict[str, FloatArray] = {}
    for name, values in columns.items():
        missing = is_missing(values)
        if missing.shape != (size,):
            raise ValueError(f"column {name} has shape {missing.shape}, expected ({size},)")
        n_missing[name] = count(codes, missing, n_groups)
        shares[name] = share(n_missing[name], n_rows)
    stacked = np.vstack(list(shares.values())) if shares else np.full((1, n_groups), np.nan)
    worst = stacked.max(axis=0)  # NaN only where a group has no rows (same denominator)
    if child is None:
        duplicates = np.zeros(n_groups, dtype=np.int64)
    else:
        children = as_int(child, size, "child")
        duplicates = n_rows - distinct(children, codes, every, n_groups)
    return MissingReport(
        n_rows=n_rows,
        n_missing=n_missing,
        share_missing=shares,
        worst_share=worst,
        n_duplicates=duplicates,
    )
