"""Where the WHO anthro reference outputs are (tests/data/anthro unless overridden), and
how their columns are compared."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "anthro"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Folder of anthro/anthroplus reference CSVs; ``TUMBUH_REFERENCE_DIR`` overrides it."""
    return Path(os.environ.get("TUMBUH_REFERENCE_DIR", DEFAULT_REFERENCE_DIR))


def floats(series: "pd.Series[float]") -> np.ndarray:
    """A column as float64, missing values as NaN (compared NaN to NaN)."""
    return series.to_numpy(dtype=np.float64, na_value=np.nan)
