"""Yes / no / unknown per row: Kleene's three-valued "or", elementwise."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.tristate import TriState, any_of, from_values, negate

values = st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=20)


def states(result: TriState) -> list[bool | None]:
    return [None if not k else bool(h) for h, k in zip(result.holds, result.known, strict=True)]


def kleene_or(parts: list[bool | None]) -> bool | None:
    if any(p is True for p in parts):
        return True
    if all(p is False for p in parts):
        return False
    return None


@given(st.integers(1, 4).flatmap(lambda k: st.lists(values, min_size=k, max_size=k)))
def test_any_of_is_kleenes_or_row_by_row(columns: list[list[bool | None]]) -> None:
    n = min(len(c) for c in columns)
    columns = [c[:n] for c in columns]
    result = any_of(*(from_values(c) for c in columns))
    assert states(result) == [kleene_or([c[i] for c in columns]) for i in range(n)]


@given(values)
def test_stored_values_round_trip_and_negation_keeps_unknowns(column: list[bool | None]) -> None:
    state = from_values(column)
    assert states(state) == column
    assert states(negate(state)) == [None if v is None else not v for v in column]
    assert (state.yes | state.no | state.unknown).all()
    assert not (state.yes & state.no).any()


def test_nan_is_unknown_and_any_of_needs_a_part() -> None:
    assert states(from_values(np.array([1.0, 0.0, np.nan]))) == [True, False, None]
    with pytest.raises(ValueError, match="at least one"):
        any_of()
