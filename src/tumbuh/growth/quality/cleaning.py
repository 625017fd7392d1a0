"""The growthcleanr subset of :mod:`tumbuh.growth.quality.longitudinal`, one parameter at a time.

Steps, codes, defaults and sources are listed in the docstring of ``longitudinal``. Every
step works on all children at once: arrays are sorted by child and age, and the iterative
steps (EWMA extremes, height decreases) exclude at most one value per child per round, as
growthcleanr does, until a round excludes nothing.
"""

import numpy as np

from tumbuh.growth.quality._grouped import as_float, as_int
from tumbuh.growth.quality.longitudinal import (
    Cleaning,
    CleaningSettings,
    Parameter,
    _blocks,
    _ewma_sorted,
)
from tumbuh.growth.types import BoolArray, FloatArray, Int8Array, IntArray
from tumbuh.growth.who2006 import DAYS_PER_MONTH

_DEFAULT = CleaningSettings()
_MONTHS = 240  # recentring categories per sex: completed months 0..239


def _grouped_median(category: IntArray, values: FloatArray, n_categories: int) -> FloatArray:
    """Median of ``values`` per category (NaN for empty categories)."""
    order = np.lexsort((values, category))
    cats, vals = category[order], values[order]
    counts = np.bincount(cats, minlength=n_categories)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    median = np.full(n_categories, np.nan)
    has = counts > 0
    low = starts[has] + (counts[has] - 1) // 2
    high = starts[has] + counts[has] // 2
    median[has] = (vals[low] + vals[high]) / 2.0
    return median


def _recentred(
    z: FloatArray, sex: IntArray | None, age_days: FloatArray, usable: BoolArray, minimum: int
) -> FloatArray:
    """z minus the input's median z for the same sex and completed month, when there are
    at least ``minimum`` usable values and sex is known; otherwise z unchanged."""
    if sex is None or int(usable.sum()) < minimum:
        return z
    sexes = as_int(sex, z.size, "sex")
    with np.errstate(invalid="ignore"):
        months = np.floor(age_days / DAYS_PER_MONTH)
        ok = usable & ((sexes == 1) | (sexes == 2)) & (months >= 0) & (months < _MONTHS)
    category = np.where(ok, (sexes - 1) * _MONTHS + np.where(ok, months, 0), 0).astype(np.int64)
    median = _grouped_median(category[ok], z[ok], 2 * _MONTHS)
    return np.where(ok, z - median[category], z)


def _sorted_included(
    codes: Int8Array,
    child: IntArray,
    age: FloatArray,
    tiebreak: FloatArray | None = None,
    children: IntArray | None = None,
) -> IntArray:
    """Included rows sorted by child and age (of ``children`` only, when given)."""
    keep = codes == Cleaning.INCLUDE
    if children is not None:
        keep &= np.isin(child, children)
    rows = np.flatnonzero(keep)
    keys = (
        (age[rows], child[rows]) if tiebreak is None else (tiebreak[rows], age[rows], child[rows])
    )
    return rows[np.lexsort(keys)]


def _same_day(codes: Int8Array, child: IntArray, age: FloatArray, score: FloatArray) -> None:
    rows = np.flatnonzero(codes == Cleaning.INCLUDE)
    if rows.size == 0:
        return
    _, child_index = np.unique(child[rows], return_inverse=True)
    child_index = child_index.ravel()
    median = _grouped_median(child_index, score[rows], int(child_index.max()) + 1)
    distance = np.full(child.size, np.inf)
    distance[rows] = np.abs(score[rows] - median[child_index])
    order = _sorted_included(codes, child, age, tiebreak=distance)
    repeat = np.zeros(order.size, dtype=bool)
    repeat[1:] = (child[order][1:] == child[order][:-1]) & (age[order][1:] == age[order][:-1])
    codes[order[repeat]] = Cleaning.EXTRANEOUS_SAME_DAY


def _carried_forward(codes: Int8Array, child: IntArray, age: FloatArray, value: FloatArray) -> None:
    order = _sorted_included(codes, child, age)
    same = np.zeros(order.size, dtype=bool)
    same[1:] = (child[order][1:] == child[order][:-1]) & (value[order][1:] == value[order][:-1])
    codes[order[same]] = Cleaning.CARRIED_FORWARD


def _worst_per_child(child_sorted: IntArray, rows: IntArray, key: FloatArray) -> IntArray:
    """Of the candidate sorted positions ``rows``, the one with the largest key per child."""
    pick = np.lexsort((-np.nan_to_num(key, nan=-np.inf), child_sorted[rows]))
    chosen = rows[pick]
    first = np.ones(chosen.size, dtype=bool)
    first[1:] = child_sorted[chosen][1:] != child_sorted[chosen][:-1]
    return chosen[first]


