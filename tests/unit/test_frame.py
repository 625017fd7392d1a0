"""``zscores(frame)``: anthro's columns in and out, and the extensions around them."""

import numpy as np
import pandas as pd
import pytest

from tumbuh.growth import Problem, Standard, scored_frame, zscores
from tumbuh.growth.frame import WHO2006_OUTPUT_COLUMNS, WHO2007_OUTPUT_COLUMNS

# anthro-zscores-errors.csv case 4: sex 1, 400 days, 9 kg, 75 cm lying.
CASE_4 = {"zlen": -0.86, "zwei": -0.87, "zwfl": -0.66}


def child(**columns: object) -> pd.DataFrame:
    base: dict[str, object] = {"sex": 1, "age": 400, "weight": 9, "lenhei": 75, "measure": "l"}
    base.update(columns)
    return pd.DataFrame({k: [v] for k, v in base.items()}, dtype=object)


def z_of(frame: pd.DataFrame, **options: object) -> dict[str, float]:
    row = zscores(frame, **options).iloc[0]  # type: ignore[arg-type]
    return {name: row[name] for name in CASE_4}


def test_output_has_anthros_columns_then_categories_and_problem() -> None:
    result = zscores(child())
    assert tuple(result.columns[: len(WHO2006_OUTPUT_COLUMNS)]) == WHO2006_OUTPUT_COLUMNS
    assert list(result.columns[len(WHO2006_OUTPUT_COLUMNS) :]) == [
        "kategori_bbu",
        "kategori_tbu",
        "kategori_bbtb",
        "kategori_imtu",
        "problem",
    ]


def test_index_of_the_input_is_kept() -> None:
    frame = pd.concat([child(), child(sex=2)])
    frame.index = pd.Index([14, 15], name="row")
    assert zscores(frame).index.tolist() == [14, 15]


def test_indonesian_spellings_jk_and_cara_ukur_are_accepted() -> None:
    assert z_of(child(sex="L", measure="Terlentang")) == CASE_4


def test_decimal_comma_in_text_is_read_as_a_decimal_point() -> None:
    comma = zscores(child(weight="9,0", lenhei="75,0")).iloc[0]
    assert (comma["zwei"], comma["zlen"]) == (CASE_4["zwei"], CASE_4["zlen"])


def test_age_days_column_is_accepted_in_place_of_age() -> None:
    frame = child().rename(columns={"age": "age_days"})
    assert z_of(frame) == CASE_4


@pytest.mark.parametrize("flag", [True, "TRUE", "true", "True", " t ", 1, "1"])
def test_per_row_is_age_in_month_column(flag: object) -> None:
    # 400 days is 13.1417 months (x 30.4375 = 400.0 days after rounding).
    frame = child(age=400 / 30.4375, is_age_in_month=flag)
    assert z_of(frame) == CASE_4


def test_unknown_is_age_in_month_value_refuses_the_row() -> None:
    result = zscores(child(is_age_in_month="maybe"), language="en")
    assert result["problem"].iloc[0] == "column is_age_in_month: 'maybe' is neither TRUE nor FALSE"


def test_numbers_mixing_points_commas_and_text_are_told_apart() -> None:
    frame = pd.concat([child(weight="9"), child(weight=" 9,0 "), child(weight="9 kg")])
    result = zscores(frame)
    assert result["zwei"].tolist()[:2] == [CASE_4["zwei"], CASE_4["zwei"]]
    assert result["problem"].isna().tolist() == [True, True, False]
    assert "'9 kg'" in result["problem"].tolist()[2]


def test_age_in_months_option_applies_to_all_rows_without_the_column() -> None:
    assert z_of(child(age=400 / 30.4375), age_in_months=True) == CASE_4


def test_unrounded_option_keeps_full_precision() -> None:
    value = zscores(child(), unrounded=True)["zwei"].iloc[0]
    assert value != CASE_4["zwei"]
    assert round(value, 2) == CASE_4["zwei"]


def test_categories_are_labelled_in_the_requested_language() -> None:
    stunted = child(lenhei=65.0)  # far below the median length at 400 days
    assert zscores(stunted)["kategori_tbu"].iloc[0] == "Sangat pendek"
    assert zscores(stunted, language="en")["kategori_tbu"].iloc[0] == "Severely stunted"


def test_problem_text_uses_the_translation_and_the_users_column_names() -> None:
    frame = child(sex="X")
    text = zscores(
        frame, translate=lambda s: s.replace("is not a sex code", "TRANSLATED"),
        column_labels={"sex": "JK"},
    )["problem"].iloc[0]  # fmt: skip
    assert text.startswith("column JK: 'X' TRANSLATED;")


def test_problems_from_the_caller_refuse_the_row() -> None:
    bits = np.array([Problem.BIRTH_DATE_INVALID], dtype=np.uint32)
    result, problems = scored_frame(child(), problems=bits)
    assert problems.tolist() == [int(Problem.BIRTH_DATE_INVALID)]
    assert np.isnan(result["zwei"].iloc[0])


def test_who2007_output_columns() -> None:
    frame = pd.DataFrame(
        {"sex": ["f"], "age_in_months": [120.0], "height_in_cm": [138.0], "weight_in_kg": [32.0]}
    )
    result = zscores(frame, standard=Standard.WHO2007)
    assert tuple(result.columns[: len(WHO2007_OUTPUT_COLUMNS)]) == WHO2007_OUTPUT_COLUMNS
    assert list(result.columns[len(WHO2007_OUTPUT_COLUMNS) :]) == [
        "kategori_tbu",
        "kategori_imtu",
        "problem",
    ]


def test_who2007_refuses_negative_height_naming_the_column() -> None:
    frame = pd.DataFrame(
        {"sex": ["1"], "age_in_months": [100.0], "height_in_cm": [-120.0], "weight_in_kg": [25]}
    )
    result = zscores(frame, standard=Standard.WHO2007, language="en")
    assert result["problem"].iloc[0].startswith("column height_in_cm: height -120.0 is negative")
    assert np.isnan(result["zhfa"].iloc[0])
