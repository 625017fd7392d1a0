"""Completed months (Permenkes 2/2020), the one age rule of the KBM table, the balita limit
and the data-quality age ratio."""

import numpy as np
import pytest

from tumbuh.growth import ages


def days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        ("2024-01-15", "2024-04-13", 2),  # 2 months 29 days counts as 2
        ("2024-01-15", "2024-04-14", 2),  # 2 months 30 days is still 2 (Permenkes)
        ("2024-01-15", "2024-04-15", 3),  # the day of the month is reached
        ("2024-01-31", "2024-02-29", 0),  # day 29 < 31: the first month is not complete
        ("2024-01-31", "2024-03-30", 1),  # day 30 has not reached day 31
        ("2024-01-31", "2024-03-31", 2),
        ("2022-08-17", "2024-08-16", 23),
        ("2022-08-17", "2024-08-17", 24),
        ("2019-08-15", "2024-08-14", 59),  # last day as a balita
        ("2019-08-15", "2024-08-15", 60),
    ],
)
def test_completed_months_count_calendar_months_minus_one_before_the_day(
    born: str, on: str, months: int
) -> None:
    whole = ages.completed_months(days(born), days(on))
    assert whole.dtype == np.int64
    assert whole[0] == months
    assert ages.completed_months_or_nan(days(born), days(on))[0] == months


def test_completed_months_are_missing_without_a_date() -> None:
    result = ages.completed_months_or_nan(days("NaT", "2024-01-01"), days("2024-01-01", "NaT"))
    assert np.isnan(result).all()


@pytest.mark.parametrize(
    ("months", "group"),
    [
        (0, ages.AgeGroup.BADUTA),
        (23, ages.AgeGroup.BADUTA),  # the last month of a baduta
        (24, ages.AgeGroup.BALITA_24_59),  # two years old: no longer a baduta
        (59, ages.AgeGroup.BALITA_24_59),  # the last month of a balita
        (60, None),  # five years old: not a balita (Permenkes 2/2020 counts 0-59 months)
        (-1, None),  # a birth date after the day: a slip, not an age group
    ],
)
def test_age_group_splits_the_balita_at_24_completed_months(
    months: int, group: ages.AgeGroup | None
) -> None:
    assert ages.age_group(np.array([months]))[0] is group


def test_age_group_is_unknown_without_an_age_and_keeps_the_shape() -> None:
    result = ages.age_group(np.array([[3.0, np.nan], [None, 30]], dtype=object))
    assert result.shape == (2, 2)
    assert result.tolist() == [[ages.AgeGroup.BADUTA, None], [None, ages.AgeGroup.BALITA_24_59]]


def test_age_group_predicates_need_a_known_age() -> None:
    months = [0, 23, 24, 59, 60, np.nan]
    assert ages.is_baduta(months).tolist() == [True, True, False, False, False, False]
    assert ages.is_balita(months).tolist() == [True, True, True, True, False, False]


def test_age_group_works_on_completed_months_from_dates() -> None:
    months = ages.completed_months_or_nan(days("2022-08-17", "NaT"), days("2024-08-16", "NaT"))
    assert ages.age_group(months).tolist() == [ages.AgeGroup.BADUTA, None]
