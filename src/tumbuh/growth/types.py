"""Array type aliases shared by the numerical core."""

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]
Int8Array: TypeAlias = NDArray[np.int8]
BoolArray: TypeAlias = NDArray[np.bool_]
UInt32Array: TypeAlias = NDArray[np.uint32]
DateArray: TypeAlias = NDArray[np.datetime64]
