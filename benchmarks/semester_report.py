"""Time of the TPPS semester report and the quality report on the demo city.

Run: .venv/bin/python benchmarks/semester_report.py [--scale 1.0] [--database URL]

Generates the demo city (not timed) into SQLite and, when TUMBUH_TEST_DATABASE_URL names
a server, PostgreSQL (or uses ``--database``, an existing demo city); then times, for
2024-S2: reading and computing every figure (trend, flows, referrals of six months,
coverage, SKDN, data quality), composing the PDF and writing the XLSX; and, for
2024-08, ``tumbuh report quality --by posyandu`` (reading the round, then the checks).
"""

import argparse
import io
from datetime import date

from _databases import demo_cities
from _timing import timed
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.prevalence import AreaLevel
from tumbuh.db.quality_data import read_round
from tumbuh.growth.periods import month_period, semester_period
from tumbuh.reports.semester import semester_pdf, write_semester_workbook
from tumbuh.usecases.quality import assess
from tumbuh.usecases.reporting import semester_data


def measure(name: str, url: str) -> None:
    """Time each step on the database at ``url`` and print the figures."""
    engine = create_engine(url)
    settings = Settings(city_code="36.72")
    with engine.connect() as connection:
        data, figures = timed(lambda: semester_data(connection, semester_period(2024, 2), settings))
        round_data, read = timed(
            lambda: read_round(connection, month_period(2024, 8), city_code="36.72")
        )
    engine.dispose()
    pdf, compose = timed(lambda: semester_pdf(data, generated_on=date(2025, 1, 10)))
    buffer = io.BytesIO()
    _, workbook = timed(lambda: write_semester_workbook(data, buffer))
    _, checks = timed(lambda: assess(round_data, AreaLevel.POSYANDU))
    print(
        f"{name:<10}  semester report 2024-S2: figures {figures:5.1f} s, "
        f"PDF {compose:4.1f} s ({len(pdf.content) / 1024:,.0f} KiB, "
        f"{pdf.content.count(b'/Type /Page') - pdf.content.count(b'/Type /Pages')} pages), "
        f"XLSX {workbook:4.2f} s ({buffer.tell() / 1024:,.0f} KiB); "
        f"PDF total {figures + compose:5.1f} s, XLSX total {figures + workbook:5.1f} s"
    )
    print(
        f"{name:<10}  quality 2024-08 by posyandu: read {read:4.1f} s "
        f"({len(round_data.month.child):,} measurements, {len(round_data.history.child):,} "
        f"in the children's histories), checks {checks:4.1f} s"
    )


def main() -> None:
    """Parse the options, run on each available engine, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", help="an existing demo city instead of a new one")
    options = parser.parse_args()
    if options.database:
        measure("given", options.database)
        return
    for name, url in demo_cities(options.scale):
        if url is None:
            print(f"{name:<10}  skipped: set TUMBUH_TEST_DATABASE_URL to measure it")
            continue
        measure(name, url)


if __name__ == "__main__":
    main()
