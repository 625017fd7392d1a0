"""What the database already holds, read for one import: regions, posyandu, children,
mothers, families, measurements and imported files.

Every read is bounded by the batch (the NIKs, birth dates, children and dates it names)
and chunked, so an import of a month into a city's database of many years reads only
what it needs.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from tumbuh.db.bulk import chunks
from tumbuh.db.models import (
    Child,
    Family,
    ImportFile,
    Measurement,
    MeasurementRound,
    MeasurementSource,
    Mother,
    Posyandu,
    Region,
    RegionAlias,
    RegionLevel,
    table_of,
)
from tumbuh.errors import ConfigError
from tumbuh.growth.enums import Position, Sex
from tumbuh.ingest.regions import RegionRecord


def region_records(connection: Connection, city_code: str) -> list[RegionRecord]:
    """The kota and its kecamatan and kelurahan, with local names and aliases as spellings."""
    region = table_of(Region)
    rows = connection.execute(
        select(region).where(
            (region.c.code == city_code) | region.c.code.startswith(city_code + ".")
        )
    ).all()
    if not any(r.code == city_code for r in rows):
        raise ConfigError(
            "the database has no region {code} (TUMBUH_CITY_CODE); run tumbuh db upgrade, or "
            "set TUMBUH_CITY_CODE to the kota of this installation",
            code=city_code,
        )
    alias = table_of(RegionAlias)
    spellings: dict[str, list[str]] = defaultdict(list)
    for row in connection.execute(select(alias.c.region_code, alias.c.alias)):
        spellings[row.region_code].append(row.alias)
    return [
        RegionRecord(
            code=r.code,
            name=r.name,
            level=RegionLevel(r.level),
            parent_code=r.parent_code,
            alternative_names=tuple(
                n for n in (r.local_name, *spellings.get(r.code, ())) if n and n != r.name
            ),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class StoredPosyandu:
    """A registered posyandu."""

    id: int
    code: str
    name: str
    kelurahan_code: str


def registered_posyandu(connection: Connection) -> list[StoredPosyandu]:
    """Every registered posyandu, oldest first."""
    table = table_of(Posyandu)
    query = select(table.c.id, table.c.code, table.c.name, table.c.kelurahan_code)
    return [StoredPosyandu(*row) for row in connection.execute(query.order_by(table.c.id))]


@dataclass(frozen=True)
class StoredChild:
    """A registered child with its mother's name (for the identity key)."""

    id: int
    nik: str | None
    name: str
    sex: Sex
    birth_date: date
    mother_name: str | None
    mother_id: int | None
    family_id: int | None
    posyandu_id: int | None
    birth_weight_kg: float | None
    birth_length_cm: float | None
    gestational_age_weeks: int | None
    has_buku_kia: bool | None


def _child_query() -> Any:
    child, mother = table_of(Child), table_of(Mother)
    return select(
        child.c.id,
        child.c.nik,
        child.c.name,
        child.c.sex,
        child.c.birth_date,
        mother.c.name.label("mother_name"),
        child.c.mother_id,
        child.c.family_id,
        child.c.posyandu_id,
        child.c.birth_weight_kg,
        child.c.birth_length_cm,
        child.c.gestational_age_weeks,
        child.c.has_buku_kia,
    ).outerjoin(mother, mother.c.id == child.c.mother_id)


def children_for(
    connection: Connection, niks: Iterable[str], birth_dates: Iterable[date]
) -> list[StoredChild]:
    """Children with one of ``niks`` or born on one of ``birth_dates`` (identity)."""
    child = table_of(Child)
    found: dict[int, StoredChild] = {}
    for column, values in ((child.c.nik, set(niks)), (child.c.birth_date, set(birth_dates))):
        for part in chunks(sorted(values)):
            for row in connection.execute(_child_query().where(column.in_(part))):
                found[row.id] = StoredChild(*row)
    return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class StoredMeasurement:
    """A measurement as stored, with where it came from."""

    id: int
    child_id: int
    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    muac_cm: float | None
    position: Position | None
    source: MeasurementSource
    file_name: str | None
    import_row: int | None
    oedema: bool = False
    pmt_received_kg: float | None = None


