"""SKDN counts and ratios on a posyandu month worked out by hand."""

import numpy as np
import pytest

from tumbuh.growth.skdn import skdn_counts
from tumbuh.growth.weight_gain import WeightTrend

N, T, O, B = (t.code for t in WeightTrend)  # noqa: E741 (the programme's letters)


def test_two_posyandu_by_hand() -> None:
    # Posyandu 0: 5 registered (4 with a card), 4 weighed: N, T after T (2T), O, B.
    # Posyandu 1: 2 registered (none with a card), 2 weighed: N, T after N; one is BGM.
    counts = skdn_counts(
        registered_group=[0, 0, 0, 0, 0, 1, 1],
        has_buku_kia=[True, True, True, True, False, False, False],
        weighed_group=[0, 0, 0, 0, 1, 1],
        trend=[N, T, O, B, N, T],
        previous_trend=[N, T, 0, 0, T, N],
        bgm=[False, False, False, False, False, True],
        n_groups=2,
    )
    assert counts.s.tolist() == [5, 2]
    assert counts.k.tolist() == [4, 0]
    assert counts.d.tolist() == [4, 2]
    assert counts.n.tolist() == [1, 1]
    assert counts.d_prime.tolist() == [2, 2]  # judged N or T: weighed last month too
    assert counts.t.tolist() == [1, 1]
    assert counts.two_t.tolist() == [1, 0]
    assert counts.o.tolist() == [1, 0]
    assert counts.b.tolist() == [1, 0]
    assert counts.bgm.tolist() == [0, 1]
    assert counts.k_s.tolist() == pytest.approx([0.8, 0.0])
    assert counts.d_s.tolist() == pytest.approx([0.8, 1.0])
    assert counts.n_d.tolist() == pytest.approx([0.25, 0.5])
    assert counts.n_d_prime.tolist() == pytest.approx([0.5, 0.5])
    assert counts.n_s.tolist() == pytest.approx([0.2, 0.5])
    assert np.isnan(counts.d_k[1])  # K is 0: no ratio
    assert counts.d_k[0] == pytest.approx(1.0)


def test_groups_combine_into_their_kelurahan() -> None:
    counts = skdn_counts(
        registered_group=[0, 1, 2, 2],
        has_buku_kia=[True, True, False, True],
        weighed_group=[0, 2, -1],
        trend=[N, T, N],
        previous_trend=[N, T, N],
        bgm=[False, False, False],
        n_groups=3,
    )
    kelurahan = counts.combined([0, 0, 1], 2)  # posyandu 0 and 1 in kelurahan 0
    assert kelurahan.s.tolist() == [2, 2]
    assert kelurahan.k.tolist() == [2, 1]
    assert kelurahan.d.tolist() == [1, 1]  # the weighing without a group counts nowhere
    assert kelurahan.two_t.tolist() == [0, 1]


def test_an_empty_posyandu_has_no_ratios() -> None:
    counts = skdn_counts(
        registered_group=[],
        has_buku_kia=[],
        weighed_group=[],
        trend=[],
        previous_trend=[],
        bgm=[],
        n_groups=1,
    )
    assert counts.s.tolist() == [0]
    assert np.isnan(counts.d_s[0])
