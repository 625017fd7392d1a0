"""The registry's reads: one child, a child's measurements with what was derived from
them, a posyandu's measurements of one month, and the search by name or NIK.

Persistence only: every function takes explicit filters (ids, dates, posyandu ids) and
knows nothing of roles; :mod:`tumbuh.usecases.registry` applies the user's scope.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, Select, func, select

from tumbuh.db.children import child_query
from tumbuh.db.models import Child, Measurement, MeasurementDerived, Mother, table_of


def child_row(connection: Connection, child_id: int) -> Row[Any] | None:
    """The child's :func:`tumbuh.db.children.child_query` row; None when there is none."""
    return connection.execute(child_query().where(table_of(Child).c.id == child_id)).first()


def measurement_rows(connection: Connection, child_id: int) -> Sequence[Row[Any]]:
    """The child's measurements, oldest first, each with its derived values (None when
    none were derived)."""
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    query = (
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
            d.c.weight_trend_clause,
        )
        .outerjoin(d, d.c.measurement_id == m.c.id)
        .where(m.c.child_id == child_id)
        .order_by(m.c.measured_on, m.c.id)
    )
    return connection.execute(query).all()


def measurements_between(
    connection: Connection, posyandu_id: int, start: date, end: date
) -> Sequence[Row[Any]]:
    """(child_id, measured_on, weight_kg, height_cm) of the posyandu's measurements from
    ``start`` to before ``end``, oldest first."""
    m = table_of(Measurement)
    query: Select[Any] = (
        select(m.c.child_id, m.c.measured_on, m.c.weight_kg, m.c.height_cm)
        .where(m.c.posyandu_id == posyandu_id, m.c.measured_on >= start, m.c.measured_on < end)
        .order_by(m.c.measured_on, m.c.id)
    )
    return connection.execute(query).all()


def search_rows(
    connection: Connection,
    *,
    nik: str | None,
    needle: str | None,
    posyandu_ids: Sequence[int] | None,
    limit: int,
) -> tuple[int, Sequence[Row[Any]]]:
    """How many children have the NIK ``nik`` (or, without it, a name or mother's name
    containing ``needle``, lower case) at one of ``posyandu_ids`` (None: anywhere), and
    the first ``limit`` of them (:func:`tumbuh.db.children.child_query` rows) by name,
    birth date and id."""
    c, mo = table_of(Child), table_of(Mother)
    if nik is not None:
        condition = c.c.nik == nik
    else:
        text = needle or ""
        condition = func.lower(c.c.name).contains(text, autoescape=True) | func.lower(
            mo.c.name
        ).contains(text, autoescape=True)
    base = child_query().where(condition)
    if posyandu_ids is not None:
        base = base.where(c.c.posyandu_id.in_(posyandu_ids))
    total = connection.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = connection.execute(base.order_by(c.c.name, c.c.birth_date, c.c.id).limit(limit)).all()
    return int(total), rows
