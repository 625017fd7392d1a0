"""After a large import PostgreSQL's planner statistics are refreshed (ANALYZE), so the
first reports after it are not planned on stale row counts; small imports leave that to
autovacuum, and SQLite needs none."""

from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text

from tests.db.test_imports_fixtures import (
    engine_fixture,  # noqa: F401 - the fixtures of this module
    import_url_fixture,  # noqa: F401
    run_import,
    settings_fixture,  # noqa: F401
    xlsx,
)
from tests.unit.ingest.builders import GOOD_A, LAYOUT_A, row_of
from tumbuh.config import Settings
from tumbuh.db.imports import api
from tumbuh.db.imports.lines import Lines
from tumbuh.db.imports.plan import Plan, build_plan
from tumbuh.ingest.batch import ImportBatch
from tumbuh.usecases import imports


def _analyze_count(engine: Engine) -> int:
    """Manual ANALYZE runs of ``measurement`` (PostgreSQL's statistics views)."""
    query = text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'measurement'")
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def _two_rows(folder: Path) -> Path:
    rows = [
        row_of(LAYOUT_A, GOOD_A),
        row_of(LAYOUT_A, GOOD_A, NIK="3672015708220002", Nama="Dewi Lestari"),
    ]
    return xlsx(folder, "hasil.xlsx", LAYOUT_A, rows)


@pytest.mark.parametrize(("threshold", "analyzed"), [(2, 1), (3, 0)])
def test_postgresql_is_analyzed_after_an_import_of_at_least_the_threshold(
    tmp_path: Path,
    engine: Engine,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    threshold: int,
    analyzed: int,
) -> None:
    monkeypatch.setattr(imports, "ANALYZE_AFTER_ROWS", threshold)
    before = _analyze_count(engine) if engine.dialect.name == "postgresql" else 0
    result = run_import([_two_rows(tmp_path)], engine, settings)
    assert result.counts.rows_imported == 2
    if engine.dialect.name == "postgresql":
        assert _analyze_count(engine) - before == analyzed
    else:  # SQLite: never analyzed (no sqlite_stat1 table appears)
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ).scalar_one()
        assert found == 0


def test_an_import_plans_its_chunked_reads_for_their_own_values(
    tmp_path: Path, engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL's generic plan of the chunked read of stored measurements walked a whole
    # month's rows per chunk: a second import of 100,000 rows took 60 s instead of 21 s.
    postgresql = engine.dialect.name == "postgresql"
    seen: list[str] = []
    original = build_plan

    def spying(connection: Connection, batch: ImportBatch, lines: Lines) -> Plan:
        if postgresql:
            seen.append(connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one())
        return original(connection, batch, lines)

    monkeypatch.setattr(api, "build_plan", spying)
    result = run_import([_two_rows(tmp_path)], engine, settings)
    assert result.counts.rows_imported == 2
    assert seen == (["force_custom_plan"] if postgresql else [])
    if postgresql:  # SET LOCAL: the setting ended with the import's transaction
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == "auto"
