"""PMT episodes of pregnant women with KEK as rows: the open pregnancies of an area with
their LiLA, a pregnancy's open episode, one episode with its mother and kitchen, and the
area's episodes (docs/pmt.md, "Pregnant women with KEK").

A pregnancy's episode lies where the pregnancy lies (its kelurahan, and posyandu where
known). **One open episode per pregnancy** is the partial unique index
``uq_pmt_episode_open_pregnancy``; a second is refused by the database
(:class:`~tumbuh.db.pmt_episodes.EpisodeTaken`), inside a savepoint. Whether a woman is
KEK, eligible or recovered is :mod:`tumbuh.growth.pmt_bumil`'s.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, select

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Mother, Posyandu, Pregnancy, table_of
from tumbuh.db.models_maternal import AncVisit
from tumbuh.db.models_pmt import Kitchen, PmtEpisode, PmtServing
from tumbuh.db.pmt_episodes import EpisodeTaken
from tumbuh.db.rows import Taken, insert_open_row
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication

OPEN_INDEX = "uq_pmt_episode_open_pregnancy"
ID_CHUNK = 5_000


@dataclass(frozen=True)
class OpenPregnancy:
    """A pregnancy that has not ended, with its mother, place, dates and LiLA values: the
    one at registration and each dated visit's (oldest first)."""

    id: int
    mother_name: str
    mother_nik: str | None
    kelurahan_code: str
    posyandu_id: int | None
    posyandu_name: str | None
    k1_on: date | None
    hpht: date | None
    due_date: date | None
    registration_muac_cm: float | None
    visit_muac: list[tuple[date, float]]


def _visit_muac(connection: Connection, ids: Sequence[int]) -> dict[int, list[tuple[date, float]]]:
    v = table_of(AncVisit)
    found: dict[int, list[tuple[date, float]]] = {}
    for chunk in chunks(sorted(set(ids)), ID_CHUNK):
        query = (
            select(v.c.pregnancy_id, v.c.visited_on, v.c.muac_cm)
            .where(v.c.pregnancy_id.in_(chunk), v.c.muac_cm.is_not(None))
            .order_by(v.c.pregnancy_id, v.c.visited_on)
        )
        for r in connection.execute(query):
            found.setdefault(int(r[0]), []).append((r[1], float(r[2])))
    return found


def open_pregnancies(
    connection: Connection, kelurahan: frozenset[str] | None, *, on: date
) -> list[OpenPregnancy]:
    """The pregnancies of ``kelurahan`` (None: the city) registered by ``on`` that had not
    ended by then, by HPL (unknown last), then id."""
    p, m, y = table_of(Pregnancy), table_of(Mother), table_of(Posyandu)
    query = (
        select(p, m.c.name.label("mother_name"), m.c.nik, y.c.name.label("posyandu_name"))
        .join(m, m.c.id == p.c.mother_id)
        .outerjoin(y, y.c.id == p.c.posyandu_id)
        .where(p.c.kelurahan_code.is_not(None))
        .where((p.c.ended_on.is_(None)) | (p.c.ended_on > on))
        .where(func.coalesce(p.c.k1_on, p.c.registered_on, p.c.hpht) <= on)
        .order_by(p.c.due_date.is_(None), p.c.due_date, p.c.id)
    )
    if kelurahan is not None:
        query = query.where(p.c.kelurahan_code.in_(sorted(kelurahan)))
    rows = list(connection.execute(query))
    visits = _visit_muac(connection, [int(r.id) for r in rows])
    return [
        OpenPregnancy(
            id=int(r.id),
            mother_name=r.mother_name,
            mother_nik=r.nik,
            kelurahan_code=r.kelurahan_code,
            posyandu_id=r.posyandu_id,
            posyandu_name=r.posyandu_name,
            k1_on=r.k1_on,
            hpht=r.hpht,
            due_date=r.due_date,
            registration_muac_cm=r.muac_cm,
            visit_muac=[(d, x) for d, x in visits.get(int(r.id), []) if d <= on],
        )
        for r in rows
    ]


def open_pregnancy_episodes(
    connection: Connection, pregnancy_ids: Sequence[int]
) -> dict[int, tuple[int, date]]:
    """Each pregnancy's open episode: (episode id, start day); those without one absent."""
    k = table_of(PmtEpisode)
    found: dict[int, tuple[int, date]] = {}
    for chunk in chunks(sorted(set(pregnancy_ids)), ID_CHUNK):
        query = select(k.c.pregnancy_id, k.c.id, k.c.started_on).where(
            k.c.ended_on.is_(None), k.c.pregnancy_id.in_(chunk)
        )
        for r in connection.execute(query):
            found[int(r[0])] = (int(r[1]), r[2])
    return found


