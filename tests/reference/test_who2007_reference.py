"""Every row of WHO anthroplus's reference outputs, value by value (tests/data/SOURCES.md)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.reference.conftest import floats
from tumbuh.growth.enums import Standard
from tumbuh.growth.frame import WHO2007_INPUT_COLUMNS, zscores

NAMES = ("hfa", "wfa", "bfa")


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> pd.DataFrame:
    return pd.read_csv(
        reference_dir / "anthroplus-zscores-public.csv", dtype={"sex": str, "oedema": str}
    )


@pytest.fixture(scope="module")
def unrounded(reference_dir: Path) -> pd.DataFrame:
    return pd.read_csv(reference_dir / "anthroplus-zscores-public-unrounded.csv")


@pytest.fixture(scope="module")
def ours(reference: pd.DataFrame) -> pd.DataFrame:
    return zscores(reference[list(WHO2007_INPUT_COLUMNS)], standard=Standard.WHO2007)


def test_reference_file_has_10000_rows(reference: pd.DataFrame) -> None:
    assert len(reference) == 10_000


@pytest.mark.parametrize("name", NAMES)
def test_rounded_zscores_equal_anthroplus_exactly(
    name: str, reference: pd.DataFrame, ours: pd.DataFrame
) -> None:
    np.testing.assert_array_equal(floats(ours[f"z{name}"]), floats(reference[f"z{name}"]))


@pytest.mark.parametrize("name", NAMES)
def test_flags_equal_anthroplus(name: str, reference: pd.DataFrame, ours: pd.DataFrame) -> None:
    np.testing.assert_array_equal(floats(ours[f"f{name}"]), floats(reference[f"f{name}"]))


@pytest.mark.parametrize("name", NAMES)
def test_unrounded_zscores_agree_to_1e_9(
    name: str, reference: pd.DataFrame, unrounded: pd.DataFrame
) -> None:
    ours = zscores(
        reference[list(WHO2007_INPUT_COLUMNS)], standard=Standard.WHO2007, unrounded=True
    )
    expected = floats(unrounded[f"z{name}_unrounded"])
    actual = floats(ours[f"z{name}"])
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(actual[~finite], expected[~finite])
    np.testing.assert_allclose(actual[finite], expected[finite], rtol=0, atol=1e-9)


def test_cleaned_columns_equal_anthroplus(reference: pd.DataFrame, ours: pd.DataFrame) -> None:
    np.testing.assert_array_equal(floats(ours["csex"]), floats(reference["csex"]))
    assert ours["coedema"].astype(object).tolist() == reference["coedema"].tolist()
    np.testing.assert_allclose(
        floats(ours["cbmi"]), floats(reference["cbmi"]), rtol=4 * np.finfo(float).eps, atol=0
    )
