"""The dashboard's panel of intervention indicators (docs/indicators.md, "On the
dashboard"): the figures of the current year computed from the register in the user's
area, each against its target, and the share of families at risk of stunting (KRS); the
full tables per kelurahan are on the indicators page.

The current year is that of the latest measurement up to today (the year of the
dashboard's latest figures), so a register whose records stop before this year (an old
copy, the demo city) shows its last year rather than an empty one; counted up to today.

Scoped as :func:`tumbuh.usecases.indicators.indicators` is: administrators, analysts and
partners see the city, a nutritionist her kelurahan; for the other roles there is no
panel (None), not an error, since the dashboard is everybody's home page.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from tumbuh.db.surveillance.records import latest_measurement_day
from tumbuh.usecases.access import Scope
from tumbuh.usecases.indicators import (
    FIGURE_ROLES,
    ComputedIndicator,
    KrsRow,
    indicators,
)
from tumbuh.usecases.places import Places


@dataclass(frozen=True)
class IndicatorPanel:
    """The year's computed indicators of the user's area and its KRS."""

    year: int
    area_name: str
    computed: tuple[ComputedIndicator, ...]  # the catalogue's order
    krs: KrsRow  # the whole area

    @property
    def met(self) -> int:
        """Indicators at or above their target."""
        return sum(1 for item in self.computed if item.area.meets_target)

    @property
    def with_target(self) -> int:
        """Indicators with a target and a figure."""
        return sum(1 for item in self.computed if item.area.meets_target is not None)


def may_see_panel(scope: Scope) -> bool:
    """Whether the user's dashboard shows the panel (the roles of the indicators page)."""
    return scope.role in FIGURE_ROLES


def indicator_panel(
    connection: Connection, places: Places, scope: Scope, *, today: date
) -> IndicatorPanel | None:
    """The panel of the current year (module doc), counted up to ``today``; None for the
    roles without the indicators."""
    if not may_see_panel(scope):
        return None
    latest = latest_measurement_day(connection, today)
    year = today.year if latest is None else latest.year
    found = indicators(connection, places, scope, year, as_of=today)
    home = places.home(scope)  # the dashboard's area (several kelurahan: their kecamatan)
    return IndicatorPanel(found.year, home.name, found.computed, found.krs[0])
