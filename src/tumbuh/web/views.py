"""What an area page and its API twin show, computed from the cached figures and scoped.

Routes call :func:`area_view` and render the result; the JSON API returns the same data.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Connection

from tumbuh.growth.targets import Target, TargetOrigin, target_of_year
from tumbuh.usecases.access import Role, Scope
from tumbuh.usecases.figures import AgeChoice
from tumbuh.usecases.places import Area
from tumbuh.web.reporting.quality import AreaQuality
from tumbuh.web.surveillance.figures import AreaTargets, Figures, Round, RoundFigure

_WHOLE_CITY = Scope(Role.ANALYST, None, None, False, False, False, False, False)


class SortKey(StrEnum):
    """Columns the area table can be sorted by."""

    NAME = "name"
    MEASURED = "measured"
    STUNTED = "stunted"
    PERCENT = "percent"
    CHANGE = "change"


@dataclass(frozen=True)
class AreaRow:
    """One sub-area in the table: latest and previous round, change, data quality."""

    area: Area
    latest: RoundFigure | None
    previous: RoundFigure | None
    quality: AreaQuality | None

    @property
    def change(self) -> float | None:
        """Percentage points since the previous round."""
        return _change(self.latest, self.previous)


@dataclass(frozen=True)
class AreaView:
    """Everything an area page shows."""

    area: Area
    trail: list[Area]
    latest: RoundFigure | None
    previous: RoundFigure | None
    trend: list[RoundFigure]
    rows: list[AreaRow]
    quality: AreaQuality | None
    targets: AreaTargets  # every year and scale; shown only beside figures of their scale
    target_year: int  # the latest round's year (this year without a round)
    partial: bool  # the user sees only part of this area
    by_age: list[tuple[AgeChoice, RoundFigure]]  # latest round: baduta, 24-59, all

    @property
    def change(self) -> float | None:
        """Percentage points since the previous round."""
        return _change(self.latest, self.previous)

    @property
    def national_target(self) -> Target | None:
        """The national stunting target of :attr:`target_year` (None: that year has none)."""
        return self._of_year(TargetOrigin.NATIONAL)

    @property
    def local_target(self) -> Target | None:
        """The area's own stunting target of :attr:`target_year`, if set."""
        return self._of_year(TargetOrigin.LOCAL)

    def _of_year(self, origin: TargetOrigin) -> Target | None:
        mine = [t for t in self.targets.targets if t.origin is origin]
        return target_of_year(mine, self.target_year, indicator="stunting")


def _change(latest: RoundFigure | None, previous: RoundFigure | None) -> float | None:
    if latest is None or previous is None or latest.percent is None or previous.percent is None:
        return None
    return latest.percent - previous.percent


def sort_rows(rows: list[AreaRow], key: SortKey, descending: bool) -> list[AreaRow]:
    """Rows by ``key``; rows without a value last whatever the direction."""

    def value(row: AreaRow) -> float | str | None:
        if key is SortKey.NAME:
            return row.area.name.lower()
        if key is SortKey.CHANGE:
            return row.change
        figure = row.latest
        if figure is None:
            return None
        return {SortKey.MEASURED: figure.measured, SortKey.STUNTED: figure.stunted}.get(
            key, figure.percent
        )

    known = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    known.sort(key=lambda r: value(r) or 0, reverse=descending)
    return known + missing


def area_view(
    connection: Connection,
    figures: Figures,
    area: Area,
    scope: Scope,
    *,
    sort: SortKey = SortKey.NAME,
    descending: bool = False,
) -> AreaView:
    """The figures of ``area`` within ``scope``: latest vs previous round, trend, sub-areas."""
    latest_round, previous_round = figures.latest_two()

    def figure(target: Area, item: Round | None) -> RoundFigure | None:
        return None if item is None else figures.figure(target, scope, item)

    def quality(target: Area) -> AreaQuality | None:
        # Only for areas wholly inside the scope: the score describes every child there.
        if latest_round is None or is_partial(figures, target, scope):
            return None
        return figures.quality(target, latest_round)

    rows = [
        AreaRow(sub, figure(sub, latest_round), figure(sub, previous_round), quality(sub))
        for sub in figures.places.children(area, scope)
    ]
    year = latest_round.month.year if latest_round else date.today().year
    return AreaView(
        area=area,
        trail=figures.places.trail(area),
        latest=figure(area, latest_round),
        previous=figure(area, previous_round),
        trend=figures.trend(area, scope),
        rows=sort_rows(rows, sort, descending),
        quality=quality(area),
        targets=figures.targets(area),
        target_year=year,
        partial=is_partial(figures, area, scope),
        by_age=[] if latest_round is None else figures.age_figures(area, scope, latest_round),
    )


def is_partial(figures: Figures, area: Area, scope: Scope) -> bool:
    """True when only some of the area's posyandu lie in the scope."""
    if scope.whole_city:
        return False
    places = figures.places
    return len(places.posyandu_ids(area, scope)) < len(places.posyandu_ids(area, _WHOLE_CITY))
