"""Schema migrations run from Python: no alembic.ini needed (the scripts ship in the package)."""

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from tumbuh.db.models import Base

SCRIPT_LOCATION = "tumbuh.db:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at the packaged scripts (and ``connection``)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision shipped with this version of Tumbuh."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the migrations. On SQLite the foreign keys are off while they
    run and checked before the commit: a batch migration rebuilds a table (new table,
    copy, drop the old one, rename), and dropping a table other tables point at fails
    with the foreign keys on, although the rebuilt table holds the same rows (SQLite,
    "ALTER TABLE", section "Making Other Kinds Of Table Schema Changes", step 1 and 10).
    The pragma cannot change inside a transaction, so it is set before ``BEGIN``."""
    with engine.connect() as connection:
        raw = (
            connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
        )
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if raw is not None:
                    _check_foreign_keys(connection)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(connection: Connection) -> None:
    """Refuse (roll back) a migration that left a row pointing at nothing."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise RuntimeError(f"migration left a broken foreign key in table {broken[0]}")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or migrate the schema to ``revision`` in one transaction."""
    with _migrating(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the schema back to ``revision`` (``base`` empties the database)."""
    with _migrating(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


def schema_drift(connection: Connection) -> list[object]:
    """Differences between the models and the database (empty when they agree).

    The programmatic form of ``alembic check``: what autogenerate would put into a new
    migration.
    """
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "target_metadata": Base.metadata}
    )
    return list(compare_metadata(context, Base.metadata))


def new_revision(engine: Engine, message: str, rev_id: str) -> None:
    """Autogenerate a migration script from the models (for developers; read and edit it)."""
    with engine.begin() as connection:
        command.revision(
            alembic_config(connection), message=message, autogenerate=True, rev_id=rev_id
        )
