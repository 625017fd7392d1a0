"""PostgreSQL's query planner around an import: custom plans during it, fresh statistics
after it. SQLite needs neither."""

from sqlalchemy import Connection, Engine

ANALYZED_TABLES = (
    "measurement",
    "measurement_derived",
    "child",
    "mother",
    "family",
    "posyandu",
    "import_file",
)


def refresh_statistics(engine: Engine) -> None:
    """PostgreSQL: ``ANALYZE`` the tables an import writes, right after it committed.

    Autovacuum analyzes a table only after changes to about a tenth of its rows, so after
    a large import (above all the first, into empty tables) the planner would keep its old
    row counts and pick nested loops that make the reports many times slower
    (docs/surveillance.md, "Speed"). ANALYZE reads a sample of each table (300 times the
    statistics target), so it takes about a second even on a city's whole register.
    SQLite plans these queries well without statistics.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE " + ", ".join(ANALYZED_TABLES))


def plan_for_each_batch(connection: Connection) -> None:
    """PostgreSQL: plan each query of this transaction for the values it is given.

    The import reads what the database holds in chunks of 900 keys, each chunk the same
    query with other values. psycopg prepares a query it has run five times, and after
    five more runs PostgreSQL may switch to a generic plan that does not look at the
    values; for ``measured_on BETWEEN :first AND :last`` it then guesses a narrow range
    and walks the date index, so every chunk of the second import of a 100,000-row month
    scanned all of that month's rows (0.4 s a chunk, 40 of its 62 s). Planning each
    chunk for its own values costs about a millisecond. ``SET LOCAL`` ends with the
    transaction. SQLite plans each statement anew anyway.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
