"""Mothers as rows, for the bidan's registration of a pregnancy: found by NIK or added
(docs/pregnancies.md). The NIK is always text of 16 digits; it is never logged."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select

from tumbuh.db.models import Child, Mother, Posyandu, table_of


@dataclass(frozen=True)
class MotherRow:
    """A stored mother."""

    id: int
    nik: str | None
    name: str
    birth_date: date | None


def mother_by_nik(connection: Connection, nik: str) -> MotherRow | None:
    """The mother with this NIK, or None."""
    m = table_of(Mother)
    found = connection.execute(select(m).where(m.c.nik == nik)).first()
    return (
        None if found is None else MotherRow(int(found.id), found.nik, found.name, found.birth_date)
    )


def add_mother(connection: Connection, nik: str, name: str, birth_date: date | None) -> int:
    """Add a mother with her NIK; her id."""
    m = table_of(Mother)
    values = {"nik": nik, "name": name, "birth_date": birth_date}
    return int(connection.execute(insert(m).values(**values).returning(m.c.id)).scalar_one())


def mother_rows(connection: Connection, ids: Iterable[int]) -> dict[int, MotherRow]:
    """The mothers of ``ids`` by id."""
    m = table_of(Mother)
    rows = connection.execute(select(m).where(m.c.id.in_(sorted(set(ids)))))
    return {int(r.id): MotherRow(int(r.id), r.nik, r.name, r.birth_date) for r in rows}


def posyandu_names(connection: Connection, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The (name, kelurahan code) of the posyandu of ``ids`` by id."""
    p = table_of(Posyandu)
    query = select(p.c.id, p.c.name, p.c.kelurahan_code).where(p.c.id.in_(sorted(set(ids))))
    return {int(r.id): (str(r.name), str(r.kelurahan_code)) for r in connection.execute(query)}


def pregnancy_of_child(connection: Connection, child_id: int) -> int | None:
    """The pregnancy a child was born of (None: not linked)."""
    c = table_of(Child)
    found = connection.execute(select(c.c.pregnancy_id).where(c.c.id == child_id)).scalar()
    return None if found is None else int(found)


def posyandu_in(connection: Connection, kelurahan: frozenset[str] | None) -> list[tuple[int, str]]:
    """The posyandu (id, name) of ``kelurahan`` (None: all), by name."""
    p = table_of(Posyandu)
    query = select(p.c.id, p.c.name).order_by(p.c.name, p.c.id)
    if kelurahan is not None:
        query = query.where(p.c.kelurahan_code.in_(sorted(kelurahan)))
    return [(int(r.id), str(r.name)) for r in connection.execute(query)]
