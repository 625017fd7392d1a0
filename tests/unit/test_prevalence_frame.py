"""The anthro_prevalence adapter: which rows count, how groups are labelled, what is reported."""

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tumbuh.growth.enums import Standard
from tumbuh.growth.prevalence_frame import AnthroOptions, anthro_prevalence, design_problems
from tumbuh.growth.survey import Estimator


def children(n: int = 6, **columns: list[object]) -> pd.DataFrame:
    """n boys of 400 days, 9 kg, 75 cm lying (z about -0.9), with columns overridden."""
    base: dict[str, list[object]] = {
        "sex": ["1"] * n,
        "age": ["400"] * n,
        "weight": ["9"] * n,
        "lenhei": ["75"] * n,
        "measure": ["l"] * n,
        "oedema": ["n"] * n,
    }
    return pd.DataFrame(base | columns)


def row(table: pd.DataFrame, group: str) -> dict[str, Any]:
    """The values of one group's row, by column."""
    found = table[table["Group"] == group]
    assert len(found) == 1, f"no single row {group!r}"
    return {str(column): found[column].iloc[0] for column in table.columns}


def test_age_groups_use_unrounded_months_and_rows_past_1826_days_are_left_out() -> None:
    # 182 days = 5.98 months (00-05), 183 days = 6.01 months (06-11); 1826 days (59.99
    # months) is kept, 1827 is not; a missing age stays in All but in no age group.
    frame = children(
        6,
        age=["182", "183", "1826", "1827", None, "400"],
        weight=["7.9", "7.9", "18", "18", "9", "9"],
        lenhei=["67.6", "67.6", "110", "110", "75", "75"],
        measure=["l", "l", "h", "h", "l", "l"],
    )
    run = anthro_prevalence(frame, AnthroOptions())
    assert run.out_of_age == 1
    assert run.used == 5
    table = run.table
    assert row(table, "Age group: 00-05 mo")["HAZ_unwpop"] == 1
    assert row(table, "Age group: 06-11 mo")["HAZ_unwpop"] == 1
    assert row(table, "Age group: 12-23 mo")["HAZ_unwpop"] == 1
    assert row(table, "Age group: 48-59 mo")["HAZ_unwpop"] == 1
    assert row(table, "All")["HAZ_unwpop"] == 4  # the missing age has no z-scores
    # ... but its weight-for-length (no age needed) counts in All.
    assert row(table, "All")["WHZ_unwpop"] == 5


def test_rows_with_unreadable_codes_are_left_out_and_counted() -> None:
    run = anthro_prevalence(children(3, sex=["1", "3", "2"]), AnthroOptions())
    assert run.refused == 1
    assert run.used == 2
    assert row(run.table, "Sex: Female")["HAZ_unwpop"] == 1
    assert row(run.table, "Sex: Male")["HAZ_unwpop"] == 1


def test_empty_age_groups_are_rows_with_zero_counts() -> None:
    table = anthro_prevalence(children(2), AnthroOptions()).table
    empty = row(table, "Age group: 48-59 mo")
    assert empty["HAZ_pop"] == 0
    assert empty["HAZ_unwpop"] == 0
    assert math.isnan(empty["HA_2_r"])
    assert math.isnan(empty["HA_r"])
    assert len(table) == 1 + 6 + 2 + 12


def test_oedema_child_counts_in_weight_based_prevalence() -> None:
    frame = children(2, oedema=["y", "n"])
    table = anthro_prevalence(frame, AnthroOptions()).table
    everyone = row(table, "All")
    assert everyone["WAZ_unwpop"] == 2
    assert everyone["WA_3_r"] == 50.0  # the oedema child counts as below -3
    assert everyone["HAZ_unwpop"] == 2


def test_wealth_quintiles_as_anthro_reads_them() -> None:
    frame = children(5, wq=["1", "Q1", 2.0, "6", None])
    run = anthro_prevalence(frame, AnthroOptions(groupings={"wealthq": "wq"}))
    assert run.invalid_wealthq == 1
    assert row(run.table, "Wealth quintile: Q1: Poorest")["HAZ_unwpop"] == 2
    assert row(run.table, "Wealth quintile: Q2")["HAZ_unwpop"] == 1
    assert row(run.table, "Wealth quintile: Q5: Richest")["HAZ_unwpop"] == 0


