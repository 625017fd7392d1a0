"""Catin (brides and grooms to be) as rows: the person and the registration KUA/Kemenag
reported, the health screening before the wedding, and the follow-up given.

A NIK is text of 16 characters and unique when present; a second catin with the same
NIK is :class:`NikTaken`, whose message names no NIK.
"""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tumbuh.db.bulk import chunks
from tumbuh.db.maternal.refusals import NikTaken, execute_refusing, insert_row
from tumbuh.db.models import table_of
from tumbuh.db.models_maternal import Catin
from tumbuh.growth.enums import Sex

NIK_UNIQUE = ("uq_catin_nik", "catin.nik")


def _nik_taken() -> tuple[NikTaken, str, str]:
    return (NikTaken("another catin has this NIK"), *NIK_UNIQUE)


@dataclass(frozen=True)
class CatinPerson:
    """Who the catin is, where they live, and what KUA/Kemenag reported."""

    name: str
    sex: Sex
    kelurahan_code: str
    registered_on: date
    nik: str | None = None  # 16 characters, always text
    birth_date: date | None = None
    wedding_planned_on: date | None = None


@dataclass(frozen=True)
class Screening:
    """The health screening before the wedding."""

    screened_on: date
    muac_cm: float | None = None  # LiLA
    hb_g_dl: float | None = None
    weight_kg: float | None = None
    height_cm: float | None = None


@dataclass(frozen=True)
class CatinRow:
    """A stored catin, with the screening and the follow-up where recorded."""

    id: int
    person: CatinPerson
    screening: Screening | None
    follow_up: str | None
    follow_up_on: date | None
    registered_by: int | None


def add_catin(connection: Connection, person: CatinPerson, *, by: int | None, now: datetime) -> int:
    """Add a catin; the id. :class:`NikTaken` when another catin has the NIK."""
    values = asdict(person) | {"registered_by": by, "created_at": now, "updated_at": now}
    return insert_row(connection, Catin, values, _nik_taken())


def update_person(
    connection: Connection, catin_id: int, person: CatinPerson, *, now: datetime
) -> None:
    """Replace the catin's person and registration fields; :class:`NikTaken` as
    :func:`add_catin`."""
    t = table_of(Catin)
    statement = update(t).where(t.c.id == catin_id).values(updated_at=now, **asdict(person))
    execute_refusing(connection, statement, _nik_taken())


def record_screening(
    connection: Connection, catin_id: int, screening: Screening | None, *, now: datetime
) -> None:
    """Store the screening (None: remove one recorded by mistake)."""
    t = table_of(Catin)
    fields = Screening.__dataclass_fields__
    values: dict[str, object] = dict.fromkeys(fields)
    if screening is not None:
        values = asdict(screening)
    connection.execute(update(t).where(t.c.id == catin_id).values(updated_at=now, **values))


def record_follow_up(
    connection: Connection,
    catin_id: int,
    follow_up: str | None,
    follow_up_on: date | None,
    *,
    now: datetime,
) -> None:
    """Store what was given after the screening, and when (the day needs the what)."""
    t = table_of(Catin)
    values = {"follow_up": follow_up, "follow_up_on": follow_up_on, "updated_at": now}
    connection.execute(update(t).where(t.c.id == catin_id).values(**values))


def _row(r: Any) -> CatinRow:
    person = CatinPerson(
        name=r.name,
        sex=Sex(r.sex),
        kelurahan_code=r.kelurahan_code,
        registered_on=r.registered_on,
        nik=r.nik,
        birth_date=r.birth_date,
        wedding_planned_on=r.wedding_planned_on,
    )
    screening = None
    if r.screened_on is not None:
        screening = Screening(r.screened_on, r.muac_cm, r.hb_g_dl, r.weight_kg, r.height_cm)
    return CatinRow(int(r.id), person, screening, r.follow_up, r.follow_up_on, r.registered_by)


def catin_row(connection: Connection, catin_id: int) -> CatinRow | None:
    """One catin, or None."""
    t = table_of(Catin)
    found = connection.execute(select(t).where(t.c.id == catin_id)).first()
    return None if found is None else _row(found)


def catin_rows(
    connection: Connection,
    *,
    kelurahan: frozenset[str] | None = None,
    registered: tuple[date, date] | None = None,
) -> list[CatinRow]:
    """Catin of ``kelurahan`` (None: the city) registered between the two days of
    ``registered`` (inclusive; None: any day); by registration day, then id."""
    t = table_of(Catin)
    query = select(t)
    if kelurahan is not None:
        query = query.where(t.c.kelurahan_code.in_(sorted(kelurahan)))
    if registered is not None:
        query = query.where(t.c.registered_on.between(*registered))
    return [_row(r) for r in connection.execute(query.order_by(t.c.registered_on, t.c.id))]


def niks_taken(connection: Connection, niks: Iterable[str]) -> set[str]:
    """Those of ``niks`` another catin has already."""
    t = table_of(Catin)
    found: set[str] = set()
    for part in chunks(sorted(set(niks))):
        found.update(str(n) for n in connection.scalars(select(t.c.nik).where(t.c.nik.in_(part))))
    return found


@dataclass(frozen=True)
class ImportedCatin:
    """A catin of an imported list: the person, the screening and the follow-up."""

    person: CatinPerson
    screening: Screening | None
    follow_up: str | None
    follow_up_on: date | None


def add_imported(
    connection: Connection, found: Sequence[ImportedCatin], *, by: int | None, now: datetime
) -> list[int]:
    """Insert the catin of an import in one statement; their ids, in order (the caller
    checked the NIK first, under the import lock)."""
    if not found:
        return []
    empty = dict.fromkeys(Screening.__dataclass_fields__)
    values = [
        asdict(c.person)
        | (asdict(c.screening) if c.screening else empty)
        | {
            "follow_up": c.follow_up,
            "follow_up_on": c.follow_up_on,
            "registered_by": by,
            "created_at": now,
            "updated_at": now,
        }
        for c in found
    ]
    t = table_of(Catin)
    statement = insert(t).returning(t.c.id, sort_by_parameter_order=True)
    return [int(r[0]) for r in connection.execute(statement, values)]
