"""The serving log as rows: the episodes a kitchen feeds on a day, the servings of a
period, a serving added or taken back (docs/kitchens.md).

**One serving per episode and day** is the unique constraint
``uq_pmt_serving_episode_id_served_on``: a second one is :class:`ServedAlready`,
refused inside a savepoint so the caller's transaction goes on. Queries take explicit
filters (a kitchen, episode ids, a period) and know nothing of roles.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Child, Mother, Posyandu, Pregnancy, Region, table_of
from tumbuh.db.models_pmt import PmtEpisode, PmtServing
from tumbuh.growth.pmt import EpisodeExit, Indication

UNIQUE_SERVING = "uq_pmt_serving_episode_id_served_on"
ID_CHUNK = 5_000


class ServedAlready(Exception):  # noqa: N818 - a signal to the caller
    """The episode has a serving on that day already."""


@dataclass(frozen=True)
class EpisodeSpan:
    """An episode's place in time, without the person: what counts need."""

    id: int
    kitchen_id: int | None
    is_child: bool  # False: a pregnant woman
    indication: Indication
    started_on: date
    ended_on: date | None
    planned_days: int
    exit: EpisodeExit | None


@dataclass(frozen=True)
class EpisodeToServe(EpisodeSpan):
    """An episode with the person a kitchen hands the food to: the child (with its
    mother's name and its posyandu) or the pregnant woman."""

    name: str
    mother_name: str | None
    birth_date: date | None  # the child's; None for a pregnant woman
    posyandu_id: int | None
    posyandu_name: str | None
    kelurahan_code: str | None  # the posyandu's
    kelurahan_name: str | None


def _span_columns() -> list[Any]:
    e = table_of(PmtEpisode)
    return [
        e.c.id,
        e.c.kitchen_id,
        e.c.child_id,
        e.c.indication,
        e.c.started_on,
        e.c.ended_on,
        e.c.planned_days,
        e.c.exit,
    ]


def _span_values(r: Any) -> dict[str, Any]:
    return {
        "id": int(r.id),
        "kitchen_id": r.kitchen_id,
        "is_child": r.child_id is not None,
        "indication": Indication(r.indication),
        "started_on": r.started_on,
        "ended_on": r.ended_on,
        "planned_days": int(r.planned_days),
        "exit": EpisodeExit(r.exit) if r.exit else None,
    }


def _overlapping(first: date, last: date) -> ColumnElement[bool]:
    e = table_of(PmtEpisode)
    return and_(e.c.started_on <= last, or_(e.c.ended_on.is_(None), e.c.ended_on >= first))


def episode_spans(
    connection: Connection, kitchen_ids: Iterable[int], first: date, last: date
) -> list[EpisodeSpan]:
    """The episodes of the kitchens that lie (partly) between ``first`` and ``last``;
    reads no name, NIK or birth date."""
    e = table_of(PmtEpisode)
    query = (
        select(*_span_columns())
        .where(e.c.kitchen_id.in_(sorted(set(kitchen_ids))), _overlapping(first, last))
        .order_by(e.c.id)
    )
    return [EpisodeSpan(**_span_values(r)) for r in connection.execute(query)]


