"""Prevalence of one area round after round, with the change and the target lines.

Each point is the register prevalence of the area in one period (every bulan timbang by
default, or every month, semester or year), counted exactly as ``tumbuh report
prevalence`` counts it, with its Wilson interval. The change since the previous point is
in percentage points with Newcombe's interval (:mod:`tumbuh.growth.trend`): called a rise
or a fall only when that interval excludes zero. Beside the points: the targets with their
scale (:mod:`tumbuh.growth.targets`): the national path for stunting (packaged data:
14 % in 2024, 18.8 % in 2025, ...) and the area's own targets (``prevalence_target``),
and the survey figures entered for the area, never merged with the register
(docs/domain.md §4). A point carries only a **register-scale** local target: a
survey-scale target (the national path, Cilegon's 9 %) belongs beside the survey figures,
never beside a register prevalence (:func:`tumbuh.growth.targets.comparable`).

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
from tumbuh.growth.targets import (
    FigureKind,
    Target,
    TargetScale,
    figure_scale,
    national_targets,
    target_of_year,
)
from tumbuh.growth.trend import Change, difference_interval

POINT_SCALE = figure_scale(FigureKind.REGISTER_PREVALENCE)  # what a trend point is on


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
    local_target_percent: float | None  # the area's register-scale target of the year

    @property
    def percent(self) -> float | None:
        """Cases per 100 measured; None when nobody was measured."""
        return 100.0 * self.cases / self.measured if self.measured else None


@dataclass(frozen=True)
class Trend:
    """The points of one area and indicator, with the targets and survey figures."""

    area: Area
    indicator: PrevalenceIndicator
    step: Step
    points: tuple[TrendPoint, ...]
    targets: tuple[Target, ...]  # national and local, every scale and year, by year
    surveys: tuple[SurveyEstimate, ...]  # entered survey figures of the area
    age: AgeChoice = AgeChoice.ALL  # the children counted

    def targets_on(self, scale: TargetScale) -> tuple[Target, ...]:
        """The targets on ``scale``, by year."""
        return tuple(t for t in self.targets if t.scale is scale)


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
    national: tuple[Target, ...] | None = None,
    age: AgeChoice = AgeChoice.ALL,
) -> Trend:
    """Every period of ``step`` from ``first`` to ``last`` (default: all the data); with
    ``age``, the children of that age group only (module doc). ``national``: the national
    path (default: the packaged one)."""
    span = data_range(connection)
    start = first.start if first is not None else (span[0] if span else None)
    end = last_day(last) if last is not None else (span[1] if span else None)
    chosen = covering(start, end, step) if start is not None and end is not None else []
    every = age is AgeChoice.ALL
    surveys = (
        tuple(survey_figures(connection, region_code=area.code, indicator=indicator))
        if every
        else ()
    )
    targets = _targets(connection, area, indicator, national) if every else ()
    if not chosen:
        return Trend(area, indicator, step, (), targets, surveys, age)
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
                local_target_percent=_register_target(targets, period.year, indicator),
            )
        )
    return Trend(area, indicator, step, tuple(points), targets, surveys, age)


def _targets(
    connection: Connection,
    area: Area,
    indicator: PrevalenceIndicator,
    national: tuple[Target, ...] | None,
) -> tuple[Target, ...]:
    """The national path of the indicator and the area's own targets, by year."""
    path = national_targets() if national is None else national
    found = [t for t in path if t.indicator == indicator.value]
    found += [
        t.target for t in prevalence_targets(connection, region_code=area.code, indicator=indicator)
    ]
    return tuple(sorted(found, key=lambda t: (t.year, t.origin.value, t.scale.value)))


def _register_target(
    targets: tuple[Target, ...], year: int, indicator: PrevalenceIndicator
) -> float | None:
    """The register-scale target of ``year``, the only one a register point may carry."""
    found = target_of_year(targets, year, indicator=indicator.value, scale=POINT_SCALE)
    return None if found is None else found.percent
