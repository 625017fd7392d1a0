"""Chi-squared tail probabilities and R's one-sample ``prop.test``, in NumPy only.

The upper tail of the chi-squared distribution with ``df`` degrees of freedom is the
regularized upper incomplete gamma function Q(df/2, x/2). It is computed by its power series
when x < a + 1 and by its continued fraction (modified Lentz) otherwise, as in Press et al.,
*Numerical Recipes*, 3rd ed. (2007), section 6.2 (``gser``/``gcf``), to about 1e-14.
Vectorised over groups; log-gamma is evaluated once per distinct df.
"""

import math

import numpy as np

from tumbuh.growth.types import FloatArray, IntArray

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITERATIONS = 10_000


def _log_gamma(a: FloatArray) -> FloatArray:
    """log Gamma(a) elementwise (NumPy has none; evaluated once per distinct value)."""
    values, inverse = np.unique(a, return_inverse=True)
    logs = np.array([math.lgamma(v) if v > 0 else math.nan for v in values.tolist()])
    return logs[inverse].reshape(a.shape)


def _lower_series(a: FloatArray, x: FloatArray) -> FloatArray:
    """P(a, x) by the power series (converges for every x, fast for x < a + 1)."""
    term = 1.0 / a
    acc = term.copy()
    ap = a.copy()
    for _ in range(_MAX_ITERATIONS):
        ap = ap + 1.0
        term = term * x / ap
        acc = acc + term
        if np.all(np.abs(term) <= np.abs(acc) * _EPS):
            break
    return acc * np.exp(-x + a * np.log(x) - _log_gamma(a))


def _upper_fraction(a: FloatArray, x: FloatArray) -> FloatArray:
    """Q(a, x) by its continued fraction (converges fast for x > a + 1)."""
    b = x + 1.0 - a
    c = np.full_like(x, 1.0 / _TINY)
    d = 1.0 / b
    h = d.copy()
    for i in range(1, _MAX_ITERATIONS):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = b + an / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) <= _EPS):
            break
    return np.exp(-x + a * np.log(x) - _log_gamma(a)) * h


def chi2_sf(statistic: FloatArray, df: FloatArray) -> FloatArray:
    """P(X > statistic) for X ~ chi-squared(df); NaN where either is NaN or df <= 0."""
    x_all = np.asarray(statistic, dtype=np.float64) / 2.0
    a_all = np.asarray(df, dtype=np.float64) / 2.0
    x_all, a_all = np.broadcast_arrays(x_all, a_all)
    out = np.full(x_all.shape, np.nan)
    ok = np.isfinite(x_all) & np.isfinite(a_all) & (a_all > 0)
    out[ok & (x_all <= 0)] = 1.0
    series = ok & (x_all > 0) & (x_all < a_all + 1.0)
    fraction = ok & (x_all >= a_all + 1.0)
    if series.any():
        out[series] = 1.0 - _lower_series(a_all[series], x_all[series])
    if fraction.any():
        out[fraction] = _upper_fraction(a_all[fraction], x_all[fraction])
    clipped: FloatArray = np.clip(out, 0.0, 1.0)
    return clipped


def prop_test(
    successes: FloatArray | IntArray, trials: FloatArray | IntArray, expected: float
) -> tuple[FloatArray, FloatArray]:
    """R's ``prop.test(x, n, p)`` for one proportion: Yates-corrected chi-squared and p.

    STATISTIC = (|x - n p| - min(0.5, |x - n p|))^2 / (n p (1 - p)) with 1 df, two-sided
    (R stats ``prop.test``, the default ``correct = TRUE``; used by nipnTK's
    ``sexRatioTest``/``ageRatioTest`` and by mwana). NaN where ``trials`` is 0.
    """
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        deviation = np.abs(x - n * expected)
        corrected = deviation - np.minimum(0.5, deviation)
        statistic = np.where(n > 0, corrected**2 / (n * expected * (1.0 - expected)), np.nan)
    return statistic, chi2_sf(statistic, np.ones_like(statistic))
