"""Confidence intervals for prevalences (proportions) and mean z-scores, on arrays.

* :func:`logit_interval` — the design-based interval of R survey's
  ``svyciprop(method = "logit")``, which anthro reports: ``expit(logit(p) +/- t * SE(p) /
  (p (1 - p)))`` with Student's t on the design's degrees of freedom (Lumley,
  *Complex Surveys*, 2010, section 2.3; survey R/svyciprop.R).
* :func:`mean_interval` — ``mean +/- t * SE`` (survey's ``confint(svymean, df = )``).
* :func:`wilson_interval` — Wilson's score interval for a count among ``n`` (Wilson, JASA
  22:209-212, 1927), for register data where every child was measured.
* :func:`exact_interval` — Clopper-Pearson's exact binomial interval (Biometrika
  26:404-413, 1934), from quantiles of the beta distribution.

Proportions are fractions (0-1). Quantiles come from SciPy's special functions.
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from tumbuh.growth.types import FloatArray


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1, got {level}")


def t_quantile(df: ArrayLike, level: float = 0.95) -> FloatArray:
    """Two-sided Student t critical value (R's ``qt(1 - (1 - level) / 2, df)``).

    NaN where ``df`` is not positive (a design with as many strata as PSUs has no degrees
    of freedom); the normal quantile where ``df`` is infinite.
    """
    _check_level(level)
    dof = np.asarray(df, dtype=np.float64)
    upper = 1 - (1 - level) / 2
    with np.errstate(invalid="ignore"):
        positive = dof > 0
        finite = np.where(positive & np.isfinite(dof), dof, 1.0)
        quantile = np.where(np.isinf(dof), special.ndtri(upper), special.stdtrit(finite, upper))
    return np.asarray(np.where(positive, quantile, np.nan), dtype=np.float64)


def mean_interval(
    mean: FloatArray, se: FloatArray, df: ArrayLike, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """``mean -/+ t(df) * se``."""
    half = t_quantile(df, level) * se
    return mean - half, mean + half


def logit_interval(
    proportion: FloatArray, se: FloatArray, df: ArrayLike, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Interval on the logit scale, back-transformed: ``expit(logit(p) -/+ t * se / (p(1-p)))``.

    ``se`` is the standard error of the proportion; dividing it by ``p (1 - p)`` is the
    delta method, which is what survey's ``svyciprop(method = "logit")`` computes from
    its quasi-binomial fit. A proportion of exactly 0 or 1 gets the interval [0, 0] or
    [1, 1], as in WHO anthro (the logit is infinite there).
    """
    p = np.asarray(proportion, dtype=np.float64)
    inside = (p > 0) & (p < 1)
    safe = np.where(inside, p, 0.5)
    half = t_quantile(df, level) * np.asarray(se, dtype=np.float64) / (safe * (1 - safe))
    centre = special.logit(safe)
    lower = np.where(inside, special.expit(centre - half), p)
    upper = np.where(inside, special.expit(centre + half), p)
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def wilson_interval(
    cases: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for ``cases`` out of ``n`` (NaN where ``n`` is 0).

    ``(p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``z`` the normal
    quantile of ``1 - (1 - level) / 2``.
    """
    _check_level(level)
    k = np.asarray(cases, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    z = float(special.ndtri(1 - (1 - level) / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / total
        denominator = 1 + z * z / total
        centre = (p + z * z / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return centre - half, centre + half


def exact_interval(
    cases: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Clopper-Pearson interval: beta quantiles, 0 below 0 cases, 1 above ``n`` cases."""
    _check_level(level)
    k = np.asarray(cases, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        some = np.where(k > 0, k, 1.0)
        short = np.where(k < total, total - k, 1.0)
        lower = np.where(k > 0, special.betaincinv(some, total - k + 1, alpha / 2), 0.0)
        upper = np.where(k < total, special.betaincinv(k + 1, short, 1 - alpha / 2), 1.0)
    empty = ~(total > 0)
    return np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)
