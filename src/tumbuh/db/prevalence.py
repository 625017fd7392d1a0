"""Stunting prevalence from the register, per area, for a period (docs/data-model.md).

Definitions, the ones the demo city is calibrated to and ``tumbuh report prevalence``
prints:

* a measurement is **valid** when it has a length/height-for-age z-score (WHO 2006,
  so the child was under 60 months) that is not WHO-flagged (|z| <= 6);
* a child is **measured** in a period when it has at least one valid measurement in
  it; it counts once, with its **last** valid measurement (latest date, then the
  latest entered);
* a measured child is **stunted** when that measurement's z-score is below -2 (pendek or
  sangat pendek, Permenkes 2/2020); prevalence = stunted / measured x 100;
* the area is that of the posyandu where the last valid measurement was taken.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, Connection, Subquery, case, false, func, select

from tumbuh.db.models import (
    Measurement,
    MeasurementDerived,
    Posyandu,
    Region,
    RegionLevel,
    table_of,
)
from tumbuh.db.regions import regions
from tumbuh.errors import ConfigError, InputError

STUNTING_HAZ_BELOW = -2.0
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class AreaLevel(StrEnum):
    """Levels a prevalence table can be broken down by."""

    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    POSYANDU = "posyandu"


@dataclass(frozen=True)
class Period:
    """Dates from ``start`` up to but not including ``end``."""

    start: date
    end: date
    label: str

    @classmethod
    def month(cls, text: str) -> "Period":
        """The calendar month written ``YYYY-MM`` (a bulan timbang is ``2024-08``)."""
        match = _MONTH.match(text.strip())
        if match is None or not 1 <= int(match[2]) <= 12:
            raise InputError(
                "--period: '{value}' is not a month; write it as YYYY-MM, for example 2024-08",
                value=text,
            )
        year, month = int(match[1]), int(match[2])
        end = date(year + (month == 12), month % 12 + 1, 1)
        return cls(date(year, month, 1), end, f"{year:04d}-{month:02d}")


@dataclass(frozen=True)
class PrevalenceRow:
    """Children measured and stunted in one area (code None: measured at no posyandu)."""

    code: str | None
    name: str | None
    level: str
    measured: int
    stunted: int

    @property
    def percent(self) -> float | None:
        """Stunted per 100 measured; None when nobody was measured."""
        return 100.0 * self.stunted / self.measured if self.measured else None


def _ranked_valid(period: Period) -> Subquery:
    """Valid measurements of the period, ranked per child from the last one (rank 1)."""
    m = table_of(Measurement)
    d = table_of(MeasurementDerived)
    rank = (
        func.row_number()
        .over(partition_by=m.c.child_id, order_by=(m.c.measured_on.desc(), m.c.id.desc()))
        .label("rank")
    )
    return (
        select(m.c.child_id, m.c.posyandu_id, d.c.haz, rank)
        .join(d, d.c.measurement_id == m.c.id)
        .where(
            m.c.measured_on >= period.start,
            m.c.measured_on < period.end,
            d.c.haz.is_not(None),
            d.c.haz_flag == false(),
        )
        .subquery()
    )


def _counts(
    connection: Connection, period: Period, by: AreaLevel | None
) -> dict[str | None, tuple[int, int]]:
    """(measured, stunted) per area key (posyandu code, kelurahan or kecamatan code)."""
    ranked = _ranked_valid(period)
    p = table_of(Posyandu)
    kelurahan = table_of(Region)
    key: ColumnElement[str | None]
    if by is AreaLevel.KELURAHAN:
        key = p.c.kelurahan_code
    elif by is AreaLevel.POSYANDU:
        key = p.c.code
    else:  # the city total is the sum over kecamatan
        key = kelurahan.c.parent_code
    stunted = func.sum(case((ranked.c.haz < STUNTING_HAZ_BELOW, 1), else_=0))
    source = ranked.outerjoin(p, p.c.id == ranked.c.posyandu_id).outerjoin(
        kelurahan, kelurahan.c.code == p.c.kelurahan_code
    )
    query = (
        select(key.label("area"), func.count().label("measured"), stunted.label("stunted"))
        .select_from(source)
        .where(ranked.c.rank == 1)
        .group_by(key)
    )
    return {
        row.area: (int(row.measured), int(row.stunted or 0)) for row in connection.execute(query)
    }


def _areas(connection: Connection, by: AreaLevel, city_code: str) -> list[tuple[str, str]]:
    """(code, name) of every area of level ``by`` in the city, ordered by code."""
    if by is AreaLevel.POSYANDU:
        p = table_of(Posyandu)
        query = (
            select(p.c.code, p.c.name)
            .where(p.c.kelurahan_code.startswith(city_code + "."))
            .order_by(p.c.code)
        )
        return [(row.code, row.name) for row in connection.execute(query)]
    level = RegionLevel.KECAMATAN if by is AreaLevel.KECAMATAN else RegionLevel.KELURAHAN
    return [(r.code, r.display_name) for r in regions(connection, level, within=city_code)]


def stunting_prevalence(
    connection: Connection, period: Period, *, city_code: str, by: AreaLevel | None = None
) -> list[PrevalenceRow]:
    """The city's row first, then one row per area of level ``by`` (all areas, by code).

    Areas where nobody was measured get 0 of 0. Children whose last valid measurement
    names no posyandu count for the city and, with ``by``, in a last row with code None.
    """
    city = connection.execute(
        select(table_of(Region)).where(table_of(Region).c.code == city_code)
    ).one_or_none()
    if city is None:
        raise ConfigError(
            "TUMBUH_CITY_CODE is {code}, but the database has no region with that code; run "
            "tumbuh db upgrade or correct the setting",
            code=city_code,
        )
    counts = _counts(connection, period, by)
    measured = sum(c[0] for c in counts.values())
    stunted = sum(c[1] for c in counts.values())
    rows = [PrevalenceRow(city_code, city.name, "kota", measured, stunted)]
    if by is None:
        return rows
    for code, name in _areas(connection, by, city_code):
        area_measured, area_stunted = counts.pop(code, (0, 0))
        rows.append(PrevalenceRow(code, name, by.value, area_measured, area_stunted))
    outside = list(counts.values())  # no posyandu, or one outside the city's areas
    if outside:
        rows.append(
            PrevalenceRow(
                None,
                None,
                by.value,
                sum(c[0] for c in outside),
                sum(c[1] for c in outside),
            )
        )
    return rows
