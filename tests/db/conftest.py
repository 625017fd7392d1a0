"""Fixtures of the database tests: the small demo city with its PMT lokal, generated once
per backend for the whole package (tests/db/test_demo_pmt*.py read it, never write)."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tumbuh.db.engine import create_engine
from tumbuh.demo.generate import generate_demo_city
from tumbuh.demo.settings import DemoConfig

PMT_DEMO = DemoConfig(seed=11, scale=0.05)


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def pmt_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo city of :data:`PMT_DEMO`, on SQLite and on PostgreSQL (read only)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('pmt') / 'demo.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    engine = create_engine(url)
    generate_demo_city(engine, PMT_DEMO)
    yield engine
    engine.dispose()
