"""PMT episodes as rows: one episode with its child, kitchen and served days, the
register a page at a time, the kitchens to choose from, the measurements of an episode
(its baseline and checkpoints), and the two queries the outcome evaluation reads
(docs/pmt.md, "Outcome evaluation").

An episode lies where its child lies: the child's posyandu and that posyandu's kelurahan;
:class:`EpisodeFilter` carries the area the use case allows. **One open episode per
child** is the partial unique index ``uq_pmt_episode_open_child``: a second one is refused
by the database (:class:`EpisodeTaken`), inside a savepoint so the caller's transaction
goes on. Checkpoints are ordinary measurements of the registry; a flagged z-score is read
as missing (None), as the lists and the figures leave it out.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select, update

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Child, Measurement, MeasurementDerived, Posyandu, table_of
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_pmt import Kitchen, PmtEpisode, PmtServing
from tumbuh.db.rows import Taken, insert_open_row, lock_row
from tumbuh.growth.cases import CaseStatus, Problem
from tumbuh.growth.enums import Sex
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication

ID_CHUNK = 5_000
# Above this many children, reading every open case or episode and keeping theirs is
# cheaper than binding the ids (PostgreSQL: ~0.5 s for 6,000 ids; a city has fewer open
# cases than that to read).
MANY_CHILDREN = 500
OPEN_INDEX = "uq_pmt_episode_open_child"
ZSCORES = ("haz", "waz", "whz")


class EpisodeTaken(Exception):  # noqa: N818 - a signal to the caller
    """The child already has an open episode."""


@dataclass(frozen=True)
class EpisodeFilter:
    """Which episodes to read: an area (None: no limit) and the register's filters.
    ``active_from``/``active_until``: episodes running on some day of that span (started
    before its end, not ended before its start)."""

    kelurahan: frozenset[str] | None = None
    posyandu: frozenset[int] | None = None
    posyandu_codes: frozenset[str] | None = None  # an area chosen inside the scope
    kitchen_id: int | None = None
    indication: Indication | None = None
    is_open: bool | None = None  # None: open and ended
    active_from: date | None = None
    active_until: date | None = None  # exclusive


@dataclass(frozen=True)
class EpisodeRow:
    """An episode with its child's identity and place, its kitchen and its served days."""

    id: int
    child_id: int
    child_name: str
    nik: str | None
    sex: Sex
    birth_date: date
    posyandu_id: int | None
    posyandu_name: str | None
    kelurahan_code: str | None
    kitchen_id: int | None
    kitchen_name: str | None
    indication: Indication
    rules_version: str
    started_on: date
    planned_days: int
    funding: Funding
    case_id: int | None
    baseline_measurement_id: int | None
    override_reason: str | None
    ended_on: date | None
    exit: EpisodeExit | None
    exit_note: str | None
    served_days: int


def _served() -> Any:
    k, s = table_of(PmtEpisode), table_of(PmtServing)
    return (select(func.count(s.c.id)).where(s.c.episode_id == k.c.id).scalar_subquery()).label(
        "served_days"
    )


def _query() -> Select[Any]:
    k, c, p, kit = table_of(PmtEpisode), table_of(Child), table_of(Posyandu), table_of(Kitchen)
    return (
        select(
            k,
            c.c.name.label("child_name"),
            c.c.nik,
            c.c.sex,
            c.c.birth_date,
            c.c.posyandu_id,
            p.c.name.label("posyandu_name"),
            p.c.kelurahan_code,
            kit.c.name.label("kitchen_name"),
            _served(),
        )
        .join(c, c.c.id == k.c.child_id)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .outerjoin(kit, kit.c.id == k.c.kitchen_id)
    )


def _row(r: Any) -> EpisodeRow:
    return EpisodeRow(
        id=int(r.id),
        child_id=int(r.child_id),
        child_name=r.child_name,
        nik=r.nik,
        sex=Sex(r.sex),
        birth_date=r.birth_date,
        posyandu_id=r.posyandu_id,
        posyandu_name=r.posyandu_name,
        kelurahan_code=r.kelurahan_code,
        kitchen_id=r.kitchen_id,
        kitchen_name=r.kitchen_name,
        indication=Indication(r.indication),
        rules_version=r.rules_version,
        started_on=r.started_on,
        planned_days=int(r.planned_days),
        funding=Funding(r.funding),
        case_id=r.case_id,
        baseline_measurement_id=r.baseline_measurement_id,
        override_reason=r.override_reason,
        ended_on=r.ended_on,
        exit=EpisodeExit(r.exit) if r.exit else None,
        exit_note=r.exit_note,
        served_days=int(r.served_days or 0),
    )


