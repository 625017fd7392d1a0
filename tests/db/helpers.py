"""Small builders of registry rows for the database tests (synthetic people only)."""

from datetime import date

from sqlalchemy import Connection, insert

from tumbuh.db.models import (
    Child,
    Measurement,
    MeasurementDerived,
    MeasurementSource,
    Posyandu,
    table_of,
)
from tumbuh.growth.enums import Position, Sex


def add_posyandu(connection: Connection, code: str, kelurahan_code: str, name: str) -> int:
    """Insert a posyandu; returns its id."""
    result = connection.execute(
        insert(table_of(Posyandu))
        .values(code=code, name=name, kelurahan_code=kelurahan_code)
        .returning(table_of(Posyandu).c.id)
    )
    return int(result.scalar_one())


def add_child(
    connection: Connection,
    *,
    birth_date: date,
    sex: Sex = Sex.FEMALE,
    nik: str | None = None,
    posyandu_id: int | None = None,
) -> int:
    """Insert a child named after its birth date; returns its id."""
    result = connection.execute(
        insert(table_of(Child))
        .values(
            name=f"Anak {birth_date:%Y%m%d}",
            sex=sex,
            birth_date=birth_date,
            nik=nik,
            posyandu_id=posyandu_id,
        )
        .returning(table_of(Child).c.id)
    )
    return int(result.scalar_one())


def add_measurement(  # noqa: PLR0913 - a record's columns as options
    connection: Connection,
    *,
    child_id: int,
    measured_on: date,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    position: Position | None = None,
    posyandu_id: int | None = None,
    oedema: bool = False,
    muac_cm: float | None = None,
    head_circumference_cm: float | None = None,
) -> int:
    """Insert a typed-in measurement; returns its id."""
    result = connection.execute(
        insert(table_of(Measurement))
        .values(
            child_id=child_id,
            measured_on=measured_on,
            weight_kg=weight_kg,
            height_cm=height_cm,
            position=position,
            posyandu_id=posyandu_id,
            oedema=oedema,
            muac_cm=muac_cm,
            head_circumference_cm=head_circumference_cm,
            source=MeasurementSource.TYPED_IN,
        )
        .returning(table_of(Measurement).c.id)
    )
    return int(result.scalar_one())


def add_derived(
    connection: Connection, measurement_id: int, haz: float | None, haz_flag: bool | None
) -> None:
    """Insert a derived row with only a length/height-for-age z-score (query tests)."""
    connection.execute(
        insert(table_of(MeasurementDerived)).values(
            measurement_id=measurement_id,
            reference="test",
            haz=haz,
            haz_flag=haz_flag,
        )
    )
