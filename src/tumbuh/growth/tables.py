"""WHO LMS tables shipped as package data, loaded once and kept as NumPy arrays.

The files in ``tumbuh/data/who2006`` and ``tumbuh/data/who2007`` are byte-for-byte copies
of ``data-raw/growthstandards/`` of the WHO R packages anthro 1.1.0 and anthroplus (see
docs/methods.md). Values are parsed as doubles and never re-rounded.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

import numpy as np

from tumbuh.growth.types import FloatArray


class TableName(StrEnum):
    """One packaged LMS table; the value is its file name without extension."""

    LENGTH_HEIGHT_FOR_AGE = "who2006/lenanthro"
    WEIGHT_FOR_AGE = "who2006/weianthro"
    BMI_FOR_AGE = "who2006/bmianthro"
    HEAD_CIRCUMFERENCE_FOR_AGE = "who2006/hcanthro"
    ARM_CIRCUMFERENCE_FOR_AGE = "who2006/acanthro"
    TRICEPS_SKINFOLD_FOR_AGE = "who2006/tsanthro"
    SUBSCAPULAR_SKINFOLD_FOR_AGE = "who2006/ssanthro"
    WEIGHT_FOR_LENGTH = "who2006/wflanthro"
    WEIGHT_FOR_HEIGHT = "who2006/wfhanthro"
    HEIGHT_FOR_AGE_2007 = "who2007/hfawho2007"
    WEIGHT_FOR_AGE_2007 = "who2007/wfawho2007"
    BMI_FOR_AGE_2007 = "who2007/bfawho2007"


# Weight-for-length/height tables are indexed by tenths of a centimetre.
_TENTHS_INDEXED = {TableName.WEIGHT_FOR_LENGTH, TableName.WEIGHT_FOR_HEIGHT}


@dataclass(frozen=True)
class LmsTable:
    """L, M and S by sex and an integer key (days, months or tenths of a cm).

    ``power``, ``median`` and ``cv`` are flat arrays of length ``2 * width + 1``: the male
    rows, then the female rows, then one NaN sentinel. ``flat_index`` maps (sex, key) to a
    position in them, pointing at the sentinel when there is no such row.
    """

    name: TableName
    first_key: int
    last_key: int
    power: FloatArray
    median: FloatArray
    cv: FloatArray

    @property
    def width(self) -> int:
        """Number of keys per sex."""
        return self.last_key - self.first_key + 1

    def flat_index(self, sex_code: np.ndarray, key: np.ndarray) -> np.ndarray:
        """Positions of (sex 1/2, integer key) rows; the NaN sentinel where none exists.

        ``key`` may be float with NaN (missing); ``sex_code`` is 0 when missing.
        """
        key_f = np.asarray(key, dtype=np.float64)
        sex = np.asarray(sex_code)
        ok = ((sex == 1) | (sex == 2)) & (key_f >= self.first_key) & (key_f <= self.last_key)
        offset = np.where(ok, key_f - self.first_key, 0.0).astype(np.int64)
        index = (np.where(ok, sex, 1).astype(np.int64) - 1) * self.width + offset
        sentinel = 2 * self.width
        return np.where(ok, index, sentinel)


@cache
def load_table(name: TableName) -> LmsTable:
    """Parse one packaged table (cached: each file is read once per process)."""
    text = resources.files("tumbuh.data").joinpath(f"{name.value}.txt").read_text("utf-8")
    lines = [line.split("\t") for line in text.splitlines() if line.strip()]
    header = [h.strip().lower() for h in lines[0]]
    rows = lines[1:]
    col = {h: i for i, h in enumerate(header)}
    key_col = header[1]  # age, length or height
    sexes = np.array([int(r[col["sex"]]) for r in rows])
    raw_keys = [r[col[key_col]].strip() for r in rows]
    if name in _TENTHS_INDEXED:
        keys = np.array([round(float(k) * 10) for k in raw_keys], dtype=np.int64)
    else:
        keys = np.array([int(k) for k in raw_keys], dtype=np.int64)
    first, last = int(keys.min()), int(keys.max())
    width = last - first + 1
    params = {}
    for p in ("l", "m", "s"):
        flat = np.full(2 * width + 1, np.nan)
        values = np.array([float(r[col[p]]) for r in rows])
        flat[(sexes - 1) * width + (keys - first)] = values
        flat.setflags(write=False)
        params[p] = flat
    return LmsTable(name, first, last, params["l"], params["m"], params["s"])
