"""Surveillance on the full demo city: flows balance, trends and reference figures.

The published bulan timbang figures (docs/domain.md §12) are the demo city's
calibration, so they are the expected values here too.
"""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, func, select, text

from tumbuh.db.engine import create_engine
from tumbuh.db.models import Child, table_of
from tumbuh.db.prevalence import AreaLevel, stunting_prevalence
from tumbuh.db.surveillance.areas import city_area
from tumbuh.db.surveillance.coverage import coverage
from tumbuh.db.surveillance.flows import cohort_flows
from tumbuh.db.surveillance.skdn import skdn
from tumbuh.db.surveillance.trend import prevalence_trend
from tumbuh.db.targets import population_targets, prevalence_targets, survey_figures
from tumbuh.demo.settings import PUBLISHED_ROUNDS
from tumbuh.growth.periods import month_period
from tumbuh.growth.targets import TargetScale

pytestmark = pytest.mark.slow
FEBRUARY, AUGUST = month_period(2024, 2), month_period(2024, 8)


@pytest.fixture
def demo(demo_city_url: str) -> Iterator[Connection]:
    engine = create_engine(demo_city_url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def test_flows_count_every_child_once_and_rebuild_both_published_rounds(
    demo: Connection,
) -> None:
    city = cohort_flows(demo, FEBRUARY, AUGUST, city_code="36.72")[0]
    assert (city.measured_first, city.stunted_first) == (30_485, 876)  # Feb 2024, published
    assert (city.measured_second, city.stunted_second) == (31_221, 818)  # Aug 2024
    february = stunting_prevalence(demo, FEBRUARY, city_code="36.72")[0]
    august = stunting_prevalence(demo, AUGUST, city_code="36.72")[0]
    assert (february.measured, february.stunted) == (city.measured_first, city.stunted_first)
    assert (august.measured, august.stunted) == (city.measured_second, city.stunted_second)
    # Every child with a valid length/height in either month is in exactly one flow.
    either = demo.execute(
        text(
            "SELECT COUNT(DISTINCT m.child_id) FROM measurement m JOIN measurement_derived d "
            "ON d.measurement_id = m.id WHERE d.haz IS NOT NULL AND d.haz_flag = :no AND "
            "((m.measured_on >= :feb AND m.measured_on < :mar) OR "
            "(m.measured_on >= :aug AND m.measured_on < :sep))"
        ),
        {
            "no": False,
            "feb": date(2024, 2, 1),
            "mar": date(2024, 3, 1),
            "aug": date(2024, 8, 1),
            "sep": date(2024, 9, 1),
        },
    ).scalar_one()
    assert city.children == either


def test_flows_per_kecamatan_add_up_to_the_city(demo: Connection) -> None:
    rows = cohort_flows(demo, FEBRUARY, AUGUST, city_code="36.72", by=AreaLevel.KECAMATAN)
    city, areas = rows[0], rows[1:]
    assert [a.code for a in areas] == [f"36.72.0{i}" for i in range(1, 9)]
    for flow, count in city.counts.items():
        assert sum(a.counts[flow] for a in areas) == count
    # Nobody moves between posyandu in the demo, so each kecamatan's rounds are its
    # prevalence rows too.
    by_kecamatan = stunting_prevalence(demo, AUGUST, city_code="36.72", by=AreaLevel.KECAMATAN)
    assert [(a.measured_second, a.stunted_second) for a in areas] == [
        (r.measured, r.stunted) for r in by_kecamatan[1:]
    ]


def test_the_city_trend_passes_through_every_published_round(demo: Connection) -> None:
    trend = prevalence_trend(demo, area=city_area(demo, "36.72"))
    points = {p.period.label: (p.measured, p.cases) for p in trend.points}
    for target in PUBLISHED_ROUNDS:
        assert points[f"{target.month:%Y-%m}"] == (target.measured, target.stunted)
    # the demo's targets are on the survey scale: none stands beside a register point
    assert all(p.local_target_percent is None for p in trend.points)
    assert [(t.year, t.percent, t.origin.value) for t in trend.targets if t.year <= 2024] == [
        (2023, 9.0, "local"),
        (2024, 14.0, "national"),
    ]
    assert {t.scale for t in trend.targets} == {TargetScale.SURVEY}
    assert {(s.year, s.survey, s.percent) for s in trend.surveys} == {
        (2021, "SSGI", 20.6),
        (2022, "SSGI", 19.1),
        (2023, "SKI", 22.0),
    }


def test_the_demo_stores_targets_cards_and_surveys(demo: Connection) -> None:
    targets = population_targets(demo, year=2024)
    assert len(targets) == 43
    assert {t.year for t in population_targets(demo)} == {2021, 2022, 2023, 2024}
    local = prevalence_targets(demo)
    assert [(t.region_code, t.year, t.percent, t.scale) for t in local] == [
        ("36.72", 2023, 9.0, TargetScale.SURVEY)
    ]
    assert ("36", 2021, 24.5) in {(s.region_code, s.year, s.percent) for s in survey_figures(demo)}
    c = table_of(Child)
    total = demo.execute(select(func.count()).select_from(c)).scalar_one()
    with_card = demo.execute(select(func.count()).where(c.c.has_buku_kia.is_(True))).scalar_one()
    assert with_card / total == pytest.approx(0.92, abs=0.01)


def test_coverage_of_august_2024_against_the_demo_targets(demo: Connection) -> None:
    city = coverage(demo, AUGUST, city_code="36.72")[0]
    assert city.measured == 31_221
    assert city.target_s is not None
    assert city.measured_share is not None
    assert 0.8 < city.measured_share < 0.95
    # A bulan timbang weighs and measures everybody; the two differ only by the planted
    # errors (a weight typed in grams is no weighing, a flagged length no measurement).
    assert abs(city.weighed - city.measured) < 0.01 * city.measured


def test_skdn_of_august_2024_adds_up(demo: Connection) -> None:
    rows = skdn(demo, AUGUST, city_code="36.72", area=city_area(demo, "36.72"))
    city = rows[0]
    posyandu = [r for r in rows if r.level == "posyandu"]
    kelurahan = [r for r in rows if r.level == "kelurahan"]
    assert sum(r.s for r in posyandu) == city.s
    assert sum(r.d for r in kelurahan) == city.d
    assert city.n + city.t + city.o + city.b == city.d
    assert city.d_prime == city.n + city.t
    assert city.k_s == pytest.approx(0.92, abs=0.01)
