"""Trends per area: the points, the change and its verdict, the target lines."""

from datetime import date

import pytest
from sqlalchemy import Connection

from tests.db.test_surveillance_builders import BAGENDUNG, CIBEBER, child, posyandu, visit
from tumbuh.db.prevalence import PrevalenceIndicator
from tumbuh.db.surveillance.areas import city_area, find_area
from tumbuh.db.surveillance.trend import prevalence_trend
from tumbuh.db.targets import set_prevalence_target, set_survey_figure
from tumbuh.errors import InputError
from tumbuh.growth.periods import Step, month_period
from tumbuh.growth.targets import TargetOrigin, TargetScale
from tumbuh.growth.trend import Change

SURVEY = TargetScale.SURVEY


def _rounds(connection: Connection) -> None:
    """Posyandu A (kecamatan Cibeber): four children, 3 stunted in Feb 2024, none in Aug.
    Posyandu B (kecamatan Cilegon): one child stunted in Feb and Aug. One child at A is
    also measured in May (an ordinary month): stunted then."""
    a = posyandu(connection, CIBEBER)
    b = posyandu(connection, BAGENDUNG)
    for number, february in enumerate((-2.5, -2.2, -3.1, -1.0), start=1):
        kid = child(connection, date(2022, 1, number), home=a)
        visit(connection, kid, date(2024, 2, 5), a, haz=february)
        visit(connection, kid, date(2024, 8, 5), a, haz=-1.5)
        if number == 1:
            visit(connection, kid, date(2024, 5, 5), a, haz=-2.4)
    other = child(connection, date(2022, 2, 1), home=b)
    visit(connection, other, date(2024, 2, 6), b, haz=-2.5)
    visit(connection, other, date(2024, 8, 6), b, haz=-2.5)


def _points(connection: Connection, code: str, **options: object) -> list[tuple[str, int, int]]:
    area = find_area(connection, code, city_code="36.72")
    trend = prevalence_trend(connection, area=area, **options)  # type: ignore[arg-type]
    return [(p.period.label, p.measured, p.cases) for p in trend.points]


def test_a_kecamatan_trend_has_one_point_per_bulan_timbang_round(connection: Connection) -> None:
    _rounds(connection)
    assert _points(connection, "36.72.01") == [("2024-02", 4, 3), ("2024-08", 4, 0)]
    assert _points(connection, "36.72") == [("2024-02", 5, 4), ("2024-08", 5, 1)]
    assert _points(connection, "36.72.02.1001.91") == [("2024-02", 1, 1), ("2024-08", 1, 1)]


def test_the_fall_from_3_of_4_to_0_of_4_is_beyond_the_uncertainty(connection: Connection) -> None:
    _rounds(connection)
    area = find_area(connection, "36.72.01", city_code="36.72")
    first, second = prevalence_trend(connection, area=area).points
    assert first.change is None
    assert first.verdict is Change.UNKNOWN
    # By hand: Wilson 3/4 = [0.300641, 0.954413], 0/4 = [0, 0.489891]; d = -0.75,
    # lower = -0.75 - 0.204413, upper = -0.75 + sqrt(0.489891^2 + 0.449359^2).
    assert second.change == pytest.approx(-0.75)
    assert second.change_lower == pytest.approx(-0.954413, abs=1e-6)
    assert second.change_upper == pytest.approx(-0.085231, abs=1e-5)  # 6-digit hand sums
    assert second.verdict is Change.DOWN


def test_monthly_steps_include_ordinary_months_and_empty_ones(connection: Connection) -> None:
    _rounds(connection)
    points = _points(connection, "36.72.01", step=Step.MONTH)
    assert [p[0] for p in points] == [f"2024-0{m}" for m in range(2, 9)]
    assert points[3] == ("2024-05", 1, 1)
    assert points[1] == ("2024-03", 0, 0)
    area = find_area(connection, "36.72.01", city_code="36.72")
    trend = prevalence_trend(connection, area=area, step=Step.MONTH)
    assert trend.points[1].percent is None
    assert trend.points[1].verdict is Change.UNKNOWN


def test_a_semester_trend_counts_each_child_once_per_semester(connection: Connection) -> None:
    _rounds(connection)
    # Semester 1: the May measurement is the last for child 1 (stunted); 2, 3 stunted.
    assert _points(connection, "36.72.01", step=Step.SEMESTER) == [
        ("2024-S1", 4, 3),
        ("2024-S2", 4, 0),
    ]


def test_from_and_to_limit_the_points(connection: Connection) -> None:
    _rounds(connection)
    points = _points(connection, "36.72", first=month_period(2024, 8), last=month_period(2024, 8))
    assert points == [("2024-08", 5, 1)]


def test_targets_and_surveys_come_with_the_trend(connection: Connection) -> None:
    _rounds(connection)
    set_prevalence_target(
        connection,
        region_code="36.72",
        year=2024,
        indicator=PrevalenceIndicator.STUNTING,
        percent=9,
        scale=TargetScale.SURVEY,
    )
    set_survey_figure(connection, region_code="36.72", year=2022, survey="ssgi", percent=19.1)
    trend = prevalence_trend(connection, area=city_area(connection, "36.72"))
    # a survey-scale target never stands beside a register point
    assert [p.local_target_percent for p in trend.points] == [None, None]
    assert [(t.year, t.percent, t.scale, t.origin) for t in trend.targets_on(SURVEY)] == [
        (2024, 9.0, SURVEY, TargetOrigin.LOCAL),
        (2024, 14.0, SURVEY, TargetOrigin.NATIONAL),
        (2025, 18.8, SURVEY, TargetOrigin.NATIONAL),
        (2029, 14.2, SURVEY, TargetOrigin.NATIONAL),
    ]
    assert trend.targets_on(TargetScale.REGISTER) == ()
    assert [(s.year, s.survey, s.percent) for s in trend.surveys] == [(2022, "SSGI", 19.1)]
    wasting = prevalence_trend(
        connection, area=city_area(connection, "36.72"), indicator=PrevalenceIndicator.WASTING
    )
    assert wasting.targets == ()  # the national path is for stunting
    assert wasting.surveys == ()
    assert [p.local_target_percent for p in wasting.points] == [None, None]


def test_a_register_scale_target_stands_beside_the_points_of_its_year(
    connection: Connection,
) -> None:
    _rounds(connection)
    set_prevalence_target(
        connection,
        region_code="36.72",
        year=2024,
        indicator=PrevalenceIndicator.STUNTING,
        percent=2.5,
        scale=TargetScale.REGISTER,
    )
    trend = prevalence_trend(connection, area=city_area(connection, "36.72"))
    assert [p.local_target_percent for p in trend.points] == [2.5, 2.5]


def test_an_empty_register_has_no_points(connection: Connection) -> None:
    trend = prevalence_trend(connection, area=city_area(connection, "36.72"))
    assert trend.points == ()


@pytest.mark.parametrize("code", ["36.71", "36.72.09", "36.72.01.1001.99", "xyz"])
def test_an_unknown_area_is_refused(connection: Connection, code: str) -> None:
    with pytest.raises(InputError, match=r"not an area of 36\.72"):
        find_area(connection, code, city_code="36.72")
