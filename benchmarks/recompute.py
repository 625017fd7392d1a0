"""Time of `tumbuh db recompute` on the demo city: read, compute, write, all vectorised.

Run: .venv/bin/python benchmarks/recompute.py [--scale 1.0]

Generates the demo city (not timed) into SQLite and, when TUMBUH_TEST_DATABASE_URL
names a server, PostgreSQL; then times one full recompute in its three steps: reading
every measurement as columns, computing all derived values in one pass through
tumbuh.growth, and replacing the rows of measurement_derived.
"""

import argparse
import time

from _databases import demo_cities
from tumbuh.db.bulk import delete_all, insert_columns
from tumbuh.db.derive import derive
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import read_measurement_arrays
from tumbuh.db.models import MeasurementDerived, table_of


def timed_recompute(url: str) -> tuple[int, float, float, float]:
    """Rows, and seconds to read, compute and write them."""
    engine = create_engine(url)
    with engine.begin() as connection:
        start = time.perf_counter()
        arrays = read_measurement_arrays(connection)
        read = time.perf_counter()
        columns = derive(arrays)
        computed = time.perf_counter()
        target = table_of(MeasurementDerived)
        delete_all(connection, target)
        insert_columns(connection, target, columns)
        written = time.perf_counter()
    engine.dispose()
    return len(arrays), read - start, computed - read, written - computed


def main() -> None:
    """Parse the options, run on each available engine, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    options = parser.parse_args()
    for name, url in demo_cities(options.scale):
        if url is None:
            print(f"{name:<10}  skipped: set TUMBUH_TEST_DATABASE_URL to measure it")
            continue
        rows, read, compute, write = timed_recompute(url)
        total = read + compute + write
        print(
            f"{name:<10}  {rows:,} measurements: total {total:5.1f} s "
            f"(read {read:4.1f} s, compute {compute:4.1f} s, write {write:4.1f} s), "
            f"{rows / total:,.0f} rows/s"
        )


if __name__ == "__main__":
    main()
