"""Per-indicator results and WHO flags, shared by the WHO 2006 and 2007 engines."""

from dataclasses import dataclass

import numpy as np

from tumbuh.growth.rounding import r_round
from tumbuh.growth.types import BoolArray, FloatArray


@dataclass(frozen=True)
class Scores:
    """One indicator's result: rounded z, unrounded z and WHO flag (1/0, NaN if no z)."""

    z: FloatArray
    z_unrounded: FloatArray
    flag: FloatArray


def flag(z: FloatArray, low: float, high: float) -> FloatArray:
    """1.0 where ``z < low`` or ``z > high``, 0.0 otherwise, NaN where z is missing."""
    with np.errstate(invalid="ignore"):
        flagged = ((z < low) | (z > high)).astype(np.float64)
    return np.where(np.isnan(z), np.nan, flagged)


def finish(z_unrounded: FloatArray, valid: BoolArray, low: float, high: float) -> Scores:
    """Blank invalid rows, round to 2 decimals as R does, then flag the rounded z (as WHO)."""
    kept = np.where(valid, z_unrounded, np.nan)
    z = r_round(kept, 2)
    return Scores(z=z, z_unrounded=kept, flag=flag(z, low, high))
