"""Shared fixtures: test databases on SQLite and PostgreSQL, and the CI rule.

SQLite runs always. PostgreSQL runs when ``TUMBUH_TEST_DATABASE_URL`` names a server
(CI sets it to ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each test session
creates its own uniquely named databases there and drops them at the end, so developers
sharing a server never collide. Without the variable, or with the server unreachable,
PostgreSQL tests skip with the reason shown, except when ``CI=true``: then they fail.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.exc import OperationalError

from tumbuh.db.engine import create_engine
from tumbuh.db.setup import upgrade_database

TEST_DATABASE_VARIABLE = "TUMBUH_TEST_DATABASE_URL"
BACKENDS = ("sqlite", "postgresql")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    """Skip, or fail when CI=true (PostgreSQL tests must run in CI)."""
    if _in_ci():
        pytest.fail(f"CI=true but PostgreSQL is unavailable: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


class PostgresServer:
    """Creates and drops uniquely named databases on the test server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.prefix = f"tumbuh_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        self.admin = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")

    def check(self) -> None:
        """Connect once, to report an unreachable server early."""
        with self.admin.connect() as connection:
            connection.execute(text("SELECT 1"))

    def new_database(self) -> str:
        """URL of a new, empty database."""
        name = f"{self.prefix}_{len(self.created)}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """Drop every database this session created."""
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The PostgreSQL test server, or a skip (a failure in CI) when there is none."""
    url = os.environ.get(TEST_DATABASE_VARIABLE)
    if not url:
        _unavailable(f"{TEST_DATABASE_VARIABLE} is not set")
    server = PostgresServer(str(url))
    try:
        server.check()
    except OperationalError as error:
        _unavailable(f"cannot connect to {server.url.render_as_string()}: {error.orig}")
    yield server
    server.drop_all()


@pytest.fixture
def new_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """A factory: backend name -> URL of a new empty database on that backend."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite'}"
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.new_database()

    return make


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once on SQLite and once on PostgreSQL."""
    name: str = request.param
    if name == "postgresql":
        request.getfixturevalue("postgres_server")
    return name


@pytest.fixture
def empty_engine(backend: str, new_database_url: Callable[[str], str]) -> Iterator[Engine]:
    """An engine on a new, empty database (for tests of migrations and whole commands)."""
    engine = create_engine(new_database_url(backend))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _migrated_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'migrated.sqlite'}"}


@pytest.fixture
def migrated_engine(backend: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on a session-wide database at the newest schema, regions loaded."""
    urls: dict[str, str] = request.getfixturevalue("_migrated_urls")
    if backend not in urls:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        urls[backend] = server.new_database()
    engine = create_engine(urls[backend])
    upgrade_database(engine)  # a no-op after the first time
    yield engine
    engine.dispose()


@pytest.fixture
def connection(migrated_engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back after the test."""
    with migrated_engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        transaction.rollback()


@pytest.fixture(scope="session")
def demo_city_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The full demo city (default seed), generated once per session into SQLite."""
    from tumbuh.demo.generate import generate_demo_city
    from tumbuh.demo.settings import DemoConfig

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    engine = create_engine(url)
    generate_demo_city(engine, DemoConfig())
    engine.dispose()
    return url
