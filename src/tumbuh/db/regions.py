"""Kemendagri regions shipped with the package, loaded idempotently, and read back.

The files are in ``tumbuh/data/wilayah/`` (see the README there): ``cilegon-wilayah.csv``
(province, kota, 8 kecamatan, 43 kelurahan), ``alias.csv`` (spellings met in files; the
local name "Grogol" of kecamatan Gerogol) and the boundaries as GeoJSON.
"""

import csv
import io
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import Connection, select

from tumbuh.db.models import Region, RegionAlias, RegionLevel, table_of
from tumbuh.errors import ConfigError

_FOLDER = "wilayah"
REGIONS_FILE = "cilegon-wilayah.csv"
ALIAS_FILE = "alias.csv"
BOUNDARY_FILES = {
    RegionLevel.KECAMATAN: "cilegon-kecamatan.geojson",
    RegionLevel.KELURAHAN: "cilegon-kelurahan.geojson",
}


@dataclass(frozen=True)
class RegionInfo:
    """A region as callers see it."""

    code: str
    name: str  # official name
    local_name: str | None  # local spelling, when it differs
    level: RegionLevel
    parent_code: str | None

    @property
    def display_name(self) -> str:
        """The local spelling where there is one, else the official name."""
        return self.local_name or self.name


@dataclass(frozen=True)
class RegionLoad:
    """What loading the packaged regions changed."""

    inserted: int
    updated: int
    aliases_inserted: int


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("tumbuh.data").joinpath(f"{_FOLDER}/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def packaged_regions() -> list[RegionInfo]:
    """The regions in the package files, parents before children."""
    local = {r["kode"]: r["alias"] for r in _read_csv(ALIAS_FILE) if r["nama_lokal"] == "ya"}
    return [
        RegionInfo(
            code=row["kode"],
            name=row["nama"],
            local_name=local.get(row["kode"]),
            level=RegionLevel(row["level"]),
            parent_code=row["parent_kode"] or None,
        )
        for row in _read_csv(REGIONS_FILE)
    ]


def load_packaged_regions(connection: Connection) -> RegionLoad:
    """Insert missing regions and aliases, update changed ones; running it again is a no-op."""
    table = table_of(Region)
    existing = {r.code: r for r in connection.execute(select(table)).all()}
    inserted = updated = 0
    for region in packaged_regions():
        values = {
            "name": region.name,
            "local_name": region.local_name,
            "level": region.level,
            "parent_code": region.parent_code,
        }
        old = existing.get(region.code)
        if old is None:
            connection.execute(table.insert().values(code=region.code, **values))
            inserted += 1
        elif any(getattr(old, key) != value for key, value in values.items()):
            connection.execute(table.update().where(table.c.code == region.code).values(**values))
            updated += 1
    aliases = {(a.region_code, a.alias) for a in connection.execute(select(table_of(RegionAlias)))}
    new_aliases = [
        {"region_code": row["kode"], "alias": row["alias"]}
        for row in _read_csv(ALIAS_FILE)
        if (row["kode"], row["alias"]) not in aliases
    ]
    if new_aliases:
        connection.execute(table_of(RegionAlias).insert(), new_aliases)
    return RegionLoad(inserted, updated, len(new_aliases))


def regions(
    connection: Connection, level: RegionLevel, *, within: str | None = None
) -> list[RegionInfo]:
    """Regions of ``level`` (optionally under the region ``within``), ordered by code."""
    table = table_of(Region)
    query = select(table).where(table.c.level == level).order_by(table.c.code)
    if within is not None:
        query = query.where(table.c.code.startswith(within + "."))
    return [_info(row) for row in connection.execute(query)]


def region(connection: Connection, code: str) -> RegionInfo | None:
    """One region by code, or None."""
    table = table_of(Region)
    row = connection.execute(select(table).where(table.c.code == code)).one_or_none()
    return None if row is None else _info(row)


def city_region(connection: Connection, city_code: str) -> RegionInfo:
    """The city of the installation (``TUMBUH_CITY_CODE``); a ConfigError when the
    database lacks it."""
    found = region(connection, city_code)
    if found is None:
        raise ConfigError(
            "TUMBUH_CITY_CODE is {code}, but the database has no region with that code; run "
            "tumbuh db upgrade or correct the setting",
            code=city_code,
        )
    return found


def _info(row: Any) -> RegionInfo:
    return RegionInfo(row.code, row.name, row.local_name, row.level, row.parent_code)


def read_boundaries(level: RegionLevel) -> dict[str, Any]:
    """The packaged GeoJSON FeatureCollection of kecamatan or kelurahan boundaries."""
    name = BOUNDARY_FILES[level]
    text = resources.files("tumbuh.data").joinpath(f"{_FOLDER}/{name}").read_text("utf-8")
    collection: dict[str, Any] = json.loads(text)
    return collection
