"""Design-based estimates for groups (domains): weighted means and their Taylor variance.

This is the arithmetic of R's survey package (Lumley 2004, J Stat Softw 9(8); survey
R/multistage.R ``svyrecvar``/``onestrat``, R/surveyrep.R ``degf``) as WHO anthro uses it
(``svydesign(ids = ~cluster, strata = ~strata, weights = ~sw, nest = TRUE)``, option
``survey.lonely.psu = "adjust"``), written as grouped sums so that every group of a
table is estimated at once:

* a domain mean is ``ybar_g = sum(w y) / sum(w)`` over the rows of group ``g`` whose
  value is known;
* its influence values are ``u_i = w_i (y_i - ybar_g) / sum(w)`` in the domain and 0
  elsewhere; ``t_hc`` is their sum in PSU ``c`` of stratum ``h``;
* ``Var(ybar_g) = sum_h n_h / (n_h - 1) * sum_c (t_hc - tbar_h)^2`` where ``n_h`` counts
  the stratum's PSUs in the whole design (PSUs without domain rows add zeros), except
  that a stratum with a single PSU adds ``t_h^2`` ("adjust": not centred);
* degrees of freedom: PSUs minus strata, counting rows with a non-zero weight only;
* the variance of the z-scores (``svyvar``, survey >= 4.2): ``sum w (y - ybar)^2 / sum w
  * n / (n - 1)``, ``n`` the rows with a known value and a non-zero weight; NaN if n = 1.

The designs are in :mod:`tumbuh.growth.survey`.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.grouping import Grouping
from tumbuh.growth.survey import SurveyDesign
from tumbuh.growth.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class Domains:
    """A grouping laid over a design, indexed once so that every estimate is a few bincounts.

    Each row gets the bin of its group and of its (group, PSU) cell, with one extra
    "outside" bin for rows in no group, so sums run over whole columns without gathers.
    When every row is its own PSU the cells are the rows themselves; then the sums needed
    for the variance are taken straight per (group, stratum).
    """

    n_groups: int
    n_strata: int
    row_group: IntArray  # group of each row; n_groups for rows in no group
    row_stratum: IntArray  # group * n_strata + stratum of each row; outside: groups * strata
    row_cell: IntArray | None  # (group, PSU) cell of each row, n_cells outside; None: row PSUs
    cell_group: IntArray  # group of each cell (sorted)
    group_starts: IntArray  # first cell of each group that has cells
    stratum_order: IntArray  # cells ordered by (group, stratum)
    stratum_starts: IntArray  # first cell (in that order) of each (group, stratum) run
    stratum_index: IntArray  # group * n_strata + stratum of each run

    @property
    def n_cells(self) -> int:
        """Number of (group, PSU) cells."""
        return int(self.cell_group.shape[0])


def _runs(keys: IntArray) -> IntArray:
    """Start positions of the runs of equal values in sorted ``keys``."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(([0], np.flatnonzero(np.diff(keys)) + 1)).astype(np.int64)


