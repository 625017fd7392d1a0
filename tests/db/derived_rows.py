"""Every stored derived value of some children's measurements, as stored and as
``tumbuh db recompute`` (:func:`tumbuh.db.measurements.recompute_derived`) would store
it for the same database: the yardstick of the one write path for measurements."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, select

from tumbuh.db.measurements import recompute_derived
from tumbuh.db.models import Measurement, MeasurementDerived, table_of

DerivedRows = dict[int, dict[str, Any]]


def derived_rows(connection: Connection, child_ids: Sequence[int]) -> DerivedRows:
    """Every column of ``measurement_derived`` for the children's measurements, by id
    (a measurement without a derived row maps to an empty dict)."""
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    rows = connection.execute(
        select(m.c.id.label("of_measurement"), d)
        .outerjoin(d, d.c.measurement_id == m.c.id)
        .where(m.c.child_id.in_(child_ids))
        .order_by(m.c.id)
    ).mappings()
    found: DerivedRows = {}
    for row in rows:
        values = {column.name: row[column.name] for column in d.c}
        found[int(row["of_measurement"])] = {} if values["measurement_id"] is None else values
    return found


def stored_and_recomputed(
    engine: Engine, child_ids: Sequence[int]
) -> tuple[DerivedRows, DerivedRows]:
    """The children's derived rows as stored, and as a full recompute of the database
    gives them (computed in a transaction that is rolled back: the database is unchanged)."""
    with engine.connect() as connection:
        stored = derived_rows(connection, child_ids)
        recompute_derived(connection)
        recomputed = derived_rows(connection, child_ids)
        connection.rollback()
    return stored, recomputed
