"""Bapak Asuh rules (docs/asuh.md): the fair proposal order, first-in-first-out drawing on
the money received, the months of a pledge and the public counts, on cases worked out by
hand."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.asuh import (
    BADUTA_MONTHS,
    Candidate,
    Unspent,
    allocate,
    over_balance,
    pledge_months,
    proposal_order,
    public_count,
)

A, B, C = "36.72.01.1001", "36.72.01.1002", "36.72.02.1001"


def _ids(found: list[Candidate]) -> list[int]:
    return [c.child_id for c in found]


def test_baduta_come_first_then_the_most_severe() -> None:
    candidates = [
        Candidate(1, A, 30, -3.5),  # balita, very short
        Candidate(2, A, 12, -2.1),  # baduta, mildly short
        Candidate(3, A, 20, -2.9),  # baduta, shorter
    ]
    assert _ids(proposal_order(candidates)) == [3, 2, 1]


def test_one_kelurahan_with_many_cases_does_not_take_every_place() -> None:
    # Kelurahan A has four stunted baduta, all shorter than B's and C's only one: the
    # second child of A comes only after the first of B and C.
    candidates = [
        Candidate(1, A, 10, -3.9),
        Candidate(2, A, 11, -3.8),
        Candidate(3, A, 12, -3.7),
        Candidate(4, A, 13, -3.6),
        Candidate(5, B, 14, -2.2),
        Candidate(6, C, 15, -2.5),
    ]
    assert _ids(proposal_order(candidates)) == [1, 6, 5, 2, 3, 4]


def test_ties_go_to_the_younger_then_the_lower_id_and_unknown_haz_last() -> None:
    candidates = [
        Candidate(7, A, 18, None),
        Candidate(5, B, 18, -2.5),
        Candidate(4, C, 16, -2.5),
        Candidate(3, B, 59, -2.0),
        Candidate(2, C, 60, -4.0),  # 60 months: no longer a balita
        Candidate(1, A, 18, float("nan")),
    ]
    assert _ids(proposal_order(candidates)) == [4, 5, 1, 7, 3]


def test_the_baduta_limit_is_24_completed_months() -> None:
    candidates = [Candidate(1, A, BADUTA_MONTHS, -4.0), Candidate(2, A, BADUTA_MONTHS - 1, -2.0)]
    assert _ids(proposal_order(candidates)) == [2, 1]


def test_money_is_drawn_on_the_oldest_payments_first() -> None:
    unspent = [Unspent(10, 1_000_000), Unspent(11, 3_000_000), Unspent(12, 500_000)]
    assert allocate(3_500_000, unspent) == [(10, 1_000_000), (11, 2_500_000)]
    assert allocate(4_500_000, unspent) == [(10, 1_000_000), (11, 3_000_000), (12, 500_000)]
    assert allocate(1, [Unspent(10, 0), Unspent(11, 5)]) == [(11, 1)]


def test_drawing_more_than_the_payments_hold_is_a_programmer_error() -> None:
    with pytest.raises(ValueError, match="1 rupiah of 4500001"):
        allocate(4_500_001, [Unspent(10, 4_500_000)])
    with pytest.raises(ValueError, match="a disbursement of 0 rupiah"):
        allocate(0, [Unspent(10, 5)])


def test_over_balance_is_strictly_more() -> None:
    assert over_balance(7_500_001, 7_500_000)
    assert not over_balance(7_500_000, 7_500_000)


@given(
    amounts=st.lists(st.integers(1, 10_000_000), min_size=1, max_size=8),
    share=st.floats(0.01, 1.0),
)
def test_an_allocation_sums_to_the_amount_and_never_overdraws_a_payment(
    amounts: list[int], share: float
) -> None:
    amount = max(1, int(sum(amounts) * share))
    unspent = [Unspent(i, a) for i, a in enumerate(amounts)]
    drawn = allocate(amount, unspent)
    assert sum(x for _, x in drawn) == amount
    assert all(0 < x <= amounts[i] for i, x in drawn)
    assert [i for i, _ in drawn] == sorted(i for i, _ in drawn)


def test_a_pledge_covers_its_months_across_the_new_year() -> None:
    assert pledge_months(date(2023, 11, 1), 3) == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
    ]
    assert pledge_months(date(2024, 1, 1), 0) == []


def test_small_public_counts_are_withheld_but_zero_is_shown() -> None:
    assert [public_count(n) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]
