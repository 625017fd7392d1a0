"""Bias adjustment of matched controls (docs/methods-programmes.md, "Adjustment").

A caliper of 0.25 z leaves small differences between a fed child and its controls, and
they are not random: where enrolment favours the lowest z, the controls near a fed child
sit a little higher. The outcome depends on the baseline z (regression to the mean), so
each control's value is moved to its episode's baseline z and follow-up day:

    y_j + b_z (z_i - z_j) + b_d (d_i - d_j)

(Abadie and Imbens 2011, *Journal of Business & Economic Statistics* 29:1-11). The slopes
``b_z``, ``b_d`` are weighted least squares of the controls' values on their own baseline
z and follow-up day within cells (the exact keys, so sex, age band and month play no
part), pooled per (indication, rule version), each pair weighted as in the comparison
(1 / its episode's number of controls). Their covariance is the sandwich
``A^-1 B A^-1`` with ``B`` clustered by control child (a child used by several episodes
brings one residual, not several); the comparison adds the variance it implies.
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.pmt_outcomes import Evaluation, Measure
from tumbuh.growth.types import FloatArray, IntArray


@dataclass(frozen=True)
class Adjusted:
    """Controls' values moved to their episode's baseline z and day, and how uncertain the
    move is."""

    values: FloatArray  # per pair of the evaluation, NaN where it or its episode is unknown
    covariance: FloatArray  # per stratum: 2 x 2 covariance of (slope on z, slope on day)


def _cell_means(cell: IntArray, values: FloatArray, weight: FloatArray) -> FloatArray:
    """Per pair: the weighted mean of ``values`` over the pairs of its cell."""
    _, code = np.unique(cell, return_inverse=True)
    code = code.ravel()
    total = np.bincount(code, weights=weight * values)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: FloatArray = (total / np.bincount(code, weights=weight))[code]
    return mean


def _by(code: IntArray, values: FloatArray, size: int) -> FloatArray:
    """Sums of ``values`` (first axis: rows; any trailing shape) per ``code``."""
    flat = values.reshape(values.shape[0], int(np.prod(values.shape[1:])))
    sums = [np.bincount(code, weights=flat[:, k], minlength=size) for k in range(flat.shape[1])]
    total: FloatArray = np.stack(sums, axis=1).reshape((size, *values.shape[1:]))
    return total


def _outer(rows: FloatArray) -> FloatArray:
    product: FloatArray = rows[:, :, None] * rows[:, None, :]
    return product


def _covariance(
    inverse: FloatArray, score: FloatArray, stratum: IntArray, child: IntArray
) -> FloatArray:
    """``A^-1 B A^-1`` per stratum, ``B`` the sum over control children of their summed
    scores' outer products (cluster-robust)."""
    _, child_code = np.unique(child, return_inverse=True)
    stride = int(child_code.max()) + 1 if child_code.size else 1
    _, cluster = np.unique(stratum * stride + child_code.ravel(), return_inverse=True)
    cluster = cluster.ravel()
    per_child = _by(cluster, score, int(cluster.max()) + 1 if cluster.size else 0)
    child_stratum = np.zeros(per_child.shape[0], dtype=np.int64)
    child_stratum[cluster] = stratum
    middle = _by(child_stratum, _outer(per_child), inverse.shape[0])
    covariance: FloatArray = inverse @ middle @ inverse
    return covariance


def adjust(evaluation: Evaluation, measure: Measure) -> Adjusted:
    """Every pair's control value of ``measure`` moved to its episode (module docstring)."""
    matches = evaluation.matches
    value = evaluation.control.of(measure)
    ok = ~np.isnan(value) & ~np.isnan(evaluation.fed.of(measure)[matches.episode])
    weight, cell, episode = matches.weight[ok], matches.cell[ok], matches.episode[ok]
    gaps = np.stack([matches.z_gap[ok], matches.day_gap[ok]], axis=1)
    own = np.stack([matches.z[episode], matches.day[episode]], axis=1) - gaps
    x = own - np.stack([_cell_means(cell, own[:, k], weight) for k in range(2)], axis=1)
    y = value[ok] - _cell_means(cell, value[ok], weight)
    stratum = evaluation.stratum[ok]
    size = int(evaluation.stratum.max()) + 1 if evaluation.stratum.size else 1
    a = _by(stratum, weight[:, None, None] * _outer(x), size)
    inverse = np.asarray(np.linalg.pinv(a), dtype=np.float64)
    slopes = np.einsum("sij,sj->si", inverse, _by(stratum, weight[:, None] * x * y[:, None], size))
    residual = y - np.einsum("pi,pi->p", x, slopes[stratum])
    score = weight[:, None] * x * residual[:, None]
    adjusted = np.full(value.shape[0], np.nan)
    adjusted[ok] = value[ok] + np.einsum("pi,pi->p", gaps, slopes[stratum])
    return Adjusted(adjusted, _covariance(inverse, score, stratum, matches.child[ok]))
