"""Where the WHO anthro reference outputs are (tests/data/anthro unless overridden)."""

import os
from pathlib import Path

import pytest

DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "anthro"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Folder of anthro/anthroplus reference CSVs; ``TUMBUH_REFERENCE_DIR`` overrides it."""
    return Path(os.environ.get("TUMBUH_REFERENCE_DIR", DEFAULT_REFERENCE_DIR))
