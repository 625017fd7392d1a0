"""anthro's edge cases (anthro-zscores-errors.csv): where anthro stops the whole call on one
bad value, Tumbuh refuses that row only (no z-scores, a problem text); where anthro gives
z-scores, Tumbuh gives the same."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tumbuh.growth.frame import zscores


def load_cases(reference_dir: Path) -> list[dict[str, str]]:
    frame = pd.read_csv(
        reference_dir / "anthro-zscores-errors.csv", dtype=str, keep_default_na=False
    )
    return frame.to_dict("records")  # type: ignore[return-value]


def argument(case: dict[str, str], column: str) -> object:
    """The value anthro was called with, rebuilt from the cell and the case description."""
    description = case["description"]
    cell = case[column]
    if description.startswith(f"{column} = empty string"):
        return ""
    if cell == "":
        return None
    if description.startswith(f"{column} =") and "(numeric" in description:
        return float(cell)
    if column in ("age", "weight", "lenhei"):
        return float(cell)
    return cell


def expected_z(message: str) -> dict[str, float]:
    return {
        name: (np.nan if value == "NA" else float(value))
        for name, value in re.findall(r"(z\w+)=(\S+)", message)
    }


CASE_IDS = [str(i) for i in range(1, 31)]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_edge_case_matches_anthro_or_refuses_the_row(case_id: str, reference_dir: Path) -> None:
    case = next(c for c in load_cases(reference_dir) if c["case_id"] == case_id)
    columns = ("sex", "age", "weight", "lenhei", "measure", "oedema")
    row = {column: [argument(case, column)] for column in columns}
    frame = pd.DataFrame(row, dtype=object)
    in_months = case["is_age_in_month"] == "TRUE"
    result = zscores(frame, age_in_months=in_months).iloc[0]
    if case["outcome"] == "error":
        assert isinstance(result["problem"], str)
        assert np.isnan([result["zlen"], result["zwei"], result["zwfl"]]).all()
    else:
        assert pd.isna(result["problem"])
        for name, value in expected_z(case["message"]).items():
            np.testing.assert_equal(result[name], value)


def test_refused_rows_name_the_column_and_the_value() -> None:
    frame = pd.DataFrame(
        {"sex": ["x", "1", "1"], "age": [400, -1, 400], "weight": [9, 9, "9,5 kg"]}, dtype=object
    )
    problems = zscores(frame, language="en")["problem"].tolist()
    assert problems[0] == (
        "column sex: 'x' is not a sex code; use 1, m or L for a boy, 2, f or P for a girl"
    )
    assert problems[1] == (
        "column age: age -1 is negative; check the dates of birth and of measurement"
    )
    assert problems[2] == (
        "column weight: '9,5 kg' is not a number; write digits with a decimal point or comma, "
        "e.g. 12.5"
    )


def test_one_bad_row_does_not_stop_the_others() -> None:
    frame = pd.DataFrame(
        {"sex": ["1", "x"], "age": [400, 400], "weight": [9, 9], "lenhei": [75, 75]},
        dtype=object,
    )
    result = zscores(frame)
    # The accepted row gets anthro's value for sex 1, 400 days, 9 kg, 75 cm (case 4).
    assert result["zwei"].tolist()[0] == -0.87
    assert np.isnan(result["zwei"].tolist()[1])
