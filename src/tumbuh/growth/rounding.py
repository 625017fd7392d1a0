"""R's ``round(x, digits)``, so that rounded z-scores equal WHO anthro's bit for bit.

R >= 4.0.0 rounds to the nearer of the two decimal candidates ``floor(x*10^d)/10^d`` and
``ceil(x*10^d)/10^d`` as doubles, and picks the even one only when both are exactly as far
from ``x`` (src/nmath/fround.c, R 4.0.0 NEWS). NumPy's ``np.round`` scales and rounds
once, which disagrees with R on a few values such as 0.285.

Away from a tie both methods pick the same candidate, and NumPy's candidate is the same
double as R's (the same ``floor``/``ceil`` of the same product, divided by the same power
of ten). So the fast path is ``rint(x * 10^d) / 10^d``, and R's full algorithm runs only
on values whose scaled fraction is within 1e-6 of one half, or that are very large.
"""

import numpy as np

from tumbuh.growth.types import FloatArray

_LOG10_2 = 0.301029995663981195  # M_LOG10_2 in R's Rmath.h
_DBL_DIG = 15
_NEAR_TIE = 1e-6
_LARGE = 1e6  # beyond this the fast path's error analysis no longer holds


def _r_round_exact(x: FloatArray, digits: int) -> FloatArray:
    """R's algorithm, element by element in NumPy (slower: frexp and fmod)."""
    pow10 = float(10**digits)
    with np.errstate(invalid="ignore", over="ignore"):
        ax = np.abs(x)
        x10 = ax * pow10
        i10 = np.floor(x10)
        down = i10 / pow10
        up = np.ceil(x10) / pow10
        dist_up = up - ax
        dist_down = ax - down
        take_up = (dist_up < dist_down) | ((np.fmod(i10, 2.0) == 1.0) & (dist_up == dist_down))
        rounded = np.copysign(np.where(take_up, up, down), x)
        # R returns x itself when no rounding is needed at this magnitude, and for 0 and Inf.
        _, exponent = np.frexp(ax)
        no_rounding = (_LOG10_2 * (exponent - 0.5) + digits > _DBL_DIG) | ~np.isfinite(x) | (x == 0)
    return np.where(no_rounding, x, rounded)


def r_round(value: FloatArray, digits: int = 2) -> FloatArray:
    """Round like R's ``round(value, digits)`` for ``digits >= 1``; NaN and Inf pass through."""
    if digits < 1:
        raise ValueError(f"digits must be >= 1, got {digits}")
    x = np.asarray(value, dtype=np.float64)
    pow10 = float(10**digits)
    with np.errstate(invalid="ignore", over="ignore"):
        x10 = x * pow10
        result = np.rint(x10) / pow10
        fraction = x10 - np.floor(x10)
        slow = (np.abs(fraction - 0.5) < _NEAR_TIE) | ~(np.abs(x) < _LARGE)
    if np.any(slow):
        result[slow] = _r_round_exact(x[slow], digits)
    return result
