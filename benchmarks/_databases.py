"""Throw-away databases for the benchmarks: an SQLite file, a PostgreSQL database, and
both holding the demo city."""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import make_url, text

from tumbuh.db.engine import create_engine
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig

TEST_DATABASE_VARIABLE = "TUMBUH_TEST_DATABASE_URL"


@contextmanager
def sqlite_url() -> Iterator[str]:
    """URL of a new SQLite file in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"


@contextmanager
def postgresql_url() -> Iterator[str | None]:
    """URL of a new database on the TUMBUH_TEST_DATABASE_URL server (None without one)."""
    server = os.environ.get(TEST_DATABASE_VARIABLE)
    if not server:
        yield None
        return
    admin = create_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    name = f"tumbuh_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def demo_cities(scale: float) -> Iterator[tuple[str, str | None]]:
    """("SQLite", URL), then ("PostgreSQL", URL, or None without a server), each database
    holding the demo city at ``scale`` when it is handed out (generated here, not timed).
    Both are dropped when the loop over them ends."""
    config = DemoConfig(scale=scale)
    with sqlite_url() as sqlite, postgresql_url() as postgresql:
        for name, url in (("SQLite", sqlite), ("PostgreSQL", postgresql)):
            if url is not None:
                engine = create_engine(url)
                generate_demo_city(engine, config)
                engine.dispose()
            yield name, url
