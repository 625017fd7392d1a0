"""Per-round figures for every area, computed once and kept in memory (docs/web.md).

A bulan timbang round of the demo city holds about 31,000 measured children among
almost a million measurements; scanning them per page view would not keep the
dashboard under 300 ms with 20 users at once. So each round is counted once per
posyandu (:func:`tumbuh.usecases.figures.count_round`) and kept here, and any area's
figure is the sum over its posyandu in the user's scope
(:func:`tumbuh.usecases.figures.area_figure`); this is exact, because the register
counts every child once, at the posyandu of its last valid measurement of the month.
This module only keeps and invalidates; every read is a use case.

**Invalidation.** At most once a second (at once after this process wrote, see
:meth:`FiguresCache.changed`) a request compares a fingerprint of the database (largest
measurement, audit and posyandu ids: three index look-ups) with the one the figures were
computed at. New audit rows name the measurements that changed; only their months are
counted again. Any other change (an import without audit rows, new posyandu) and, as a
safety net, age over :data:`MAX_AGE` recount everything.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, cast

from sqlalchemy import Connection

from tumbuh.usecases.access import Scope
from tumbuh.usecases.areas import Area
from tumbuh.usecases.figures import (
    AgeChoice,
    AreaTargets,
    Counts,
    Fingerprint,
    LocalTarget,
    Round,
    RoundFigure,
    RoundKind,
    area_figure,
    area_targets,
    changed_months,
    count_round,
    count_round_by_age,
    figure_rounds,
    fingerprint,
    round_figure,
)
from tumbuh.usecases.places import Places, load_places
from tumbuh.web.reporting.quality import AreaQuality, round_quality

__all__ = [
    "AreaTargets",
    "Figures",
    "FiguresCache",
    "LocalTarget",
    "Round",
    "RoundFigure",
    "round_figure",
]

MAX_AGE = 600.0  # seconds: recount everything at least every 10 minutes
MEMO_SIZE = 32  # results kept by Figures.memo
CHECK_EVERY = 1.0  # seconds between fingerprint checks (a write in this process: at once)

T = TypeVar("T")


@dataclass
class _State:
    fingerprint: Fingerprint
    built_at: float
    places: Places
    rounds: tuple[Round, ...]
    counts: dict[date, Counts] = field(default_factory=dict)
    quality: dict[date, dict[str, AreaQuality]] = field(default_factory=dict)
    targets: dict[str, AreaTargets] = field(default_factory=dict)
    memo: OrderedDict[Hashable, object] = field(default_factory=OrderedDict)


class FiguresCache:
    """The per-round, per-posyandu counts of one process (thread-safe)."""

    def __init__(self, city_code: str) -> None:
        self.city_code = city_code
        self._lock = threading.RLock()
        self._state: _State | None = None
        self._checked_at = 0.0

    def invalidate(self) -> None:
        """Forget everything (the next request recounts)."""
        with self._lock:
            self._state = None

    def changed(self) -> None:
        """This process wrote: compare the fingerprint on the next request, not later."""
        self._checked_at = 0.0

    def snapshot(self, connection: Connection) -> "Figures":
        """Up-to-date figures for this request (recounting what changed).

        The fingerprint is compared at most every :data:`CHECK_EVERY` seconds, so a change
        made by another process shows within a second; this process's own writes call
        :meth:`changed` and show at once.
        """
        now = time.monotonic()
        state = self._state
        recent = now - self._checked_at < CHECK_EVERY
        if state is not None and recent and now - state.built_at <= MAX_AGE:
            return Figures(self, state, connection)
        current = fingerprint(connection)
        with self._lock:
            state = self._state
            if state is None or now - state.built_at > MAX_AGE:
                state = self._fresh(connection, current, now)
            elif state.fingerprint != current:
                state = self._refresh(connection, state, current, now)
            self._state = state
            self._checked_at = now
            return Figures(self, state, connection)

    def _fresh(self, connection: Connection, current: Fingerprint, now: float) -> _State:
        return _State(
            current, now, load_places(connection, self.city_code), figure_rounds(connection)
        )

    def _refresh(
        self, connection: Connection, state: _State, current: Fingerprint, now: float
    ) -> _State:
        months = changed_months(connection, state.fingerprint, current)
        if months is None or current[2] != state.fingerprint[2]:
            return self._fresh(connection, current, now)
        rounds = figure_rounds(connection)
        for month in months:
            state.counts.pop(month, None)
            state.quality.pop(month, None)
        return _State(current, state.built_at, state.places, rounds, state.counts, state.quality)

    def _counts(self, state: _State, connection: Connection, month: date) -> Counts:
        with self._lock:
            if month not in state.counts:
                state.counts[month] = count_round(connection, self.city_code, month, state.places)
            return state.counts[month]

    def _quality(
        self, state: _State, connection: Connection, month: date
    ) -> dict[str, AreaQuality]:
        with self._lock:
            if month not in state.quality:
                state.quality[month] = round_quality(connection, month, state.places)
            return state.quality[month]


class Figures:
    """The figures one request sees; every method takes the user's scope."""

    def __init__(self, cache: FiguresCache, state: _State, connection: Connection) -> None:
        self._cache = cache
        self._state = state
        self._connection = connection

    @property
    def places(self) -> Places:
        """Every area of the city."""
        return self._state.places

    @property
    def rounds(self) -> tuple[Round, ...]:
        """Bulan timbang and serentak rounds, oldest first."""
        return self._state.rounds

    def latest_two(self) -> tuple[Round | None, Round | None]:
        """The latest bulan timbang round and the one before it."""
        bulan_timbang = [r for r in self.rounds if r.kind is RoundKind.BULAN_TIMBANG]
        latest = bulan_timbang[-1] if bulan_timbang else None
        previous = bulan_timbang[-2] if len(bulan_timbang) > 1 else None
        return latest, previous

    def figure(self, area: Area, scope: Scope, item: Round) -> RoundFigure:
        """Measured and stunted in ``area`` (within ``scope``) in one round."""
        counts = self._cache._counts(self._state, self._connection, item.month)
        return area_figure(self.places, counts, area, scope, item)

    def age_figures(
        self, area: Area, scope: Scope, item: Round
    ) -> list[tuple[AgeChoice, RoundFigure]]:
        """The area's figure for the baduta, the balita 24-59 months and all balita."""
        city_code = self._cache.city_code
        split = self.memo(
            ("age-split", item.month),
            lambda: count_round_by_age(self._connection, city_code, item.month, self.places),
        )
        figures = [(age, area_figure(self.places, split[age], area, scope, item)) for age in split]
        return [*figures, (AgeChoice.ALL, self.figure(area, scope, item))]

    def trend(self, area: Area, scope: Scope) -> list[RoundFigure]:
        """The area's figure in every round, oldest first."""
        return [self.figure(area, scope, item) for item in self.rounds]

    def targets(self, area: Area) -> AreaTargets:
        """The stunting targets (national path, the area's own) and survey figures of the
        area, every year and scale."""
        targets = self._state.targets
        if area.code not in targets:
            targets[area.code] = area_targets(self._connection, area)
        return targets[area.code]

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept with these figures (so until the records change; the
        :data:`MEMO_SIZE` most recent results). For results that do not depend on the
        user's scope, such as a month's referral list or two rounds' flows per posyandu."""
        memo = self._state.memo
        with self._cache._lock:
            if key in memo:
                memo.move_to_end(key)
                return cast(T, memo[key])
        value = compute()  # outside the lock: other requests go on meanwhile
        with self._cache._lock:
            memo[key] = value
            while len(memo) > MEMO_SIZE:
                memo.popitem(last=False)
        return value

    def quality(self, area: Area, item: Round) -> AreaQuality | None:
        """SMART plausibility of the area's children in a round (None: nobody measured)."""
        table = self._cache._quality(self._state, self._connection, item.month)
        return table.get(area.code)
