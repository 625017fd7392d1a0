"""Schema migrations run from Python: no alembic.ini needed (the scripts ship in the package)."""

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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or migrate the schema to ``revision`` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the schema back to ``revision`` (``base`` empties the database)."""
    with engine.begin() as connection:
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