def domains(design: SurveyDesign, grouping: Grouping) -> Domains:
    """Index the groups and (group, PSU) cells of ``grouping`` once for all estimates."""
    if grouping.codes.shape[0] != design.n_rows:
        raise ValueError("the grouping and the design must cover the same rows")
    g, h = grouping.n_groups, design.n_strata
    codes = np.asarray(grouping.codes, dtype=np.int64)
    inside = codes >= 0
    row_group = np.where(inside, codes, g)
    row_stratum = np.where(inside, codes * h + design.stratum, g * h)
    if design.psu is None:
        empty = np.zeros(0, dtype=np.int64)
        return Domains(g, h, row_group, row_stratum, None, empty, empty, empty, empty, empty)
    n_psu = design.psu_stratum.shape[0]
    if g * n_psu <= 4 * design.n_rows + 10_000:
        # Dense cells: every (group, PSU) pair, most of them used.
        row_cell = np.where(inside, codes * n_psu + design.psu, g * n_psu)
        cells = np.arange(g * n_psu, dtype=np.int64)
    else:
        cells, inverse = np.unique(codes[inside] * n_psu + design.psu[inside], return_inverse=True)
        row_cell = np.full(design.n_rows, cells.size, dtype=np.int64)
        row_cell[inside] = np.asarray(inverse, dtype=np.int64).ravel()
    cell_group = cells // n_psu
    cell_key = cell_group * h + design.psu_stratum[cells % n_psu]
    stratum_order = np.argsort(cell_key, kind="stable")
    stratum_starts = _runs(cell_key[stratum_order])
    return Domains(
        n_groups=g,
        n_strata=h,
        row_group=row_group,
        row_stratum=row_stratum,
        row_cell=row_cell,
        cell_group=cell_group,
        group_starts=_runs(cell_group),
        stratum_order=stratum_order,
        stratum_starts=stratum_starts,
        stratum_index=cell_key[stratum_order][stratum_starts],
    )


@dataclass(frozen=True)
class DomainMeans:
    """Weighted means of k variables in every group (arrays of shape groups x k)."""

    n: IntArray  # rows with a known value (whatever their weight)
    n_weighted: IntArray  # of those, rows with a non-zero weight
    weighted_n: FloatArray  # sum of their weights
    total: FloatArray  # unweighted sum of the known values (cases, for a 0/1 variable)
    mean: FloatArray  # NaN where the group has no weight
    variance: FloatArray  # Taylor-linearised variance of the mean
    spread: FloatArray  # sum of w (y - mean)^2, for the variance of the values


def _bins(index: IntArray, weights: FloatArray | None, size: int) -> FloatArray:
    """``np.bincount`` into ``size`` bins, the extra "outside" bin dropped."""
    return np.bincount(index, weights, minlength=size + 1)[:size].astype(np.float64)


def _to_groups(dom: Domains, per_cell: FloatArray) -> FloatArray:
    """Sum cell rows (cells x k) into group rows (groups x k)."""
    out = np.zeros((dom.n_groups, per_cell.shape[1]), dtype=np.float64)
    if dom.group_starts.size:
        out[dom.cell_group[dom.group_starts]] = np.add.reduceat(per_cell, dom.group_starts, axis=0)
    return out


def _by_stratum(dom: Domains, per_cell: FloatArray) -> FloatArray:
    """Sum cell rows into (group, stratum) rows."""
    out = np.zeros((dom.n_groups * dom.n_strata, per_cell.shape[1]), dtype=np.float64)
    if dom.stratum_starts.size:
        ordered = per_cell[dom.stratum_order]
        out[dom.stratum_index] = np.add.reduceat(ordered, dom.stratum_starts, axis=0)
    return out


def domain_shares(
    design: SurveyDesign, dom: Domains, category: IntArray, membership: BoolArray
) -> DomainMeans:
    """Shares of rows in sets of categories, per group: many 0/1 variables at once.

    ``category`` gives each row's category (0..K-1, -1 unknown); column ``j`` of
    ``membership`` (K x k) marks the categories where variable ``j`` is 1. All cut-offs
    of one z-score (< -3, < -2, ..., > +3) are one such family, so a whole family costs a
    few bincounts over the rows.
    """
    k_cat, k = membership.shape
    member = membership.astype(np.float64)
    known = category >= 0
    cat = np.where(known, category, 0)
    g = dom.n_groups
    outside = ~known | (dom.row_group == g)
    index = np.where(outside, g * k_cat, dom.row_group * k_cat + cat)
    counts = _bins(index, None, g * k_cat).reshape(g, k_cat)
    n = counts.sum(axis=1)
    n_weighted = n
    if np.any(design.weights == 0):
        index = np.where(design.weights == 0, g * k_cat, index)
        n_weighted = _bins(index, None, g * k_cat).reshape(g, k_cat).sum(axis=1)
    if dom.row_cell is None:
        total_w, mean, first, second = _shares_by_row(design, dom, outside, cat, k_cat, member)
    else:
        total_w, mean, first, second = _shares_by_cell(design, dom, outside, cat, k_cat, member)
    return DomainMeans(
        n=np.repeat(n[:, None], k, axis=1).astype(np.int64),
        n_weighted=np.repeat(np.asarray(n_weighted)[:, None], k, axis=1).astype(np.int64),
        weighted_n=np.repeat(total_w[:, None], k, axis=1),
        total=counts @ member,
        mean=mean,
        variance=_variance(design, dom, first, second, total_w),
        spread=np.zeros_like(mean),
    )


