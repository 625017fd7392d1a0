"""Per-round figures for every area, computed once and kept in memory (docs/web.md).

A bulan timbang round of the demo city holds about 31,000 measured children among
almost a million measurements; scanning them per page view would not keep the
dashboard under 300 ms with 20 users at once. So each round is counted once per
posyandu with the register's own definition (:func:`tumbuh.db.prevalence.
stunting_prevalence`, by posyandu), and any area's figure is the sum over its posyandu
in the user's scope; this is exact, because the register counts every child once, at
the posyandu of its last valid measurement of the month.

**Invalidation.** At most once a second (at once after this process wrote, see
:meth:`FiguresCache.changed`) a request compares a fingerprint of the database (largest
measurement, audit and posyandu ids: three index look-ups) with the one the figures were
computed at. New audit rows name the measurements that changed; only their months are
counted again. Any other change (an import without audit rows, new posyandu) and, as a
safety net, age over :data:`MAX_AGE` recount everything.
"""

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, cast

from sqlalchemy import Connection, func, select

from tumbuh.db.models import Measurement, MeasurementRound, Posyandu, RoundKind, table_of
from tumbuh.db.models_access import AuditAction, AuditEntry, PrevalenceTarget
from tumbuh.db.prevalence import AreaLevel, Period, stunting_prevalence
from tumbuh.growth.intervals import wilson_interval
from tumbuh.web.places import Area, AreaKind, Places, load_places
from tumbuh.web.quality import AreaQuality, round_quality
from tumbuh.usecases.access import Scope

MAX_AGE = 600.0  # seconds: recount everything at least every 10 minutes
MEMO_SIZE = 32  # results kept by Figures.memo
CHECK_EVERY = 1.0  # seconds between fingerprint checks (a write in this process: at once)
FIGURE_ROUNDS = (RoundKind.BULAN_TIMBANG, RoundKind.SERENTAK)
STUNTING_INDICATOR = "stunting"  # prevalence_target.indicator of the stunting targets

T = TypeVar("T")
Fingerprint = tuple[int, int, int]
Counts = dict[int | None, tuple[int, int]]  # posyandu id (None: none) -> measured, stunted


@dataclass(frozen=True)
class Round:
    """A weighing round shown in the figures."""

    month: date
    kind: RoundKind

    @property
    def label(self) -> str:
        """``2024-08``."""
        return f"{self.month:%Y-%m}"


@dataclass(frozen=True)
class RoundFigure:
    """Measured and stunted children of an area in one round, with the Wilson interval."""

    round: Round
    measured: int
    stunted: int
    percent: float | None
    low: float | None  # 95 % Wilson interval, percent
    high: float | None


def round_figure(item: Round, measured: int, stunted: int) -> RoundFigure:
    """The figure with its percentage and 95 % Wilson score interval (None when n = 0)."""
    if measured == 0:
        return RoundFigure(item, 0, 0, None, None, None)
    low, high = wilson_interval(stunted, measured)
    return RoundFigure(
        item, measured, stunted, 100.0 * stunted / measured, 100.0 * float(low), 100.0 * float(high)
    )


@dataclass
class _State:
    fingerprint: Fingerprint
    built_at: float
    places: Places
    rounds: tuple[Round, ...]
    counts: dict[date, Counts] = field(default_factory=dict)
    quality: dict[date, dict[str, AreaQuality]] = field(default_factory=dict)
    targets: dict[tuple[str, int], "LocalTarget | None"] = field(default_factory=dict)
    memo: OrderedDict[Hashable, object] = field(default_factory=OrderedDict)


