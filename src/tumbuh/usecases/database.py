"""The database as a whole: opening it, its schema, its derived values, how much it holds,
and the demo set-up.

What ``tumbuh db``, ``tumbuh serve``, ``tumbuh demo`` and the web application's start-up
need, so that none of them touches persistence itself. An opened engine is the caller's
to dispose of (``engine.dispose()``).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from tumbuh.db import migrate
from tumbuh.db.derive import REFERENCE_WHO2006, load_kbm_table
from tumbuh.db.engine import PoolSize, create_engine, open_engine, safe_url
from tumbuh.db.imports.lock import import_running as _import_running
from tumbuh.db.measurements import count_rows, recompute_derived
from tumbuh.db.models import (
    Child,
    Measurement,
    MeasurementDerived,
    PlantedErrorKind,
    Posyandu,
    Region,
)
from tumbuh.db.setup import UpgradeResult, require_current_schema, upgrade_database
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.usecases.users import UserInfo, ensure_demo_users

__all__ = [
    "REFERENCE_WHO2006",
    "DatabaseStatus",
    "PlantedErrorKind",
    "Recomputed",
    "UpgradeResult",
    "check_schema",
    "children_count",
    "connected",
    "create_demo_users",
    "import_running",
    "load_kbm_table",
    "open_database",
    "recompute",
    "registry",
    "safe_url",
    "status",
    "upgrade",
    "web_engine",
]


def open_database(url: str) -> Engine:
    """An engine for ``url``, checked to answer (else a ``ConfigError`` naming the URL
    without its password)."""
    return open_engine(url)


def web_engine(url: str, threads: int, background: int, timeout_seconds: float) -> Engine:
    """The web application's engine: one pooled connection per request thread and
    ``background`` more for the work beside the requests."""
    return create_engine(url, pool=PoolSize(threads, background, timeout_seconds))


@contextmanager
def connected(engine: Engine) -> Iterator[Connection]:
    """A connection of ``engine`` for reads, closed (its transaction rolled back) after."""
    with engine.connect() as connection:
        yield connection


def import_running(engine: Engine) -> bool:
    """SQLite: True while an import holds the lock of this database (for messages)."""
    return _import_running(engine.url)


def check_schema(url: str) -> None:
    """Stop with a clear message unless the database at ``url`` answers and has this
    version's newest schema."""
    engine = open_engine(url)
    try:
        require_current_schema(engine)
    finally:
        engine.dispose()


@contextmanager
def registry(url: str, *, write: bool = False) -> Iterator[Connection]:
    """A connection to the database at ``url``, whose schema must be current; with
    ``write`` in a transaction committed at the end. The engine is disposed of after."""
    engine = open_engine(url)
    try:
        require_current_schema(engine)
        with engine.begin() if write else engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def upgrade(engine: Engine) -> UpgradeResult:
    """Create or migrate the schema and load the regions (safe to repeat)."""
    return upgrade_database(engine)


@dataclass(frozen=True)
class Recomputed:
    """How many measurements got derived values, and how long it took."""

    measurements: int
    seconds: float


def recompute(url: str, kbm: KbmTable) -> Recomputed:
    """Recompute the derived values of every measurement, in bulk, in one transaction."""
    engine = open_engine(url)
    try:
        require_current_schema(engine)
        started = time.perf_counter()
        with engine.begin() as connection:
            result = recompute_derived(connection, kbm)
        return Recomputed(result.measurements, time.perf_counter() - started)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class DatabaseStatus:
    """The schema revision (None: no tables), the newest one, and, when there is a schema,
    how many rows of each kind (``regions``, ``posyandu``, ``children``, ``measurements``,
    ``derived``) the database holds, in that order."""

    current: str | None
    head: str | None
    counts: dict[str, int]


_COUNTED = (
    ("regions", Region),
    ("posyandu", Posyandu),
    ("children", Child),
    ("measurements", Measurement),
    ("derived", MeasurementDerived),
)


def status(url: str) -> DatabaseStatus:
    """What ``tumbuh db status`` shows of the database at ``url``."""
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            current = migrate.current_revision(connection)
            counts = (
                {key: count_rows(connection, model) for key, model in _COUNTED}
                if current is not None
                else {}
            )
        return DatabaseStatus(current, migrate.head_revision(), counts)
    finally:
        engine.dispose()


def children_count(engine: Engine) -> int:
    """How many children the registry holds."""
    with engine.connect() as connection:
        return count_rows(connection, Child)


def create_demo_users(engine: Engine) -> list[UserInfo]:
    """The demo accounts, the missing ones created (committed)."""
    with engine.begin() as connection:
        return ensure_demo_users(connection)
