"""The LMS method: z-score of a measurement and measurement at a z-score.

Source: WHO Multicentre Growth Reference Study Group (2006). WHO Child Growth Standards:
Methods and development, chapter 7 ("Computation of centiles and z-scores"), and the
restricted rule beyond +/-3 SD used for weight-based and other skewed indicators.

The arithmetic mirrors WHO anthro's R code term for term (``((y/m)^L - 1) / (S*L)``), so
that z-scores rounded to 2 decimals equal anthro's bit for bit. WHO's tables never have
L = 0 (smallest |L| is 1e-4); the exact limit ``log(y/M)/S`` is used where L is 0.
"""

from typing import NamedTuple

import numpy as np

from tumbuh.growth.types import FloatArray


class LMS(NamedTuple):
    """Box-Cox parameters of a reference distribution, one entry per row."""

    power: FloatArray  # L, Box-Cox power (ruff rejects a bare `l`)
    median: FloatArray  # M
    cv: FloatArray  # S, coefficient of variation


def zscore(value: FloatArray, lms: LMS) -> FloatArray:
    """LMS z-score per element (no restriction beyond +/-3 SD); NaN where undefined.

    Units of ``value`` are those of the median (cm, kg, mm, kg/m2). A value of 0 with a
    negative L gives -Inf, as in anthro; the caller decides which values are measurable.
    """
    y = np.asarray(value, dtype=np.float64)
    power, median, cv = (np.asarray(p, dtype=np.float64) for p in lms)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = y / median
        is_zero = power == 0
        safe_power = np.where(is_zero, 1.0, power)
        z = (np.power(ratio, safe_power) - 1) / (cv * safe_power)
        if np.any(is_zero):
            z = np.where(is_zero, np.log(ratio) / cv, z)
    return z


def value_at_zscore(z: FloatArray, lms: LMS) -> FloatArray:
    """Measurement at z-score ``z`` (inverse of :func:`zscore`): ``M (1 + L S z)^(1/L)``."""
    zz = np.asarray(z, dtype=np.float64)
    power, median, cv = (np.asarray(p, dtype=np.float64) for p in lms)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        is_zero = power == 0
        safe_power = np.where(is_zero, 1.0, power)
        value = median * np.power(1 + safe_power * cv * zz, 1 / safe_power)
        if np.any(is_zero):
            value = np.where(is_zero, median * np.exp(cv * zz), value)
    return value


def _sd_value(sd: float, lms: LMS) -> FloatArray:
    """Measurement at a whole SD, computed as anthro does: ``m * ((1 + l*s*sd)^(1/l))``."""
    return value_at_zscore(np.full(np.shape(lms.median), sd), lms)


def zscore_restricted(value: FloatArray, lms: LMS) -> FloatArray:
    """LMS z-score with WHO's restricted rule beyond +/-3 SD.

    Beyond +3 SD the distance from the +3 SD value is measured in units of the distance
    between the +2 and +3 SD values (likewise below -3 SD), because the LMS tail
    stretches or compresses there (WHO 2006, Methods and development, ch. 7, p. 302).
    Only rows beyond +/-3 SD pay for the extra powers.
    """
    y = np.asarray(value, dtype=np.float64)
    z = zscore(y, lms)
    with np.errstate(invalid="ignore"):
        above = z > 3
        below = z < -3
    if np.any(above):
        sub = LMS(*(np.asarray(p)[above] for p in lms))
        sd3 = _sd_value(3.0, sub)
        sd23 = sd3 - _sd_value(2.0, sub)
        z[above] = 3 + (y[above] - sd3) / sd23
    if np.any(below):
        sub = LMS(*(np.asarray(p)[below] for p in lms))
        sd3neg = _sd_value(-3.0, sub)
        sd23neg = _sd_value(-2.0, sub) - sd3neg
        z[below] = -3 + (y[below] - sd3neg) / sd23neg
    return z


def value_at_zscore_restricted(z: FloatArray, lms: LMS) -> FloatArray:
    """Inverse of :func:`zscore_restricted`: linear in z beyond +/-3 SD."""
    zz = np.asarray(z, dtype=np.float64)
    value = value_at_zscore(zz, lms)
    sd3 = _sd_value(3.0, lms)
    sd3neg = _sd_value(-3.0, lms)
    with np.errstate(invalid="ignore"):
        above = zz > 3
        below = zz < -3
    value = np.where(above, sd3 + (zz - 3) * (sd3 - _sd_value(2.0, lms)), value)
    return np.where(below, sd3neg + (zz + 3) * (_sd_value(-2.0, lms) - sd3neg), value)
