"""Children and their measurements, always through the user's scope (docs/web.md).

A child is reachable when its posyandu lies in the scope and the role may see children;
otherwise every function here raises :class:`NotFound`, so a guessed id outside the
area looks exactly like an id that does not exist. Every create, update and delete
writes its audit row in the same transaction and recomputes the child's derived values
(z-scores, categories, N/T) with the same code as ``tumbuh db recompute``.
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select, update

from tumbuh.db.audit import write_audit
from tumbuh.db.bulk import insert_columns
from tumbuh.db.derive import DerivedColumns, MeasurementArrays, derive
from tumbuh.db.models import (
    Child,
    Measurement,
    MeasurementDerived,
    MeasurementSource,
    Mother,
    Posyandu,
    table_of,
)
from tumbuh.db.models_access import AuditAction
from tumbuh.db.users import UserInfo
from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.privacy import mask_nik
from tumbuh.web.deps import NotFound
from tumbuh.web.scope import Scope
from tumbuh.web.text_input import without_control_characters

BALITA_MONTHS = 60  # balita: 0-59 completed months


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


def shown_nik(nik: str | None, scope: Scope) -> str | None:
    """The NIK if the role may see it, else masked as everywhere (:func:`mask_nik`)."""
    return nik if scope.may_see_nik else mask_nik(nik)


def _child_query() -> Any:
    c, p, mo = table_of(Child), table_of(Posyandu), table_of(Mother)
    return (
        select(
            c.c.id,
            c.c.name,
            c.c.nik,
            c.c.sex,
            c.c.birth_date,
            c.c.posyandu_id,
            p.c.name.label("posyandu_name"),
            p.c.kelurahan_code,
            mo.c.name.label("mother_name"),
            c.c.birth_weight_kg,
            c.c.birth_length_cm,
        )
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(mo, mo.c.id == c.c.mother_id)
    )


def _record(row: Any) -> ChildRecord:
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
    )


def find_child(connection: Connection, scope: Scope, child_id: int) -> ChildRecord:
    """The child if it lies in the scope and the role may see children; else NotFound."""
    if not scope.may_see_children:
        raise NotFound
    row = connection.execute(_child_query().where(table_of(Child).c.id == child_id)).first()
    if row is None:
        raise NotFound
    child = _record(row)
    if not scope.covers_posyandu(child.posyandu_id, child.kelurahan_code):
        raise NotFound
    return child


def posyandu_children(connection: Connection, scope: Scope, posyandu_id: int) -> list[ChildRecord]:
    """The children registered at a posyandu in the scope, by name."""
    if not scope.may_see_children:
        raise NotFound
    c = table_of(Child)
    rows = connection.execute(
        _child_query().where(c.c.posyandu_id == posyandu_id).order_by(c.c.name, c.c.id)
    )
    children = [_record(r) for r in rows]
    return [ch for ch in children if scope.covers_posyandu(ch.posyandu_id, ch.kelurahan_code)]


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
            )
        )
    return views


def arrays_for(child: ChildRecord, rows: list[tuple[int, MeasurementValues]]) -> MeasurementArrays:
    """The child's measurements as the arrays :func:`tumbuh.db.derive.derive` takes."""
    n = len(rows)

    def floats(values: list[float | None]) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    return MeasurementArrays(
        measurement_id=np.array([i for i, _ in rows], dtype=np.int64),
        child_id=np.full(n, child.id, dtype=np.int64),
        measured_on=np.array([v.measured_on for _, v in rows], dtype="datetime64[D]"),
        birth_date=np.full(n, np.datetime64(child.birth_date, "D")),
        sex=np.full(n, child.sex.code, dtype=np.int8),
        weight_kg=floats([v.weight_kg for _, v in rows]),
        height_cm=floats([v.height_cm for _, v in rows]),
        position=np.array([v.position.code if v.position else 0 for _, v in rows], dtype=np.int8),
        oedema=np.zeros(n, dtype=bool),
        muac_cm=floats([v.muac_cm for _, v in rows]),
        head_circumference_cm=np.full(n, np.nan),
    )


def derived_for(
    child: ChildRecord, rows: list[tuple[int, MeasurementValues]], kbm: KbmTable
) -> DerivedColumns:
    """Derived columns of the child's measurements (``rows`` in any order)."""
    return derive(arrays_for(child, rows), kbm)


def stored_values(connection: Connection, child_id: int) -> list[tuple[int, MeasurementValues]]:
    return [(v.id, v.values) for v in history(connection, child_id)]


