"""The daily serving log of a kitchen: the tick list of a day, saving it, and the week's
adherence, inside the user's scope and audited (docs/kitchens.md).

Who logs (applied here, once):

- kitchen operator: their own kitchen, today and the 7 days before
  (:data:`~tumbuh.growth.kitchens.SERVING_DAYS_BACK`);
- nutritionist: the kitchens of her puskesmas working area, any past day (paper logs),
  and only the children of her area;
- admin: every kitchen, any past day;
- the other roles: :class:`NotAllowed` (the list names children).

What the tick list shows of a person is kept small (docs/security.md, "The kitchen
operator"): the name, the mother's initials, the posyandu and the age in months; never a
NIK, a birth date or an address.

Saving a day sends the episodes ticked (``served``) and those the page showed as served
(``known``): the ticked ones not known are added, the known ones not ticked are taken
back. An added serving that exists already (someone saved it meanwhile) is a second
serving that day: the whole save is refused with :data:`FieldProblem.SERVED_ALREADY`
(the kitchen's row lock orders two saves; the unique constraint is the last guard) and
nothing is written.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.audit import Actor, write_audits
from tumbuh.db.kitchens import KitchenRow, kitchen_row, lock_kitchen
from tumbuh.db.models_access import AuditAction
from tumbuh.db.servings import (
    EpisodeToServe,
    ServedAlready,
    delete_servings,
    episodes_to_serve,
    insert_serving,
    served_days,
    servings_on,
)
from tumbuh.growth.ages import completed_months
from tumbuh.growth.kitchens import (
    SERVING_DAYS_BACK,
    FieldError,
    FieldProblem,
    cooking_days,
    day_errors,
    outside_episode,
    week_of,
    weekday_bit,
)
from tumbuh.growth.pmt import adherence
from tumbuh.growth.types import DateArray
from tumbuh.privacy import mask_name
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope, UserInfo
from tumbuh.usecases.kitchens import LOGGERS
from tumbuh.usecases.transactions import writing

__all__ = [
    "DaySaved",
    "NotAllowed",
    "OutOfScope",
    "ServingDay",
    "ServingWeek",
    "TickRow",
    "WeekRow",
    "save_day",
    "serving_day",
    "serving_week",
]

ENTITY = "pmt_serving"


def _kitchen(connection: Connection, scope: Scope, kitchen_id: int) -> KitchenRow:
    """The kitchen whose log the user keeps; OutOfScope outside their place, NotAllowed
    for a role that keeps no log."""
    if scope.role not in LOGGERS:
        raise NotAllowed
    found = kitchen_row(connection, kitchen_id)
    if found is None:
        raise OutOfScope
    if scope.role is Role.KITCHEN:
        if scope.kitchen_id != kitchen_id:
            raise OutOfScope
    elif not scope.covers_kelurahan(found.kelurahan_code):
        raise OutOfScope
    return found


def _visible(scope: Scope, episode: EpisodeToServe) -> bool:
    """A nutritionist sees the children of her area (a pregnant woman: by the kitchen)."""
    if scope.role is not Role.NUTRITIONIST or episode.kelurahan_code is None:
        return True
    return scope.covers_kelurahan(episode.kelurahan_code)


def days_back(scope: Scope) -> int | None:
    """How many days back the role logs (None: any past day)."""
    return SERVING_DAYS_BACK if scope.role is Role.KITCHEN else None


@dataclass(frozen=True)
class TickRow:
    """A person on the tick list: what the kitchen needs to hand the food over."""

    episode_id: int
    name: str
    mother_initials: str | None
    is_child: bool
    age_months: int | None  # on the day shown; None for a pregnant woman
    posyandu_id: int | None
    posyandu_name: str | None
    kelurahan_name: str | None
    served: bool


def _dates(days: list[date]) -> DateArray:
    return np.array(days, dtype="datetime64[D]")


def _ages(episodes: list[EpisodeToServe], on: date) -> list[int | None]:
    born = [e.birth_date for e in episodes if e.birth_date is not None]
    months = iter(completed_months(_dates(born), _dates([on] * len(born))))
    return [int(next(months)) if e.birth_date is not None else None for e in episodes]


def _ticks(episodes: list[EpisodeToServe], served: set[int], on: date) -> list[TickRow]:
    return [
        TickRow(
            episode_id=e.id,
            name=e.name,
            mother_initials=mask_name(e.mother_name),
            is_child=e.is_child,
            age_months=age,
            posyandu_id=e.posyandu_id,
            posyandu_name=e.posyandu_name,
            kelurahan_name=e.kelurahan_name,
            served=e.id in served,
        )
        for e, age in zip(episodes, _ages(episodes, on), strict=True)
    ]


@dataclass(frozen=True)
class ServingDay:
    """The tick list of one day at one kitchen, or why the day cannot be logged."""

    kitchen: KitchenRow
    day: date
    today: date
    earliest: date | None  # the first day the user may log (None: no limit)
    cooks: bool  # the kitchen cooks on this day of the week
    rows: list[TickRow]
    errors: list[FieldError]

    @property
    def served(self) -> int:
        """Servings logged that day."""
        return sum(r.served for r in self.rows)

    @property
    def groups(self) -> list[tuple[str, list[TickRow]]]:
        """The rows by kelurahan and posyandu ("kelurahan · posyandu"), in list order."""
        found: dict[str, list[TickRow]] = {}
        for row in self.rows:
            place = " · ".join(p for p in (row.kelurahan_name, row.posyandu_name) if p)
            found.setdefault(place, []).append(row)
        return list(found.items())


def _earliest(scope: Scope, today: date) -> date | None:
    back = days_back(scope)
    return None if back is None else date.fromordinal(today.toordinal() - back)


def _to_serve(
    connection: Connection, scope: Scope, kitchen_id: int, first: date, last: date
) -> list[EpisodeToServe]:
    found = episodes_to_serve(connection, kitchen_id=kitchen_id, within=(first, last))
    return [e for e in found if _visible(scope, e)]


def serving_day(
    connection: Connection, scope: Scope, kitchen_id: int, day: date, today: date
) -> ServingDay:
    """The people the kitchen feeds on ``day`` (episodes that day lies in), each ticked
    when served; no rows and the errors when the day cannot be logged (future, too old)."""
    kitchen = _kitchen(connection, scope, kitchen_id)
    errors = day_errors(day, today, days_back=days_back(scope))
    cooks = bool(kitchen.weekdays & weekday_bit(day))
    earliest = _earliest(scope, today)
    if errors:
        return ServingDay(kitchen, day, today, earliest, cooks, [], errors)
    episodes = _to_serve(connection, scope, kitchen_id, day, day)
    served = {s.episode_id for s in servings_on(connection, [e.id for e in episodes], day)}
    rows = _ticks(episodes, served, day)
    return ServingDay(kitchen, day, today, earliest, cooks, rows, [])


@dataclass(frozen=True)
class DaySaved:
    """What saving a day did: servings added and taken back, or why nothing was saved
    (``double``: a serving that was logged meanwhile, a conflict)."""

    added: int
    removed: int
    errors: list[FieldError]

    @property
    def double(self) -> bool:
        """The save was refused for a second serving on one day."""
        return any(e.problem is FieldProblem.SERVED_ALREADY for e in self.errors)


class _Refused(Exception):  # noqa: N818 - rolls the save back, carrying why
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("refused")
        self.errors = errors


def _check(
    episodes: dict[int, EpisodeToServe], wanted: Iterable[int], adds: set[int], day: date
) -> list[FieldError]:
    """An id not fed at the kitchen (or not visible), a day outside an episode added."""
    errors: list[FieldError] = []
    for episode_id in sorted(set(wanted)):
        episode = episodes.get(episode_id)
        if episode is None:
            errors.append(FieldError(FieldProblem.NOT_AT_KITCHEN, "date", str(episode_id), ""))
        elif episode_id in adds:
            outside = outside_episode(day, episode.started_on, episode.ended_on, episode.name)
            if outside is not None:
                errors.append(outside)
    return errors


def _record(episode_id: int, kitchen_id: int, day: date) -> dict[str, object]:
    return {"episode_id": episode_id, "kitchen_id": kitchen_id, "served_on": day}


def _write(
    connection: Connection,
    user: UserInfo | Actor,
    kitchen_id: int,
    day: date,
    adds: set[int],
    removals: dict[int, int],
    episodes: dict[int, EpisodeToServe],
) -> None:
    """Take back ``removals`` (episode -> serving id), add ``adds``, audit each; a serving
    that exists already raises :class:`_Refused`."""
    now = datetime.now(UTC)
    user_id = user.id if isinstance(user, UserInfo) else user.user_id
    delete_servings(connection, removals.values())
    gone = [(sid, _record(eid, kitchen_id, day), None) for eid, sid in removals.items()]
    write_audits(connection, user, AuditAction.DELETE, ENTITY, gone, at=now)
    added = []
    for episode_id in sorted(adds):
        try:
            serving_id = insert_serving(connection, episode_id, day, user_id=user_id, at=now)
        except ServedAlready:
            name = episodes[episode_id].name
            raise _Refused(
                [FieldError(FieldProblem.SERVED_ALREADY, name, day.isoformat(), "")]
            ) from None
        added.append((serving_id, None, _record(episode_id, kitchen_id, day)))
    write_audits(connection, user, AuditAction.CREATE, ENTITY, added, at=now)


def save_day(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    kitchen_id: int,
    day: date,
    *,
    served: frozenset[int],
    known: frozenset[int],
    today: date,
) -> DaySaved:
    """Save the day's ticks (audited, one row per serving added or taken back) and
    commit; or the errors, nothing written: a day in the future or too old, a person not
    fed at the kitchen or outside their episode that day, a serving logged twice."""
    try:
        with writing(connection):
            _kitchen(connection, scope, kitchen_id)
            lock_kitchen(connection, kitchen_id)
            errors = day_errors(day, today, days_back=days_back(scope))
            if errors:
                raise _Refused(errors)
            adds, takes = set(served - known), set(known - served)
            found = episodes_to_serve(connection, kitchen_id=kitchen_id, ids=sorted(served | known))
            episodes = {e.id: e for e in found if _visible(scope, e)}
            errors = _check(episodes, served | known, adds, day)
            if errors:
                raise _Refused(errors)
            current = {s.episode_id: s.id for s in servings_on(connection, list(episodes), day)}
            doubles = sorted(adds & current.keys())
            if doubles:
                raise _Refused(
                    [
                        FieldError(FieldProblem.SERVED_ALREADY, episodes[i].name, str(day), "")
                        for i in doubles
                    ]
                )
            removals = {i: current[i] for i in sorted(takes & current.keys())}
            _write(connection, user, kitchen_id, day, adds, removals, episodes)
    except _Refused as refused:
        return DaySaved(0, 0, refused.errors)
    return DaySaved(len(adds), len(removals), [])


@dataclass(frozen=True)
class WeekRow:
    """One person's week: the days served, the days planned this week, and the
    adherence so far (days served over the days the kitchen cooked since the start, at
    most the days planned)."""

    episode_id: int
    name: str
    mother_initials: str | None
    posyandu_name: str | None
    age_months: int | None
    served_on: frozenset[date]  # this week
    planned_this_week: int
    served_so_far: int
    expected_so_far: int
    planned_days: int
    adherence: float | None  # served_so_far / expected_so_far


@dataclass(frozen=True)
class ServingWeek:
    """The week (Monday to Sunday) of a day at one kitchen."""

    kitchen: KitchenRow
    days: tuple[date, ...]
    cooks: tuple[bool, ...]  # per day of the week
    today: date
    rows: list[WeekRow]


def _week_rows(
    episodes: list[EpisodeToServe],
    served: dict[int, list[date]],
    week: tuple[date, date],
    as_of: date,
    weekdays: int,
) -> list[WeekRow]:
    monday, sunday = week
    ends = [min(e.ended_on or sunday, sunday) for e in episodes]
    starts = [max(e.started_on, monday) for e in episodes]
    this_week = cooking_days(weekdays, _dates(starts), _dates(ends))
    until = [min(e.ended_on or as_of, as_of) for e in episodes]
    cooked = cooking_days(weekdays, _dates([e.started_on for e in episodes]), _dates(until))
    planned = np.array([e.planned_days for e in episodes], dtype=np.int64)
    expected = np.minimum(cooked, planned)
    so_far = np.array([len(served.get(e.id, [])) for e in episodes], dtype=np.int64)
    shares = adherence(so_far, expected)
    return [
        WeekRow(
            episode_id=e.id,
            name=e.name,
            mother_initials=mask_name(e.mother_name),
            posyandu_name=e.posyandu_name,
            age_months=age,
            served_on=frozenset(d for d in served.get(e.id, []) if monday <= d <= sunday),
            planned_this_week=int(min(this_week[i], planned[i])),
            served_so_far=int(so_far[i]),
            expected_so_far=int(expected[i]),
            planned_days=int(planned[i]),
            adherence=None if np.isnan(shares[i]) else float(shares[i]),
        )
        for i, (e, age) in enumerate(zip(episodes, _ages(episodes, as_of), strict=True))
    ]


def serving_week(
    connection: Connection, scope: Scope, kitchen_id: int, day: date, today: date
) -> ServingWeek:
    """The week of ``day``: per person fed that week, the days served, the days planned
    (the kitchen's cooking days inside the episode) and the adherence so far (to today,
    or to the week's end for a past week)."""
    kitchen = _kitchen(connection, scope, kitchen_id)
    monday, sunday = week_of(day)
    days = tuple(date.fromordinal(monday.toordinal() + i) for i in range(7))
    cooks = tuple(bool(kitchen.weekdays & weekday_bit(d)) for d in days)
    as_of = min(sunday, today)
    episodes = _to_serve(connection, scope, kitchen_id, monday, sunday)
    served = served_days(connection, [e.id for e in episodes], None, sunday)
    rows = _week_rows(episodes, served, (monday, sunday), as_of, kitchen.weekdays)
    return ServingWeek(kitchen, days, cooks, today, rows)
