"""The areas surveillance reports are about: the city, a kecamatan, a kelurahan, a posyandu.

A child's area in a period is the posyandu of the measurement it is counted by, with that
posyandu's kelurahan and kecamatan (docs/surveillance.md). The city row counts every
child, also those measured at no posyandu.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, Connection, FromClause, select

from tumbuh.db.models import Posyandu, RegionLevel, table_of
from tumbuh.db.regions import city_region, region, regions
from tumbuh.errors import InputError


class AreaLevel(StrEnum):
    """Levels a table can be broken down by."""

    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    POSYANDU = "posyandu"


class AreaKind(StrEnum):
    """What one area is."""

    KOTA = "kota"  # the city (kota or kabupaten) of TUMBUH_CITY_CODE
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    POSYANDU = "posyandu"


@dataclass(frozen=True)
class Area:
    """One area: its code (Kemendagri, or the posyandu's code), name and kind.

    ``parent_code`` (the kota of a kecamatan, the kecamatan of a kelurahan, the kelurahan
    of a posyandu) is where the area lies; it takes no part in comparing areas, so the
    same area read with or without it is equal.
    """

    code: str
    name: str
    kind: AreaKind
    posyandu_id: int | None = None  # for a posyandu
    parent_code: str | None = field(default=None, compare=False)


def city_area(connection: Connection, city_code: str) -> Area:
    """The city of the installation; a ConfigError when the regions lack it."""
    found = city_region(connection, city_code)
    return Area(found.code, found.display_name, AreaKind.KOTA)


def find_area(connection: Connection, code: str, *, city_code: str, option: str = "--area") -> Area:
    """The city, a kecamatan or kelurahan of it (Kemendagri code), or a posyandu (its code
    or number); an InputError naming ``option`` otherwise."""
    text = code.strip()
    if text == city_code:
        return city_area(connection, city_code)
    found = region(connection, text)
    inside = found is not None and text.startswith(city_code + ".")
    if (
        found is not None
        and inside
        and found.level in (RegionLevel.KECAMATAN, RegionLevel.KELURAHAN)
    ):
        return Area(
            found.code,
            found.display_name,
            AreaKind(found.level.value),
            parent_code=found.parent_code,
        )
    posyandu = find_posyandu(connection, text, city_code=city_code)
    if posyandu is not None:
        return posyandu
    raise InputError(
        "{option}: '{value}' is not an area of {city}; give the city code {city}, a kecamatan "
        "or kelurahan code such as {city}.01 or {city}.01.1001, or a posyandu code",
        option=option,
        value=text,
        city=city_code,
    )


def find_posyandu(connection: Connection, text: str, *, city_code: str) -> Area | None:
    """A posyandu of the city by its code or its number (id), or None."""
    p = table_of(Posyandu)
    value = text.strip()
    condition = p.c.id == int(value) if value.isdigit() else p.c.code == value
    row = connection.execute(
        select(p.c.id, p.c.code, p.c.name, p.c.kelurahan_code).where(
            condition, p.c.kelurahan_code.startswith(city_code + ".")
        )
    ).one_or_none()
    if row is None:
        return None
    return Area(row.code, row.name, AreaKind.POSYANDU, int(row.id), row.kelurahan_code)


def areas_at(connection: Connection, by: AreaLevel, city_code: str) -> list[tuple[str, str]]:
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


def city_posyandu(connection: Connection, city_code: str) -> list[tuple[int, str, str, str]]:
    """(id, code, name, kelurahan code) of every posyandu of the city, ordered by code."""
    p = table_of(Posyandu)
    query = (
        select(p.c.id, p.c.code, p.c.name, p.c.kelurahan_code)
        .where(p.c.kelurahan_code.startswith(city_code + "."))
        .order_by(p.c.code)
    )
    return [
        (int(row.id), row.code, row.name, row.kelurahan_code) for row in connection.execute(query)
    ]


def posyandu_condition(area: Area, posyandu: FromClause) -> ColumnElement[bool]:
    """SQL: a row of the ``posyandu`` table (or an alias of it) lies in ``area``.

    Not for the city, which also counts children measured at no posyandu.
    """
    if area.kind is AreaKind.POSYANDU:
        return posyandu.c.code == area.code
    if area.kind is AreaKind.KELURAHAN:
        return posyandu.c.kelurahan_code == area.code
    if area.kind is AreaKind.KECAMATAN:
        return posyandu.c.kelurahan_code.startswith(area.code + ".")
    raise ValueError("the city is not a posyandu condition")
