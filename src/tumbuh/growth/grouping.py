"""Groups of children for prevalence tables: one or more key columns turned into codes.

A :class:`Grouping` gives every row the code of its group (``-1``: the row is in no
group, because a key is missing or not among the wanted levels) and keeps the key values
of each group, so estimators can work with grouped sums (``np.bincount``) instead of a
loop over groups. Keys can be integers, floats or strings (kecamatan, posyandu id, age
group, sex, ...); several keys make one group per combination.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.types import BoolArray, IntArray

GroupValue = str | int | float
ALL = "All"


@dataclass(frozen=True)
class Grouping:
    """Group code of every row, and the key values that name each group."""

    codes: IntArray  # group of each row, 0..len(keys)-1; -1 where the row is in no group
    keys: tuple[tuple[GroupValue, ...], ...]  # key values of each group, in output order
    names: tuple[str, ...]  # names of the key columns, e.g. ("kecamatan", "sex")

    @property
    def n_groups(self) -> int:
        """Number of groups (rows of a prevalence table)."""
        return len(self.keys)

    @property
    def labels(self) -> tuple[str, ...]:
        """One label per group: the key values joined by ``.`` (R's ``interaction`` style)."""
        return tuple(".".join(_text(v) for v in key) for key in self.keys)


def _text(value: GroupValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def everyone(n_rows: int) -> Grouping:
    """One group, ``All``, holding every row."""
    return Grouping(np.zeros(n_rows, dtype=np.int64), ((ALL,),), ())


def _missing(values: np.ndarray) -> BoolArray:
    """Missing keys: None, NaN, or an empty or blank string."""
    if values.dtype.kind == "f":
        return np.asarray(np.isnan(values), dtype=np.bool_)
    if values.dtype.kind in "iub":
        return np.zeros(values.shape, dtype=bool)
    missing = np.fromiter(
        (
            v is None
            or (isinstance(v, float) and math.isnan(v))
            or (isinstance(v, str) and not v.strip())
            for v in values.tolist()
        ),
        dtype=bool,
        count=values.size,
    )
    return np.asarray(missing, dtype=np.bool_)


def sort_key(value: object) -> tuple[int, float, str]:
    """Numbers first in numeric order, then text in alphabetical order."""
    if isinstance(value, int | float | np.integer | np.floating):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def _plain(value: object) -> GroupValue:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _factor(
    column: ArrayLike, levels: Sequence[GroupValue] | None
) -> tuple[IntArray, list[GroupValue]]:
    """Codes 0..k-1 of one key column (-1 where missing or not in ``levels``)."""
    values = np.asarray(column)
    if values.ndim != 1:
        raise ValueError(f"a group key must be one-dimensional, got shape {values.shape}")
    if values.dtype.kind not in "iufb":
        values = values.astype(object)
    missing = _missing(values)
    present = values[~missing]
    if values.dtype.kind == "O":
        # Mixed text and numbers cannot be sorted by NumPy: number them in order seen.
        first_seen: dict[GroupValue, int] = {}
        inverse = np.fromiter(
            (first_seen.setdefault(_plain(v), len(first_seen)) for v in present.tolist()),
            dtype=np.int64,
            count=present.size,
        )
        found = list(first_seen)
    else:
        uniques, inverse = np.unique(present, return_inverse=True)
        found = [_plain(v) for v in uniques.tolist()]
    wanted = list(levels) if levels is not None else sorted(found, key=sort_key)
    position = {value: i for i, value in enumerate(wanted)}
    remap = np.array([position.get(v, -1) for v in found], dtype=np.int64)
    codes = np.full(values.shape[0], -1, dtype=np.int64)
    if present.size:
        codes[~missing] = remap[np.asarray(inverse, dtype=np.int64).ravel()]
    return codes, wanted


def group_by(
    *columns: ArrayLike,
    names: Sequence[str] = (),
    levels: Sequence[Sequence[GroupValue] | None] | None = None,
    complete: bool = False,
) -> Grouping:
    """Groups of rows by the values of one or more key columns of equal length.

    Without ``levels`` a column's groups are its values in sorted order (numbers before
    text); with them, exactly those values in that order, other values belonging to no
    group. Missing keys (None, NaN, blank text) put the row in no group. With several
    columns, each combination is a group: only the combinations that occur, in sorted
    order, or with ``complete`` every combination (the first column varying fastest, as
    R's ``interaction``), which keeps empty groups as rows of the table.
    """
    if not columns:
        raise ValueError("group_by needs at least one key column")
    wanted = list(levels) if levels is not None else [None] * len(columns)
    if len(wanted) != len(columns):
        raise ValueError("levels must give one entry (or None) per key column")
    factors = [_factor(column, lv) for column, lv in zip(columns, wanted, strict=True)]
    key_names = tuple(names) if names else tuple(f"key{i + 1}" for i in range(len(columns)))
    return from_codes(
        [codes for codes, _ in factors], [lv for _, lv in factors], key_names, complete=complete
    )


def from_codes(
    codes: Sequence[IntArray],
    levels: Sequence[Sequence[GroupValue]],
    names: Sequence[str],
    *,
    complete: bool = True,
) -> Grouping:
    """Groups from integer codes already made (``codes[k][row]`` indexes ``levels[k]``, -1 none).

    The fast path for keys a caller derives itself (age group, sex): no factorising.
    ``complete`` as in :func:`group_by`.
    """
    n_rows = codes[0].shape[0]
    if any(c.shape[0] != n_rows for c in codes):
        raise ValueError("all group key columns must have the same length")
    combined = np.zeros(n_rows, dtype=np.int64)
    in_group = np.ones(n_rows, dtype=bool)
    stride = 1
    for key_codes, lv in zip(codes, levels, strict=True):
        combined += np.asarray(key_codes, dtype=np.int64) * stride
        in_group &= key_codes >= 0
        stride *= max(len(lv), 1)
    all_keys = _combinations([list(lv) for lv in levels])
    if complete:
        chosen = np.arange(len(all_keys), dtype=np.int64)
    else:
        seen = np.unique(combined[in_group])
        order = sorted(seen.tolist(), key=lambda c: [sort_key(v) for v in all_keys[c]])
        chosen = np.array(order, dtype=np.int64)
    remap = np.full(max(len(all_keys), 1), -1, dtype=np.int64)  # no key at all: no group
    remap[chosen] = np.arange(chosen.size)
    group = np.where(in_group, remap[np.where(in_group, combined, 0)], -1)
    return Grouping(group, tuple(all_keys[c] for c in chosen.tolist()), tuple(names))


def _combinations(levels: list[list[GroupValue]]) -> list[tuple[GroupValue, ...]]:
    """Every combination of levels, the first key varying fastest (code order above)."""
    keys: list[tuple[GroupValue, ...]] = [()]
    for lv in levels:
        keys = [(*key, value) for value in lv for key in keys]
    return keys