def episodes_to_serve(
    connection: Connection,
    *,
    kitchen_id: int | None = None,
    ids: Sequence[int] | None = None,
    within: tuple[date, date] | None = None,
) -> list[EpisodeToServe]:
    """The episodes of a kitchen (or with these ids) lying (partly) in ``within`` (first,
    last day) when given, with their person, by kelurahan, posyandu and name."""
    e, c, m = table_of(PmtEpisode), table_of(Child), table_of(Mother)
    p, r, g = table_of(Posyandu), table_of(Region), table_of(Pregnancy)
    woman = m.alias("woman")
    name = func.coalesce(c.c.name, woman.c.name)
    kelurahan_name = func.coalesce(r.c.local_name, r.c.name)
    query = (
        select(
            *_span_columns(),
            name.label("name"),
            m.c.name.label("mother_name"),
            c.c.birth_date,
            c.c.posyandu_id,
            p.c.name.label("posyandu_name"),
            p.c.kelurahan_code,
            kelurahan_name.label("kelurahan_name"),
        )
        .outerjoin(c, c.c.id == e.c.child_id)
        .outerjoin(m, m.c.id == c.c.mother_id)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(r, r.c.code == p.c.kelurahan_code)
        .outerjoin(g, g.c.id == e.c.pregnancy_id)
        .outerjoin(woman, woman.c.id == g.c.mother_id)
    )
    if kitchen_id is not None:
        query = query.where(e.c.kitchen_id == kitchen_id)
    if ids is not None:
        query = query.where(e.c.id.in_(sorted(set(ids))))
    if within is not None:
        query = query.where(_overlapping(*within))
    # The same order on both databases: a pregnant woman (no posyandu) after the children.
    query = query.order_by(
        kelurahan_name.is_(None), kelurahan_name, p.c.name.is_(None), p.c.name, name, e.c.id
    )
    return [
        EpisodeToServe(
            **_span_values(row),
            name=row.name or "",
            mother_name=row.mother_name,
            birth_date=row.birth_date,
            posyandu_id=row.posyandu_id,
            posyandu_name=row.posyandu_name,
            kelurahan_code=row.kelurahan_code,
            kelurahan_name=row.kelurahan_name,
        )
        for row in connection.execute(query)
    ]


def served_days(
    connection: Connection, episode_ids: Iterable[int], first: date | None, last: date
) -> dict[int, list[date]]:
    """Per episode, the days it was served from ``first`` (None: its start) to ``last``,
    in order (episodes never served are absent)."""
    s = table_of(PmtServing)
    found: dict[int, list[date]] = {}
    for part in chunks(sorted(set(episode_ids)), ID_CHUNK):
        conditions = [s.c.episode_id.in_(part), s.c.served_on <= last]
        if first is not None:
            conditions.append(s.c.served_on >= first)
        query = select(s.c.episode_id, s.c.served_on).where(*conditions).order_by(s.c.served_on)
        for row in connection.execute(query):
            found.setdefault(int(row.episode_id), []).append(row.served_on)
    return found


@dataclass(frozen=True)
class ServingRow:
    """One serving as stored."""

    id: int
    episode_id: int
    served_on: date
    recorded_by: int | None
    recorded_at: datetime


def servings_on(connection: Connection, episode_ids: Iterable[int], day: date) -> list[ServingRow]:
    """The servings of the episodes on ``day``."""
    s = table_of(PmtServing)
    found: list[ServingRow] = []
    for part in chunks(sorted(set(episode_ids)), ID_CHUNK):
        query = select(s).where(s.c.episode_id.in_(part), s.c.served_on == day).order_by(s.c.id)
        found += [
            ServingRow(int(r.id), int(r.episode_id), r.served_on, r.recorded_by, r.recorded_at)
            for r in connection.execute(query)
        ]
    return found


def insert_serving(
    connection: Connection, episode_id: int, day: date, *, user_id: int | None, at: datetime
) -> int:
    """Add a serving (in a savepoint); :class:`ServedAlready` when the episode has one
    that day (another transaction's included, once it commits)."""
    s = table_of(PmtServing)
    values = {"episode_id": episode_id, "served_on": day, "recorded_by": user_id, "recorded_at": at}
    try:
        with connection.begin_nested():
            new_id = connection.execute(insert(s).values(**values).returning(s.c.id)).scalar_one()
    except IntegrityError as error:
        text = str(error.orig)
        if UNIQUE_SERVING in text or "pmt_serving.episode_id, pmt_serving.served_on" in text:
            raise ServedAlready from None
        raise
    return int(new_id)


def delete_servings(connection: Connection, serving_ids: Iterable[int]) -> None:
    """Take servings back."""
    s = table_of(PmtServing)
    for part in chunks(sorted(set(serving_ids)), ID_CHUNK):
        connection.execute(delete(s).where(s.c.id.in_(part)))
