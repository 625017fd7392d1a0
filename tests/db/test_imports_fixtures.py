"""Fixtures shared by the import tests (no tests here): a migrated database per backend,
emptied of registry rows before each test, and small helpers to build and read.

A test module imports the fixture functions (``import_url_fixture``, ``engine_fixture``,
``settings_fixture``, registered as ``import_url``, ``engine`` and ``settings``) so that
pytest finds them there.
"""

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table, func, insert, select

from tests.conftest import BACKENDS, PostgresServer
from tests.unit.ingest.builders import grid, write_xlsx
from tumbuh.config import Settings
from tumbuh.db.engine import create_engine
from tumbuh.db.models import (
    Base,
    Child,
    Family,
    ImportFile,
    ImportRun,
    Measurement,
    MeasurementDerived,
    Mother,
    Posyandu,
    Pregnancy,
    table_of,
)
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.models_cases import CaseStep, NutritionCase
from tumbuh.db.models_maternal import ChildMonth
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.db.setup import upgrade_database
from tumbuh.growth.enums import Sex
from tumbuh.i18n import Language
from tumbuh.usecases.imports import ImportResult, UploadedFile, import_eppgbm

TODAY = date(2024, 9, 1)
CIKERAI = "36.72.01.1004"  # kelurahan Cikerai, kecamatan Cibeber (GOOD_A's)
GEREM = "36.72.06.1004"  # kelurahan Gerem, kecamatan Gerogol (GOOD_B's)
# Children before parents: the order in which the registry is emptied.
REGISTRY = (
    AuditEntry,
    ChildMonth,
    MeasurementDerived,
    Measurement,
    ImportFile,
    Child,
    ImportRun,
    Mother,
    Family,
    Posyandu,
)
# The cases an import opens, and the PMT episodes (and pregnancies) a PMT history import
# adds, refer to its children and mothers: emptied first (not counted here).
CASES = (PmtEpisode, Pregnancy, CaseStep, NutritionCase)


@pytest.fixture(name="import_url", scope="module", params=BACKENDS)
def import_url_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database at the newest schema with the regions, one per module and backend."""
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('imports') / 'imports.sqlite'}"
    engine = create_engine(url)
    upgrade_database(engine)
    engine.dispose()
    return url


@pytest.fixture(name="engine")
def engine_fixture(import_url: str) -> Iterator[Engine]:
    """An engine on the module's database, emptied of every registry row."""
    engine = create_engine(import_url)
    with engine.begin() as connection:
        for model in (*CASES, *REGISTRY):
            connection.execute(table_of(model).delete())
    yield engine
    engine.dispose()


@pytest.fixture(name="settings")
def settings_fixture(import_url: str) -> Settings:
    """Settings for Kota Cilegon on the module's database, in Bahasa Indonesia."""
    return Settings(database_url=import_url, city_code="36.72", language="id")


def run_import(
    files: Sequence[Path | UploadedFile], engine: Engine, settings: Settings, **options: Any
) -> ImportResult:
    """``import_eppgbm`` with today fixed at 1 September 2024."""
    return import_eppgbm(files, engine, settings, today=TODAY, **options)


def xlsx(folder: Path, name: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """An .xlsx with the usual 3-row title block (the header is row 4, data from row 5)."""
    return write_xlsx(folder / name, grid(header, rows))


def lines(result: ImportResult) -> list[tuple[object, ...]]:
    """The report's lines as the report file shows them (Bahasa Indonesia)."""
    return [line.cells(Language.ID) for line in result.report.lines]


def counts(engine: Engine) -> dict[str, int]:
    """Rows per registry table."""
    with engine.connect() as connection:
        return {
            model.__tablename__: int(
                connection.execute(select(func.count()).select_from(table_of(model))).scalar_one()
            )
            for model in REGISTRY
        }


def fetch(engine: Engine, table: Table, *columns: str) -> list[tuple[Any, ...]]:
    """``columns`` of every row of ``table``, ordered by the first column named."""
    with engine.connect() as connection:
        query = select(*(table.c[c] for c in columns)).order_by(table.c[columns[0]])
        return [tuple(row) for row in connection.execute(query)]


# What an import writes to trace itself (a run that adds nothing still writes these).
TRACE = (AuditEntry, ImportFile, ImportRun)
RECORDS = tuple(model for model in REGISTRY if model not in TRACE)


def checksum(engine: Engine, models: Sequence[type[Base]] = REGISTRY) -> str:
    """A fingerprint of every row of ``models`` (all columns, in primary-key order)."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for model in models:
            table = table_of(model)
            query = select(table).order_by(*table.primary_key.columns)
            for row in connection.execute(query):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def add_mother(engine: Engine, name: str, nik: str | None = None) -> int:
    """A registered mother; returns her id."""
    table = table_of(Mother)
    with engine.begin() as connection:
        found = connection.execute(
            insert(table).values(name=name, nik=nik).returning(table.c.id)
        ).scalar_one()
    return int(found)


def add_child(
    engine: Engine,
    name: str,
    birth_date: date,
    sex: Sex,
    *,
    nik: str | None = None,
    mother_id: int | None = None,
) -> int:
    """A registered child; returns its id."""
    table = table_of(Child)
    values = {"name": name, "birth_date": birth_date, "sex": sex, "nik": nik}
    with engine.begin() as connection:
        found = connection.execute(
            insert(table).values(mother_id=mother_id, **values).returning(table.c.id)
        ).scalar_one()
    return int(found)
