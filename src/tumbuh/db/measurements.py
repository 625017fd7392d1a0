"""Measurements as arrays, the recomputation of their derived values, and the typed-in
measurements of the forms (versioned: :mod:`tumbuh.db.versions`).

One write path: :func:`growth_input` is the only place where stored measurement values
become the input of :func:`tumbuh.db.derive.derive`. ``tumbuh db recompute``
(:func:`recompute_derived`), the forms and the API (:func:`rederive_children`, and the
preview's :func:`derived_with`) and the import (:mod:`tumbuh.db.imports.write`) all go
through it, so each stores the derived values a recompute would store."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select

from tumbuh.db.bulk import chunks, delete_all, insert_columns
from tumbuh.db.derive import DerivedColumns, MeasurementArrays, derive
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


StoredValues = Sequence[Any] | np.ndarray  # one column's values, as stored
StoredColumns = Mapping[str, StoredValues]


def _dates(values: StoredValues) -> np.ndarray:
    """ISO text (SQLite) or ``date`` objects (PostgreSQL) to datetime64[D]; None -> NaT."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]")
    return np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[D]")


def _codes(values: StoredValues, mapping: dict[str, int]) -> np.ndarray:
    return np.array([mapping.get(v, 0) if v is not None else 0 for v in values], dtype=np.int8)


GROWTH_INPUT_COLUMNS = (
    "id",
    "child_id",
    "measured_on",
    "birth_date",  # the child's
    "sex",  # the child's
    "weight_kg",
    "height_cm",
    "position",
    "oedema",
    "muac_cm",
    "head_circumference_cm",
)


def growth_input(stored: StoredColumns) -> MeasurementArrays:
    """Stored measurements as the input of :func:`tumbuh.db.derive.derive`: the one place
    where a measurement's columns become growth input, for the import, the forms, the API
    and ``tumbuh db recompute`` alike.

    ``stored`` holds one sequence per name of :data:`GROWTH_INPUT_COLUMNS`, values as the
    database holds them: None for NULL, sex ``"male"``/``"female"``, position ``"l"``/``"h"``,
    dates as ``date``, ISO text or datetime64, oedema as a truth value.
    """

    def floats(name: str) -> np.ndarray:
        return np.array(stored[name], dtype=np.float64)  # None -> NaN

    return MeasurementArrays(
        measurement_id=np.array(stored["id"], dtype=np.int64),
        child_id=np.array(stored["child_id"], dtype=np.int64),
        measured_on=_dates(stored["measured_on"]),
        birth_date=_dates(stored["birth_date"]),
        sex=_codes(stored["sex"], _SEX_CODES),
        weight_kg=floats("weight_kg"),
        height_cm=floats("height_cm"),
        position=_codes(stored["position"], _POSITION_CODES),
        oedema=np.array([bool(v) for v in stored["oedema"]], dtype=bool),
        muac_cm=floats("muac_cm"),
        head_circumference_cm=floats("head_circumference_cm"),
    )


def _read_stored(
    connection: Connection, child_ids: Sequence[int] | None = None
) -> dict[str, list[Any]]:
    """The :data:`GROWTH_INPUT_COLUMNS` of every measurement (or every one of
    ``child_ids``, a chunk of children at a time), ordered by id (within each chunk).

    Reads through the driver, without SQLAlchemy's per-value type processing: a million
    rows would otherwise spend most of their time building ``date`` objects.
    """
    m = table_of(Measurement)
    c = table_of(Child)
    query = select(
        *(
            c.c[name] if name in ("birth_date", "sex") else m.c[name]
            for name in GROWTH_INPUT_COLUMNS
        )
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
    cols = [list(col) for col in zip(*rows, strict=True)] or [[] for _ in GROWTH_INPUT_COLUMNS]
    return dict(zip(GROWTH_INPUT_COLUMNS, cols, strict=True))


def read_measurement_arrays(
    connection: Connection, child_ids: Sequence[int] | None = None
) -> MeasurementArrays:
    """Every stored measurement (or every one of ``child_ids``) as growth input."""
    return growth_input(_read_stored(connection, child_ids))


def derived_with(
    connection: Connection,
    child_id: int,
    values: Mapping[str, object],
    kbm: KbmTable = DEFAULT_KBM,
    *,
    replacing: int | None = None,
) -> DerivedColumns:
    """Derived values as if ``values`` (a form's columns) were saved for the child, as a
    new measurement (id -1) or in place of measurement ``replacing`` (which keeps its
    stored head circumference, and its oedema unless ``values`` has one, as a correction
    does); that row comes last."""
    stored = _read_stored(connection, [child_id])
    keep = [i for i, found in enumerate(stored["id"]) if found != replacing]
    old = [i for i, found in enumerate(stored["id"]) if found == replacing]
    c = table_of(Child)
    child = connection.execute(select(c.c.birth_date, c.c.sex).where(c.c.id == child_id)).one()
    row: dict[str, object] = {
        "id": -1 if replacing is None else replacing,
        "child_id": child_id,
        "birth_date": child.birth_date,
        "sex": child.sex,
        "oedema": bool(old) and stored["oedema"][old[0]],
        "head_circumference_cm": stored["head_circumference_cm"][old[0]] if old else None,
        **values,
    }
    columns = {name: [stored[name][i] for i in keep] + [row[name]] for name in stored}
    return derive(growth_input(columns), kbm)


def rederive_children(
    connection: Connection, child_ids: Sequence[int], kbm: KbmTable = DEFAULT_KBM
) -> None:
    """Replace the derived values of every measurement of the children, from what is
    stored (the forms' and the API's writes; same rules as ``tumbuh db recompute``)."""
    arrays = read_measurement_arrays(connection, child_ids)
    target = table_of(MeasurementDerived)
    for part in chunks(arrays.measurement_id.tolist()):
        connection.execute(target.delete().where(target.c.measurement_id.in_(part)))
    if len(arrays):
        insert_columns(connection, target, derive(arrays, kbm))


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
            source=MeasurementSource.TYPED_IN,
            **{"oedema": False, **values},
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
