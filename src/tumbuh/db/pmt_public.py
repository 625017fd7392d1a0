"""What the public page of PMT lokal counts (docs/pmt.md, "The public page"): totals by
month, by kelurahan of the kitchens and by how episodes ended, from the PMT tables, with
no child, name or kitchen contact in any row."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, extract, func, select

from tumbuh.db.models import table_of
from tumbuh.db.models_pmt import Kitchen, PmtEpisode, PmtServing


@dataclass(frozen=True)
class MonthCount:
    """One month (its first day): servings given, people served, episodes started."""

    month: date
    servings: int
    served: int  # distinct episodes with a serving that month
    started: int


@dataclass(frozen=True)
class PlaceCount:
    """One kelurahan of the kitchens: kitchens, episodes and the people fed there."""

    kelurahan_code: str
    kitchens: int
    episodes: int
    people: int  # distinct children and pregnant women


def _by_month(rows: Iterable[Any]) -> dict[date, tuple[int, ...]]:
    return {date(int(r[0]), int(r[1]), 1): tuple(int(v) for v in r[2:]) for r in rows}


def month_counts(connection: Connection, until: date) -> list[MonthCount]:
    """Servings, people served and episodes started per month up to ``until``, oldest
    first (months with none of the three are left out)."""
    s, e = table_of(PmtServing), table_of(PmtEpisode)
    year, month = extract("year", s.c.served_on), extract("month", s.c.served_on)
    served = _by_month(
        connection.execute(
            select(year, month, func.count(), func.count(s.c.episode_id.distinct()))
            .where(s.c.served_on <= until)
            .group_by(year, month)
        )
    )
    year, month = extract("year", e.c.started_on), extract("month", e.c.started_on)
    started = _by_month(
        connection.execute(
            select(year, month, func.count()).where(e.c.started_on <= until).group_by(year, month)
        )
    )
    found = []
    for m in sorted(set(served) | set(started)):
        servings, people = served.get(m, (0, 0))
        found.append(MonthCount(m, servings, people, started.get(m, (0,))[0]))
    return found


def place_counts(connection: Connection) -> list[PlaceCount]:
    """Per kelurahan with a kitchen: its kitchens, their episodes and the people fed."""
    k, e = table_of(Kitchen), table_of(PmtEpisode)
    kitchens = {
        str(r[0]): int(r[1])
        for r in connection.execute(
            select(k.c.kelurahan_code, func.count()).group_by(k.c.kelurahan_code)
        )
    }
    fed = {
        str(r[0]): (int(r[1]), int(r[2]) + int(r[3]))
        for r in connection.execute(
            select(
                k.c.kelurahan_code,
                func.count(),
                func.count(e.c.child_id.distinct()),
                func.count(e.c.pregnancy_id.distinct()),
            )
            .select_from(e.join(k, k.c.id == e.c.kitchen_id))
            .group_by(k.c.kelurahan_code)
        )
    }
    return [PlaceCount(code, n, *fed.get(code, (0, 0))) for code, n in sorted(kitchens.items())]


def exit_counts(connection: Connection) -> dict[str | None, int]:
    """Episodes by how they ended (None: still open)."""
    e = table_of(PmtEpisode)
    rows = connection.execute(select(e.c.exit, func.count()).group_by(e.c.exit))
    return {None if r[0] is None else str(r[0]): int(r[1]) for r in rows}


def active_kitchens(connection: Connection) -> int:
    """Kitchens marked active."""
    k = table_of(Kitchen)
    return int(connection.execute(select(func.count()).where(k.c.active)).scalar_one())
