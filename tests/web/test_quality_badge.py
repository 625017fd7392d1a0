"""The data-quality badge of the area tables and ``tumbuh report quality`` give one score
(issue 12): the badge runs the report's pipeline with the report's settings, so for the
same area and month both show the same SMART status, total, band and children."""

from datetime import date

import pytest

from tests.web.conftest import City, settings_for
from tumbuh.config import Settings
from tumbuh.growth.periods import month_period
from tumbuh.usecases.places import load_places
from tumbuh.usecases.quality import AreaLevel, AreaQuality, UnitQuality, quality_report
from tumbuh.web.reporting.quality import round_quality

AUGUST = date(2024, 8, 1)


def _same(badge: AreaQuality, unit: UnitQuality) -> None:
    assert badge.status is unit.status, unit.code
    assert badge.total_points == unit.total_points, unit.code
    assert badge.band == unit.band, unit.code
    assert badge.n_children == unit.n_smart, unit.code
    assert badge.n_criteria == unit.n_criteria, unit.code


def _compare(city: City, settings: Settings) -> int:
    """Compare every area's badge with the report's row; returns the areas with a score."""
    with city.engine.connect() as connection:
        places = load_places(connection, settings.city_code)
        badges = round_quality(connection, AUGUST, places, settings)
        reports = {
            level: quality_report(connection, month_period(2024, 8), settings, level)
            for level in (AreaLevel.KECAMATAN, AreaLevel.KELURAHAN, AreaLevel.POSYANDU)
        }
    city_report = reports[AreaLevel.KECAMATAN].city
    _same(badges[settings.city_code], city_report)
    scored = 0
    for report in reports.values():
        for unit in report.units:
            badge = badges.get(unit.code or "")
            if badge is None:  # nobody measured there: no badge, and nobody for the report
                assert unit.n_smart == 0, unit.code
                continue
            _same(badge, unit)
            scored += badge.total_points is not None
    return scored


@pytest.mark.parametrize("min_children", [100, 20])
def test_the_badge_shows_the_score_of_the_quality_report(city: City, min_children: int) -> None:
    settings = settings_for(city.url).model_copy(update={"dq_min_children": min_children})
    scored = _compare(city, settings)
    assert scored >= (8 if min_children == 100 else 40)  # every kecamatan; then kelurahan too
