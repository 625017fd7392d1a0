"""Children and their measurements, always through the user's scope (docs/web.md).

A child is reachable when its posyandu lies in the scope and the role may see children;
otherwise every function here raises :class:`NotFound`, so a guessed id outside the
area looks exactly like an id that does not exist. Every create, update and delete
writes its audit row in the same transaction and recomputes the child's derived values
(z-scores, categories, N/T) with the same code as ``tumbuh db recompute``.

A correction or deletion names the version of the measurement it started from and is
refused with :class:`tumbuh.db.versions.StaleVersion` when someone else changed the
measurement since (docs/security.md, section 5).
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from tumbuh.db.audit import write_audit
from tumbuh.db.children import child_query, lock_child
from tumbuh.db.measurements import (
    delete_measurement,
    insert_typed_measurement,
    rederive_children,
    update_measurement,
)
from tumbuh.db.models import Child, Measurement, MeasurementDerived, table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.users import UserInfo
from tumbuh.db.versions import StaleVersion
from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.privacy import mask_nik
from tumbuh.usecases.access import Scope
from tumbuh.web.deps import NotFound


@dataclass(frozen=True)
class ChildRecord:
    """A child as the pages show it (NIK as stored: mask it with :func:`shown_nik`)."""

    id: int
    name: str
    nik: str | None
    sex: Sex
    birth_date: date
    posyandu_id: int | None
    posyandu_name: str | None
    kelurahan_code: str | None
    mother_name: str | None
    birth_weight_kg: float | None
    birth_length_cm: float | None
    version: int = 1  # the row's version (docs/security.md, section 5)


@dataclass(frozen=True)
class MeasurementValues:
    """What a user types for one visit (position None: not recorded)."""

    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    position: Position | None
    muac_cm: float | None


@dataclass(frozen=True)
class MeasurementView:
    """A stored measurement with its derived values."""

    id: int
    values: MeasurementValues
    age_days: int | None
    height_used_cm: float | None
    bmi: float | None
    zscores: dict[str, float | None]  # haz, waz, whz, baz, acz
    flags: dict[str, bool]
    haz_category: str | None
    waz_category: str | None
    whz_category: str | None
    weight_trend: str | None
    source: str
    version: int = 1  # the row's version (docs/security.md, section 5)


@dataclass(frozen=True)
class FieldChange:
    """A field whose stored value differs from the one a refused save brought."""

    field: str  # the form field's name
    stored: object
    yours: object


def changes(stored: dict[str, object], yours: dict[str, object]) -> list[FieldChange]:
    """The fields (in ``stored``'s order) whose values differ."""
    return [FieldChange(k, v, yours.get(k)) for k, v in stored.items() if yours.get(k) != v]


def shown_nik(nik: str | None, scope: Scope) -> str | None:
    """The NIK if the role may see it, else masked as everywhere (:func:`mask_nik`)."""
    return nik if scope.may_see_nik else mask_nik(nik)


def child_record(row: Any) -> ChildRecord:
    """A :func:`tumbuh.db.children.child_query` row as a record."""
    return ChildRecord(
        id=int(row.id),
        name=row.name,
        nik=row.nik,
        sex=Sex(row.sex),
        birth_date=row.birth_date,
        posyandu_id=row.posyandu_id,
        posyandu_name=row.posyandu_name,
        kelurahan_code=row.kelurahan_code,
        mother_name=row.mother_name,
        birth_weight_kg=row.birth_weight_kg,
        birth_length_cm=row.birth_length_cm,
        version=int(row.version),
    )


def find_child(connection: Connection, scope: Scope, child_id: int) -> ChildRecord:
    """The child if it lies in the scope and the role may see children; else NotFound."""
    if not scope.may_see_children:
        raise NotFound
    row = connection.execute(child_query().where(table_of(Child).c.id == child_id)).first()
    if row is None:
        raise NotFound
    child = child_record(row)
    if not scope.covers_posyandu(child.posyandu_id, child.kelurahan_code):
        raise NotFound
    return child


def history(connection: Connection, child_id: int) -> list[MeasurementView]:
    """The child's measurements, oldest first, with derived values."""
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    rows = connection.execute(
        select(
            m,
            d.c.age_days,
            d.c.height_used_cm,
            d.c.bmi,
            d.c.haz,
            d.c.waz,
            d.c.whz,
            d.c.baz,
            d.c.acz,
            d.c.haz_flag,
            d.c.waz_flag,
            d.c.whz_flag,
            d.c.baz_flag,
            d.c.acz_flag,
            d.c.haz_category,
            d.c.waz_category,
            d.c.whz_category,
            d.c.weight_trend,
        )
        .outerjoin(d, d.c.measurement_id == m.c.id)
        .where(m.c.child_id == child_id)
        .order_by(m.c.measured_on, m.c.id)
    )
    views = []
    for r in rows:
        names = ("haz", "waz", "whz", "baz", "acz")
        views.append(
            MeasurementView(
                id=int(r.id),
                values=MeasurementValues(
                    r.measured_on,
                    r.weight_kg,
                    r.height_cm,
                    Position(r.position) if r.position else None,
                    r.muac_cm,
                ),
                age_days=r.age_days,
                height_used_cm=r.height_used_cm,
                bmi=r.bmi,
                zscores={n: getattr(r, n) for n in names},
                flags={n: bool(getattr(r, f"{n}_flag")) for n in names},
                haz_category=r.haz_category,
                waz_category=r.waz_category,
                whz_category=r.whz_category,
                weight_trend=r.weight_trend,
                source=r.source,
                version=int(r.version),
            )
        )
    return views


def rederive(connection: Connection, child: ChildRecord, kbm: KbmTable) -> None:
    """Replace the derived values of every measurement of the child, from what is stored
    (:func:`tumbuh.db.measurements.rederive_children`, as ``tumbuh db recompute``)."""
    rederive_children(connection, [child.id], kbm)


def _audit_values(
    values: MeasurementValues, child_id: int, posyandu_id: int | None
) -> dict[str, object]:
    return {"child_id": child_id, "posyandu_id": posyandu_id, **asdict(values)}


def add_measurement(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    values: MeasurementValues,
    kbm: KbmTable,
) -> int:
    """Store a typed-in measurement at the child's posyandu, audit it, recompute derived."""
    _require_write(scope, child)
    lock_child(connection, child.id)
    new_id = insert_typed_measurement(connection, child.id, child.posyandu_id, asdict(values))
    rederive(connection, child, kbm)
    write_audit(
        connection,
        user,
        AuditAction.CREATE,
        "measurement",
        new_id,
        before=None,
        after=_audit_values(values, child.id, child.posyandu_id),
    )
    return new_id


def same_day(
    measurements: list[MeasurementView], day: date, *, except_id: int | None = None
) -> list[MeasurementView]:
    """The measurements taken on ``day`` (but ``except_id``): a second weight on the same
    day is usually a slip, so the forms ask before storing one."""
    return [m for m in measurements if m.values.measured_on == day and m.id != except_id]


def require_write(scope: Scope, posyandu_id: int | None, kelurahan_code: str | None) -> None:
    """NotFound unless the user may write at this posyandu (a child's or a new one)."""
    if not scope.may_write or not scope.covers_posyandu(posyandu_id, kelurahan_code):
        raise NotFound


def _require_write(scope: Scope, child: ChildRecord) -> None:
    require_write(scope, child.posyandu_id, child.kelurahan_code)


def _measurement(
    connection: Connection, child: ChildRecord, measurement_id: int
) -> MeasurementView:
    for view in history(connection, child.id):
        if view.id == measurement_id:
            return view
    raise NotFound


def find_measurement(
    connection: Connection, scope: Scope, child: ChildRecord, measurement_id: int
) -> MeasurementView:
    """A measurement of a child the user can see (else NotFound)."""
    if not scope.covers_posyandu(child.posyandu_id, child.kelurahan_code):
        raise NotFound
    return _measurement(connection, child, measurement_id)


def change_measurement(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    measurement_id: int,
    version: int,
    values: MeasurementValues | None,
    kbm: KbmTable,
) -> None:
    """Update (``values``) or delete (None) a measurement still at ``version`` (else
    :class:`StaleVersion`, nothing written); audit it; recompute derived."""
    _require_write(scope, child)
    lock_child(connection, child.id)
    old = _measurement(connection, child, measurement_id)
    if old.version != version:
        raise StaleVersion(f"measurement {measurement_id} is at version {old.version}")
    if values is None:
        delete_measurement(connection, measurement_id, version)
        action = AuditAction.DELETE
    else:
        update_measurement(connection, measurement_id, version, asdict(values))
        action = AuditAction.UPDATE
    rederive(connection, child, kbm)
    write_audit(
        connection,
        user,
        action,
        "measurement",
        measurement_id,
        before=_audit_values(old.values, child.id, child.posyandu_id),
        after=None if values is None else _audit_values(values, child.id, child.posyandu_id),
    )


def measurement_changes(stored: MeasurementValues, yours: MeasurementValues) -> list[FieldChange]:
    """The fields of a measurement whose stored values differ from ``yours``."""
    return changes(asdict(stored), asdict(yours))
