"""Missing values and duplicates."""

import numpy as np
import pytest

from tumbuh.growth.quality.missing import is_missing, missing_values


def test_missing_values_are_counted_per_variable_and_group() -> None:
    columns = {
        "birth_date": np.array(["2024-01-01", "NaT", "2023-05-05", "NaT"], dtype="datetime64[D]"),
        "weight_kg": np.array([10.0, np.nan, 9.5, 8.0]),
        "sex": np.array([1, 2, 0, 1]),
    }
    result = missing_values(columns, np.array([0, 0, 1, 1]))
    assert result.n_rows.tolist() == [2, 2]
    assert result.n_missing["birth_date"].tolist() == [1, 1]
    assert result.n_missing["weight_kg"].tolist() == [1, 0]
    assert result.n_missing["sex"].tolist() == [0, 1]
    assert result.share_missing["weight_kg"].tolist() == [0.5, 0.0]
    assert result.worst_share.tolist() == [0.5, 0.5]


def test_complete_records_have_no_missing_share() -> None:
    columns = {"weight_kg": np.array([10.0, 11.0]), "sex": np.array([1, 2])}
    result = missing_values(columns, np.zeros(2, dtype=np.int64))
    assert result.worst_share.tolist() == [0.0]


def test_duplicates_count_repeat_measurements_of_a_child() -> None:
    columns = {"weight_kg": np.array([10.0, 10.0, 11.0, 12.0, 12.0])}
    child = np.array([7, 7, 8, 9, 9])
    group = np.array([0, 0, 0, 0, 1])  # child 9 once in each group: no duplicate
    result = missing_values(columns, group, child=child)
    assert result.n_duplicates.tolist() == [1, 0]


def test_unknown_dtype_is_a_programmer_error() -> None:
    with pytest.raises(TypeError, match="dtype"):
        is_missing(np.array(["a"]))
