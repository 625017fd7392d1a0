"""Derived values of the children an import touched, recomputed in one vectorised pass."""

from collections.abc import Callable, Sequence
from dataclasses import fields

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.bulk import chunks, insert_columns
from tumbuh.db.derive import MeasurementArrays, derive
from tumbuh.db.measurements import read_measurement_arrays
from tumbuh.db.models import MeasurementDerived, table_of
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
    stored = read_measurement_arrays(connection, registered)
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
