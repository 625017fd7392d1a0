"""Cohort flows of stunting between two rounds: who became, stayed or stopped being stunted.

Every child measured in either round (a valid length/height-for-age z-score, counted by
its last valid measurement of the round, as the register prevalence counts it) falls in
exactly one category (docs/surveillance.md):

* measured in both rounds: **still stunted** (stunted in both), **newly stunted** (only in
  the second), **recovered** (only in the first), **never stunted** (in neither);
* measured in the first round only: **aged out** when the child is 60 completed months or
  older on the last day of the second round (no longer a balita, so it could not be
  measured as one), else **no longer measured**;
* measured in the second round only: **newly measured**.

The children of the first three groups that were stunted when last seen are counted too,
so both rounds' figures can be rebuilt from the flows::

    measured 1 = still + newly + recovered + never + no longer measured + aged out
    stunted 1  = still + recovered + (no longer measured + aged out, stunted in round 1)
    measured 2 = still + newly + recovered + never + newly measured
    stunted 2  = still + newly + (newly measured, stunted in round 2)
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

import numpy as np

from tumbuh.growth.types import BoolArray, IntArray


class Flow(StrEnum):
    """What happened to one child between two rounds."""

    STILL_STUNTED = "still_stunted"
    NEWLY_STUNTED = "newly_stunted"
    RECOVERED = "recovered"
    NEVER_STUNTED = "never_stunted"
    NO_LONGER_MEASURED = "no_longer_measured"
    AGED_OUT = "aged_out"
    NEWLY_MEASURED = "newly_measured"


FLOWS = tuple(Flow)


N = TypeVar("N", int, IntArray)  # one area's count, or one count per group
# Measured in each round (the sums of the module's docstring).
BOTH_ROUNDS = (Flow.STILL_STUNTED, Flow.NEWLY_STUNTED, Flow.RECOVERED, Flow.NEVER_STUNTED)
FIRST_ROUND = (*BOTH_ROUNDS, Flow.NO_LONGER_MEASURED, Flow.AGED_OUT)
SECOND_ROUND = (*BOTH_ROUNDS, Flow.NEWLY_MEASURED)
ONE_ROUND = (Flow.NO_LONGER_MEASURED, Flow.AGED_OUT, Flow.NEWLY_MEASURED)  # measured in one


class RoundTotals(Generic[N]):
    """Both rounds' figures rebuilt from the flows: ``counts`` (children per flow) and
    ``stunted_when_last_seen`` (of the three flows of one round, those stunted in it)."""

    counts: Mapping[Flow, N]
    stunted_when_last_seen: Mapping[Flow, N]

    @property
    def children(self) -> N:
        """Children measured in either round."""
        return _sum([self.counts[f] for f in FLOWS])

    @property
    def measured_first(self) -> N:
        """Children measured in the first round."""
        return _sum([self.counts[f] for f in FIRST_ROUND])

    @property
    def stunted_first(self) -> N:
        """Children stunted in the first round."""
        c, s = self.counts, self.stunted_when_last_seen
        return _sum(
            [c[Flow.STILL_STUNTED], c[Flow.RECOVERED], s[Flow.NO_LONGER_MEASURED], s[Flow.AGED_OUT]]
        )

    @property
    def measured_second(self) -> N:
        """Children measured in the second round."""
        return _sum([self.counts[f] for f in SECOND_ROUND])

    @property
    def stunted_second(self) -> N:
        """Children stunted in the second round."""
        c, s = self.counts, self.stunted_when_last_seen
        return _sum([c[Flow.STILL_STUNTED], c[Flow.NEWLY_STUNTED], s[Flow.NEWLY_MEASURED]])


def _sum(values: list[N]) -> N:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


@dataclass(frozen=True)
class FlowTable(RoundTotals[IntArray]):
    """Counts per group (arrays aligned with the groups)."""

    counts: dict[Flow, IntArray]  # children per flow
    stunted_when_last_seen: dict[Flow, IntArray]  # of no longer measured / aged out / newly
    # measured: those stunted in the one round they were measured in


def classify(
    *,
    in_first: BoolArray,
    stunted_first: BoolArray,
    in_second: BoolArray,
    stunted_second: BoolArray,
    aged_out: BoolArray,
) -> IntArray:
    """Position in :data:`FLOWS` of every child (-1 for a child measured in neither round).

    One element per child; ``stunted_*`` is ignored where the child was not measured in
    that round, ``aged_out`` where it was measured in the second.
    """
    first = np.asarray(in_first, dtype=bool)
    second = np.asarray(in_second, dtype=bool)
    s1 = first & np.asarray(stunted_first, dtype=bool)
    s2 = second & np.asarray(stunted_second, dtype=bool)
    old = np.asarray(aged_out, dtype=bool)
    both = first & second
    index = {flow: i for i, flow in enumerate(FLOWS)}
    return np.select(
        [
            both & s1 & s2,
            both & ~s1 & s2,
            both & s1 & ~s2,
            both,
            first & old,
            first,
            second,
        ],
        [
            index[Flow.STILL_STUNTED],
            index[Flow.NEWLY_STUNTED],
            index[Flow.RECOVERED],
            index[Flow.NEVER_STUNTED],
            index[Flow.AGED_OUT],
            index[Flow.NO_LONGER_MEASURED],
            index[Flow.NEWLY_MEASURED],
        ],
        default=-1,
    ).astype(np.int64)


def count_flows(
    flow: IntArray, stunted_when_seen: BoolArray, group: IntArray, n_groups: int
) -> FlowTable:
    """Children per group and flow; ``stunted_when_seen`` is the child's status in the one
    round it was measured in (used for the three one-round flows)."""
    codes = np.asarray(flow, dtype=np.int64)
    groups = np.asarray(group, dtype=np.int64)
    stunted = np.asarray(stunted_when_seen, dtype=bool)
    keep = (codes >= 0) & (groups >= 0)
    cells = groups[keep] * len(FLOWS) + codes[keep]
    size = n_groups * len(FLOWS)
    all_counts = np.bincount(cells, minlength=size).reshape(n_groups, len(FLOWS))
    stunted_counts = np.bincount(cells[stunted[keep]], minlength=size).reshape(n_groups, len(FLOWS))
    return FlowTable(
        counts={f: all_counts[:, i].astype(np.int64) for i, f in enumerate(FLOWS)},
        stunted_when_last_seen={
            f: stunted_counts[:, FLOWS.index(f)].astype(np.int64) for f in ONE_ROUND
        },
    )