def _conditions(where: EpisodeFilter) -> list[ColumnElement[bool]]:
    k, c, p = table_of(PmtEpisode), table_of(Child), table_of(Posyandu)
    found: list[ColumnElement[bool]] = []
    if where.kelurahan is not None:
        found.append(p.c.kelurahan_code.in_(sorted(where.kelurahan)))
    if where.posyandu is not None:
        found.append(c.c.posyandu_id.in_(sorted(where.posyandu)))
    if where.posyandu_codes is not None:
        found.append(p.c.code.in_(sorted(where.posyandu_codes)))
    if where.kitchen_id is not None:
        found.append(k.c.kitchen_id == where.kitchen_id)
    if where.indication is not None:
        found.append(k.c.indication == where.indication.value)
    if where.is_open is not None:
        found.append(k.c.ended_on.is_(None) if where.is_open else k.c.ended_on.is_not(None))
    if where.active_until is not None:
        found.append(k.c.started_on < where.active_until)
    if where.active_from is not None:
        found.append(or_(k.c.ended_on.is_(None), k.c.ended_on >= where.active_from))
    return found


def episode_row(connection: Connection, episode_id: int) -> EpisodeRow | None:
    """One child's episode with its child and kitchen, or None."""
    k = table_of(PmtEpisode)
    found = connection.execute(_query().where(k.c.id == episode_id)).first()
    return None if found is None else _row(found)


