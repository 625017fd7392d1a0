"""Grouped sums for the data-quality checks: one pass of ``np.bincount`` per statistic.

Every check takes one element per measurement (or per child) and an integer group code per
element (posyandu, kelurahan, ... times round). Codes run from 0 to ``n_groups - 1``; a
negative code leaves the element out of every group. Results have one element per group.
"""

import numpy as np
import numpy.typing as npt

from tumbuh.growth.types import BoolArray, FloatArray, IntArray


def group_codes(group: IntArray, size: int, n_groups: int | None) -> tuple[IntArray, int]:
    """Validated group codes as int64 and the number of groups (default: largest code + 1)."""
    codes = np.asarray(group, dtype=np.int64)
    if codes.ndim == 0:
        codes = np.full(size, int(codes), dtype=np.int64)
    if codes.shape != (size,):
        raise ValueError(f"group has shape {codes.shape}, expected ({size},)")
    largest = int(codes.max()) if size else -1
    if n_groups is None:
        n_groups = largest + 1
    if largest >= n_groups:
        raise ValueError(f"group code {largest} is not below n_groups={n_groups}")
    return codes, max(n_groups, 0)


def as_float(values: npt.ArrayLike, size: int, name: str) -> FloatArray:
    """``values`` as a float64 array of length ``size`` (scalars broadcast)."""
    array = np.asarray(values, dtype=np.float64)
    array = np.broadcast_to(array, (size,)) if array.ndim == 0 else array
    if array.shape != (size,):
        raise ValueError(f"{name} has shape {array.shape}, expected ({size},)")
    return array


def as_int(values: npt.ArrayLike, size: int, name: str) -> IntArray:
    """``values`` as an int64 array of length ``size`` (scalars broadcast)."""
    array = np.asarray(values, dtype=np.int64)
    array = np.broadcast_to(array, (size,)) if array.ndim == 0 else array
    if array.shape != (size,):
        raise ValueError(f"{name} has shape {array.shape}, expected ({size},)")
    return array


def count(group: IntArray, mask: BoolArray, n_groups: int) -> IntArray:
    """Number of elements per group where ``mask`` holds (negative groups ignored)."""
    keep = mask & (group >= 0)
    return np.bincount(group[keep], minlength=n_groups).astype(np.int64)


def total(group: IntArray, values: FloatArray, mask: BoolArray, n_groups: int) -> FloatArray:
    """Sum of ``values`` per group over the elements where ``mask`` holds."""
    keep = mask & (group >= 0)
    return np.bincount(group[keep], weights=values[keep], minlength=n_groups).astype(np.float64)


def count_by(
    group: IntArray, category: IntArray, mask: BoolArray, n_groups: int, n_categories: int
) -> IntArray:
    """Counts per group and category, shape ``(n_groups, n_categories)``.

    Elements whose category lies outside ``0 .. n_categories - 1`` are not counted.
    """
    keep = mask & (group >= 0) & (category >= 0) & (category < n_categories)
    flat = group[keep] * n_categories + category[keep]
    counts = np.bincount(flat, minlength=n_groups * n_categories)
    return counts.reshape(n_groups, n_categories).astype(np.int64)


def share(numerator: IntArray | FloatArray, denominator: IntArray | FloatArray) -> FloatArray:
    """numerator / denominator, NaN where the denominator is 0."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return result


def distinct(item: IntArray, group: IntArray, mask: BoolArray, n_groups: int) -> IntArray:
    """Number of distinct ``item`` codes per group where ``mask`` holds (e.g. children)."""
    keep = mask & (group >= 0)
    groups, _ = pair_codes(group[keep], item[keep])
    return np.bincount(groups, minlength=n_groups).astype(np.int64)


def pair_codes(group: IntArray, item: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct (group, item) pairs: each pair's group, and each element's pair index.

    Pairs are encoded as one int64 key so that a 1-D ``np.unique`` does the work.
    """
    if group.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    low = int(item.min())
    span = int(item.max()) - low + 1
    keys, inverse = np.unique(group * span + (item - low), return_inverse=True)
    return (keys // span).astype(np.int64), inverse.ravel().astype(np.int64)
