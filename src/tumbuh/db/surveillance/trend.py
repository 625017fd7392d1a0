"""Prevalence of one area round after round, with the change and the target lines.

Each point is the register prevalence of the area in one period (every bulan timbang by
default, or every month, semester or year), counted exactly as ``tumbuh report
prevalence`` counts it, with its Wilson interval. The change since the previous point is
in percentage points with Newcombe's interval (:mod:`tumbuh.growth.trend`): called a rise
or a fall only when that interval excludes zero. Beside the points: the national target
(stunting only; Perpres 72/2021: 14 % in 2024, the setting
``TUMBUH_NATIONAL_STUNTING_TARGET_PERCENT``), the local target of each year
(``prevalence_target``) and the survey figures entered for the area, never merged with
the register (docs/domain.md §4).

With an age group (baduta 0-23 months or balita 24-59 months, :func:`of_age`), every
point counts only the children of that group; the targets and survey figures are of all
balita, so they are left out then (a baduta prevalence is not held against them).
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection, func, select

from tumbuh.db.models import Measurement, table_of
from tumbuh.db.prevalence import AgeChoice, PrevalenceIndicator, of_age
from tumbuh.db.surveillance.areas import Area
from tumbuh.db.surveillance.counted import counted_rows
from tumbuh.db.targets import SurveyEstimate, prevalence_targets, survey_figures
from tumbuh.growth.grouping import from_codes
from tumbuh.growth.periods import Period, Step, covering, last_day
from tumbuh.growth.prevalence import register_prevalence
from tumbuh.growth.trend import Change, difference_interval

NATIONAL_STUNTING_TARGET_PERCENT = 14.0  # Perpres 72/2021, article 4: 14 % in 2024


@dataclass(frozen=True)
class TrendPoint:
    """The area's prevalence in one period and its change since the previous point."""

    period: Period
    measured: int
    cases: int
    lower: float | None  # Wilson 95 % interval, 0-1
    upper: float | None
    change: float | None  # since the previous point, 0-1 (x 100: percentage points)
    change_lower: float | None  # Newcombe 95 % interval of the change
    change_upper: float | None
    verdict: Change
    local_target_percent: float | None  # the area's target for the period's year

    @property
    def percent(self) -> float | None:
        """Cases per 100 measured; None when nobody was measured."""
        return 100.0 * self.cases / self.measured if self.measured else None


@dataclass(frozen=True)
class Trend:
    """The points of one area and indicator, with the reference lines."""

    area: Area
    indicator: PrevalenceIndicator
    step: Step
    points: tuple[TrendPoint, ...]
    national_target_percent: float | None  # None for indicators without one
    surveys: tuple[SurveyEstimate, ...]  # entered survey figures of the area
    age: AgeChoice = AgeChoice.ALL  # the children counted


def data_range(connection: Connection) -> tuple[date, date] | None:
    """First and last measurement dates in the register (None when it is empty)."""
    m = table_of(Measurement)
    first, last = connection.execute(
        select(func.min(m.c.measured_on), func.max(m.c.measured_on))
    ).one()
    if first is None or last is None:
        return None
    return _as_date(first), _as_date(last)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _maybe(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def prevalence_trend(
    connection: Connection,
    *,
    area: Area,
    indicator: PrevalenceIndicator = PrevalenceIndicator.STUNTING,
    step: Step = Step.BULAN_TIMBANG,
    first: Period | None = None,
    last: Period | None = None,
    national_stunting_target_percent: float | None = NATIONAL_STUNTING_TARGET_PERCENT,
    age: AgeChoice = AgeChoice.ALL,
) -> Trend:
    """Every period of ``step`` from ``first`` to ``last`` (default: all the data); with
    ``age``, the children of that age group only (module doc)."""
    span = data_range(connection)
    start = first.start if first is not None else (span[0] if span else None)
    end = last_day(last) if last is not None else (span[1] if span else None)
    chosen = covering(start, end, step) if start is not None and end is not None else []
    every = age is AgeChoice.ALL
    stunting = indicator is PrevalenceIndicator.STUNTING and every
    national = national_stunting_target_percent if stunting else None
    surveys = (
        tuple(survey_figures(connection, region_code=area.code, indicator=indicator))
        if every
        else ()
    )
    if not chosen:
        return Trend(area, indicator, step, (), national, surveys, age)
    rows = counted_rows(
        connection, chosen, indicator.indicators, area=area, with_birth_date=not every
    )
    rows = of_age(rows, age)
    grouping = from_codes([rows.period], [list(range(len(chosen)))], ("period",))
    outcome = indicator.outcome
    table = register_prevalence(rows.scores(), grouping, outcomes=[outcome], indicators=[])
    est = table.proportions[outcome]
    diff = difference_interval(
        (est.proportion[:-1], est.lower[:-1], est.upper[:-1]),
        (est.proportion[1:], est.lower[1:], est.upper[1:]),
    )
    targets = {
        t.year: t.percent
        for t in prevalence_targets(connection, region_code=area.code, indicator=indicator)
        if every
    }
    points = []
    for i, period in enumerate(chosen):
        j = i - 1
        points.append(
            TrendPoint(
                period=period,
                measured=int(est.n[i]),
                cases=int(est.cases[i]),
                lower=_maybe(est.lower[i]),
                upper=_maybe(est.upper[i]),
                change=_maybe(diff.change[j]) if i else None,
                change_lower=_maybe(diff.lower[j]) if i else None,
                change_upper=_maybe(diff.upper[j]) if i else None,
                verdict=diff.verdict_of(j) if i else Change.UNKNOWN,
                local_target_percent=targets.get(period.year),
            )
        )
    return Trend(area, indicator, step, tuple(points), national, surveys, age)