def test_optional_grouping_that_is_all_missing_is_left_out_like_anthro() -> None:
    frame = children(2, region=[None, None])
    run = anthro_prevalence(frame, AnthroOptions(groupings={"gregion": "region"}))
    assert not run.table["Group"].str.startswith("Geographical region").any()


def test_estimator_follows_the_design_options() -> None:
    frame = children(4, w=["1", "2", None, "1"], psu=["1", "1", "2", None], st=["a"] * 4)
    assert anthro_prevalence(frame, AnthroOptions()).estimator is Estimator.SIMPLE
    weighted = anthro_prevalence(frame, AnthroOptions(sw="w"))
    assert weighted.estimator is Estimator.WEIGHTED
    assert weighted.missing_weights == 1
    design = anthro_prevalence(frame, AnthroOptions(sw="w", cluster="psu", strata="st"))
    assert design.estimator is Estimator.DESIGN
    assert design.missing_design == 1
    assert design.used == 3
    # The row without a weight has weight 0: it is counted but weighs nothing.
    assert row(design.table, "All")["HAZ_unwpop"] == 3
    assert row(design.table, "All")["HAZ_pop"] == 3.0


def test_extra_groupings_by_column_and_by_derived_sex() -> None:
    frame = children(4, sex=["1", "2", "1", "2"], kecamatan=["Cibeber", "Cibeber", "Jombang", None])
    run = anthro_prevalence(frame, AnthroOptions(by=[["kecamatan"], ["kecamatan", "sex"]]))
    groups = run.table["Group"].tolist()
    assert "kecamatan: Cibeber" in groups
    assert "kecamatan + sex: Cibeber.Female" in groups
    assert "kecamatan + sex: Jombang.Male" in groups
    assert "kecamatan + sex: Jombang.Female" not in groups  # no such child
    assert row(run.table, "kecamatan: Cibeber")["HAZ_unwpop"] == 2


def test_anthroplus_table_has_years_months_and_no_weight_for_age_in_all_and_sex() -> None:
    frame = pd.DataFrame(
        {
            "sex": ["1", "2", "1"],
            "age_in_months": ["100", "150", "59.5"],
            "oedema": ["n", "n", "n"],
            "height_in_cm": ["130", "150", "110"],
            "weight_in_kg": ["26", "40", "18"],
        }
    )
    run = anthro_prevalence(frame, AnthroOptions(standard=Standard.WHO2007))
    assert run.out_of_age == 1  # below 60 months
    table = run.table
    assert list(table.columns[:3]) == ["Group", "Years", "Months"]
    assert np.isnan(row(table, "All")["WAZ_unwpop"])
    assert np.isnan(row(table, "Sex: Male")["WA_r"])
    assert row(table, "Age Group 2: 60-119 mo")["WAZ_unwpop"] == 1
    assert row(table, "Age Group 1: 96-107 mo")["Years"] == "8"
    assert row(table, "Age + Sex: Female.120-179 mo")["Months"] == "(120-179)"
    assert len(table) == 27


def test_design_problems_name_absent_columns_and_bad_weights() -> None:
    frame = children(3, w=["1", "-2", "x"])
    problems = design_problems(frame, AnthroOptions(sw="w", cluster="klaster"))
    kinds = {(p.column, p.kind) for p in problems}
    assert kinds == {("klaster", "missing"), ("w", "negative"), ("w", "not_a_number")}
    negative = next(p for p in problems if p.kind == "negative")
    assert negative.rows == (1,)
    assert negative.values == ("-2",)
    with pytest.raises(ValueError, match="design_problems"):
        anthro_prevalence(frame, AnthroOptions(sw="w"))


def test_number_keys_sort_numerically_and_whole_floats_are_integers() -> None:
    frame = children(5, posyandu=["10", "2", 1.5, 2.0, "1,5"])
    run = anthro_prevalence(frame, AnthroOptions(by=[["posyandu"]]))
    groups = [g for g in run.table["Group"] if g.startswith("posyandu")]
    assert groups == ["posyandu: 1.5", "posyandu: 2", "posyandu: 10"]
    assert row(run.table, "posyandu: 2")["HAZ_unwpop"] == 2
