"""Persistence of the import of e-PPGBM's file of pregnant women with KEK (docs/pmt.md):
the registered pregnancies of the mothers a file names by NIK, and the episodes those
pregnancies have. Writing reuses :mod:`tumbuh.db.pmt_imports` (the import file, the
episodes). Queries take explicit values and know nothing of roles;
:mod:`tumbuh.usecases.pmt_bumil_import` applies the user's area and decides.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Mother, Pregnancy, table_of
from tumbuh.db.models_pmt import PmtEpisode


@dataclass(frozen=True)
class RegisteredPregnancy:
    """A registered pregnancy of a mother found by NIK: its days and place."""

    id: int
    mother_birth_date: date | None
    hpht: date | None
    k1_on: date | None
    registered_on: date | None
    ended_on: date | None
    due_date: date | None
    kelurahan_code: str | None
    posyandu_id: int | None


def pregnancies_by_nik(
    connection: Connection, niks: Iterable[str]
) -> dict[str, list[RegisteredPregnancy]]:
    """The pregnancies of the mothers that have one of ``niks``, by NIK (a mother without
    a pregnancy is listed with none)."""
    m, p = table_of(Mother), table_of(Pregnancy)
    query = select(
        m.c.nik,
        m.c.birth_date,
        p.c.id,
        p.c.hpht,
        p.c.k1_on,
        p.c.registered_on,
        p.c.ended_on,
        p.c.due_date,
        p.c.kelurahan_code,
        p.c.posyandu_id,
    ).outerjoin(p, p.c.mother_id == m.c.id)
    found: dict[str, list[RegisteredPregnancy]] = defaultdict(list)
    for part in chunks(sorted(set(niks))):
        for r in connection.execute(query.where(m.c.nik.in_(part)).order_by(p.c.id)):
            mother = found[r.nik]
            if r.id is not None:
                mother.append(
                    RegisteredPregnancy(
                        int(r.id),
                        r.birth_date,
                        r.hpht,
                        r.k1_on,
                        r.registered_on,
                        r.ended_on,
                        r.due_date,
                        r.kelurahan_code,
                        r.posyandu_id,
                    )
                )
    return dict(found)


@dataclass(frozen=True)
class PregnancyEpisode:
    """An episode stored for a pregnancy, as the import compares it."""

    id: int
    pregnancy_id: int
    started_on: date
    ended_on: date | None


def episodes_of_pregnancies(
    connection: Connection, pregnancy_ids: Iterable[int]
) -> dict[int, list[PregnancyEpisode]]:
    """The stored episodes of ``pregnancy_ids``, by pregnancy."""
    e = table_of(PmtEpisode)
    found: dict[int, list[PregnancyEpisode]] = defaultdict(list)
    query = select(e.c.id, e.c.pregnancy_id, e.c.started_on, e.c.ended_on)
    for part in chunks(sorted(set(pregnancy_ids))):
        for r in connection.execute(query.where(e.c.pregnancy_id.in_(part))):
            found[int(r.pregnancy_id)].append(
                PregnancyEpisode(int(r.id), int(r.pregnancy_id), r.started_on, r.ended_on)
            )
    return found
