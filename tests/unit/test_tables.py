"""The packaged WHO tables: complete, and parsed exactly as published."""

import numpy as np
import pytest

from tumbuh.growth.tables import TableName, load_table

# Rows per sex (WHO tables README: 0-1826 days, 91-1826 days, 45-110 cm, 65-120 cm, months).
ROWS_PER_SEX = {
    TableName.LENGTH_HEIGHT_FOR_AGE: 1827,
    TableName.WEIGHT_FOR_AGE: 1827,
    TableName.BMI_FOR_AGE: 1827,
    TableName.HEAD_CIRCUMFERENCE_FOR_AGE: 1827,
    TableName.ARM_CIRCUMFERENCE_FOR_AGE: 1736,
    TableName.TRICEPS_SKINFOLD_FOR_AGE: 1736,
    TableName.SUBSCAPULAR_SKINFOLD_FOR_AGE: 1736,
    TableName.WEIGHT_FOR_LENGTH: 651,
    TableName.WEIGHT_FOR_HEIGHT: 551,
    TableName.HEIGHT_FOR_AGE_2007: 170,
    TableName.WEIGHT_FOR_AGE_2007: 62,
    TableName.BMI_FOR_AGE_2007: 170,
}


@pytest.mark.parametrize("name", list(TableName))
def test_table_is_complete_for_both_sexes(name: TableName) -> None:
    table = load_table(name)
    assert table.width == ROWS_PER_SEX[name]
    for column in (table.power, table.median, table.cv):
        assert column.shape == (2 * table.width + 1,)
        assert not np.isnan(column[:-1]).any()
        assert np.isnan(column[-1])  # the sentinel for "no such row"


def test_values_are_the_published_figures() -> None:
    # lenanthro.txt first row: sex 1, age 0, L 1, M 49.8842, S 0.03795.
    table = load_table(TableName.LENGTH_HEIGHT_FOR_AGE)
    row = table.flat_index(np.array([1]), np.array([0.0]))[0]
    assert (table.power[row], table.median[row], table.cv[row]) == (1.0, 49.8842, 0.03795)
    # wflanthro.txt: sex 1, length 45.1 -> L -0.3521, M 2.4577, S 0.09176.
    wfl = load_table(TableName.WEIGHT_FOR_LENGTH)
    row = wfl.flat_index(np.array([1]), np.array([451.0]))[0]
    assert (wfl.power[row], wfl.median[row], wfl.cv[row]) == (-0.3521, 2.4577, 0.09176)


def test_lookup_outside_the_table_or_without_sex_finds_no_row() -> None:
    table = load_table(TableName.ARM_CIRCUMFERENCE_FOR_AGE)
    rows = table.flat_index(np.array([1, 0, 2, 2]), np.array([90.0, 400.0, 1827.0, np.nan]))
    assert np.isnan(table.median[rows]).all()
