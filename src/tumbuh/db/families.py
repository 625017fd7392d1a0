"""Families as rows, for the TPK's pages (docs/families.md): a family's card, area and
stored KRS criteria, the people of a family (mothers, children, pregnancies) and the
change of its criteria.

Persistence only: queries take explicit filters (the kelurahan codes a use case allows)
and know nothing of roles; the KRS rule that judges the criteria is
:mod:`tumbuh.growth.krs`'s. The six criteria travel as
:class:`~tumbuh.db.indicators.FamilyFacts`, the one home of a family's stored criteria.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, or_, select, update

from tumbuh.db.indicators import FamilyFacts
from tumbuh.db.models import Child, Family, Mother, Pregnancy, table_of
from tumbuh.db.models_access import AppUser
from tumbuh.growth.enums import Sex

CRITERIA = (
    "has_safe_drinking_water",
    "has_safe_latrine",
    "wife_under_20",
    "wife_35_or_older",
    "birth_spacing_under_2_years",
    "more_than_3_children",
)


@dataclass(frozen=True)
class FamilyRow:
    """A stored family: its card, address and KRS criteria (None: not recorded)."""

    id: int
    nomor_kk: str | None
    address: str | None
    rt: str | None
    rw: str | None
    krs_assessed_on: date | None
    facts: FamilyFacts  # kelurahan and the six criteria


@dataclass(frozen=True)
class MotherOfFamily:
    """A mother recorded in a family."""

    id: int
    family_id: int
    name: str
    birth_date: date | None


@dataclass(frozen=True)
class ChildOfFamily:
    """A child of a family (by the family card, or by its mother)."""

    id: int
    family_id: int
    name: str
    sex: Sex
    birth_date: date
    posyandu_id: int | None


@dataclass(frozen=True)
class PregnancyOfFamily:
    """A pregnancy of a family's mother."""

    id: int
    family_id: int
    hpht: date | None
    due_date: date | None
    ended_on: date | None
    kelurahan_code: str | None


@dataclass(frozen=True)
class FamilyPeople:
    """The mothers, children and pregnancies of some families."""

    mothers: list[MotherOfFamily]
    children: list[ChildOfFamily]
    pregnancies: list[PregnancyOfFamily]


def family_rows(
    connection: Connection,
    *,
    kelurahan: frozenset[str] | None,
    family_ids: Iterable[int] | None = None,
) -> list[FamilyRow]:
    """The families of ``kelurahan`` (None: every family with an area), among
    ``family_ids``; by id."""
    f = table_of(Family)
    query = select(f).where(f.c.kelurahan_code.is_not(None)).order_by(f.c.id)
    if kelurahan is not None:
        query = query.where(f.c.kelurahan_code.in_(sorted(kelurahan)))
    if family_ids is not None:
        query = query.where(f.c.id.in_(sorted(set(family_ids))))
    return [
        FamilyRow(
            int(r.id),
            r.nomor_kk,
            r.address,
            r.rt,
            r.rw,
            r.krs_assessed_on,
            FamilyFacts(r.kelurahan_code, *(getattr(r, name) for name in CRITERIA)),
        )
        for r in connection.execute(query)
    ]


def family_row(connection: Connection, family_id: int) -> FamilyRow | None:
    """One family, or None (also for a family without an area)."""
    found = family_rows(connection, kelurahan=None, family_ids=[family_id])
    return found[0] if found else None


def _family_ids(kelurahan: frozenset[str] | None, family_ids: Iterable[int] | None) -> Select[Any]:
    """The query of the ids of the families of ``kelurahan`` among ``family_ids`` (used
    as a subquery: a city's families are more than a statement's parameters may be)."""
    f = table_of(Family)
    query = select(f.c.id).where(f.c.kelurahan_code.is_not(None))
    if kelurahan is not None:
        query = query.where(f.c.kelurahan_code.in_(sorted(kelurahan)))
    if family_ids is not None:
        query = query.where(f.c.id.in_(sorted(set(family_ids))))
    return query


def family_people(
    connection: Connection,
    *,
    kelurahan: frozenset[str] | None,
    family_ids: Iterable[int] | None = None,
) -> FamilyPeople:
    """The mothers, the children (by family card or mother) and the mothers' pregnancies
    of the families of ``kelurahan`` (None: the city) among ``family_ids``."""
    selected = _family_ids(kelurahan, family_ids)
    families = {int(i) for i in connection.execute(selected).scalars()}
    ids = selected.scalar_subquery()
    m, c, p = table_of(Mother), table_of(Child), table_of(Pregnancy)
    mothers = [
        MotherOfFamily(int(r.id), int(r.family_id), r.name, r.birth_date)
        for r in connection.execute(
            select(m.c.id, m.c.family_id, m.c.name, m.c.birth_date)
            .where(m.c.family_id.in_(ids))
            .order_by(m.c.id)
        )
    ]
    family_of = {mother.id: mother.family_id for mother in mothers}
    mother_ids = select(m.c.id).where(m.c.family_id.in_(ids)).scalar_subquery()
    child_query = (
        select(c.c.id, c.c.family_id, c.c.mother_id, c.c.name, c.c.sex, c.c.birth_date)
        .add_columns(c.c.posyandu_id)
        .where(or_(c.c.family_id.in_(ids), c.c.mother_id.in_(mother_ids)))
        .order_by(c.c.birth_date, c.c.id)
    )
    children = []
    for r in connection.execute(child_query):
        own = r.family_id is not None and int(r.family_id) in families
        family = int(r.family_id) if own else family_of.get(int(r.mother_id or 0))
        if family is not None:
            children.append(
                ChildOfFamily(int(r.id), family, r.name, Sex(r.sex), r.birth_date, r.posyandu_id)
            )
    pregnancy_query = select(
        p.c.id, p.c.mother_id, p.c.hpht, p.c.due_date, p.c.ended_on, p.c.kelurahan_code
    ).where(p.c.mother_id.in_(mother_ids))
    pregnancies = [
        PregnancyOfFamily(
            int(r.id), family_of[int(r.mother_id)], r.hpht, r.due_date, r.ended_on, r.kelurahan_code
        )
        for r in connection.execute(pregnancy_query.order_by(p.c.id))
    ]
    return FamilyPeople(mothers, children, pregnancies)


def update_family_criteria(
    connection: Connection, family_id: int, facts: FamilyFacts, assessed_on: date
) -> None:
    """Replace a family's six KRS criteria and the day they were assessed (its area stays)."""
    f = table_of(Family)
    values = {name: getattr(facts, name) for name in CRITERIA}
    connection.execute(
        update(f).where(f.c.id == family_id).values(**values, krs_assessed_on=assessed_on)
    )


def user_names(connection: Connection, user_ids: Iterable[int]) -> dict[int, str]:
    """The full names of the users ``user_ids`` by id."""
    u = table_of(AppUser)
    query = select(u.c.id, u.c.full_name).where(u.c.id.in_(sorted(set(user_ids))))
    return {int(r.id): str(r.full_name) for r in connection.execute(query)}
