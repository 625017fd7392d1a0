"""SMART's bands and penalty points for each criterion (ENA for SMART plausibility check).

Band edges follow docs/data-quality.md §2, with Tumbuh's choices where re-implementations
disagree: DPS rounded to a whole number first; skewness and kurtosis judged by absolute
value; inclusive inner SD bands; p = 0.001 exactly is problematic. NaN gives
``NOT_AVAILABLE`` (-1) for both band and points.
"""

import numpy as np

from tumbuh.growth.quality.codes import NOT_AVAILABLE, Band
from tumbuh.growth.types import FloatArray, Int8Array

# Points for (excellent, good, acceptable, problematic).
FLAGGED_POINTS = (0, 5, 10, 20)
RATIO_POINTS = (0, 2, 4, 10)
DPS_POINTS = (0, 2, 4, 10)
SD_POINTS = (0, 5, 10, 20)
SHAPE_POINTS = (0, 1, 3, 5)
POISSON_POINTS = (0, 1, 3, 5)
OVERALL_UPPER = (9, 14, 24)  # 0-9 excellent, 10-14 good, 15-24 acceptable, >= 25 problematic
MAX_TOTAL = 105


def _finish(value: FloatArray, band: np.ndarray) -> Int8Array:
    return np.where(np.isnan(value), NOT_AVAILABLE, band).astype(np.int8)


def points(band: Int8Array, table: tuple[int, int, int, int]) -> Int8Array:
    """Penalty points for each band code (``NOT_AVAILABLE`` stays -1)."""
    codes = np.asarray(band, dtype=np.int64)
    lookup = np.asarray(table, dtype=np.int8)
    return np.where(codes >= 0, lookup[np.clip(codes, 0, 3)], NOT_AVAILABLE).astype(np.int8)


def flagged_percent_band(percent: FloatArray) -> Int8Array:
    """% of WHZ with a SMART flag: <= 2.5, <= 5.0, <= 7.5, > 7.5."""
    x = np.asarray(percent, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        band = (x > 2.5).astype(int) + (x > 5.0) + (x > 7.5)
    return _finish(x, band)


def p_value_band(p: FloatArray) -> Int8Array:
    """Sex or age ratio test p: > 0.1, > 0.05, > 0.001, <= 0.001."""
    x = np.asarray(p, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        band = (x <= 0.1).astype(int) + (x <= 0.05) + (x <= 0.001)
    return _finish(x, band)


def dps_band(dps: FloatArray) -> Int8Array:
    """Digit preference score rounded to a whole number: 0-7, 8-12, 13-20, > 20."""
    x = np.rint(np.asarray(dps, dtype=np.float64))
    with np.errstate(invalid="ignore"):
        band = (x > 7).astype(int) + (x > 12) + (x > 20)
    return _finish(x, band)


def sd_band(sd: FloatArray) -> Int8Array:
    """SD of WHZ: 0.90-1.10, 0.85-1.15 (inclusive), inside (0.80, 1.20), else problematic."""
    x = np.asarray(sd, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        excellent = (x >= 0.90) & (x <= 1.10)
        good = (x >= 0.85) & (x <= 1.15)
        acceptable = (x > 0.80) & (x < 1.20)
    band = np.select(
        [excellent, good, acceptable],
        [Band.EXCELLENT, Band.GOOD, Band.ACCEPTABLE],
        Band.PROBLEMATIC,
    )
    return _finish(x, band)


def shape_band(value: FloatArray) -> Int8Array:
    """|skewness| or |excess kurtosis| of WHZ: < 0.2, < 0.4, < 0.6, >= 0.6."""
    x = np.abs(np.asarray(value, dtype=np.float64))
    with np.errstate(invalid="ignore"):
        band = (x >= 0.2).astype(int) + (x >= 0.4) + (x >= 0.6)
    return _finish(x, band)


def poisson_band(p: FloatArray) -> Int8Array:
    """Poisson test p: > 0.05, > 0.01, > 0.001, <= 0.001."""
    x = np.asarray(p, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        band = (x <= 0.05).astype(int) + (x <= 0.01) + (x <= 0.001)
    return _finish(x, band)


def overall_band(total: FloatArray) -> Int8Array:
    """Overall score: 0-9 excellent, 10-14 good, 15-24 acceptable, >= 25 problematic."""
    x = np.asarray(total, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        band = sum((x > upper).astype(int) for upper in OVERALL_UPPER)
    return _finish(x, np.asarray(band))
