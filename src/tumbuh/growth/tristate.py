"""Yes / no / unknown per row, for rules whose inputs may be missing (docs/domain.md §14).

A rule judged on a missing value (no LiLA, no birth weight, a criterion not assessed) is
*unknown*, never a guess: :class:`TriState` keeps what the rule found (``holds``) apart
from whether it could be judged (``known``). Combining (:func:`any_of`) follows the
three-valued logic of Kleene: "any of" holds as soon as one known part holds, and is known
false only when every part is known false.
"""

from typing import NamedTuple

import numpy as np

from tumbuh.growth.types import BoolArray, MaybeValues


class TriState(NamedTuple):
    """Per row: ``holds`` where the rule is known to hold; ``known`` where it could be judged."""

    holds: BoolArray  # True only where known and true
    known: BoolArray  # False where an input was missing

    @property
    def yes(self) -> BoolArray:
        """Known to hold."""
        return self.holds & self.known

    @property
    def no(self) -> BoolArray:
        """Known not to hold."""
        return ~self.holds & self.known

    @property
    def unknown(self) -> BoolArray:
        """Could not be judged."""
        return ~self.known


def judged(holds: MaybeValues, known: MaybeValues) -> TriState:
    """A :class:`TriState` from a rule's result and the rows where its inputs were there."""
    known_rows = np.asarray(known, dtype=bool)
    holds_rows = np.asarray(holds, dtype=bool) & known_rows
    return TriState(holds=holds_rows, known=known_rows)


def from_values(values: MaybeValues) -> TriState:
    """Stored yes/no/unknown values (True, False, None or NaN) as a :class:`TriState`."""
    numbers = np.asarray(values, dtype=np.float64)  # None -> NaN
    known = ~np.isnan(numbers)
    return judged(np.where(known, numbers, 0.0) != 0.0, known)


def negate(state: TriState) -> TriState:
    """Not: unknown stays unknown."""
    return judged(~state.holds, state.known)


def any_of(*states: TriState) -> TriState:
    """Holds where any part is known to hold; known false only where all parts are known
    false; unknown otherwise (Kleene's three-valued "or")."""
    if not states:
        raise ValueError("any_of needs at least one part")
    holds = np.logical_or.reduce([s.yes for s in states])
    all_no = np.logical_and.reduce([s.no for s in states])
    return judged(holds, holds | all_no)
