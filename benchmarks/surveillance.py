"""Time of each surveillance report on the demo city, as the web dashboard would call them.

Run: .venv/bin/python benchmarks/surveillance.py [--scale 1.0] [--repeat 5] [--url URL]

Generates the demo city (not timed) into SQLite and, when TUMBUH_TEST_DATABASE_URL names
a server, PostgreSQL (or uses an existing database given with --url); then calls each
report function --repeat times on a fresh connection and prints the median and the
slowest time, in milliseconds.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from _databases import demo_cities
from tumbuh.db.engine import create_engine
from tumbuh.db.prevalence import AreaLevel, PrevalenceIndicator, indicator_prevalence
from tumbuh.db.surveillance.areas import city_area, find_area
from tumbuh.db.surveillance.coverage import coverage
from tumbuh.db.surveillance.flows import cohort_flows
from tumbuh.db.surveillance.referrals import referral_list
from tumbuh.db.surveillance.skdn import skdn
from tumbuh.db.surveillance.trend import prevalence_trend
from tumbuh.growth.periods import Step, month_period, year_period

CITY = "36.72"
AUGUST = month_period(2024, 8)
FEBRUARY = month_period(2024, 2)
POSYANDU = "36.72.01.1001.01"  # the first posyandu of the demo city

Report = Callable[[Connection], Any]


def reports() -> dict[str, Report]:
    """Name -> a call of one report function."""
    return {
        "prevalence 2024-08, city": lambda c: indicator_prevalence(c, AUGUST, city_code=CITY),
        "prevalence 2024-08 by kelurahan": lambda c: indicator_prevalence(
            c, AUGUST, city_code=CITY, by=AreaLevel.KELURAHAN
        ),
        "prevalence 2024-08 by posyandu, wasting": lambda c: indicator_prevalence(
            c,
            AUGUST,
            city_code=CITY,
            by=AreaLevel.POSYANDU,
            indicator=PrevalenceIndicator.WASTING,
        ),
        "prevalence 2024 (year) by kecamatan": lambda c: indicator_prevalence(
            c, year_period(2024), city_code=CITY, by=AreaLevel.KECAMATAN
        ),
        "trend city, bulan timbang": lambda c: prevalence_trend(c, area=city_area(c, CITY)),
        "trend kecamatan, every month": lambda c: prevalence_trend(
            c, area=find_area(c, "36.72.01", city_code=CITY), step=Step.MONTH
        ),
        "flows 2024-02 -> 2024-08 by kelurahan": lambda c: cohort_flows(
            c, FEBRUARY, AUGUST, city_code=CITY, by=AreaLevel.KELURAHAN
        ),
        "referrals 2024-08, city": lambda c: referral_list(c, AUGUST, area=city_area(c, CITY)),
        "referrals 2024-08, one posyandu": lambda c: referral_list(
            c, AUGUST, area=find_area(c, POSYANDU, city_code=CITY)
        ),
        "skdn 2024-08, city": lambda c: skdn(c, AUGUST, city_code=CITY, area=city_area(c, CITY)),
        "skdn 2024-08, one posyandu": lambda c: skdn(
            c, AUGUST, city_code=CITY, area=find_area(c, POSYANDU, city_code=CITY)
        ),
        "coverage 2024-08 by kelurahan": lambda c: coverage(c, AUGUST, city_code=CITY),
    }


def time_reports(url: str, repeat: int) -> list[tuple[str, float, float]]:
    """(report, median ms, slowest ms) for every report."""
    engine = create_engine(url)
    results = []
    for name, report in reports().items():
        seconds = []
        for _ in range(repeat):
            with engine.connect() as connection:
                start = time.perf_counter()
                report(connection)
                seconds.append(time.perf_counter() - start)
        results.append((name, 1000 * statistics.median(seconds), 1000 * max(seconds)))
    engine.dispose()
    return results


def _print(engine_name: str, results: list[tuple[str, float, float]]) -> None:
    print(f"{engine_name}:")
    for name, median, slowest in results:
        print(f"  {name:<42} median {median:7.0f} ms   slowest {slowest:7.0f} ms")


def main() -> None:
    """Parse the options, run on each available engine, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an existing demo-city database instead of new ones")
    options = parser.parse_args()
    if options.url:
        _print(options.url.split(":", 1)[0], time_reports(options.url, options.repeat))
        return
    for name, url in demo_cities(options.scale):
        if url is None:
            print(f"{name}: skipped, set TUMBUH_TEST_DATABASE_URL to measure it")
            continue
        _print(name, time_reports(url, options.repeat))


if __name__ == "__main__":
    main()
