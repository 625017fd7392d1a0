"""Cohort flows between two rounds, on children worked out by hand."""

import numpy as np

from tumbuh.growth.flows import FLOWS, Flow, classify, count_flows

# Eight children (index: measured / stunted in round 1, in round 2, aged out by round 2):
CHILDREN = [
    # in1,  s1,    in2,   s2,    aged   -> flow
    (True, True, True, True, False),  # 0 still stunted
    (True, False, True, True, False),  # 1 newly stunted
    (True, True, True, False, False),  # 2 recovered
    (True, False, True, False, False),  # 3 never stunted
    (True, True, False, False, False),  # 4 no longer measured (was stunted)
    (True, False, False, False, True),  # 5 aged out (was not stunted)
    (False, False, True, True, False),  # 6 newly measured (stunted)
    (False, False, False, False, False),  # 7 measured in neither: no flow
]
EXPECTED = [
    Flow.STILL_STUNTED,
    Flow.NEWLY_STUNTED,
    Flow.RECOVERED,
    Flow.NEVER_STUNTED,
    Flow.NO_LONGER_MEASURED,
    Flow.AGED_OUT,
    Flow.NEWLY_MEASURED,
]


def _columns() -> dict[str, np.ndarray]:
    names = ("in_first", "stunted_first", "in_second", "stunted_second", "aged_out")
    return {name: np.array([c[i] for c in CHILDREN]) for i, name in enumerate(names)}


def test_each_child_falls_in_exactly_one_flow() -> None:
    codes = classify(**_columns())
    assert [FLOWS[c] for c in codes[:7]] == EXPECTED
    assert codes[7] == -1


def test_aged_out_only_applies_to_children_missing_from_the_second_round() -> None:
    columns = _columns()
    columns["aged_out"] = np.ones(len(CHILDREN), dtype=bool)  # everybody old by round 2
    codes = classify(**columns)
    assert FLOWS[codes[0]] is Flow.STILL_STUNTED  # measured in round 2 after all
    assert FLOWS[codes[4]] is Flow.AGED_OUT


def test_counts_per_group_rebuild_both_rounds() -> None:
    columns = _columns()
    codes = classify(**columns)
    # Stunted in the one round each one-round child was measured in: 4 yes, 5 no, 6 yes.
    seen = np.where(columns["in_second"], columns["stunted_second"], columns["stunted_first"])
    group = np.array([0, 0, 0, 1, 1, 1, 1, 0])  # children 0-2 in area 0, 3-6 in area 1
    table = count_flows(codes, seen, group, 2)
    assert table.counts[Flow.STILL_STUNTED].tolist() == [1, 0]
    assert table.counts[Flow.NEWLY_MEASURED].tolist() == [0, 1]
    assert table.stunted_when_last_seen[Flow.NO_LONGER_MEASURED].tolist() == [0, 1]
    assert table.stunted_when_last_seen[Flow.AGED_OUT].tolist() == [0, 0]
    assert table.stunted_when_last_seen[Flow.NEWLY_MEASURED].tolist() == [0, 1]
    # Round 1 measured 0-5 (area 0: 0, 1, 2; area 1: 3, 4, 5), stunted 0, 2, 4.
    assert table.measured_first.tolist() == [3, 3]
    assert table.stunted_first.tolist() == [2, 1]
    # Round 2 measured 0-3 and 6 (area 0: 0, 1, 2; area 1: 3, 6), stunted 0, 1, 6.
    assert table.measured_second.tolist() == [3, 2]
    assert table.stunted_second.tolist() == [2, 1]
    assert table.children.tolist() == [3, 4]


def test_children_without_a_group_are_left_out() -> None:
    codes = classify(**_columns())
    seen = np.zeros(len(CHILDREN), dtype=bool)
    table = count_flows(codes, seen, np.full(len(CHILDREN), -1), 1)
    assert table.children.tolist() == [0]
