"""Measurements of a period and area, read for ``tumbuh export eppgbm`` (layout A).

One row per measurement dated in the period. The place of a measurement is its posyandu
(or, without one, the child's home posyandu; else the family's kelurahan). The area is
the city (everything), a kecamatan or kelurahan code (measurements placed inside it), or
a posyandu code. z-scores and categories are Tumbuh's stored derived values.
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Row, Select, func, or_, select

from tumbuh.db.maternal.child_months import MonthRecord, child_month_rows
from tumbuh.db.models import (
    Child,
    Family,
    Measurement,
    MeasurementDerived,
    Mother,
    Posyandu,
    Puskesmas,
    PuskesmasArea,
    Region,
    table_of,
)
from tumbuh.db.regions import region
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.errors import InputError
from tumbuh.growth.categories import HazCategory, WazCategory, WhzCategory
from tumbuh.growth.periods import Period
from tumbuh.ingest.export import ExportRow


def find_area(connection: Connection, code: str, city_code: str) -> Area:
    """The region or posyandu with ``code`` inside the city (a posyandu named "Posyandu
    <name>", as the export's title says it), or an InputError naming ``--area``."""
    found = region(connection, code)
    if found is not None and (code == city_code or code.startswith(city_code + ".")):
        kind = AreaKind.KOTA if code == city_code else AreaKind(found.level.value)
        return Area(code, found.display_name, kind)
    table = table_of(Posyandu)
    row = connection.execute(
        select(table.c.id, table.c.name).where(table.c.code == code)
    ).one_or_none()
    if row is not None:
        return Area(code, f"Posyandu {row.name}", AreaKind.POSYANDU, int(row.id))
    raise InputError(
        "--area: no kecamatan, kelurahan or posyandu has the code '{code}'; write a code "
        "such as {example} (tumbuh report prevalence --by kecamatan lists them)",
        code=code,
        example=f"{city_code}.01",
    )


def posyandu_kelurahan(connection: Connection, posyandu_id: int) -> str | None:
    """The kelurahan code of a posyandu (None when there is no such posyandu)."""
    table = table_of(Posyandu)
    found = connection.execute(
        select(table.c.kelurahan_code).where(table.c.id == posyandu_id)
    ).scalar_one_or_none()
    return None if found is None else str(found)


def _label(
    enum: type[WazCategory] | type[HazCategory] | type[WhzCategory], value: object
) -> str | None:
    return None if value is None else enum(str(getattr(value, "value", value))).label("id")


def export_rows(
    connection: Connection, period: Period, area: Area, city_code: str
) -> list[ExportRow]:
    """The period's measurements in ``area``, ordered by kelurahan, posyandu, child, date."""
    city = region(connection, city_code)
    province = region(connection, city.parent_code) if city and city.parent_code else None
    rows = list(connection.execute(_query(period, area, city_code)).all())
    rows.sort(
        key=lambda r: (r.kelurahan_code or "~", r.posyandu or "", r.name, r.measured_on, r.id)
    )
    places = (province.name if province else None, city.name if city else None)
    months = _child_months(connection, period, {int(r.child_id) for r in rows})
    return [
        _row(r, *places, months.get((int(r.child_id), r.measured_on.replace(day=1)))) for r in rows
    ]


def _child_months(
    connection: Connection, period: Period, child_ids: set[int]
) -> dict[tuple[int, date], MonthRecord]:
    """The children's months of the period (vitamin A and KPSP go beside a measurement)."""
    if not child_ids:
        return {}
    last = period.end - timedelta(days=1)
    months = (period.start.replace(day=1), last.replace(day=1))
    found = child_month_rows(connection, months, child_ids=child_ids)
    return {(r.child_id, r.month): r.record for r in found}


def _query(period: Period, area: Area, city_code: str) -> Select[Any]:
    """One row per measurement with its child, mother, family, place and derived values."""
    m, c, mo, fa = table_of(Measurement), table_of(Child), table_of(Mother), table_of(Family)
    p, d = table_of(Posyandu), table_of(MeasurementDerived)
    kel, kec = table_of(Region).alias("kel"), table_of(Region).alias("kec")
    area_table, puskesmas = table_of(PuskesmasArea), table_of(Puskesmas)
    posyandu_id = func.coalesce(m.c.posyandu_id, c.c.posyandu_id)
    kelurahan_code = func.coalesce(p.c.kelurahan_code, fa.c.kelurahan_code)
    query = (
        select(
            c.c.nik, c.c.name, c.c.sex, c.c.birth_date, c.c.birth_weight_kg,
            c.c.birth_length_cm, c.c.has_buku_kia, mo.c.name.label("parent_name"),
            kec.c.name.label("kecamatan"), puskesmas.c.name.label("puskesmas"),
            kel.c.name.label("kelurahan"), p.c.name.label("posyandu"), fa.c.rt, fa.c.rw,
            fa.c.address, m.c.id, m.c.child_id, m.c.measured_on, m.c.weight_kg, m.c.height_cm,
            m.c.position, m.c.muac_cm, m.c.oedema, m.c.pmt_received_kg, m.c.kader_weight_trend,
            d.c.waz_category, d.c.waz, d.c.haz_category, d.c.haz, d.c.whz_category, d.c.whz,
            d.c.weight_trend,
            kelurahan_code.label("kelurahan_code"),
        )
        .join(c, c.c.id == m.c.child_id)
        .outerjoin(mo, mo.c.id == c.c.mother_id)
        .outerjoin(fa, fa.c.id == c.c.family_id)
        .outerjoin(p, p.c.id == posyandu_id)
        .outerjoin(kel, kel.c.code == kelurahan_code)
        .outerjoin(kec, kec.c.code == kel.c.parent_code)
        .outerjoin(area_table, area_table.c.kelurahan_code == kel.c.code)
        .outerjoin(puskesmas, puskesmas.c.id == area_table.c.puskesmas_id)
        .outerjoin(d, d.c.measurement_id == m.c.id)
        .where(m.c.measured_on >= period.start, m.c.measured_on < period.end)
    )  # fmt: skip
    if area.posyandu_id is not None:
        return query.where(posyandu_id == area.posyandu_id)
    if area.code != city_code:
        inside = kelurahan_code.startswith(area.code + ".")
        return query.where(or_(kelurahan_code == area.code, inside))
    return query


def _row(
    r: Row[Any], province: str | None, city: str | None, month: MonthRecord | None
) -> ExportRow:
    kpsp = None if month is None else month.kpsp_result
    return ExportRow(
        nik=r.nik,
        name=r.name,
        sex=r.sex,
        birth_date=r.birth_date,
        birth_weight_kg=r.birth_weight_kg,
        birth_length_cm=r.birth_length_cm,
        parent_name=r.parent_name,
        province=province,
        city=city,
        kecamatan=r.kecamatan,
        puskesmas=r.puskesmas,
        kelurahan=r.kelurahan,
        posyandu=r.posyandu,
        rt=r.rt,
        rw=r.rw,
        address=r.address,
        measured_on=r.measured_on,
        weight_kg=r.weight_kg,
        height_cm=r.height_cm,
        position=r.position,
        muac_cm=r.muac_cm,
        oedema=bool(r.oedema),
        pmt_kg=r.pmt_received_kg,
        waz_category=_label(WazCategory, r.waz_category),
        waz=r.waz,
        haz_category=_label(HazCategory, r.haz_category),
        haz=r.haz,
        whz_category=_label(WhzCategory, r.whz_category),
        whz=r.whz,
        weight_trend=_trend(r.kader_weight_trend, r.weight_trend),
        has_buku_kia=r.has_buku_kia,
        vitamin_a_given=None if month is None else month.vitamin_a_given,
        kpsp_result=None if kpsp is None else kpsp.value,
    )


def _trend(kader: object, computed: object) -> str | None:
    """The kader's N/T/O/B where recorded, else Tumbuh's."""
    chosen = kader if kader is not None else computed
    return None if chosen is None else str(getattr(chosen, "value", chosen))
