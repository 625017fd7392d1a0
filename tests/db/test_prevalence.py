"""The register's stunting prevalence: one count per child, its last valid measurement."""

from datetime import date

import pytest
from sqlalchemy import Connection

from tests.db.helpers import add_child, add_derived, add_measurement, add_posyandu
from tumbuh.db.prevalence import AreaLevel, PrevalenceRow, stunting_prevalence
from tumbuh.errors import ConfigError
from tumbuh.growth.periods import month_period

AUGUST = month_period(2024, 8)


def _city(connection: Connection) -> None:
    """Seven children, worked out by hand (A is in kecamatan Cibeber, B in Cilegon).

    1 (A): -2.5 on 5 Aug, then -1.0 on 20 Aug: the last counts, not stunted.
    2 (A): -2.1 on 5 Aug, then a flagged -7.0 on 25 Aug: the flagged one is invalid, stunted.
    3 (B): no length/height-for-age z-score: not measured.
    4 (B): exactly -2.00: measured, not stunted (stunted is z < -2).
    5 (B): measured on 31 Jul and 1 Sep only: outside August.
    6 (no posyandu): -2.2: measured and stunted, area unknown.
    7 (B): two rows on 10 Aug, -2.5 then -1.5: the later entry counts, not stunted.
    City: 5 measured (1, 2, 4, 6, 7), 2 stunted (2, 6).
    """
    a = add_posyandu(connection, "36.72.01.1001.99", "36.72.01.1001", "Uji A")
    b = add_posyandu(connection, "36.72.02.1001.99", "36.72.02.1001", "Uji B")
    plan: list[tuple[int | None, list[tuple[date, float | None, bool | None]]]] = [
        (a, [(date(2024, 8, 5), -2.5, False), (date(2024, 8, 20), -1.0, False)]),
        (a, [(date(2024, 8, 5), -2.1, False), (date(2024, 8, 25), -7.0, True)]),
        (b, [(date(2024, 8, 10), None, None)]),
        (b, [(date(2024, 8, 10), -2.0, False)]),
        (b, [(date(2024, 7, 31), -3.0, False), (date(2024, 9, 1), -3.0, False)]),
        (None, [(date(2024, 8, 15), -2.2, False)]),
        (b, [(date(2024, 8, 10), -2.5, False), (date(2024, 8, 10), -1.5, False)]),
    ]
    for number, (posyandu, visits) in enumerate(plan, start=1):
        child = add_child(connection, birth_date=date(2023, 1, number), posyandu_id=posyandu)
        for day, haz, flag in visits:
            measurement = add_measurement(
                connection, child_id=child, measured_on=day, posyandu_id=posyandu
            )
            add_derived(connection, measurement, haz, flag)


def _counts(rows: list[PrevalenceRow]) -> list[tuple[str | None, int, int]]:
    return [(row.code, row.measured, row.stunted) for row in rows]


def test_city_row_counts_each_child_once_by_its_last_valid_measurement(
    connection: Connection,
) -> None:
    _city(connection)
    rows = stunting_prevalence(connection, AUGUST, city_code="36.72")
    assert _counts(rows) == [("36.72", 5, 2)]
    assert rows[0].name == "Kota Cilegon"
    assert rows[0].percent == pytest.approx(40.0)


def test_by_kecamatan_lists_every_kecamatan_and_the_children_without_posyandu(
    connection: Connection,
) -> None:
    _city(connection)
    rows = stunting_prevalence(connection, AUGUST, city_code="36.72", by=AreaLevel.KECAMATAN)
    assert _counts(rows) == [
        ("36.72", 5, 2),
        ("36.72.01", 2, 1),
        ("36.72.02", 2, 0),
        *[(f"36.72.0{i}", 0, 0) for i in range(3, 9)],
        (None, 1, 1),
    ]
    assert rows[6].name == "Grogol"  # the local spelling of Gerogol
    assert rows[3].percent is None  # nobody measured: no percentage


def test_by_posyandu_gives_each_posyandu_its_children(connection: Connection) -> None:
    _city(connection)
    rows = stunting_prevalence(connection, AUGUST, city_code="36.72", by=AreaLevel.POSYANDU)
    assert _counts(rows) == [
        ("36.72", 5, 2),
        ("36.72.01.1001.99", 2, 1),
        ("36.72.02.1001.99", 2, 0),
        (None, 1, 1),
    ]


def test_by_kelurahan_has_all_43_kelurahan(connection: Connection) -> None:
    _city(connection)
    rows = stunting_prevalence(connection, AUGUST, city_code="36.72", by=AreaLevel.KELURAHAN)
    assert len(rows) == 1 + 43 + 1
    assert _counts(rows)[1] == ("36.72.01.1001", 2, 1)


def test_a_month_without_measurements_gives_zero_of_zero(connection: Connection) -> None:
    _city(connection)
    rows = stunting_prevalence(connection, month_period(2023, 12), city_code="36.72")
    assert _counts(rows) == [("36.72", 0, 0)]
    assert rows[0].percent is None


def test_an_unknown_city_code_is_a_configuration_error(connection: Connection) -> None:
    with pytest.raises(ConfigError, match="TUMBUH_CITY_CODE"):
        stunting_prevalence(connection, AUGUST, city_code="99.99")
