"""Processing long arrays in cache-sized chunks, on several threads.

NumPy releases the GIL inside its loops, so chunks of a few tens of thousands of rows run
in parallel on threads; each chunk's temporaries stay in the CPU cache. Results are
independent of the chunking: every row is computed from its own inputs only.
"""

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

CHUNK_ROWS = 32_768
Result = TypeVar("Result")


def check_same_length(columns: Mapping[str, Any]) -> int:
    """The common length of 1-D ``columns``; ValueError naming the odd one out."""
    lengths = {name: np.shape(a)[0] if np.ndim(a) else -1 for name, a in columns.items()}
    n = next(iter(lengths.values()))
    for name, length in lengths.items():
        if length != n:
            raise ValueError(
                f"all inputs must be 1-D of the same length; {name} has {length}, not {n}"
            )
    return n


def map_chunks(
    function: Callable[[int, dict[str, Any]], Result],
    columns: Mapping[str, Any],
    n: int,
    threads: int | None,
) -> list[Result]:
    """``function(start, chunk)`` for consecutive chunks of ``columns``, results in order."""
    starts = list(range(0, n, CHUNK_ROWS))

    def call(start: int) -> Result:
        return function(start, {k: v[start : start + CHUNK_ROWS] for k, v in columns.items()})

    workers = threads if threads is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(starts) == 1:
        return [call(start) for start in starts]
    with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
        return list(pool.map(call, starts))
