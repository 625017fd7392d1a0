"""Time to generate and store the whole demo city (issue 3: under 60 s on SQLite).

Run: .venv/bin/python benchmarks/demo.py [--scale 1.0] [--seed 1]

Prints, for SQLite and (when TUMBUH_TEST_DATABASE_URL names a server) PostgreSQL: the
wall time of `generate_demo_city` (schema migration, building the city in memory,
storing it in one transaction), split into build and store, and the rows stored.
"""

import argparse
import time

from _databases import postgresql_url, sqlite_url
from tumbuh.db.engine import create_engine
from tumbuh.demo.generate import DemoReport, generate_demo_city
from tumbuh.demo.settings import DemoConfig


def run(url: str, config: DemoConfig) -> tuple[float, DemoReport]:
    """Wall time of one generation into ``url``, and its report."""
    engine = create_engine(url)
    start = time.perf_counter()
    report = generate_demo_city(engine, config)
    seconds = time.perf_counter() - start
    engine.dispose()
    return seconds, report


def main() -> None:
    """Parse the options, run on each available engine, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    config = DemoConfig(seed=options.seed, scale=options.scale)
    with sqlite_url() as sqlite, postgresql_url() as postgresql:
        for name, url in (("SQLite", sqlite), ("PostgreSQL", postgresql)):
            if url is None:
                print(f"{name:<10}  skipped: set TUMBUH_TEST_DATABASE_URL to measure it")
                continue
            seconds, report = run(url, config)
            print(
                f"{name:<10}  total {seconds:6.1f} s  (build {report.build_seconds:5.1f} s, "
                f"store {report.store_seconds:5.1f} s, cases {report.cases_seconds:5.1f} s, "
                f"PMT {report.pmt_seconds:5.1f} s)  {report.children:,} children, "
                f"{report.measurements:,} measurements, scale {config.scale}"
            )


if __name__ == "__main__":
    main()