def rederive(connection: Connection, child: ChildRecord, kbm: KbmTable) -> None:
    """Replace the derived values of every measurement of the child."""
    rows = stored_values(connection, child.id)
    d = table_of(MeasurementDerived)
    ids = [i for i, _ in rows]
    if ids:
        connection.execute(delete(d).where(d.c.measurement_id.in_(ids)))
        insert_columns(connection, d, derived_for(child, rows, kbm))


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
    m = table_of(Measurement)
    new_id = int(
        connection.execute(
            insert(m)
            .values(
                child_id=child.id,
                posyandu_id=child.posyandu_id,
                oedema=False,
                source=MeasurementSource.TYPED_IN,
                **asdict(values),
            )
            .returning(m.c.id)
        ).scalar_one()
    )
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
    values: MeasurementValues | None,
    kbm: KbmTable,
) -> None:
    """Update (``values``) or delete (None) a measurement; audit it; recompute derived."""
    _require_write(scope, child)
    old = _measurement(connection, child, measurement_id)
    m = table_of(Measurement)
    if values is None:
        connection.execute(delete(m).where(m.c.id == measurement_id))
        action = AuditAction.DELETE
    else:
        connection.execute(update(m).where(m.c.id == measurement_id).values(**asdict(values)))
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


@dataclass(frozen=True)
class DueChild:
    """A child due at the posyandu session, with this month's measurement if taken."""

    child: ChildRecord
    age_months: int
    measured_on: date | None
    weight_kg: float | None
    height_cm: float | None


def children_due(
    connection: Connection, scope: Scope, posyandu_id: int, month: date
) -> list[DueChild]:
    """Children of the posyandu aged 0-59 completed months in ``month``, by name."""
    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    m = table_of(Measurement)
    taken: dict[int, tuple[date, float | None, float | None]] = {}
    for row in connection.execute(
        select(m.c.child_id, m.c.measured_on, m.c.weight_kg, m.c.height_cm)
        .where(m.c.posyandu_id == posyandu_id, m.c.measured_on >= month, m.c.measured_on < end)
        .order_by(m.c.measured_on, m.c.id)
    ):
        taken[int(row.child_id)] = (row.measured_on, row.weight_kg, row.height_cm)
    due = []
    for child in posyandu_children(connection, scope, posyandu_id):
        months = (month.year - child.birth_date.year) * 12 + month.month - child.birth_date.month
        if child.birth_date >= end or months >= BALITA_MONTHS:
            continue
        measured = taken.get(child.id)
        due.append(
            DueChild(
                child,
                max(months, 0),
                measured[0] if measured else None,
                measured[1] if measured else None,
                measured[2] if measured else None,
            )
        )
    return due


SEARCH_LIMIT = 50  # children listed per search; the total is given beside them
NAME_QUERY_MIN = 3  # characters of a name to search for
NIK_DIGITS = 16
NIK_INCOMPLETE = "Write all 16 digits of the NIK, or a part of the name."
NAME_TOO_SHORT = "Write at least 3 letters of the name."
SEARCH_PROBLEMS = (NIK_INCOMPLETE, NAME_TOO_SHORT)


@dataclass(frozen=True)
class SearchResult:
    """The first :data:`SEARCH_LIMIT` children found (by name, then birth date), and how
    many were found in all; ``problem`` (English template) when the query was refused."""

    children: list[ChildRecord]
    total: int
    problem: str | None = None


def search_children(
    connection: Connection, scope: Scope, posyandu_in_scope: list[int], query: str
) -> SearchResult:
    """Children in the scope (``posyandu_in_scope``: the posyandu ids the scope covers,
    ignored for the whole city) whose name or mother's name contains ``query``
    (at least 3 characters, any case), or whose NIK is ``query`` (all 16 digits: a
    partial NIK finds nothing, so numbers cannot be guessed digit by digit)."""
    if not scope.may_see_children:
        raise NotFound
    text = " ".join(without_control_characters(query, " ").split())
    digits = text.replace(" ", "").replace(".", "")
    c, mo = table_of(Child), table_of(Mother)
    if digits.isdigit():
        if len(digits) != NIK_DIGITS:
            return SearchResult([], 0, NIK_INCOMPLETE)
        condition = c.c.nik == digits
    elif len(text) < NAME_QUERY_MIN:
        return SearchResult([], 0, NAME_TOO_SHORT)
    else:
        needle = text.casefold()
        condition = func.lower(c.c.name).contains(needle, autoescape=True) | func.lower(
            mo.c.name
        ).contains(needle, autoescape=True)
    base = _child_query().where(condition)
    if not scope.whole_city:
        base = base.where(c.c.posyandu_id.in_(posyandu_in_scope))
    total = connection.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = connection.execute(base.order_by(c.c.name, c.c.birth_date, c.c.id).limit(SEARCH_LIMIT))
    return SearchResult([_record(r) for r in rows], int(total))
