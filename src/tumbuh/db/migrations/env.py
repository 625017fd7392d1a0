"""Alembic environment: runs on the connection that ``tumbuh.db.migrate`` passes in.

Used without one (a developer running ``alembic`` with their own ini file), it opens
the database named by ``TUMBUH_DATABASE_URL``.
"""

from alembic import context
from sqlalchemy import Connection

from tumbuh.config import load_settings
from tumbuh.db.engine import create_engine
from tumbuh.db.models import Base


def run_on(connection: Connection) -> None:
    """Run the pending migrations on ``connection`` inside one transaction."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite can't ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Entry point of the environment script."""
    if context.is_offline_mode():
        raise SystemExit("offline (SQL script) migrations are not supported")
    given = context.config.attributes.get("connection")
    if given is not None:
        run_on(given)
        return
    engine = create_engine(load_settings().database_url)
    with engine.connect() as connection:
        run_on(connection)
        connection.commit()
    engine.dispose()


main()
