"""The specific intervention indicators of the TPPS semester report (docs/indicators.md,
docs/semester-report.md): those of the semester's year for the whole city, counted from
1 January to the semester's last day, as ``tumbuh report indicators`` counts them
(:func:`tumbuh.usecases.indicators.city_indicators`); no clock is read, so a report of a
past semester stays the same.
"""

from sqlalchemy import Connection

from tumbuh.growth.indicators import CATALOGUE, InterventionType
from tumbuh.growth.periods import Period, last_day
from tumbuh.reports.semester_data import SemesterIndicators
from tumbuh.usecases.indicators import city_indicators, sheet_lines
from tumbuh.usecases.places import load_places

SPECIFIC = frozenset(i.name for i in CATALOGUE.values() if i.type is InterventionType.SPESIFIK)


def semester_indicators(
    connection: Connection, semester: Period, city_code: str
) -> SemesterIndicators:
    """The city's specific indicators of the semester's year up to its last day, per
    kelurahan, the ones entered by hand, and the KRS per kelurahan."""
    counted_to = last_day(semester)
    places = load_places(connection, city_code)
    found = city_indicators(connection, places, semester.start.year, as_of=counted_to)
    computed, entered, krs = sheet_lines(found)
    specific = [line for line in computed if line.indicator in SPECIFIC]
    return SemesterIndicators(
        year=found.year,
        counted_to=counted_to,
        computed=tuple(line for line in specific if line.area_code == found.area_code),
        entered=tuple(line for line in entered if line.indicator in SPECIFIC),
        kelurahan=tuple(line for line in specific if line.area_code != found.area_code),
        krs=tuple(krs),
    )
