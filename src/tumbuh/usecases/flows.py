"""Cohort flows between two rounds for a user, per area one level down, inside the scope.

:func:`tumbuh.db.surveillance.flows.cohort_flows` counts every child measured in either
round once, at the posyandu of its counted measurement (docs/surveillance.md, "Cohort
flows between two rounds"). Here the posyandu breakdown is added up over the posyandu
inside the user's scope: exact, since each child is in one posyandu's row, and it never
counts a child of the part of a kecamatan outside a nutritionist's area. With an age
group (baduta, balita 24-59 months), only the children of that group count
(:func:`tumbuh.db.surveillance.flows.cohort_flows`).
"""

from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db.prevalence import AgeChoice
from tumbuh.db.surveillance.areas import AreaLevel
from tumbuh.db.surveillance.flows import FlowRow, cohort_flows
from tumbuh.growth.flows import FLOWS, ONE_ROUND
from tumbuh.growth.periods import Period
from tumbuh.usecases.access import Scope
from tumbuh.usecases.areas import Area
from tumbuh.usecases.memo import Memo
from tumbuh.usecases.places import Places, counts_unplaced, posyandu_codes, sub_areas

__all__ = ["AgeChoice", "AreaFlows", "FlowRow", "FlowsView", "flows_view"]


@dataclass(frozen=True)
class AreaFlows:
    """The flows of one area (None: children measured at no posyandu)."""

    area: Area | None
    flows: FlowRow

    @property
    def percent_first(self) -> float | None:
        """Stunted among the measured of the first round, percent."""
        return _percent(self.flows.stunted_first, self.flows.measured_first)

    @property
    def percent_second(self) -> float | None:
        """Stunted among the measured of the second round, percent."""
        return _percent(self.flows.stunted_second, self.flows.measured_second)


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class FlowsView:
    """What the cohort-flows page and its API twin show."""

    first: Period
    second: Period
    area: Area
    total: AreaFlows
    rows: list[AreaFlows]  # per area one level down, in code order
    age: AgeChoice = AgeChoice.ALL  # the children counted


def _sum(code: str | None, name: str | None, level: str, rows: list[FlowRow]) -> FlowRow:
    return FlowRow(
        code,
        name,
        level,
        {f: sum(r.counts[f] for r in rows) for f in FLOWS},
        {f: sum(r.stunted_when_last_seen[f] for r in rows) for f in ONE_ROUND},
    )


def flows_view(
    connection: Connection,
    places: Places,
    memo: Memo,
    area: Area,
    scope: Scope,
    first: Period,
    second: Period,
    age: AgeChoice = AgeChoice.ALL,
) -> FlowsView:
    """The flows from ``first`` to ``second`` of ``area`` that ``scope`` may see, of the
    children of ``age`` (the city's flows per posyandu, the same for every user, are
    kept by ``memo``)."""
    found = memo(
        ("cohort_flows", first, second, age),
        lambda: cohort_flows(
            connection, first, second, city_code=places.city.code, by=AreaLevel.POSYANDU, age=age
        ),
    )
    allowed = posyandu_codes(places, area, scope)
    below = sub_areas(places, area, scope)
    inside = [r for r in found[1:] if r.code in allowed]
    unplaced = [r for r in found[1:] if r.code is None and counts_unplaced(area, scope)]
    rows = []
    for sub in places.children(area, scope):
        mine = [r for r in inside if r.code is not None and below.get(r.code) == sub]
        rows.append(AreaFlows(sub, _sum(sub.code, sub.name, sub.kind.value, mine)))
    if unplaced and unplaced[0].children:
        rows.append(AreaFlows(None, unplaced[0]))
    total = _sum(area.code, area.name, area.kind.value, inside + unplaced)
    return FlowsView(first, second, area, AreaFlows(area, total), rows, age)
