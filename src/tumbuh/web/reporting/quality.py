"""Data-quality badges of the area tables: the SMART plausibility score per area and round.

The score is the one ``tumbuh report quality`` prints for the same area and month
(:func:`tumbuh.usecases.quality.area_badges`: each child's last measurement of the month,
the ``TUMBUH_DQ_*`` thresholds; docs/data-quality.md §2). Posyandu are the clusters of the
Poisson criterion. Areas under ``TUMBUH_DQ_MIN_CHILDREN`` get "too few children" rather
than an unstable score.
"""

from datetime import date

from sqlalchemy import Connection

from tumbuh.config import Settings, load_settings
from tumbuh.growth.periods import month_period
from tumbuh.usecases.places import Places
from tumbuh.usecases.quality import AreaQuality, area_badges

__all__ = ["AreaQuality", "round_quality"]


def round_quality(
    connection: Connection, month: date, places: Places, settings: Settings | None = None
) -> dict[str, AreaQuality]:
    """Quality of the city and every kecamatan, kelurahan and posyandu (by code) in a round.

    ``settings`` are the application's; without them the environment's are read, as the
    command line does, so the badge and ``tumbuh report quality`` judge alike."""
    chosen = settings if settings is not None else load_settings()
    city = chosen.model_copy(update={"city_code": places.city.code})
    return area_badges(connection, month_period(month.year, month.month), city)