def insert_pregnancy_episode(connection: Connection, values: Mapping[str, object]) -> int:
    """Add a pregnancy's episode (in a savepoint); :class:`EpisodeTaken` when it has an
    open one already."""
    try:
        return insert_open_row(
            connection, PmtEpisode, values, index=OPEN_INDEX, subject="pregnancy_id"
        )
    except Taken:
        raise EpisodeTaken from None


@dataclass(frozen=True)
class BumilEpisodeRow:
    """A pregnancy's episode with the mother, the pregnancy's place and dates, the kitchen
    and the days served."""

    id: int
    pregnancy_id: int
    mother_name: str
    mother_nik: str | None
    kelurahan_code: str | None
    posyandu_id: int | None
    posyandu_name: str | None
    due_date: date | None
    pregnancy_ended_on: date | None
    kitchen_id: int | None
    kitchen_name: str | None
    indication: Indication
    rules_version: str
    started_on: date
    planned_days: int
    funding: Funding
    start_muac_cm: float | None
    end_muac_cm: float | None
    ended_on: date | None
    exit: EpisodeExit | None
    exit_note: str | None
    served_days: int


def _query() -> Select[Any]:
    k, p, m = table_of(PmtEpisode), table_of(Pregnancy), table_of(Mother)
    y, kit, s = table_of(Posyandu), table_of(Kitchen), table_of(PmtServing)
    served = select(func.count(s.c.id)).where(s.c.episode_id == k.c.id).scalar_subquery()
    return (
        select(
            k,
            m.c.name.label("mother_name"),
            m.c.nik.label("mother_nik"),
            p.c.kelurahan_code,
            p.c.posyandu_id,
            y.c.name.label("posyandu_name"),
            p.c.due_date,
            p.c.ended_on.label("pregnancy_ended_on"),
            kit.c.name.label("kitchen_name"),
            served.label("served_days"),
        )
        .join(p, p.c.id == k.c.pregnancy_id)
        .join(m, m.c.id == p.c.mother_id)
        .outerjoin(y, y.c.id == p.c.posyandu_id)
        .outerjoin(kit, kit.c.id == k.c.kitchen_id)
    )


def _row(r: Any) -> BumilEpisodeRow:
    return BumilEpisodeRow(
        id=int(r.id),
        pregnancy_id=int(r.pregnancy_id),
        mother_name=r.mother_name,
        mother_nik=r.mother_nik,
        kelurahan_code=r.kelurahan_code,
        posyandu_id=r.posyandu_id,
        posyandu_name=r.posyandu_name,
        due_date=r.due_date,
        pregnancy_ended_on=r.pregnancy_ended_on,
        kitchen_id=r.kitchen_id,
        kitchen_name=r.kitchen_name,
        indication=Indication(r.indication),
        rules_version=r.rules_version,
        started_on=r.started_on,
        planned_days=int(r.planned_days),
        funding=Funding(r.funding),
        start_muac_cm=r.start_muac_cm,
        end_muac_cm=r.end_muac_cm,
        ended_on=r.ended_on,
        exit=EpisodeExit(r.exit) if r.exit else None,
        exit_note=r.exit_note,
        served_days=int(r.served_days or 0),
    )


def pregnancy_episode_row(connection: Connection, episode_id: int) -> BumilEpisodeRow | None:
    """One pregnancy's episode, or None (also for a child's episode)."""
    k = table_of(PmtEpisode)
    found = connection.execute(_query().where(k.c.id == episode_id)).first()
    return None if found is None else _row(found)


def pregnancy_episode_rows(
    connection: Connection,
    kelurahan: frozenset[str] | None,
    *,
    pregnancy_id: int | None = None,
    limit: int | None = None,
) -> list[BumilEpisodeRow]:
    """The pregnancies' episodes of ``kelurahan`` (None: the city), or of one pregnancy:
    open ones first, then the latest start, then id."""
    k, p = table_of(PmtEpisode), table_of(Pregnancy)
    conditions: list[ColumnElement[bool]] = []
    if kelurahan is not None:
        conditions.append(p.c.kelurahan_code.in_(sorted(kelurahan)))
    if pregnancy_id is not None:
        conditions.append(k.c.pregnancy_id == pregnancy_id)
    query = (
        _query()
        .where(*conditions)
        .order_by(k.c.ended_on.is_not(None), k.c.started_on.desc(), k.c.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [_row(r) for r in connection.execute(query)]
