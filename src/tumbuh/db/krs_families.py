"""Families as a KRS import writes them: found by Nomor KK, created or their KRS record
replaced (docs/krs-import.md). Persistence only: the use case checks the scope and audits."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from tumbuh.db.bulk import chunks
from tumbuh.db.imports.write import reserve_ids
from tumbuh.db.models import Family, table_of

RECORD = (
    "kelurahan_code",
    "address",
    "rt",
    "rw",
    "has_safe_drinking_water",
    "has_safe_latrine",
    "wife_under_20",
    "wife_35_or_older",
    "birth_spacing_under_2_years",
    "more_than_3_children",
    "krs_assessed_on",
)


@dataclass(frozen=True)
class StoredFamily:
    """A family found by its Nomor KK: its id, kelurahan and KRS record as stored."""

    id: int
    kelurahan_code: str | None
    record: dict[str, object]  # the columns of :data:`RECORD`


def families_by_kk(connection: Connection, kks: Iterable[str]) -> dict[str, StoredFamily]:
    """The stored families with these numbers, by Nomor KK."""
    family = table_of(Family)
    found: dict[str, StoredFamily] = {}
    for part in chunks(sorted(set(kks))):
        query = select(family).where(family.c.nomor_kk.in_(part))
        for row in connection.execute(query):
            record = {name: getattr(row, name) for name in RECORD}
            found[row.nomor_kk] = StoredFamily(row.id, row.kelurahan_code, record)
    return found


def add_families(
    connection: Connection, records: list[tuple[str, Mapping[str, object]]]
) -> list[int]:
    """Insert families (Nomor KK and their :data:`RECORD` columns); their ids, in order."""
    if not records:
        return []
    ids = reserve_ids(connection, table_of(Family), len(records))
    rows = [{"id": i, "nomor_kk": kk, **dict(r)} for i, (kk, r) in zip(ids, records, strict=True)]
    connection.execute(insert(table_of(Family)), rows)
    return ids


def update_family(connection: Connection, family_id: int, record: Mapping[str, object]) -> None:
    """Replace the :data:`RECORD` columns of one family."""
    family = table_of(Family)
    connection.execute(update(family).where(family.c.id == family_id).values(**record))
