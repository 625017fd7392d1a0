"""R's ``round(x, digits)``, so that rounded z-scores equal WHO anthro's bit for bit.

R >= 4.0.0 rounds to the nearer of the two decimal candidates ``floor(x*10^d)/10^d`` and
``ceil(x*10^d)/10^d`` as doubles, and picks the even one only when both are exactly as far
from ``x`` (src/nmath/fround.c, "private_nearbyint" era, R 4.0.0 NEWS). NumPy's
``np.round`` scales and rounds once, which disagrees with R on a few values such as 0.285.
"""

import numpy as np

from tumbuh.growth.types import FloatArray

_LOG10_2 = 0.301029995663981195  # M_LOG10_2 in R's Rmath.h
_DBL_DIG = 15


def r_round(value: FloatArray, digits: int = 2) -> FloatArray:
    """Round like R's ``round(value, digits)`` for ``digits >= 1``; NaN and Inf pass through."""
    if digits < 1:
        raise ValueError(f"digits must be >= 1, got {digits}")
    x = np.asarray(value, dtype=np.float64)
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
