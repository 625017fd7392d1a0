"""Timing helpers shared by the benchmarks (figures are printed, never asserted)."""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """``work()`` and its wall time, in seconds."""
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """Fastest wall time of ``repeats`` runs, in seconds."""
    return min(timed(run)[1] for _ in range(repeats))
