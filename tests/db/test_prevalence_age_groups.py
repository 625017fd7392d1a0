"""Prevalence per age group (baduta 0-23, balita 24-59 completed months) beside the total:
the groups add up to the total, on constructed data and on the small demo city."""

from datetime import date

import pytest
from sqlalchemy import Connection, Engine

from tests.db.helpers import add_child, add_derived, add_measurement, add_posyandu
from tumbuh.db.prevalence import (
    AgeChoice,
    AreaLevel,
    PrevalenceRow,
    age_split_prevalence,
    indicator_prevalence,
)
from tumbuh.growth.periods import month_period

AUGUST = month_period(2024, 8)


def _counts(rows: list[PrevalenceRow]) -> list[tuple[str | None, int, int]]:
    return [(row.code, row.measured, row.stunted) for row in rows]


def _city(connection: Connection) -> None:
    """Six children measured on 15 Aug 2024, ages worked out by hand:

    born 15 Aug 2024: 0 months, baduta, stunted (posyandu A);
    born 16 Aug 2022: 23 months (the 16th not reached), baduta, not stunted (A);
    born 15 Aug 2022: 24 months, 24-59, stunted (B);
    born 16 Aug 2019: 59 months, 24-59, stunted (B);
    born 1 Jan 2023: 19 months, baduta, stunted, at no posyandu;
    born 1 Jan 2021: 43 months, 24-59, exactly -2.00: not stunted (B).
    Baduta 3 measured, 2 stunted; 24-59 3 measured, 2 stunted; all 6 and 4.
    """
    a = add_posyandu(connection, "36.72.01.1001.99", "36.72.01.1001", "Uji A")
    b = add_posyandu(connection, "36.72.02.1001.99", "36.72.02.1001", "Uji B")
    plan: list[tuple[date, int | None, float]] = [
        (date(2024, 8, 15), a, -2.5),
        (date(2022, 8, 16), a, -1.0),
        (date(2022, 8, 15), b, -2.1),
        (date(2019, 8, 16), b, -3.2),
        (date(2023, 1, 1), None, -2.2),
        (date(2021, 1, 1), b, -2.0),
    ]
    for born, posyandu, haz in plan:
        child = add_child(connection, birth_date=born, posyandu_id=posyandu)
        measurement = add_measurement(
            connection, child_id=child, measured_on=date(2024, 8, 15), posyandu_id=posyandu
        )
        add_derived(connection, measurement, haz, False)


def test_each_age_group_counts_its_own_children(connection: Connection) -> None:
    _city(connection)
    split = age_split_prevalence(connection, AUGUST, city_code="36.72")
    assert _counts(split[AgeChoice.BADUTA]) == [("36.72", 3, 2)]
    assert _counts(split[AgeChoice.BALITA_24_59]) == [("36.72", 3, 2)]
    assert _counts(split[AgeChoice.ALL]) == [("36.72", 6, 4)]
    assert split[AgeChoice.BADUTA][0].percent == pytest.approx(200 / 3)


def test_one_age_group_per_kecamatan_with_the_children_at_no_posyandu(
    connection: Connection,
) -> None:
    _city(connection)
    rows = indicator_prevalence(
        connection, AUGUST, city_code="36.72", by=AreaLevel.KECAMATAN, age=AgeChoice.BADUTA
    )
    assert _counts(rows)[:3] == [("36.72", 3, 2), ("36.72.01", 2, 1), ("36.72.02", 0, 0)]
    assert _counts(rows)[-1] == (None, 1, 1)


def test_the_total_without_an_age_group_is_the_plain_prevalence(connection: Connection) -> None:
    _city(connection)
    assert _counts(indicator_prevalence(connection, AUGUST, city_code="36.72")) == [("36.72", 6, 4)]


def _assert_groups_add_up(split: dict[AgeChoice, list[PrevalenceRow]]) -> None:
    total = split[AgeChoice.ALL]
    for index, row in enumerate(total):
        young = split[AgeChoice.BADUTA][index]
        old = split[AgeChoice.BALITA_24_59][index]
        assert young.code == old.code == row.code
        assert young.measured + old.measured == row.measured
        assert young.cases + old.cases == row.cases


def test_age_groups_add_up_per_kelurahan_in_the_small_demo_city(pmt_demo: Engine) -> None:
    with pmt_demo.connect() as connection:
        for period in (month_period(2024, 2), month_period(2024, 8)):
            split = age_split_prevalence(
                connection, period, city_code="36.72", by=AreaLevel.KELURAHAN
            )
            _assert_groups_add_up(split)
            city = split[AgeChoice.ALL][0]
            assert city.measured > 0
            assert split[AgeChoice.BADUTA][0].measured > 0
            assert split[AgeChoice.BALITA_24_59][0].measured > 0
            plain = indicator_prevalence(connection, period, city_code="36.72")[0]
            assert (plain.measured, plain.cases) == (city.measured, city.cases)


def test_a_fifth_birthday_on_day_1826_is_counted_with_24_to_59(connection: Connection) -> None:
    # 1 Mar 2021 to 1 Mar 2026 is 1826 days (one 29 February): WHO still scores it, so it
    # is in the total, with 60 completed months (docs/methods-prevalence.md, "Age groups").
    a = add_posyandu(connection, "36.72.01.1001.99", "36.72.01.1001", "Uji A")
    child = add_child(connection, birth_date=date(2021, 3, 1), posyandu_id=a)
    measurement = add_measurement(
        connection, child_id=child, measured_on=date(2026, 3, 1), posyandu_id=a
    )
    add_derived(connection, measurement, -2.5, False)
    split = age_split_prevalence(connection, month_period(2026, 3), city_code="36.72")
    assert _counts(split[AgeChoice.BADUTA]) == [("36.72", 0, 0)]
    assert _counts(split[AgeChoice.BALITA_24_59]) == [("36.72", 1, 1)]
    assert _counts(split[AgeChoice.ALL]) == [("36.72", 1, 1)]
