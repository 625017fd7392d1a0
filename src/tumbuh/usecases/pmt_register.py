"""The register of PMT episodes for a user: filtered by area, kitchen, indication, state
and month, a page at a time, as a download, and as counts for the roles that see
figures only (docs/pmt.md, "Register").

An episode lies where its child lies; the area chosen is cut to the posyandu of the
user's scope, as the case register does. The download holds the child's initials, the
NIK's kota digits and no birth date unless asked (:mod:`tumbuh.privacy`).
"""

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.pmt_episodes import (
    EpisodeFilter,
    EpisodeRow,
    KitchenChoice,
    episode_counts,
    episode_rows,
    kitchens,
)
from tumbuh.growth.ages import completed_months
from tumbuh.growth.periods import Period
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, adherence
from tumbuh.growth.pmt_episodes import planned_end
from tumbuh.privacy import mask_name, mask_nik
from tumbuh.usecases.access import NotAllowed, OutOfScope, Scope
from tumbuh.usecases.areas import Area
from tumbuh.usecases.places import Places, posyandu_codes

__all__ = [
    "PER_PAGE",
    "EpisodeExport",
    "EpisodePage",
    "EpisodeQuery",
    "EpisodeRow",
    "EpisodeState",
    "ExportRow",
    "KitchenChoice",
    "NotAllowed",
    "OutOfScope",
    "episode_export",
    "episode_list",
    "episode_tally",
    "kitchen_choices",
]

PER_PAGE = 50


class EpisodeState(StrEnum):
    """Open episodes (no end yet) or ended ones."""

    OPEN = "open"
    ENDED = "ended"


@dataclass(frozen=True)
class EpisodeQuery:
    """The register's filters: a kitchen, an indication, open or ended, episodes running
    during a month (None: any)."""

    kitchen_id: int | None = None
    indication: Indication | None = None
    state: EpisodeState | None = None
    month: Period | None = None


def kitchen_choices(connection: Connection, scope: Scope) -> list[KitchenChoice]:
    """The kitchens of the kelurahan of the user's scope (the city's for whole-city
    roles), active or not."""
    return kitchens(connection, scope.kelurahan)


def _filter(
    scope: Scope, places: Places | None, area: Area | None, query: EpisodeQuery
) -> EpisodeFilter:
    codes = None
    if area is not None and places is not None:
        codes = posyandu_codes(places, area, scope)
    month = query.month
    return EpisodeFilter(
        kelurahan=scope.kelurahan,
        posyandu=scope.posyandu,
        posyandu_codes=codes,
        kitchen_id=query.kitchen_id,
        indication=query.indication,
        is_open=None if query.state is None else query.state is EpisodeState.OPEN,
        active_from=None if month is None else month.start,
        active_until=None if month is None else month.end,
    )


@dataclass(frozen=True)
class EpisodePage:
    """One page of the register (open episodes first, then the latest start)."""

    episodes: list[EpisodeRow]
    total: int
    page: int
    pages: int


def episode_list(
    connection: Connection,
    scope: Scope,
    *,
    query: EpisodeQuery,
    places: Places | None = None,
    area: Area | None = None,
    page: int = 1,
    per_page: int | None = PER_PAGE,
) -> EpisodePage:
    """The episodes of the scope with the filters (``area``: inside the scope);
    ``per_page`` None: all on one page. OutOfScope for roles that see figures only."""
    if not scope.may_see_children:
        raise OutOfScope
    where = _filter(scope, places, area, query)
    offset = 0 if per_page is None else (max(page, 1) - 1) * per_page
    rows, total = episode_rows(connection, where, limit=per_page, offset=offset)
    pages = 1 if per_page is None else max(1, -(-total // per_page))
    return EpisodePage(rows, total, max(page, 1), pages)


def episode_tally(
    connection: Connection,
    scope: Scope,
    *,
    query: EpisodeQuery,
    places: Places | None = None,
    area: Area | None = None,
) -> dict[tuple[Indication, EpisodeExit | None], int]:
    """Episodes per indication and exit (None: still open) with the filters; every role
    (reads no name, NIK or birth date)."""
    return episode_counts(connection, _filter(scope, places, area, query))


@dataclass(frozen=True)
class ExportRow:
    """An episode of the downloaded register."""

    episode_id: int
    posyandu_name: str | None
    kelurahan_name: str | None
    name: str
    nik: str | None
    sex: str  # a Sex value
    birth_date: date | None
    age_months: int  # completed months at the start
    kitchen_name: str | None
    indication: Indication
    rules_version: str
    funding: Funding
    started_on: date
    planned_days: int
    planned_end: date
    served_days: int
    adherence: float | None  # served over planned
    ended_on: date | None
    exit: EpisodeExit | None
    override_reason: str | None
    exit_note: str | None


@dataclass(frozen=True)
class EpisodeExport:
    """Every episode of the register with the filters, and whether identities are shown."""

    area: Area | None
    rows: list[ExportRow]
    unmask: bool
    today: date


def _age(born: date, on: date) -> int:
    days = np.array([born, on], dtype="datetime64[D]")
    return int(completed_months(days[:1], days[1:])[0])


def _export_row(row: EpisodeRow, places: Places | None, unmask: bool, nik: bool) -> ExportRow:
    share = float(adherence([row.served_days], [row.planned_days])[0])
    kelurahan = None
    if places is not None and row.kelurahan_code in places.kelurahan:
        kelurahan = places.kelurahan[row.kelurahan_code].name
    return ExportRow(
        episode_id=row.id,
        posyandu_name=row.posyandu_name,
        kelurahan_name=kelurahan or row.kelurahan_code,
        name=row.child_name if unmask else mask_name(row.child_name),
        nik=row.nik if unmask and nik else mask_nik(row.nik),
        sex=row.sex.value,
        birth_date=row.birth_date if unmask else None,
        age_months=_age(row.birth_date, row.started_on),
        kitchen_name=row.kitchen_name,
        indication=row.indication,
        rules_version=row.rules_version,
        funding=row.funding,
        started_on=row.started_on,
        planned_days=row.planned_days,
        planned_end=planned_end(row.started_on, row.planned_days),
        served_days=row.served_days,
        adherence=None if math.isnan(share) else share,
        ended_on=row.ended_on,
        exit=row.exit,
        override_reason=row.override_reason,
        exit_note=row.exit_note,
    )


def episode_export(
    connection: Connection,
    scope: Scope,
    *,
    query: EpisodeQuery,
    today: date,
    places: Places | None = None,
    area: Area | None = None,
    unmask: bool = False,
) -> EpisodeExport:
    """Every episode of :func:`episode_list` with these filters, for a download;
    :class:`NotAllowed` for roles that see counts only. Names and birth dates in full
    only when ``unmask``, the NIK only for a role that may see it."""
    if not scope.may_see_children:
        raise NotAllowed
    listed = episode_list(connection, scope, query=query, places=places, area=area, per_page=None)
    rows = [_export_row(r, places, unmask, scope.may_see_nik) for r in listed.episodes]
    return EpisodeExport(area, rows, unmask, today)
