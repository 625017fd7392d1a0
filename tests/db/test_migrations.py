"""Migrations build the schema on both engines, match the models, and go back down."""

from sqlalchemy import Engine, inspect

from tumbuh.db import migrate
from tumbuh.db.models import Base
from tumbuh.db.setup import upgrade_database


def test_upgrade_creates_every_model_table_at_the_newest_revision(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with empty_engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()


def test_migrated_schema_has_no_drift_from_the_models(empty_engine: Engine) -> None:
    # The programmatic `alembic check`: autogenerate would find nothing to add.
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert migrate.schema_drift(connection) == []


def test_downgrade_to_base_removes_the_schema_and_upgrade_rebuilds_it(
    empty_engine: Engine,
) -> None:
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert migrate.schema_drift(connection) == []


def test_upgrade_database_twice_changes_nothing_the_second_time(empty_engine: Engine) -> None:
    first = upgrade_database(empty_engine)
    second = upgrade_database(empty_engine)
    assert first.revision_before is None
    assert (first.regions.inserted, first.regions.aliases_inserted) == (53, 7)
    assert second.revision_before == second.revision_after == migrate.head_revision()
    assert (second.regions.inserted, second.regions.updated) == (0, 0)
    assert second.regions.aliases_inserted == 0