def _ewma_extremes(
    codes: Int8Array, child: IntArray, age: FloatArray, score: FloatArray, s: CleaningSettings
) -> None:
    active: IntArray | None = None  # after the first round, only children that changed
    while True:
        order = _sorted_included(codes, child, age, children=active)
        c, z = child[order], score[order]
        e = _ewma_sorted(c, age[order], z, s.ewma_exponent)
        _, size = _blocks(c)
        d_all, d_before, d_after = z - e.all, z - e.before, z - e.after
        with np.errstate(invalid="ignore"):
            high = (d_all > s.extreme_dewma) & (d_before > s.extreme_dewma_one_sided)
            high &= (d_after > s.extreme_dewma_one_sided) & (z > s.extreme_score)
            low = (d_all < -s.extreme_dewma) & (d_before < -s.extreme_dewma_one_sided)
            low &= (d_after < -s.extreme_dewma_one_sided) & (z < -s.extreme_score)
            pair = ((d_all > s.extreme_dewma) & (z > s.extreme_score)) | (
                (d_all < -s.extreme_dewma) & (z < -s.extreme_score)
            )
        candidate = ((size >= 3) & (high | low)) | ((size == 2) & pair)
        if not candidate.any():
            return
        rows = np.flatnonzero(candidate)
        key = np.where(size[rows] >= 3, np.abs(z[rows] + d_all[rows]), np.abs(z[rows]))
        worst = _worst_per_child(c, rows, key)
        codes[order[worst]] = np.where(
            size[worst] >= 3, Cleaning.EWMA_EXTREME, Cleaning.EWMA_EXTREME_PAIR
        )
        active = c[worst]


def _height_decreases(
    codes: Int8Array,
    child: IntArray,
    age: FloatArray,
    value: FloatArray,
    score: FloatArray,
    s: CleaningSettings,
) -> None:
    active: IntArray | None = None  # after the first round, only children that changed
    while True:
        order = _sorted_included(codes, child, age, children=active)
        c, v, z = child[order], value[order], score[order]
        e = _ewma_sorted(c, age[order], z, s.ewma_exponent)
        _, size = _blocks(c)
        first = np.flatnonzero((c[1:] == c[:-1]) & (v[1:] - v[:-1] < -s.height_tolerance_cm))
        if first.size == 0:
            return
        second = first + 1
        away_first = np.abs(z[first] - e.after[first])
        away_second = np.abs(z[second] - e.before[second])
        two = size[first] == 2
        take_second = np.where(two, np.abs(z[second]) > np.abs(z[first]), away_second > away_first)
        take_first = np.where(two, np.abs(z[first]) > np.abs(z[second]), away_first > away_second)
        rows = np.concatenate([second[take_second], first[take_first]])
        if rows.size == 0:
            return
        key = np.concatenate([away_second[take_second], away_first[take_first]])
        worst = _worst_per_child(c, rows, key)
        codes[order[worst]] = Cleaning.MIN_HEIGHT_CHANGE
        active = c[worst]


def clean_parameter(
    child: IntArray,
    age_days: FloatArray,
    value: FloatArray,
    zscore: FloatArray,
    *,
    parameter: Parameter,
    sex: IntArray | None = None,
    settings: CleaningSettings = _DEFAULT,
) -> Int8Array:
    """Cleaning code (:class:`Cleaning`) of each weight or height of many children.

    ``value`` is in kg (weight) or cm (length/height); ``zscore`` is its WHO z-score
    (weight-for-age or length/height-for-age); ``sex`` (1 boy, 2 girl) enables recentring.
    Nothing is deleted: the caller leaves non-``INCLUDE`` values out of statistics.
    """
    values = np.asarray(value, dtype=np.float64)
    size = values.size
    z = as_float(zscore, size, "zscore")
    age = as_float(age_days, size, "age_days")
    children = as_int(child, size, "child")
    missing = np.isnan(values) | np.isnan(z) | np.isnan(age) | (children < 0)
    codes = np.where(missing, Cleaning.MISSING, Cleaning.INCLUDE).astype(np.int8)
    score = _recentred(z, sex, age, ~missing, settings.recentre_min_values)
    _same_day(codes, children, age, score)
    if parameter is Parameter.HEIGHT or not settings.carried_forward_heights_only:
        _carried_forward(codes, children, age, values)
    codes[(codes == Cleaning.INCLUDE) & (np.abs(score) > settings.sd_extreme)] = Cleaning.SD_CUTOFF
    _ewma_extremes(codes, children, age, score, settings)
    if parameter is Parameter.HEIGHT:
        _height_decreases(codes, children, age, values, score, settings)
    return codes