_Sums = tuple[FloatArray, FloatArray, FloatArray, FloatArray]  # weight, mean, sum t, sum t^2


def _shares_by_row(
    design: SurveyDesign,
    dom: Domains,
    outside: BoolArray,
    cat: IntArray,
    k_cat: int,
    member: FloatArray,
) -> _Sums:
    """Every row its own PSU: the sums of t and t^2 per (group, stratum) straight away.

    With y in {0, 1}, ``sum w^2 (y - p)^2 = (1 - p)^2 sum_yes w^2 + p^2 sum_no w^2``: no
    cancellation.
    """
    w, h = design.weights, dom.n_strata
    gh = dom.n_groups * h
    index = np.where(outside, gh * k_cat, dom.row_stratum * k_cat + cat)
    by_cat = _bins(index, w, gh * k_cat).reshape(gh, k_cat)
    squares = _bins(index, w * w, gh * k_cat).reshape(gh, k_cat)
    weight, hit = by_cat.sum(axis=1), by_cat @ member
    total_w = weight.reshape(dom.n_groups, h).sum(axis=1)
    mean = _ratio(hit.reshape(dom.n_groups, h, -1).sum(axis=1), total_w)
    p = np.repeat(np.nan_to_num(mean), h, axis=0)
    scale = np.repeat(_inverse(total_w), h)[:, None]
    first = (hit - p * weight[:, None]) * scale
    yes = squares @ member
    no = squares.sum(axis=1)[:, None] - yes
    second = (yes * (1 - p) ** 2 + no * p * p) * scale**2
    return total_w, mean, first, second


def _shares_by_cell(
    design: SurveyDesign,
    dom: Domains,
    outside: BoolArray,
    cat: IntArray,
    k_cat: int,
    member: FloatArray,
) -> _Sums:
    """Clusters: weighted sums per (group, PSU) cell, then t per cell, then per stratum."""
    n_cells = dom.n_cells
    index = np.where(outside, n_cells * k_cat, np.asarray(dom.row_cell) * k_cat + cat)
    by_cat = _bins(index, design.weights, n_cells * k_cat).reshape(n_cells, k_cat)
    weight, hit = by_cat.sum(axis=1, keepdims=True), by_cat @ member
    total_w = _to_groups(dom, weight)[:, 0]
    mean = _ratio(_to_groups(dom, hit), total_w)
    p = np.nan_to_num(mean)[dom.cell_group]
    totals = (hit - p * weight) * _inverse(total_w)[dom.cell_group][:, None]
    return total_w, mean, _by_stratum(dom, totals), _by_stratum(dom, totals * totals)


def _ratio(numerator: FloatArray, total_w: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total_w[:, None] > 0, numerator / total_w[:, None], np.nan)


def _inverse(total_w: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):
        return np.where(total_w > 0, 1 / np.where(total_w > 0, total_w, 1), 0.0)


def domain_means(design: SurveyDesign, dom: Domains, values: ArrayLike) -> DomainMeans:
    """Means per group of each column of ``values`` (rows x k; NaN = unknown), with variances.

    Also sums ``w (y - mean)^2`` per group, for :func:`value_variance`. One column at a
    time: a handful of bincounts over the rows.
    """
    y_all = np.asarray(values, dtype=np.float64)
    if y_all.ndim != 2 or y_all.shape[0] != design.n_rows:
        raise ValueError(f"values must have shape ({design.n_rows}, k), got {y_all.shape}")
    columns = [_column_means(design, dom, y_all[:, j]) for j in range(y_all.shape[1])]
    return DomainMeans(*(np.column_stack([getattr(c, f) for c in columns]) for f in _FIELDS))


