"""Persistence of PMT history imports (docs/import-format.md §13): finding the children and
mothers a file names by NIK, the episodes already stored, and writing new episodes,
mothers, families and pregnancies. Queries take explicit values and know nothing of
roles; :mod:`tumbuh.usecases.pmt_history` applies the user's area and decides.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from tumbuh.db.bulk import chunks
from tumbuh.db.imports.write import reserve_ids
from tumbuh.db.models import (
    Child,
    Family,
    ImportFile,
    Measurement,
    Mother,
    Posyandu,
    Pregnancy,
    table_of,
)
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.growth.pmt import Indication


@dataclass(frozen=True)
class ChildByNik:
    """A registered child found by NIK, with the place the scope is judged by."""

    id: int
    birth_date: date
    posyandu_id: int | None
    kelurahan_code: str | None  # of its posyandu, else of its family


def children_by_nik(connection: Connection, niks: Iterable[str]) -> dict[str, ChildByNik]:
    """The children that have one of ``niks``, by NIK."""
    c, p, f = table_of(Child), table_of(Posyandu), table_of(Family)
    place = func.coalesce(p.c.kelurahan_code, f.c.kelurahan_code)
    query = (
        select(c.c.nik, c.c.id, c.c.birth_date, c.c.posyandu_id, place.label("kelurahan"))
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(f, f.c.id == c.c.family_id)
    )
    found: dict[str, ChildByNik] = {}
    for part in chunks(sorted(set(niks))):
        for row in connection.execute(query.where(c.c.nik.in_(part))):
            found[row.nik] = ChildByNik(row.id, row.birth_date, row.posyandu_id, row.kelurahan)
    return found


@dataclass(frozen=True)
class MotherByNik:
    """A registered mother found by NIK: her family's kelurahan and her pregnancies
    (id, end; newest first)."""

    id: int
    kelurahan_code: str | None
    pregnancies: tuple[tuple[int, date | None], ...]


def mothers_by_nik(connection: Connection, niks: Iterable[str]) -> dict[str, MotherByNik]:
    """The mothers that have one of ``niks``, by NIK."""
    m, f, g = table_of(Mother), table_of(Family), table_of(Pregnancy)
    query = select(m.c.nik, m.c.id, f.c.kelurahan_code).outerjoin(f, f.c.id == m.c.family_id)
    rows: list[Row[Any, Any, Any]] = []
    for part in chunks(sorted(set(niks))):
        rows.extend(connection.execute(query.where(m.c.nik.in_(part))).all())
    pregnancies: dict[int, list[tuple[int, date | None]]] = defaultdict(list)
    for part in chunks([r.id for r in rows]):
        found = select(g.c.mother_id, g.c.id, g.c.ended_on).where(g.c.mother_id.in_(part))
        for row in connection.execute(found.order_by(g.c.id.desc())):
            pregnancies[row.mother_id].append((row.id, row.ended_on))
    return {r.nik: MotherByNik(r.id, r.kelurahan_code, tuple(pregnancies[r.id])) for r in rows}


@dataclass(frozen=True)
class StoredEpisode:
    """An episode already stored for a child, as the import compares it."""

    id: int
    child_id: int
    indication: Indication
    started_on: date
    ended_on: date | None


def episodes_of_children(
    connection: Connection, child_ids: Iterable[int]
) -> dict[int, list[StoredEpisode]]:
    """The stored episodes of ``child_ids``, by child."""
    e = table_of(PmtEpisode)
    found: dict[int, list[StoredEpisode]] = defaultdict(list)
    query = select(e.c.id, e.c.child_id, e.c.indication, e.c.started_on, e.c.ended_on)
    for part in chunks(sorted(set(child_ids))):
        for row in connection.execute(query.where(e.c.child_id.in_(part))):
            found[row.child_id].append(
                StoredEpisode(row.id, row.child_id, row.indication, row.started_on, row.ended_on)
            )
    return found


def stored_import_keys(connection: Connection, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` an earlier import stored already."""
    e = table_of(PmtEpisode)
    found: set[str] = set()
    for part in chunks(sorted(set(keys))):
        found.update(
            connection.execute(select(e.c.import_key).where(e.c.import_key.in_(part))).scalars()
        )
    return found


def measurements_on(
    connection: Connection, wanted: Iterable[tuple[int, date]]
) -> dict[tuple[int, date], int]:
    """The first measurement of each (child, day) in ``wanted`` (an episode's baseline)."""
    pairs = sorted(set(wanted))
    m = table_of(Measurement)
    found: dict[tuple[int, date], int] = {}
    for part in chunks(pairs):
        children = {child for child, _ in part}
        days = {day for _, day in part}
        query = (
            select(m.c.child_id, m.c.measured_on, func.min(m.c.id))
            .where(m.c.child_id.in_(children), m.c.measured_on.in_(days))
            .group_by(m.c.child_id, m.c.measured_on)
        )
        asked = set(part)
        for child, day, measurement in connection.execute(query):
            if (child, day) in asked:
                found[(child, day)] = measurement
    return found


@dataclass(frozen=True)
class NewMother:
    """A woman a pregnancy history names who is not registered yet."""

    nik: str
    name: str
    birth_date: date | None
    kelurahan_code: str


def add_mothers(connection: Connection, mothers: Sequence[NewMother]) -> dict[str, int]:
    """Register ``mothers``, each with a family in her kelurahan (that is where she
    belongs until a family card is known) and a pregnancy; their ids by NIK."""
    families = reserve_ids(connection, table_of(Family), len(mothers))
    ids = reserve_ids(connection, table_of(Mother), len(mothers))
    if mothers:
        connection.execute(
            insert(table_of(Family)),
            [
                {"id": f, "kelurahan_code": m.kelurahan_code}
                for f, m in zip(families, mothers, strict=True)
            ],
        )
        connection.execute(
            insert(table_of(Mother)),
            [
                {
                    "id": i,
                    "nik": m.nik,
                    "name": m.name[:100],
                    "birth_date": m.birth_date,
                    "family_id": f,
                }
                for i, f, m in zip(ids, families, mothers, strict=True)
            ],
        )
    return {m.nik: i for i, m in zip(ids, mothers, strict=True)}


def add_pregnancies(connection: Connection, mother_ids: Sequence[int]) -> list[int]:
    """A pregnancy (dates unknown) for each of ``mother_ids``; their ids, in order."""
    ids = reserve_ids(connection, table_of(Pregnancy), len(mother_ids))
    if ids:
        rows = [{"id": i, "mother_id": m} for i, m in zip(ids, mother_ids, strict=True)]
        connection.execute(insert(table_of(Pregnancy)), rows)
    return ids


def add_import_file(
    connection: Connection, run_id: int, name: str, sha256: str, layout: str, rows: int
) -> int:
    """The ``import_file`` row of a history file (``rows``: episodes it added)."""
    file_id = reserve_ids(connection, table_of(ImportFile), 1)[0]
    connection.execute(
        insert(table_of(ImportFile)).values(
            id=file_id,
            import_run_id=run_id,
            file_name=name[:255],
            sha256=sha256,
            layout=layout,
            imported_at=datetime.now(UTC),
            row_count=rows,
        )
    )
    return file_id


def add_episodes(connection: Connection, rows: Sequence[Mapping[str, object]]) -> list[int]:
    """Insert episodes (columns of ``pmt_episode`` but the id); their ids, in order."""
    ids = reserve_ids(connection, table_of(PmtEpisode), len(rows))
    if rows:
        values = [{"id": i, **row} for i, row in zip(ids, rows, strict=True)]
        connection.execute(insert(table_of(PmtEpisode)), values)
    return ids
