"""Change of a prevalence between two rounds, and whether it is more than noise.

Two rounds' prevalences ``p1`` (earlier) and ``p2`` (later), each with its Wilson interval
``[l, u]`` (:func:`tumbuh.growth.intervals.wilson_interval`), give the change
``d = p2 - p1`` and Newcombe's hybrid score interval for it (Newcombe 1998, *Statistics in
Medicine* 17:873-890, method 10)::

    lower = d - sqrt((p2 - l2)^2 + (u1 - p1)^2)
    upper = d + sqrt((u2 - p2)^2 + (p1 - l1)^2)

A change is called a rise or a fall only when that interval excludes zero. This is the
honest reading of two intervals: two 95 % intervals can overlap although the difference is
clear, so "the intervals do not overlap" would call too few changes, and "the points
differ" far too many. The formula treats the rounds as independent samples; consecutive
register rounds share most of their children, whose correlation makes the true interval
narrower, so a called change is safe and an unclear one may still hide a small real change
(docs/surveillance.md).
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.types import FloatArray, Int8Array


class Change(StrEnum):
    """How a prevalence moved since the previous round."""

    UP = "up"  # the interval of the change is above zero
    DOWN = "down"  # below zero
    UNCLEAR = "unclear"  # the interval contains zero
    UNKNOWN = "unknown"  # one of the rounds has nobody measured

    @property
    def code(self) -> int:
        """Array code: 1 up, 2 down, 3 unclear, 0 unknown."""
        return _CODES[self]

    @classmethod
    def from_code(cls, code: int) -> "Change":
        """The member of an array code."""
        return _MEMBERS[code]


_CODES = {Change.UNKNOWN: 0, Change.UP: 1, Change.DOWN: 2, Change.UNCLEAR: 3}
_MEMBERS = {code: member for member, code in _CODES.items()}


@dataclass(frozen=True)
class Differences:
    """Per pair of rounds: the change (later minus earlier, 0-1) and its interval."""

    change: FloatArray  # NaN where a round has no estimate
    lower: FloatArray
    upper: FloatArray
    verdict: Int8Array  # Change codes

    def verdict_of(self, index: int) -> Change:
        """The verdict of pair ``index``."""
        return Change.from_code(int(self.verdict[index]))


def difference_interval(
    earlier: tuple[ArrayLike, ArrayLike, ArrayLike],
    later: tuple[ArrayLike, ArrayLike, ArrayLike],
) -> Differences:
    """Newcombe's interval of ``later - earlier``; each argument is (p, lower, upper), 0-1.

    Arrays broadcast; NaN in any input gives NaN and :attr:`Change.UNKNOWN`.
    """
    p1, l1, u1 = (np.asarray(a, dtype=np.float64) for a in earlier)
    p2, l2, u2 = (np.asarray(a, dtype=np.float64) for a in later)
    change = p2 - p1
    lower = change - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    upper = change + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    known = ~(np.isnan(lower) | np.isnan(upper))
    with np.errstate(invalid="ignore"):
        verdict = np.select(
            [~known, lower > 0, upper < 0],
            [Change.UNKNOWN.code, Change.UP.code, Change.DOWN.code],
            default=Change.UNCLEAR.code,
        ).astype(np.int8)
    return Differences(
        np.atleast_1d(change), np.atleast_1d(lower), np.atleast_1d(upper), np.atleast_1d(verdict)
    )
