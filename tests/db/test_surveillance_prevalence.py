"""Register prevalence of every indicator: validity per indicator, oedema, intervals."""

from datetime import date

import pytest
from sqlalchemy import Connection

from tests.db.test_surveillance_builders import BAGENDUNG, CIBEBER, child, posyandu, visit
from tumbuh.db.prevalence import (
    AreaLevel,
    PrevalenceIndicator,
    PrevalenceRow,
    indicator_prevalence,
)
from tumbuh.growth.periods import month_period, semester_period, year_period

AUGUST = month_period(2024, 8)
P = PrevalenceIndicator


def _city(connection: Connection) -> None:
    """Six children in August 2024, worked out by hand (A: kecamatan Cibeber, B: Cilegon).

    1 (A) 5 Aug: HAZ -2.5, WAZ -1.5, WHZ -2.5: stunted and wasted.
    2 (A) 5 Aug: HAZ -1.0, WAZ 0.5, WHZ 2.5; 20 Aug: HAZ -1.1, WAZ 0.5, WHZ 5.5 flagged.
      HAZ counts 20 Aug, WHZ counts 5 Aug (overweight); both valid together: 5 Aug.
    3 (B) 10 Aug: oedema, HAZ -3.5, no weight-based z: counts as WAZ = WHZ = -3.1.
    4 (B) 10 Aug: no HAZ, WAZ -2.2, WHZ -1.0: underweight.
    5 (B) 10 Aug: oedema at 1900 days (no balita) and no z-scores: counts nowhere.
    6 (no posyandu) 15 Aug: HAZ -2.1, WAZ 1.0, WHZ 3.2: stunted, obese.
    """
    a = posyandu(connection, CIBEBER)
    b = posyandu(connection, BAGENDUNG)
    one = child(connection, date(2023, 3, 1))
    visit(connection, one, date(2024, 8, 5), a, haz=-2.5, waz=-1.5, whz=-2.5)
    two = child(connection, date(2023, 3, 2))
    visit(connection, two, date(2024, 8, 5), a, haz=-1.0, waz=0.5, whz=2.5)
    visit(connection, two, date(2024, 8, 20), a, haz=-1.1, waz=0.5, whz=5.5, flagged=("whz",))
    three = child(connection, date(2023, 3, 3))
    visit(connection, three, date(2024, 8, 10), b, haz=-3.5, oedema=True)
    four = child(connection, date(2023, 3, 4))
    visit(connection, four, date(2024, 8, 10), b, waz=-2.2, whz=-1.0)
    five = child(connection, date(2019, 5, 1))
    visit(connection, five, date(2024, 8, 10), b, oedema=True, age_days=1900)
    six = child(connection, date(2023, 3, 6))
    visit(connection, six, date(2024, 8, 15), None, haz=-2.1, waz=1.0, whz=3.2)


def _city_row(connection: Connection, indicator: PrevalenceIndicator) -> tuple[int, int]:
    row = indicator_prevalence(connection, AUGUST, city_code="36.72", indicator=indicator)[0]
    return row.measured, row.cases


@pytest.mark.parametrize(
    ("indicator", "measured", "cases"),
    [
        (P.STUNTING, 4, 3),  # 1, 3, 6 of 1, 2, 3, 6
        (P.SEVERE_STUNTING, 4, 1),  # 3
        (P.WASTING, 5, 2),  # 1, 3 (oedema) of 1, 2, 3, 4, 6
        (P.SEVERE_WASTING, 5, 1),  # 3
        (P.UNDERWEIGHT, 5, 2),  # 3 (oedema), 4
        (P.OVERWEIGHT, 5, 2),  # 2 (5 Aug), 6
        (P.OBESITY, 5, 1),  # 6
        (P.STUNTED_AND_WASTED, 4, 2),  # 1, 3 of 1, 2 (5 Aug), 3, 6
        (P.STUNTED_AND_OVERWEIGHT, 4, 1),  # 6; child 2 on 5 Aug has HAZ -1.0
    ],
)
def test_each_indicator_counts_each_child_once_by_its_last_valid_measurement(
    connection: Connection, indicator: PrevalenceIndicator, measured: int, cases: int
) -> None:
    _city(connection)
    assert _city_row(connection, indicator) == (measured, cases)


def test_the_interval_is_wilsons(connection: Connection) -> None:
    _city(connection)
    row = indicator_prevalence(connection, AUGUST, city_code="36.72")[0]
    # 3 of 4 by hand: centre (0.75 + z^2/8) / (1 + z^2/4) = 0.627527, half-width
    # z sqrt(0.75 * 0.25 / 4 + z^2 / 64) / (1 + z^2/4) = 0.326886, z = 1.959964.
    assert row.lower == pytest.approx(0.300641, abs=1e-6)
    assert row.upper == pytest.approx(0.954413, abs=1e-6)
    assert row.percent == pytest.approx(75.0)
    assert (row.lower_percent, row.upper_percent) == pytest.approx((30.0641, 95.4413), abs=1e-4)


def test_by_kecamatan_the_areas_are_those_of_the_counted_measurements(
    connection: Connection,
) -> None:
    _city(connection)
    rows = indicator_prevalence(
        connection, AUGUST, city_code="36.72", by=AreaLevel.KECAMATAN, indicator=P.WASTING
    )
    counts = [(r.code, r.measured, r.cases) for r in rows]
    assert counts[:3] == [("36.72", 5, 2), ("36.72.01", 2, 1), ("36.72.02", 2, 1)]
    assert counts[-1] == (None, 1, 0)  # child 6, at no posyandu
    assert all(r.lower is None and r.upper is None for r in rows[3:-1])  # 0 of 0


def test_a_semester_counts_a_child_once_with_its_last_valid_measurement(
    connection: Connection,
) -> None:
    a = posyandu(connection, CIBEBER)
    kid = child(connection, date(2023, 1, 1))
    visit(connection, kid, date(2024, 7, 10), a, haz=-2.5)
    visit(connection, kid, date(2024, 11, 10), a, haz=-1.5)
    other = child(connection, date(2023, 1, 2))
    visit(connection, other, date(2024, 6, 30), a, haz=-2.5)  # semester 1
    rows = indicator_prevalence(connection, semester_period(2024, 2), city_code="36.72")
    assert (rows[0].measured, rows[0].cases) == (1, 0)
    year = indicator_prevalence(connection, year_period(2024), city_code="36.72")
    assert (year[0].measured, year[0].cases) == (2, 1)


def test_a_row_keeps_the_stunted_name_for_its_cases() -> None:
    row = PrevalenceRow("36.72", "Kota Cilegon", "kota", 10, 3)
    assert row.stunted == 3