@dataclass(frozen=True)
class LocalTarget:
    """An area's own stunting target for a year (``prevalence_target``), with its source."""

    percent: float
    year: int
    source: str | None


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
        fingerprint = _fingerprint(connection)
        with self._lock:
            state = self._state
            if state is None or now - state.built_at > MAX_AGE:
                state = self._fresh(connection, fingerprint, now)
            elif state.fingerprint != fingerprint:
                state = self._refresh(connection, state, fingerprint, now)
            self._state = state
            self._checked_at = now
            return Figures(self, state, connection)

    def _fresh(self, connection: Connection, fingerprint: Fingerprint, now: float) -> _State:
        return _State(
            fingerprint, now, load_places(connection, self.city_code), _rounds(connection)
        )

    def _refresh(
        self, connection: Connection, state: _State, fingerprint: Fingerprint, now: float
    ) -> _State:
        months = _changed_months(connection, state.fingerprint, fingerprint)
        if months is None or fingerprint[2] != state.fingerprint[2]:
            return self._fresh(connection, fingerprint, now)
        rounds = _rounds(connection)
        for month in months:
            state.counts.pop(month, None)
            state.quality.pop(month, None)
        return _State(
            fingerprint, state.built_at, state.places, rounds, state.counts, state.quality
        )

    def _counts(self, state: _State, connection: Connection, month: date) -> Counts:
        with self._lock:
            if month not in state.counts:
                state.counts[month] = _count_round(connection, self.city_code, month, state.places)
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
        keys: Iterable[int | None] = self.places.posyandu_ids(area, scope)
        if scope.whole_city and area.kind is AreaKind.KOTA:
            keys = counts.keys()  # the city total includes children seen at no posyandu
        measured = stunted = 0
        for key in keys:
            m, s = counts.get(key, (0, 0))
            measured += m
            stunted += s
        return round_figure(item, measured, stunted)

    def trend(self, area: Area, scope: Scope) -> list[RoundFigure]:
        """The area's figure in every round, oldest first."""
        return [self.figure(area, scope, item) for item in self.rounds]

    def local_target(self, area: Area, year: int) -> LocalTarget | None:
        """The area's own stunting target for ``year`` (None for posyandu or when unset)."""
        key = (area.code, year)
        targets = self._state.targets
        if key not in targets:
            targets[key] = _local_target(self._connection, area, year)
        return targets[key]

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


def _local_target(connection: Connection, area: Area, year: int) -> LocalTarget | None:
    if area.kind is AreaKind.POSYANDU:
        return None
    table = table_of(PrevalenceTarget)
    row = connection.execute(
        select(table.c.percent, table.c.source).where(
            table.c.region_code == area.code,
            table.c.year == year,
            table.c.indicator == STUNTING_INDICATOR,
        )
    ).first()
    return None if row is None else LocalTarget(float(row.percent), year, row.source)


def _fingerprint(connection: Connection) -> Fingerprint:
    m, a, p = table_of(Measurement), table_of(AuditEntry), table_of(Posyandu)
    row = connection.execute(
        select(
            select(func.coalesce(func.max(m.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(a.c.id), 0)).scalar_subquery(),
            select(func.coalesce(func.max(p.c.id), 0)).scalar_subquery(),
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def _rounds(connection: Connection) -> tuple[Round, ...]:
    table = table_of(MeasurementRound)
    rows = connection.execute(
        select(table.c.month, table.c.kind)
        .where(table.c.kind.in_(FIGURE_ROUNDS))
        .order_by(table.c.month)
    )
    return tuple(Round(r.month, RoundKind(r.kind)) for r in rows)


def _changed_months(connection: Connection, old: Fingerprint, new: Fingerprint) -> set[date] | None:
    """Months touched by the audit rows written since ``old``; None when the change is
    not fully explained by them (recount everything)."""
    table = table_of(AuditEntry)
    rows = connection.execute(
        select(
            table.c.action, table.c.entity, table.c.entity_id, table.c.before, table.c.after
        ).where(table.c.id > old[1], table.c.id <= new[1])
    ).all()
    months: set[date] = set()
    created: set[int] = set()
    for row in rows:
        if row.entity != "measurement":
            continue
        if row.action == AuditAction.CREATE:
            created.add(int(row.entity_id))
        for text in (row.before, row.after):
            measured_on = json.loads(text).get("measured_on") if text else None
            if isinstance(measured_on, str):
                day = date.fromisoformat(measured_on)
                months.add(day.replace(day=1))
    if new[0] != old[0] and new[0] not in created:
        return None
    return months


def _count_round(connection: Connection, city_code: str, month: date, places: Places) -> Counts:
    period = Period.month(f"{month:%Y-%m}")
    rows = stunting_prevalence(connection, period, city_code=city_code, by=AreaLevel.POSYANDU)
    by_code = {p.code: p.id for p in places.posyandu.values()}
    counts: Counts = {}
    for row in rows[1:]:
        if row.measured == 0:
            continue
        key = by_code.get(row.code) if row.code is not None else None
        counts[key] = (row.measured, row.stunted)
    return counts
