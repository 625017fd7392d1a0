"""Array type aliases shared by the numerical core."""

from collections.abc import Sequence
from datetime import date
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]
Int8Array: TypeAlias = NDArray[np.int8]
BoolArray: TypeAlias = NDArray[np.bool_]
UInt32Array: TypeAlias = NDArray[np.uint32]
DateArray: TypeAlias = NDArray[np.datetime64]

# Values per row where None (like NaN or NaT) means unknown: what database rows give.
MaybeValues: TypeAlias = ArrayLike | Sequence[float | int | bool | date | None]
