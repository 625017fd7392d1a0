"""Every row of WHO anthro 1.1.0's reference outputs, value by value (tests/data/SOURCES.md)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.reference.conftest import floats
from tumbuh.growth.enums import Indicator
from tumbuh.growth.frame import WHO2006_INPUT_COLUMNS, zscores

Z_COLUMNS = [f"z{i.anthro_name}" for i in Indicator]
FLAG_COLUMNS = [f"f{i.anthro_name}" for i in Indicator]


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> pd.DataFrame:
    return pd.read_csv(
        reference_dir / "anthro-zscores-public.csv",
        dtype={"sex": str, "measure": str, "oedema": str},
    )


@pytest.fixture(scope="module")
def unrounded(reference_dir: Path) -> pd.DataFrame:
    return pd.read_csv(reference_dir / "anthro-zscores-public-unrounded.csv")


@pytest.fixture(scope="module")
def ours(reference: pd.DataFrame) -> pd.DataFrame:
    return zscores(reference[list(WHO2006_INPUT_COLUMNS)])


@pytest.fixture(scope="module")
def ours_unrounded(reference: pd.DataFrame) -> pd.DataFrame:
    return zscores(reference[list(WHO2006_INPUT_COLUMNS)], unrounded=True)


def test_reference_file_has_20000_rows(reference: pd.DataFrame) -> None:
    assert len(reference) == 20_000


@pytest.mark.parametrize("column", Z_COLUMNS)
def test_rounded_zscores_equal_anthro_exactly(
    column: str, reference: pd.DataFrame, ours: pd.DataFrame
) -> None:
    np.testing.assert_array_equal(floats(ours[column]), floats(reference[column]))


@pytest.mark.parametrize("column", FLAG_COLUMNS)
def test_flags_equal_anthro(column: str, reference: pd.DataFrame, ours: pd.DataFrame) -> None:
    np.testing.assert_array_equal(floats(ours[column]), floats(reference[column]))


@pytest.mark.parametrize("indicator", list(Indicator))
def test_unrounded_zscores_agree_to_1e_9(
    indicator: Indicator, unrounded: pd.DataFrame, ours_unrounded: pd.DataFrame
) -> None:
    expected = floats(unrounded[f"z{indicator.anthro_name}_unrounded"])
    actual = floats(ours_unrounded[f"z{indicator.anthro_name}"])
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(
        actual[~finite & ~np.isnan(expected)], expected[~finite & ~np.isnan(expected)]
    )
    np.testing.assert_allclose(actual[finite], expected[finite], rtol=0, atol=1e-9)


def test_clenhei_equals_anthro(reference: pd.DataFrame, ours: pd.DataFrame) -> None:
    np.testing.assert_array_equal(floats(ours["clenhei"]), floats(reference["clenhei"]))


def test_cbmi_equals_anthro_to_the_last_digits(reference: pd.DataFrame, ours: pd.DataFrame) -> None:
    # The file prints doubles in the fewest digits R reads back as the same double; R's
    # reader is not correctly rounded, so a few values differ by one unit in the last place.
    expected = floats(reference["cbmi"])
    actual = floats(ours["cbmi"])
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    np.testing.assert_allclose(actual, expected, rtol=4 * np.finfo(float).eps, atol=0)


@pytest.mark.parametrize("column", ["csex", "c9mo_flag"])
def test_cleaned_codes_equal_anthro(
    column: str, reference: pd.DataFrame, ours: pd.DataFrame
) -> None:
    np.testing.assert_array_equal(floats(ours[column]), floats(reference[column]))


def test_cleaned_measure_equals_anthro(reference: pd.DataFrame, ours: pd.DataFrame) -> None:
    expected = reference["cmeasure"].fillna("").tolist()
    assert ours["cmeasure"].astype(object).fillna("").tolist() == expected


def test_no_reference_row_is_refused(ours: pd.DataFrame) -> None:
    assert ours["problem"].isna().all()
