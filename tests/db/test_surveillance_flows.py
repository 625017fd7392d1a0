"""Cohort flows between two rounds on constructed children, worked out by hand."""

from datetime import date

import pytest
from sqlalchemy import Connection

from tests.db.test_surveillance_builders import BAGENDUNG, CIBEBER, child, posyandu, visit
from tumbuh.db.prevalence import AreaLevel, stunting_prevalence
from tumbuh.db.surveillance.flows import cohort_flows
from tumbuh.errors import InputError
from tumbuh.growth.flows import Flow
from tumbuh.growth.periods import month_period, year_period

FEBRUARY = month_period(2024, 2)
AUGUST = month_period(2024, 8)


def _children(connection: Connection) -> None:
    """Eleven children; posyandu A in kecamatan Cibeber, B in Cilegon.

    1 A: -2.5 Feb, -2.6 Aug: still stunted.
    2 A: -1.0 Feb, -2.1 Aug: newly stunted.
    3 A: -2.2 Feb, -1.9 Aug: recovered.
    4 A: -0.5 Feb, -0.4 Aug: never stunted.
    5 A: -2.4 Feb, not measured in Aug, 40 months old: no longer measured (was stunted).
    6 A: born 2019-08-10, -1.0 Feb (54 months): 60 months on 10 Aug, before 31 Aug: aged out.
    7 A: born 2019-09-01, -2.3 Feb: 59 months on 31 Aug, not measured: no longer measured.
    8 B: only Aug, -2.8: newly measured (stunted).
    9 B: only Aug, -1.0: newly measured.
    10 A: -2.5 Feb, then a flagged -6.5 in Aug: not measured in Aug: no longer measured.
    11 A in Feb (-2.5), B in Aug (-2.5): still stunted, counted in B's kecamatan.
    """
    a = posyandu(connection, CIBEBER)
    b = posyandu(connection, BAGENDUNG)
    plan: list[tuple[date, list[tuple[date, int, float, bool]]]] = [
        (
            date(2022, 1, 1),
            [(date(2024, 2, 5), a, -2.5, False), (date(2024, 8, 5), a, -2.6, False)],
        ),
        (
            date(2022, 1, 2),
            [(date(2024, 2, 5), a, -1.0, False), (date(2024, 8, 5), a, -2.1, False)],
        ),
        (
            date(2022, 1, 3),
            [(date(2024, 2, 5), a, -2.2, False), (date(2024, 8, 5), a, -1.9, False)],
        ),
        (
            date(2022, 1, 4),
            [(date(2024, 2, 5), a, -0.5, False), (date(2024, 8, 5), a, -0.4, False)],
        ),
        (date(2021, 4, 1), [(date(2024, 2, 5), a, -2.4, False)]),
        (date(2019, 8, 10), [(date(2024, 2, 5), a, -1.0, False)]),
        (date(2019, 9, 1), [(date(2024, 2, 5), a, -2.3, False)]),
        (date(2023, 1, 8), [(date(2024, 8, 6), b, -2.8, False)]),
        (date(2023, 1, 9), [(date(2024, 8, 6), b, -1.0, False)]),
        (
            date(2022, 1, 10),
            [(date(2024, 2, 5), a, -2.5, False), (date(2024, 8, 5), a, -6.5, True)],
        ),
        (
            date(2022, 1, 11),
            [(date(2024, 2, 5), a, -2.5, False), (date(2024, 8, 6), b, -2.5, False)],
        ),
    ]
    for born, visits in plan:
        kid = child(connection, born, home=a)
        for day, at, haz, flagged in visits:
            visit(connection, kid, day, at, haz=haz, flagged=("haz",) if flagged else ())


def _flows(row: object) -> dict[Flow, int]:
    counts: dict[Flow, int] = getattr(row, "counts")  # noqa: B009
    return {flow: n for flow, n in counts.items() if n}


def test_the_city_flows_by_hand(connection: Connection) -> None:
    _children(connection)
    city = cohort_flows(connection, FEBRUARY, AUGUST, city_code="36.72")[0]
    assert _flows(city) == {
        Flow.STILL_STUNTED: 2,  # 1, 11
        Flow.NEWLY_STUNTED: 1,  # 2
        Flow.RECOVERED: 1,  # 3
        Flow.NEVER_STUNTED: 1,  # 4
        Flow.NO_LONGER_MEASURED: 3,  # 5, 7, 10
        Flow.AGED_OUT: 1,  # 6
        Flow.NEWLY_MEASURED: 2,  # 8, 9
    }
    assert city.stunted_when_last_seen == {
        Flow.NO_LONGER_MEASURED: 3,  # 5, 7, 10 were stunted in February
        Flow.AGED_OUT: 0,
        Flow.NEWLY_MEASURED: 1,  # 8
    }
    assert city.children == 11


def test_the_city_flows_rebuild_both_rounds_prevalence(connection: Connection) -> None:
    _children(connection)
    city = cohort_flows(connection, FEBRUARY, AUGUST, city_code="36.72")[0]
    february = stunting_prevalence(connection, FEBRUARY, city_code="36.72")[0]
    august = stunting_prevalence(connection, AUGUST, city_code="36.72")[0]
    assert (city.measured_first, city.stunted_first) == (february.measured, february.stunted)
    assert (city.measured_second, city.stunted_second) == (august.measured, august.stunted)
    assert (february.measured, february.stunted) == (9, 6)  # 1-7, 10, 11; 1, 3, 5, 7, 10, 11
    assert (august.measured, august.stunted) == (7, 4)  # 1-4, 8, 9, 11; 1, 2, 8, 11


def test_a_child_counts_in_the_area_of_its_later_round(connection: Connection) -> None:
    _children(connection)
    rows = cohort_flows(connection, FEBRUARY, AUGUST, city_code="36.72", by=AreaLevel.KECAMATAN)
    by_code = {row.code: row for row in rows}
    assert by_code["36.72.01"].children == 8  # 1-7 and 10
    assert _flows(by_code["36.72.02"]) == {Flow.STILL_STUNTED: 1, Flow.NEWLY_MEASURED: 2}
    assert sum(row.children for row in rows[1:]) == rows[0].children
    assert by_code["36.72.03"].children == 0


def test_the_rounds_must_come_in_order(connection: Connection) -> None:
    with pytest.raises(InputError, match="--from 2024-08 must end before --to 2024-02"):
        cohort_flows(connection, AUGUST, FEBRUARY, city_code="36.72")
    with pytest.raises(InputError, match="must end before"):
        cohort_flows(connection, year_period(2024), AUGUST, city_code="36.72")