def measurements_for(
    connection: Connection, child_ids: Iterable[int], days: Sequence[date]
) -> dict[tuple[int, date], list[StoredMeasurement]]:
    """Measurements of ``child_ids`` between the first and last of ``days``, by child and day."""
    found: dict[tuple[int, date], list[StoredMeasurement]] = defaultdict(list)
    if not days:
        return found
    m, f = table_of(Measurement), table_of(ImportFile)
    query = (
        select(
            m.c.id,
            m.c.child_id,
            m.c.measured_on,
            m.c.weight_kg,
            m.c.height_cm,
            m.c.muac_cm,
            m.c.position,
            m.c.source,
            f.c.file_name,
            m.c.import_row,
            m.c.oedema,
            m.c.pmt_received_kg,
        )
        .outerjoin(f, f.c.id == m.c.import_file_id)
        .where(m.c.measured_on.between(min(days), max(days)))
        .order_by(m.c.id)
    )
    for part in chunks(sorted(set(child_ids))):
        for row in connection.execute(query.where(m.c.child_id.in_(part))):
            found[(row.child_id, row.measured_on)].append(StoredMeasurement(*tuple(row)))
    return found


@dataclass(frozen=True)
class StoredMother:
    """A registered mother."""

    id: int
    nik: str | None
    name: str
    family_id: int | None


def families_by_kk(connection: Connection, kks: Iterable[str]) -> dict[str, int]:
    """Family id by Nomor KK, for the given numbers."""
    table = table_of(Family)
    found: dict[str, int] = {}
    for part in chunks(sorted(set(kks))):
        query = select(table.c.nomor_kk, table.c.id).where(table.c.nomor_kk.in_(part))
        found.update({row.nomor_kk: row.id for row in connection.execute(query)})
    return found


def mothers_for(
    connection: Connection, niks: Iterable[str], family_ids: Iterable[int]
) -> list[StoredMother]:
    """Mothers with one of ``niks`` or in one of ``family_ids``."""
    table = table_of(Mother)
    query = select(table.c.id, table.c.nik, table.c.name, table.c.family_id)
    found: dict[int, StoredMother] = {}
    for column, values in ((table.c.nik, set(niks)), (table.c.family_id, set(family_ids))):
        for part in chunks(sorted(values)):
            for row in connection.execute(query.where(column.in_(part))):
                found[row.id] = StoredMother(*row)
    return list(found.values())


def imported_files(connection: Connection, digests: Iterable[str]) -> dict[str, datetime]:
    """When each file (by SHA-256) first gave measurements, for those imported before (an
    import run also records the files that added nothing: ``row_count`` 0)."""
    table = table_of(ImportFile)
    found: dict[str, datetime] = {}
    for part in chunks(sorted(set(digests))):
        query = (
            select(table.c.sha256, func.min(table.c.imported_at))
            .where(table.c.sha256.in_(part), table.c.row_count > 0)
            .group_by(table.c.sha256)
        )
        found.update({row[0]: row[1] for row in connection.execute(query)})
    return found


def rounds_by_month(connection: Connection) -> dict[date, int]:
    """The measurement round of each month that has exactly one."""
    table = table_of(MeasurementRound)
    by_month: dict[date, list[int]] = defaultdict(list)
    for row in connection.execute(select(table.c.id, table.c.month)):
        by_month[row.month].append(row.id)
    return {month: ids[0] for month, ids in by_month.items() if len(ids) == 1}


def new_posyandu_codes(connection: Connection, kelurahan: list[str]) -> list[str]:
    """New codes ``<kelurahan>.I01``, ``.I02``, ... not used yet in each kelurahan."""
    if not kelurahan:
        return []
    table = table_of(Posyandu)
    taken = set(
        connection.execute(
            select(table.c.code).where(table.c.kelurahan_code.in_(sorted(set(kelurahan))))
        ).scalars()
    )
    codes = []
    number: dict[str, int] = defaultdict(int)
    for code in kelurahan:
        while True:
            number[code] += 1
            candidate = f"{code}.I{number[code]:02d}"
            if candidate not in taken:
                break
        taken.add(candidate)
        codes.append(candidate)
    return codes
