"""Children's rows as the forms and the API change them: a new child, a versioned
correction (:mod:`tumbuh.db.versions`), the mother's record, the child that holds a NIK,
the children of a kelurahan born on one day (a possible duplicate), and a posyandu's
children a page at a time.

**NIK is unique** (index ``uq_child_nik``). The forms look for another child with the NIK
first, but a concurrent save can pass that look-up and write first; the unique index
then refuses the second write. :func:`insert_child` and :func:`update_child_row` turn that
refusal into :class:`NikTaken` (inside a savepoint, so the caller's transaction goes on
and can say who holds the NIK), on SQLite and PostgreSQL alike; any other integrity error
is raised as it is. The error's text never reaches a log: PostgreSQL's carries the NIK.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tumbuh.db.models import Child, Measurement, Mother, Posyandu, table_of
from tumbuh.db.versions import versioned_update
from tumbuh.growth.enums import Sex

NIK_CONSTRAINT = "uq_child_nik"


class NikTaken(Exception):  # noqa: N818 - a signal to the caller, who says what to do
    """The unique index refused the child's NIK: another child has it."""


@dataclass(frozen=True)
class NikHolder:
    """The child that holds a NIK, and where (to decide what the user may be told)."""

    child_id: int
    name: str
    posyandu_id: int | None
    kelurahan_code: str | None


def child_query() -> Select[Any]:
    """A child's columns with its posyandu's name and kelurahan and its mother's name."""
    c, p, mo = table_of(Child), table_of(Posyandu), table_of(Mother)
    return (
        select(
            c.c.id,
            c.c.name,
            c.c.nik,
            c.c.sex,
            c.c.birth_date,
            c.c.posyandu_id,
            p.c.name.label("posyandu_name"),
            p.c.kelurahan_code,
            mo.c.name.label("mother_name"),
            c.c.birth_weight_kg,
            c.c.birth_length_cm,
            c.c.version,
        )
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(mo, mo.c.id == c.c.mother_id)
    )


def nik_holder(
    connection: Connection, nik: str, *, except_child: int | None = None
) -> NikHolder | None:
    """The child (not ``except_child``) that has ``nik``; None when no other child has it."""
    c, p = table_of(Child), table_of(Posyandu)
    query = (
        select(c.c.id, c.c.name, c.c.posyandu_id, p.c.kelurahan_code)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .where(c.c.nik == nik)
    )
    if except_child is not None:
        query = query.where(c.c.id != except_child)
    row = connection.execute(query).first()
    if row is None:
        return None
    return NikHolder(int(row.id), row.name, row.posyandu_id, row.kelurahan_code)


def children_born(
    connection: Connection, kelurahan_code: str, birth_date: date, sex: Sex
) -> Sequence[Row[Any]]:
    """The children (:func:`child_query` rows) of the kelurahan's posyandu born on
    ``birth_date`` with ``sex``, by id: the few a new child's identity is compared with
    (the names are compared by the caller, normalised as the import does)."""
    c, p = table_of(Child), table_of(Posyandu)
    query = (
        child_query()
        .where(p.c.kelurahan_code == kelurahan_code)
        .where(c.c.birth_date == birth_date, c.c.sex == sex)
        .order_by(c.c.id)
    )
    return connection.execute(query).all()


def first_measured_on(connection: Connection, child_id: int) -> date | None:
    """The date of the child's earliest measurement, if any."""
    m = table_of(Measurement)
    query = select(func.min(m.c.measured_on)).where(m.c.child_id == child_id)
    found: date | None = connection.execute(query).scalar_one()
    return found


def _is_nik_refusal(error: IntegrityError) -> bool:
    """True when the unique index on ``child.nik`` refused the statement."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # psycopg: the constraint's name, without reading the message
        return getattr(diag, "constraint_name", None) == NIK_CONSTRAINT
    return "UNIQUE constraint failed: child.nik" in str(error.orig)  # sqlite3 names no value


def insert_child(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a child row; its id. :class:`NikTaken` when another child has its NIK."""
    c = table_of(Child)
    try:
        with connection.begin_nested():
            new_id = connection.execute(insert(c).values(**values).returning(c.c.id))
            return int(new_id.scalar_one())
    except IntegrityError as error:
        if _is_nik_refusal(error):
            raise NikTaken("another child has this NIK") from None
        raise


def update_child_row(
    connection: Connection, child_id: int, version: int, values: Mapping[str, object]
) -> None:
    """Store ``values`` in the child's row if it is still at ``version`` (and add one):
    :class:`tumbuh.db.versions.StaleVersion` when another save came first,
    :class:`NikTaken` when another child has the NIK."""
    try:
        with connection.begin_nested():
            versioned_update(connection, table_of(Child), child_id, version, values)
    except IntegrityError as error:
        if _is_nik_refusal(error):
            raise NikTaken("another child has this NIK") from None
        raise


def lock_child(connection: Connection, child_id: int) -> None:
    """Hold the child's row until the transaction ends (PostgreSQL ``FOR NO KEY UPDATE``;
    SQLite's write transaction already holds the database), so that two changes to the
    child's measurements recompute its derived values one after the other. The lock does
    not wait for transactions that only insert rows referring to the child (an import)."""
    c = table_of(Child)
    query = select(c.c.id).where(c.c.id == child_id).with_for_update(key_share=True)
    connection.execute(query)


def new_mother(connection: Connection, name: str) -> int:
    """Add a mother record; its id."""
    m = table_of(Mother)
    return int(connection.execute(insert(m).values(name=name).returning(m.c.id)).scalar_one())


def mother_for(connection: Connection, child_id: int, name: str | None) -> int | None:
    """The mother record of a child whose mother's name is now ``name``: None without a
    name; else its own record renamed, or a new one when a sibling shares the old one."""
    if name is None:
        return None
    c, m = table_of(Child), table_of(Mother)
    current = connection.execute(
        select(c.c.mother_id).where(c.c.id == child_id)
    ).scalar_one_or_none()
    if current is None:
        return new_mother(connection, name)
    shared = connection.execute(
        select(func.count()).where(c.c.mother_id == current, c.c.id != child_id)
    ).scalar_one()
    if shared:
        return new_mother(connection, name)
    connection.execute(update(m).where(m.c.id == current).values(name=name))
    return int(current)


def set_mother(connection: Connection, child_id: int, mother_id: int | None) -> None:
    """Link the child to a mother record (None: none), without touching its version (the
    versioned update of the same correction already added one)."""
    c = table_of(Child)
    connection.execute(update(c).where(c.c.id == child_id).values(mother_id=mother_id))


def count_children_at(connection: Connection, posyandu_id: int) -> int:
    """How many children are registered at the posyandu."""
    c = table_of(Child)
    query = select(func.count()).select_from(c).where(c.c.posyandu_id == posyandu_id)
    return int(connection.execute(query).scalar_one())


def children_at(
    connection: Connection, posyandu_id: int, *, limit: int | None = None, offset: int = 0
) -> Sequence[Row[Any]]:
    """The posyandu's children (:func:`child_query` rows) by name, then id: an order that
    is total, so pages never repeat or skip a child while the list does not change."""
    c = table_of(Child)
    query = child_query().where(c.c.posyandu_id == posyandu_id).order_by(c.c.name, c.c.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return connection.execute(query).all()
