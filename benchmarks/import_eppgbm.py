"""Import a 100,000-row e-PPGBM .xlsx into a fresh database; print the seconds per step.

The file is the one ``benchmarks/ingest_read.py`` generates (layout A, invented children,
about 1 % of rows with a typing slip, so the import runs with ``--skip-invalid``). Steps:
read + check (``prepare``), match + write in one transaction (``commit``, which also opens
the cases of the children measured, issue 13), the .xlsx
report that ``tumbuh import eppgbm`` writes when rows have errors, then the same file
again (must add nothing). SQLite always; PostgreSQL too when
``TUMBUH_TEST_DATABASE_URL`` names a server. Target (issue 4): the whole import of
100,000 rows in under 60 s on the project's 2-core machine.
Run: ``.venv/bin/python benchmarks/import_eppgbm.py [rows]``.
"""

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from _databases import postgresql_url, sqlite_url
from _timing import timed
from ingest_read import generated_file
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Child, Measurement, MeasurementDerived, table_of
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.setup import upgrade_database
from tumbuh.ingest import write_report
from tumbuh.usecases.imports import commit, prepare

TODAY = date(2024, 9, 1)
TARGET_SECONDS = 60.0


def _count(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = tuple(
            int(connection.execute(select(func.count()).select_from(table_of(m))).scalar_one())
            for m in (Child, Measurement, MeasurementDerived)
        )
    engine.dispose()
    return counts[0], counts[1], counts[2]


def _cases(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        query = select(func.count()).select_from(table_of(NutritionCase))
        found = int(connection.execute(query).scalar_one())
    engine.dispose()
    return found


def run(url: str, name: str, path: Path) -> None:
    """Import ``path`` into the empty database at ``url`` twice; print the figures."""
    engine = create_engine(url)
    upgrade_database(engine)
    settings = Settings(database_url=url)
    prepared, checked = timed(lambda: prepare([path], engine, settings, today=TODAY))
    result, written = timed(lambda: commit(prepared, engine, settings, skip_invalid=True))
    total = checked + written
    children, measurements, derived = _count(url)
    _, reported = timed(lambda: write_report(result.report, path.with_name(f"{name}-laporan.xlsx")))
    print(f"{name}: read + check {checked:.1f} s, match + write {written:.1f} s, "
          f"total {total:.1f} s -> {'met' if total < TARGET_SECONDS else 'NOT met'} "
          f"(target {TARGET_SECONDS:.0f} s)")  # fmt: skip
    print(f"  {result.counts.rows_imported:,} rows imported, "
          f"{result.counts.rows_with_errors:,} with errors; database: {children:,} children, "
          f"{measurements:,} measurements, {derived:,} derived rows")  # fmt: skip
    cases = _cases(url)
    print(f"  cases opened for the children on their month's referral list: {cases:,}")
    print(f"  + the .xlsx report the command writes when rows have errors: {reported:.1f} s "
          f"(whole command {total + reported:.1f} s)")  # fmt: skip
    again, seconds = timed(lambda: commit(
        prepare([path], engine, settings, today=TODAY), engine, settings, skip_invalid=True
    ))  # fmt: skip
    print(f"  the same file again: {seconds:.1f} s, "
          f"{again.counts.rows_imported:,} rows imported, "
          f"{again.counts.rows_already_present:,} already present; "
          f"measurements now {_count(url)[1]:,}")  # fmt: skip
    engine.dispose()


def main() -> None:
    """Generate the file once, then import it into SQLite (and PostgreSQL)."""
    with generated_file() as path:
        with sqlite_url() as url:
            run(url, "SQLite", path)
        with postgresql_url() as pg:
            if pg is None:
                print("PostgreSQL: skipped (TUMBUH_TEST_DATABASE_URL is not set)")
            else:
                run(pg, "PostgreSQL", path)


if __name__ == "__main__":
    main()