def episode_rows(
    connection: Connection, where: EpisodeFilter, *, limit: int | None, offset: int = 0
) -> tuple[list[EpisodeRow], int]:
    """Episodes matching ``where``, open ones first, then the latest start, then id; and
    how many match in all."""
    k = table_of(PmtEpisode)
    conditions = _conditions(where)
    query = (
        _query()
        .where(*conditions)
        .order_by(k.c.ended_on.is_not(None), k.c.started_on.desc(), k.c.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [_row(r) for r in connection.execute(query)]
    counted = _query().where(*conditions).subquery()
    total = connection.execute(select(func.count()).select_from(counted)).scalar_one()
    return rows, int(total)


def episode_counts(
    connection: Connection, where: EpisodeFilter
) -> dict[tuple[Indication, EpisodeExit | None], int]:
    """Episodes matching ``where`` per (indication, exit; None for open ones); reads no
    name, NIK or birth date."""
    k, c, p = table_of(PmtEpisode), table_of(Child), table_of(Posyandu)
    query = (
        select(k.c.indication, k.c.exit, func.count())
        .join(c, c.c.id == k.c.child_id)
        .outerjoin(p, p.c.id == c.c.posyandu_id)
        .where(*_conditions(where))
        .group_by(k.c.indication, k.c.exit)
    )
    return {
        (Indication(r[0]), EpisodeExit(r[1]) if r[1] else None): int(r[2])
        for r in connection.execute(query)
    }


def open_episodes_of(
    connection: Connection, child_ids: Sequence[int]
) -> dict[int, tuple[int, date]]:
    """Each child's open episode: (episode id, start day); children without one absent."""
    k = table_of(PmtEpisode)
    wanted = set(child_ids)
    found: dict[int, tuple[int, date]] = {}
    for chunk in _chunks_or_all(child_ids):
        query = select(k.c.child_id, k.c.id, k.c.started_on).where(
            k.c.ended_on.is_(None), k.c.child_id.is_not(None)
        )
        if chunk is not None:
            query = query.where(k.c.child_id.in_(chunk))
        for r in connection.execute(query):
            if int(r[0]) in wanted:
                found[int(r[0])] = (int(r[1]), r[2])
    return found


def insert_episode(connection: Connection, values: Mapping[str, object]) -> int:
    """Add an episode (in a savepoint); :class:`EpisodeTaken` when the child already has
    an open one."""
    try:
        return insert_open_row(connection, PmtEpisode, values, index=OPEN_INDEX)
    except Taken:
        raise EpisodeTaken from None


def update_episode(connection: Connection, episode_id: int, values: Mapping[str, object]) -> None:
    """Change an episode's columns."""
    k = table_of(PmtEpisode)
    connection.execute(update(k).where(k.c.id == episode_id).values(**values))


def lock_episode(connection: Connection, episode_id: int) -> None:
    """Take the episode's row lock, so two closings of one episode go one after the
    other."""
    lock_row(connection, PmtEpisode, episode_id)


@dataclass(frozen=True)
class KitchenChoice:
    """A kitchen an episode can be enrolled at."""

    id: int
    name: str
    kelurahan_code: str
    active: bool


def kitchens(connection: Connection, kelurahan: frozenset[str] | None) -> list[KitchenChoice]:
    """The kitchens of these kelurahan (None: of the city), by kelurahan and name."""
    kit = table_of(Kitchen)
    query = select(kit.c.id, kit.c.name, kit.c.kelurahan_code, kit.c.active).order_by(
        kit.c.kelurahan_code, kit.c.name, kit.c.id
    )
    if kelurahan is not None:
        query = query.where(kit.c.kelurahan_code.in_(sorted(kelurahan)))
    return [KitchenChoice(int(r[0]), r[1], r[2], bool(r[3])) for r in connection.execute(query)]


@dataclass(frozen=True)
class CaseLink:
    """An open case of a child (issue 13), as an episode links it."""

    id: int
    problem: Problem
    status: CaseStatus


def _chunks_or_all(child_ids: Sequence[int]) -> list[list[int] | None]:
    """The ids in chunks for ``IN (...)``, or ``[None]`` (read all, keep these) for many."""
    wanted = sorted(set(child_ids))
    if len(wanted) > MANY_CHILDREN:
        return [None]
    return [list(chunk) for chunk in chunks(wanted, ID_CHUNK)]


def open_cases_of(connection: Connection, child_ids: Sequence[int]) -> dict[int, list[CaseLink]]:
    """Each child's open cases, most severe first (children without one absent)."""
    k = table_of(NutritionCase)
    wanted = set(child_ids)
    found: dict[int, list[CaseLink]] = {}
    for chunk in _chunks_or_all(child_ids):
        query = (
            select(k.c.child_id, k.c.id, k.c.problem, k.c.status)
            .where(k.c.status != CaseStatus.SELESAI.value)
            .order_by(k.c.child_id, k.c.severity, k.c.id)
        )
        if chunk is not None:
            query = query.where(k.c.child_id.in_(chunk))
        for r in connection.execute(query):
            if int(r.child_id) in wanted:
                link = CaseLink(int(r.id), Problem(r.problem), CaseStatus(r.status))
                found.setdefault(int(r.child_id), []).append(link)
    return found


@dataclass(frozen=True)
class MeasuredPoint:
    """One measurement as an episode reads it: the day, the weight and the z-scores
    (None when not derived or WHO-flagged)."""

    id: int
    child_id: int
    measured_on: date
    weight_kg: float | None
    haz: float | None
    waz: float | None
    whz: float | None


def _points_query() -> Select[Any]:
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    return select(
        m.c.id,
        m.c.child_id,
        m.c.measured_on,
        m.c.weight_kg,
        *(d.c[name] for name in ZSCORES),
        *(d.c[f"{name}_flag"] for name in ZSCORES),
    ).outerjoin(d, d.c.measurement_id == m.c.id)


def _point(r: Any) -> MeasuredPoint:
    """A row of :func:`_points_query` (by position: read for hundreds of thousands of
    rows, where attribute access by name costs more than the rest)."""
    row = tuple(r)
    weight = None if row[3] is None else float(row[3])
    n = len(ZSCORES)
    haz, waz, whz = (
        None if row[4 + i] is None or row[4 + n + i] else float(row[4 + i]) for i in range(n)
    )
    measured_on = row[2] if type(row[2]) is date else _date(row[2])
    return MeasuredPoint(int(row[0]), int(row[1]), measured_on, weight, haz, waz, whz)


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def measured_point(connection: Connection, measurement_id: int) -> MeasuredPoint | None:
    """One measurement, or None."""
    return points_by_id(connection, [measurement_id]).get(measurement_id)


def points_by_id(connection: Connection, ids: Sequence[int]) -> dict[int, MeasuredPoint]:
    """The measurements of ``ids`` by id (ids without one absent)."""
    m = table_of(Measurement)
    found: dict[int, MeasuredPoint] = {}
    for chunk in chunks(sorted(set(ids)), ID_CHUNK):
        for r in connection.execute(_points_query().where(m.c.id.in_(chunk))):
            found[int(r.id)] = _point(r)
    return found


def child_points(
    connection: Connection, child_id: int, *, after: date, up_to: date
) -> list[MeasuredPoint]:
    """The child's measurements after ``after`` up to ``up_to`` (both days), in order of
    day and entry."""
    m = table_of(Measurement)
    query = (
        _points_query()
        .where(m.c.child_id == child_id, m.c.measured_on > after, m.c.measured_on <= up_to)
        .order_by(m.c.measured_on, m.c.id)
    )
    return [_point(r) for r in connection.execute(query)]


def last_point_between(
    connection: Connection, child_id: int, start: date, end: date
) -> MeasuredPoint | None:
    """The child's last entered measurement from ``start`` to before ``end``, or None."""
    m = table_of(Measurement)
    query = (
        _points_query()
        .where(m.c.child_id == child_id, m.c.measured_on >= start, m.c.measured_on < end)
        .order_by(m.c.measured_on.desc(), m.c.id.desc())
        .limit(1)
    )
    found = connection.execute(query).first()
    return None if found is None else _point(found)


def points_of(
    connection: Connection, child_ids: Sequence[int], *, start: date, end: date
) -> dict[int, list[MeasuredPoint]]:
    """Each child's measurements from ``start`` to before ``end``, in order of day and
    entry (children without one absent)."""
    m = table_of(Measurement)
    found: dict[int, list[MeasuredPoint]] = {}
    for chunk in chunks(sorted(set(child_ids)), ID_CHUNK):
        query = (
            _points_query()
            .where(m.c.child_id.in_(chunk), and_(m.c.measured_on >= start, m.c.measured_on < end))
            .order_by(m.c.child_id, m.c.measured_on, m.c.id)
        )
        for r in connection.execute(query):
            point = _point(r)
            found.setdefault(point.child_id, []).append(point)
    return found
