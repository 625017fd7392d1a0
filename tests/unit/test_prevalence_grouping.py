"""Groupings: key columns of text or numbers turned into group codes for grouped sums."""

import numpy as np
import pytest

from tumbuh.growth.grouping import everyone, from_codes, group_by


def test_text_keys_sorted_and_missing_keys_in_no_group() -> None:
    kecamatan = np.array(["Jombang", "Cibeber", None, "Jombang", " ", "Cibeber"], dtype=object)
    grouping = group_by(kecamatan, names=["kecamatan"])
    assert grouping.labels == ("Cibeber", "Jombang")
    assert grouping.codes.tolist() == [1, 0, -1, 1, -1, 0]
    assert grouping.names == ("kecamatan",)


def test_rows_whose_keys_are_all_missing_make_no_group() -> None:
    grouping = group_by(np.array([None, float("nan"), ""], dtype=object), names=("kitchen",))
    assert grouping.keys == ()
    assert grouping.codes.tolist() == [-1, -1, -1]


def test_numbers_sort_numerically_and_nan_is_missing() -> None:
    posyandu = np.array([10.0, 2.0, np.nan, 2.0])
    grouping = group_by(posyandu)
    assert grouping.keys == ((2.0,), (10.0,))
    assert grouping.labels == ("2", "10")
    assert grouping.codes.tolist() == [1, 0, -1, 0]


def test_mixed_numbers_and_text_put_numbers_first() -> None:
    grouping = group_by(np.array([3, "B", 1, "A"], dtype=object))
    assert grouping.labels == ("1", "3", "A", "B")


def test_levels_fix_the_groups_and_their_order() -> None:
    sex = np.array(["Male", "Female", "Other", "Male"], dtype=object)
    grouping = group_by(sex, levels=[("Female", "Male")])
    assert grouping.labels == ("Female", "Male")
    assert grouping.codes.tolist() == [1, 0, -1, 1]


def test_combinations_that_occur_in_sorted_order() -> None:
    kecamatan = np.array(["Jombang", "Cibeber", "Cibeber", "Jombang"], dtype=object)
    kelurahan = np.array(["Sukmajaya", "Kalitimbang", "Bulakan", "Sukmajaya"], dtype=object)
    grouping = group_by(kecamatan, kelurahan)
    assert grouping.labels == (
        "Cibeber.Bulakan",
        "Cibeber.Kalitimbang",
        "Jombang.Sukmajaya",
    )
    assert grouping.codes.tolist() == [2, 1, 0, 2]


def test_complete_combinations_vary_the_first_key_fastest_like_r_interaction() -> None:
    age = np.array(["00-05 mo", "06-11 mo"], dtype=object)
    sex = np.array(["Male", "Male"], dtype=object)
    grouping = group_by(
        age, sex, levels=[("00-05 mo", "06-11 mo"), ("Female", "Male")], complete=True
    )
    assert grouping.labels == (
        "00-05 mo.Female",
        "06-11 mo.Female",
        "00-05 mo.Male",
        "06-11 mo.Male",
    )
    assert grouping.codes.tolist() == [2, 3]


def test_a_row_missing_one_key_of_a_combination_is_in_no_group() -> None:
    grouping = group_by(np.array(["a", "b"], dtype=object), np.array([1.0, np.nan]))
    assert grouping.codes.tolist() == [0, -1]


def test_from_codes_builds_groups_without_factorising() -> None:
    grouping = from_codes(
        [np.array([0, 1, -1]), np.array([1, 1, 0])], [("a", "b"), ("x", "y")], ["k1", "k2"]
    )
    assert grouping.labels == ("a.x", "b.x", "a.y", "b.y")
    assert grouping.codes.tolist() == [2, 3, -1]


def test_everyone_is_one_group_called_all() -> None:
    grouping = everyone(3)
    assert grouping.labels == ("All",)
    assert grouping.codes.tolist() == [0, 0, 0]


def test_keys_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        group_by(np.array([1, 2]), np.array([1, 2, 3]))
