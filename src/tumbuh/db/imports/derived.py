"""Derived values of the children an import touched, recomputed in one vectorised pass."""

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from tumbuh.db.bulk import insert_columns
from tumbuh.db.derive import MeasurementArrays, derive
from tumbuh.db.imports.stored import chunks
from tumbuh.db.models import Child, Measurement, MeasurementDerived, table_of
from tumbuh.growth.weight_gain import KbmTable


def recompute_children(
    connection: Connection,
    written: MeasurementArrays,
    registered: Sequence[int],
    kbm: KbmTable,
    step: Callable[[], None],
) -> None:
    """Derived values for the ``written`` measurements, and new ones for every stored
    measurement of the ``registered`` children among them, in one pass (a new
    measurement changes the weight trend of the child's next one).

    The written measurements are taken from memory; only the registered children's other
    measurements are read back, so an import of new children reads nothing.
    """
    stored = measurement_arrays(connection, registered)
    stored = _subset(stored, ~np.isin(stored.measurement_id, written.measurement_id))
    step()
    table = table_of(MeasurementDerived)
    for part in chunks(stored.measurement_id.tolist()):
        connection.execute(table.delete().where(table.c.measurement_id.in_(part)))
    arrays = _joined(written, stored)
    if len(arrays):
        insert_columns(connection, table, derive(arrays, kbm))
    step()


def _subset(arrays: MeasurementArrays, keep: np.ndarray) -> MeasurementArrays:
    return MeasurementArrays(
        **{f.name: getattr(arrays, f.name)[keep] for f in fields(MeasurementArrays)}
    )


def _joined(a: MeasurementArrays, b: MeasurementArrays) -> MeasurementArrays:
    return MeasurementArrays(
        **{
            f.name: np.concatenate([getattr(a, f.name), getattr(b, f.name)])
            for f in fields(MeasurementArrays)
        }
    )


_SEX_CODES = {"male": 1, "female": 2}
_POSITION_CODES = {"l": 1, "h": 2}


def measurement_arrays(connection: Connection, child_ids: Sequence[int]) -> MeasurementArrays:
    """Every measurement of ``child_ids`` with the child's sex and birth date, as arrays.

    Read through the driver (no per-value SQLAlchemy processing), like
    ``tumbuh.db.measurements.read_measurement_arrays``, one chunk of children at a time.
    """
    m, c = table_of(Measurement), table_of(Child)
    base = select(
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
    rows: list[Any] = []
    for part in chunks(child_ids):
        query = base.where(m.c.child_id.in_(part)).order_by(m.c.id)
        sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        rows.extend(connection.exec_driver_sql(sql).fetchall())
    cols: list[list[Any]] = [list(col) for col in zip(*rows, strict=True)] or [[]] * 11

    def floats(i: int) -> np.ndarray:
        return np.array(cols[i], dtype=np.float64)

    def dates(i: int) -> np.ndarray:
        return np.array([v if v is not None else "NaT" for v in cols[i]], dtype="datetime64[D]")

    def codes(i: int, mapping: dict[str, int]) -> np.ndarray:
        return np.array([mapping.get(v, 0) if v else 0 for v in cols[i]], dtype=np.int8)

    return MeasurementArrays(
        measurement_id=np.array(cols[0], dtype=np.int64),
        child_id=np.array(cols[1], dtype=np.int64),
        measured_on=dates(2),
        birth_date=dates(3),
        sex=codes(4, _SEX_CODES),
        weight_kg=floats(5),
        height_cm=floats(6),
        position=codes(7, _POSITION_CODES),
        oedema=np.array([bool(v) for v in cols[8]], dtype=bool),
        muac_cm=floats(9),
        head_circumference_cm=floats(10),
    )
