"""Measurements as arrays, the bulk recomputation of their derived values, and the
typed-in measurements of the forms (versioned: :mod:`tumbuh.db.versions`)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select

from tumbuh.db.bulk import chunks, delete_all, insert_columns
from tumbuh.db.derive import MeasurementArrays, derive
from tumbuh.db.models import (
    Base,
    Child,
    Measurement,
    MeasurementDerived,
    MeasurementSource,
    table_of,
)
from tumbuh.db.versions import versioned_delete, versioned_update
from tumbuh.growth.weight_gain import DEFAULT_KBM, KbmTable

_SEX_CODES = {"male": 1, "female": 2}
_POSITION_CODES = {"l": 1, "h": 2}


@dataclass(frozen=True)
class RecomputeResult:
    """How many measurements got derived values."""

    measurements: int


def _dates(values: list[Any]) -> np.ndarray:
    """ISO text (SQLite) or ``date`` objects (PostgreSQL) to datetime64[D]; None -> NaT."""
    return np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[D]")


def _codes(values: list[Any], mapping: dict[str, int]) -> np.ndarray:
    return np.array([mapping.get(v, 0) if v is not None else 0 for v in values], dtype=np.int8)


def read_measurement_arrays(
    connection: Connection, child_ids: Sequence[int] | None = None
) -> MeasurementArrays:
    """Every measurement (or every one of ``child_ids``, a chunk of children at a time)
    with its child's sex and birth date, ordered by id (within each chunk).

    Reads through the driver, without SQLAlchemy's per-value type processing: a million
    rows would otherwise spend most of their time building ``date`` objects.
    """
    m = table_of(Measurement)
    c = table_of(Child)
    query = select(
        m.c.id,
        m.c.child_id,
        m.c.measured_on,
        c.c.birth_date,
        c.c.sex,
        m.c.weight_kg,
        m.c.height_cm,
        m.c.position,
        m.c.oedema,
        m.c.muac_cm,
        m.c.head_circumference_cm,
    ).join(c, c.c.id == m.c.child_id)
    if child_ids is None:
        queries = [query]
    else:
        queries = [query.where(m.c.child_id.in_(part)) for part in chunks(child_ids)]
    rows: list[Any] = []
    for part in queries:
        ordered = part.order_by(m.c.id)
        sql = ordered.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
        rows.extend(connection.exec_driver_sql(str(sql)).fetchall())
    cols: list[list[Any]] = [list(col) for col in zip(*rows, strict=True)] or [[]] * 11

    def floats(i: int) -> np.ndarray:
        return np.array(cols[i], dtype=np.float64)  # None -> NaN

    return MeasurementArrays(
        measurement_id=np.array(cols[0], dtype=np.int64),
        child_id=np.array(cols[1], dtype=np.int64),
        measured_on=_dates(cols[2]),
        birth_date=_dates(cols[3]),
        sex=_codes(cols[4], _SEX_CODES),
        weight_kg=floats(5),
        height_cm=floats(6),
        position=_codes(cols[7], _POSITION_CODES),
        oedema=np.array([bool(v) for v in cols[8]], dtype=bool),
        muac_cm=floats(9),
        head_circumference_cm=floats(10),
    )


def recompute_derived(connection: Connection, kbm: KbmTable = DEFAULT_KBM) -> RecomputeResult:
    """Rebuild ``measurement_derived`` for every measurement, in bulk.

    Reads all measurements as columns, computes everything in one vectorised pass and
    replaces the table's rows inside the caller's transaction, so readers see either
    the old or the new values, never a mixture.
    """
    arrays = read_measurement_arrays(connection)
    columns = derive(arrays, kbm)
    target = table_of(MeasurementDerived)
    delete_all(connection, target)
    insert_columns(connection, target, columns)
    return RecomputeResult(measurements=len(arrays))


def count_rows(connection: Connection, model: type[Base]) -> int:
    """Number of rows in a model's table."""
    return int(connection.execute(select(func.count()).select_from(table_of(model))).scalar_one())


def insert_typed_measurement(
    connection: Connection, child_id: int, posyandu_id: int | None, values: Mapping[str, object]
) -> int:
    """Add a measurement typed in on a form or sent to the API (at version 1); its id."""
    m = table_of(Measurement)
    statement = (
        insert(m)
        .values(
            child_id=child_id,
            posyandu_id=posyandu_id,
            oedema=False,
            source=MeasurementSource.TYPED_IN,
            **values,
        )
        .returning(m.c.id)
    )
    return int(connection.execute(statement).scalar_one())


def update_measurement(
    connection: Connection, measurement_id: int, version: int, values: Mapping[str, object]
) -> None:
    """Store corrected values if the measurement is still at ``version`` (adding one);
    else :class:`tumbuh.db.versions.StaleVersion`."""
    versioned_update(connection, table_of(Measurement), measurement_id, version, values)


def delete_measurement(connection: Connection, measurement_id: int, version: int) -> None:
    """Delete the measurement (its derived row goes with it) if it is still at
    ``version``; else :class:`tumbuh.db.versions.StaleVersion`."""
    versioned_delete(connection, table_of(Measurement), measurement_id, version)
