"""The stunting figures of the dashboard: per round, per posyandu, and any area's sum.

A round is counted once per posyandu with the register's own definition
(:func:`tumbuh.db.prevalence.stunting_prevalence`, by posyandu); an area's figure is the
sum over its posyandu in the user's scope (:func:`area_figure`), which is exact because
the register counts every child once, at the posyandu of its last valid measurement of
the month. The web keeps the counts in memory (:mod:`tumbuh.web.surveillance.figures`) and asks here
what changed (:func:`fingerprint`, :func:`changed_months`).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from tumbuh.db.models import RoundKind
from tumbuh.db.models_access import AuditAction
from tumbuh.db.prevalence import (
    AgeChoice,
    AreaLevel,
    PrevalenceIndicator,
    PrevalenceRow,
    age_split_prevalence,
    stunting_prevalence,
)
from tumbuh.db.surveillance.records import (
    Fingerprint,
    audit_changes,
    records_fingerprint,
    rounds_of_kinds,
)
from tumbuh.db.targets import LocalTarget, SurveyEstimate, prevalence_targets, survey_figures
from tumbuh.growth.intervals import wilson_interval
from tumbuh.growth.periods import month_period
from tumbuh.growth.targets import Target, national_targets
from tumbuh.usecases.access import Scope
from tumbuh.usecases.areas import Area, AreaKind
from tumbuh.usecases.places import Places

__all__ = [
    "FIGURE_ROUNDS",
    "AgeChoice",
    "AreaTargets",
    "Counts",
    "Fingerprint",
    "LocalTarget",
    "Round",
    "RoundFigure",
    "RoundKind",
    "area_figure",
    "area_targets",
    "changed_months",
    "count_round",
    "count_round_by_age",
    "figure_rounds",
    "fingerprint",
    "local_target",
    "round_figure",
]

FIGURE_ROUNDS = (RoundKind.BULAN_TIMBANG, RoundKind.SERENTAK)
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


def area_figure(
    places: Places, counts: Counts, area: Area, scope: Scope, item: Round
) -> RoundFigure:
    """Measured and stunted in ``area`` (within ``scope``) in one round, from the round's
    ``counts`` per posyandu: only the posyandu of the area inside the scope are added."""
    keys: Iterable[int | None] = places.posyandu_ids(area, scope)
    if scope.whole_city and area.kind is AreaKind.KOTA:
        keys = counts.keys()  # the city total includes children seen at no posyandu
    measured = stunted = 0
    for key in keys:
        m, s = counts.get(key, (0, 0))
        measured += m
        stunted += s
    return round_figure(item, measured, stunted)


def fingerprint(connection: Connection) -> Fingerprint:
    """Largest measurement, audit and posyandu ids: a change of the records changes it."""
    return records_fingerprint(connection)


def figure_rounds(connection: Connection) -> tuple[Round, ...]:
    """The bulan timbang and serentak rounds, oldest first."""
    return tuple(Round(month, kind) for month, kind in rounds_of_kinds(connection, FIGURE_ROUNDS))


def changed_months(connection: Connection, old: Fingerprint, new: Fingerprint) -> set[date] | None:
    """Months touched by the audit rows written since ``old``; None when the change is
    not fully explained by them (recount everything)."""
    months: set[date] = set()
    created: set[int] = set()
    for row in audit_changes(connection, old[1], new[1]):
        if row.entity != "measurement":
            continue
        if row.action == AuditAction.CREATE:
            created.add(row.entity_id)
        for text in (row.before, row.after):
            measured_on = json.loads(text).get("measured_on") if text else None
            if isinstance(measured_on, str):
                day = date.fromisoformat(measured_on)
                months.add(day.replace(day=1))
    if new[0] != old[0] and new[0] not in created:
        return None
    return months


def count_round(connection: Connection, city_code: str, month: date, places: Places) -> Counts:
    """Measured and stunted children of one round per posyandu id (None: at none)."""
    period = month_period(month.year, month.month)
    rows = stunting_prevalence(connection, period, city_code=city_code, by=AreaLevel.POSYANDU)
    return _posyandu_counts(rows, places)


def count_round_by_age(
    connection: Connection, city_code: str, month: date, places: Places
) -> dict[AgeChoice, Counts]:
    """:func:`count_round` of the baduta and of the balita 24-59 months (one query);
    per posyandu the two add up to :func:`count_round`."""
    period = month_period(month.year, month.month)
    split = age_split_prevalence(
        connection,
        period,
        city_code=city_code,
        by=AreaLevel.POSYANDU,
        ages=(AgeChoice.BADUTA, AgeChoice.BALITA_24_59),
    )
    return {age: _posyandu_counts(rows, places) for age, rows in split.items()}


def _posyandu_counts(rows: list[PrevalenceRow], places: Places) -> Counts:
    by_code = {p.code: p.id for p in places.posyandu.values()}
    counts: Counts = {}
    for row in rows[1:]:
        if row.measured == 0:
            continue
        key = by_code.get(row.code) if row.code is not None else None
        counts[key] = (row.measured, row.stunted)
    return counts


def local_target(connection: Connection, area: Area, year: int) -> LocalTarget | None:
    """The area's own stunting target for ``year`` (None for a posyandu or when unset)."""
    if area.kind is AreaKind.POSYANDU:
        return None
    found = prevalence_targets(
        connection, region_code=area.code, indicator=PrevalenceIndicator.STUNTING, year=year
    )
    return found[0] if found else None


@dataclass(frozen=True)
class AreaTargets:
    """The stunting targets that concern an area, every year and scale (the national path
    and the area's own), and the survey figures entered for it: what the page draws
    beside figures of the same scale only."""

    targets: tuple[Target, ...]
    surveys: tuple[SurveyEstimate, ...]


def area_targets(connection: Connection, area: Area) -> AreaTargets:
    """The national stunting path and the area's own stunting targets (none of its own for
    a posyandu), by year; and the area's survey figures of stunting."""
    stunting = PrevalenceIndicator.STUNTING
    found = [t for t in national_targets() if t.indicator == stunting.value]
    surveys: tuple[SurveyEstimate, ...] = ()
    if area.kind is not AreaKind.POSYANDU:
        found += [
            t.target
            for t in prevalence_targets(connection, region_code=area.code, indicator=stunting)
        ]
        surveys = tuple(survey_figures(connection, region_code=area.code, indicator=stunting))
    ordered = sorted(found, key=lambda t: (t.year, t.origin.value, t.scale.value))
    return AreaTargets(tuple(ordered), surveys)