_FIELDS = ("n", "n_weighted", "weighted_n", "total", "mean", "variance", "spread")


def _column_means(design: SurveyDesign, dom: Domains, y: FloatArray) -> DomainMeans:
    g, gh = dom.n_groups, dom.n_groups * dom.n_strata
    known = ~np.isnan(y)
    group = np.where(known, dom.row_group, g)
    w = np.where(known, design.weights, 0.0)
    y0 = np.where(known, y, 0.0)
    n = _bins(group, None, g)
    n_weighted = _bins(np.where(w != 0, group, g), None, g) if np.any(w[known] == 0) else n
    total_w = _bins(group, w, g)
    mean = _ratio(_bins(group, w * y0, g)[:, None], total_w)[:, 0]
    deviation = np.where(known, y0 - np.append(np.nan_to_num(mean), 0.0)[group], 0.0)
    wd = w * deviation
    spread = _bins(group, wd * deviation, g)
    scale = _inverse(total_w)
    if dom.row_cell is None:
        stratum = np.where(known, dom.row_stratum, gh)
        first = _bins(stratum, wd, gh)[:, None] * np.repeat(scale, dom.n_strata)[:, None]
        second = _bins(stratum, wd * wd, gh)[:, None] * np.repeat(scale**2, dom.n_strata)[:, None]
    else:
        cell = np.where(known, dom.row_cell, dom.n_cells)
        totals = _bins(cell, wd, dom.n_cells)[:, None] * scale[dom.cell_group][:, None]
        first, second = _by_stratum(dom, totals), _by_stratum(dom, totals * totals)
    return DomainMeans(
        n=n.astype(np.int64),
        n_weighted=np.asarray(n_weighted).astype(np.int64),
        weighted_n=total_w,
        total=_bins(group, y0, g),
        mean=mean,
        variance=_variance(design, dom, first, second, total_w[:, None])[:, 0],
        spread=spread,
    )


def _variance(
    design: SurveyDesign, dom: Domains, first: FloatArray, second: FloatArray, total_w: FloatArray
) -> FloatArray:
    """``sum_h n_h/(n_h-1) (sum_c t_hc^2 - (sum_c t_hc)^2 / n_h)``; ``t_h^2`` for a lonely PSU.

    ``first`` and ``second`` hold the sums of ``t_hc`` and ``t_hc^2`` per (group,
    stratum) row; ``n_h`` counts the stratum's PSUs in the whole design.
    """
    psus = np.tile(design.psus_in_stratum.astype(np.float64), dom.n_groups)[:, None]
    several = psus > 1
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = np.where(several, psus / (psus - 1) * (second - first * first / psus), second)
    variance = centred.reshape(dom.n_groups, dom.n_strata, -1).sum(axis=1)
    weights = total_w.reshape(dom.n_groups, -1)
    return np.asarray(np.where(weights > 0, variance, np.nan), dtype=np.float64)


def value_variance(means: DomainMeans, *, count_zero_weights: bool = False) -> FloatArray:
    """Weighted variance of the values per group, ``sum w (y - ybar)^2 / sum w * n/(n-1)``.

    ``n`` counts the rows with a known value and a non-zero weight, as survey >= 4.2's
    ``svyvar(na.rm = TRUE)``; ``count_zero_weights`` counts all known rows instead, as
    anthro's weights-only ("hybrid") estimator does. NaN where ``n`` < 2.
    """
    n = (means.n if count_zero_weights else means.n_weighted).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = means.spread / means.weighted_n * n / (n - 1)
    return np.asarray(np.where(n > 1, variance, np.nan), dtype=np.float64)
