"""Prevalence from the register, per area, for a period, with Wilson intervals.

Definitions (docs/data-model.md, docs/surveillance.md); the demo city is calibrated to the
stunting figures and ``tumbuh report prevalence`` prints them:

* a **period** is a month (``2024-08``; a bulan timbang is February or August), a
  semester (``2024-S2``) or a year (``2024``);
* a measurement is **valid** for an indicator when the z-scores it needs are present and
  not WHO-flagged; for the weight-based ones a balita with oedema is valid too and counts
  as below -3 SD, as WHO anthro counts it (:mod:`tumbuh.db.surveillance.counted`);
* a child is **measured** in a period when it has a valid measurement in it, and counts
  once, with its **last** valid one (latest date, then the latest entered);
* a measured child **has the outcome** (is stunted, wasted, ...) when that measurement's
  z-scores meet the indicator's cut-offs (Permenkes 2/2020, anthro's strict inequalities);
  prevalence = cases / measured x 100, with a Wilson 95 % interval
  (:func:`tumbuh.growth.prevalence.register_prevalence`);
* the area is that of the posyandu where the counted measurement was taken;
* the **age group** (baduta 0-23, balita 24-59 completed months) is the child's age at
  the counted measurement (:func:`tumbuh.growth.age_split.counted_age_group`); the two
  groups add up to the total.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from sqlalchemy import Connection

from tumbuh.age_labels import AGE_LABELS
from tumbuh.db.surveillance.areas import AreaKind, AreaLevel, areas_at, city_area
from tumbuh.db.surveillance.counted import CountedRows, counted_rows
from tumbuh.growth import periods, prevalence
from tumbuh.growth.age_split import SPLIT_GROUPS, counted_age_group
from tumbuh.growth.ages import AgeGroup
from tumbuh.growth.enums import Indicator
from tumbuh.growth.grouping import everyone, from_codes
from tumbuh.growth.prevalence import Interval, Outcome, PrevalenceTable, register_prevalence
from tumbuh.growth.types import BoolArray

__all__ = [
    "AgeChoice",
    "AreaLevel",
    "PrevalenceIndicator",
    "PrevalenceRow",
    "age_split_prevalence",
    "indicator_prevalence",
    "stunting_prevalence",
]

STUNTING_HAZ_BELOW = -2.0
OUTSIDE = "\x00outside"  # group key of children measured at no posyandu of the city


class PrevalenceIndicator(StrEnum):
    """The register indicators a report can show (values are what users type)."""

    STUNTING = "stunting"
    SEVERE_STUNTING = "severe-stunting"
    WASTING = "wasting"
    SEVERE_WASTING = "severe-wasting"
    UNDERWEIGHT = "underweight"
    OVERWEIGHT = "overweight"
    OBESITY = "obesity"
    STUNTED_AND_WASTED = "stunted-and-wasted"
    STUNTED_AND_OVERWEIGHT = "stunted-and-overweight"

    @property
    def outcome(self) -> Outcome:
        """The outcome of :mod:`tumbuh.growth.prevalence` (cut-offs on z-scores)."""
        return _OUTCOMES[self]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """The z-scores the outcome needs, in a fixed order."""
        return tuple(sorted({c.indicator for c in self.outcome.conditions}))

    @property
    def label(self) -> str:
        """Message id of the indicator's name (translate with gettext)."""
        return _LABELS[self]

    @property
    def column(self) -> str:
        """Name of the cases column in CSV output (``stunting``, ``severe_wasting``)."""
        return self.value.replace("-", "_")


_OUTCOMES = {
    PrevalenceIndicator.STUNTING: prevalence.STUNTING,
    PrevalenceIndicator.SEVERE_STUNTING: prevalence.SEVERE_STUNTING,
    PrevalenceIndicator.WASTING: prevalence.WASTING,
    PrevalenceIndicator.SEVERE_WASTING: prevalence.SEVERE_WASTING,
    PrevalenceIndicator.UNDERWEIGHT: prevalence.UNDERWEIGHT,
    PrevalenceIndicator.OVERWEIGHT: prevalence.OVERWEIGHT,
    PrevalenceIndicator.OBESITY: prevalence.OBESITY,
    PrevalenceIndicator.STUNTED_AND_WASTED: prevalence.STUNTED_AND_WASTED,
    PrevalenceIndicator.STUNTED_AND_OVERWEIGHT: prevalence.STUNTED_AND_OVERWEIGHT,
}
# Message ids; the Indonesian names follow Permenkes 2/2020 (surveillance.po).
_LABELS = {
    PrevalenceIndicator.STUNTING: "stunting (HAZ < -2)",
    PrevalenceIndicator.SEVERE_STUNTING: "severe stunting (HAZ < -3)",
    PrevalenceIndicator.WASTING: "wasting (WHZ < -2)",
    PrevalenceIndicator.SEVERE_WASTING: "severe wasting (WHZ < -3)",
    PrevalenceIndicator.UNDERWEIGHT: "underweight (WAZ < -2)",
    PrevalenceIndicator.OVERWEIGHT: "overweight (WHZ > +2)",
    PrevalenceIndicator.OBESITY: "obesity (WHZ > +3)",
    PrevalenceIndicator.STUNTED_AND_WASTED: "stunted and wasted",
    PrevalenceIndicator.STUNTED_AND_OVERWEIGHT: "stunted and overweight",
}


class AgeChoice(StrEnum):
    """Which children a prevalence counts (values are what users type): every balita,
    or one age group. In the order reports show them: the groups, then the total."""

    BADUTA = "baduta"
    BALITA_24_59 = "24-59"
    ALL = "all"

    @property
    def group(self) -> AgeGroup | None:
        """The age group (None: every balita)."""
        return _GROUPS[self]

    @property
    def label(self) -> str:
        """Message id of the choice's name (translate with gettext; age_groups.po)."""
        return AGE_LABELS[self.group]


_GROUPS = {
    AgeChoice.BADUTA: AgeGroup.BADUTA,
    AgeChoice.BALITA_24_59: AgeGroup.BALITA_24_59,
    AgeChoice.ALL: None,
}


@dataclass(frozen=True)
class PrevalenceRow:
    """Children measured and with the outcome in one area (code None: at no posyandu).

    ``lower``/``upper`` are the Wilson 95 % interval (0-1), None when nobody was measured.
    """

    code: str | None
    name: str | None
    level: str
    measured: int
    cases: int
    lower: float | None = None
    upper: float | None = None

    @property
    def stunted(self) -> int:
        """The cases (the name the stunting callers use)."""
        return self.cases

    @property
    def percent(self) -> float | None:
        """Cases per 100 measured; None when nobody was measured."""
        return 100.0 * self.cases / self.measured if self.measured else None

    @property
    def lower_percent(self) -> float | None:
        """Lower bound of the interval, percent."""
        return None if self.lower is None else 100.0 * self.lower

    @property
    def upper_percent(self) -> float | None:
        """Upper bound of the interval, percent."""
        return None if self.upper is None else 100.0 * self.upper


def _bound(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def table_rows(
    table: PrevalenceTable,
    outcome: Outcome,
    keys: Sequence[tuple[str | None, str | None]],
    level: str,
) -> list[PrevalenceRow]:
    """One row per group of ``table`` (``keys``: code and name of each group, in order)."""
    estimates = table.proportions[outcome]
    return [
        PrevalenceRow(
            code,
            name,
            level,
            int(estimates.n[g]),
            int(estimates.cases[g]),
            _bound(estimates.lower[g]),
            _bound(estimates.upper[g]),
        )
        for g, (code, name) in enumerate(keys)
    ]


def area_table(
    rows: CountedRows,
    outcome: Outcome,
    area_codes: Sequence[str],
    kind: AreaKind,
    interval: Interval = Interval.WILSON,
) -> PrevalenceTable:
    """Prevalence per area of ``area_codes`` plus a last group of every other row."""
    position = {code: g for g, code in enumerate(area_codes)}
    outside = len(area_codes)
    codes = np.fromiter(
        (position.get(code, outside) for code in rows.area_codes(kind).tolist()),
        dtype=np.int64,
        count=len(rows),
    )
    grouping = from_codes([codes], [[*area_codes, OUTSIDE]], ("area",))
    return register_prevalence(rows.scores(), grouping, outcomes=[outcome], indicators=[])


def indicator_prevalence(
    connection: Connection,
    period: periods.Period,
    *,
    city_code: str,
    by: AreaLevel | None = None,
    indicator: PrevalenceIndicator = PrevalenceIndicator.STUNTING,
    age: AgeChoice = AgeChoice.ALL,
) -> list[PrevalenceRow]:
    """The city's row first, then one row per area of level ``by`` (all areas, by code).

    Areas where nobody was measured get 0 of 0. Children whose counted measurement names
    no posyandu of the city count for the city and, with ``by``, in a last row with code
    None. With ``age``, only the children of that age group count.
    """
    return age_split_prevalence(
        connection, period, city_code=city_code, by=by, indicator=indicator, ages=(age,)
    )[age]


def age_split_prevalence(
    connection: Connection,
    period: periods.Period,
    *,
    city_code: str,
    by: AreaLevel | None = None,
    indicator: PrevalenceIndicator = PrevalenceIndicator.STUNTING,
    ages: Sequence[AgeChoice] = tuple(AgeChoice),
) -> dict[AgeChoice, list[PrevalenceRow]]:
    """:func:`indicator_prevalence` for each choice of ``ages``, from one query: the
    counts of the two age groups add up to those of :attr:`AgeChoice.ALL`."""
    outcome = indicator.outcome
    split = any(age.group is not None for age in ages)
    rows = counted_rows(connection, [period], indicator.indicators, with_birth_date=split)
    city = city_area(connection, city_code)
    areas = None if by is None else areas_at(connection, by, city_code)
    return {
        age: _area_rows(of_age(rows, age), outcome, (city.code, city.name), by, areas)
        for age in ages
    }


def of_age(rows: CountedRows, age: AgeChoice) -> CountedRows:
    """The counted rows of the children of ``age`` (every row for :attr:`AgeChoice.ALL`),
    by their age in completed months at the counted measurement
    (:func:`tumbuh.growth.age_split.counted_age_group`): the one age split of every
    report, so that baduta and 24-59 months always add up to all balita. The rows must
    carry birth dates (``counted_rows(..., with_birth_date=True)``) unless ``age`` is all.
    """
    return rows if age.group is None else rows.take(in_age(rows, age))


def in_age(rows: CountedRows, age: AgeChoice) -> BoolArray:
    """Whether each counted row is of a child of ``age`` (:func:`of_age`)."""
    if age.group is None:
        return np.ones(len(rows), dtype=bool)
    result: BoolArray = counted_age_group(rows.age_months()) == SPLIT_GROUPS.index(age.group)
    return result


def _area_rows(
    rows: CountedRows,
    outcome: Outcome,
    city: tuple[str, str],
    by: AreaLevel | None,
    areas: Sequence[tuple[str, str]] | None,
) -> list[PrevalenceRow]:
    total = register_prevalence(
        rows.scores(), everyone(len(rows)), outcomes=[outcome], indicators=[]
    )
    result = table_rows(total, outcome, [city], AreaKind.KOTA.value)
    if by is None or areas is None:
        return result
    table = area_table(rows, outcome, [code for code, _ in areas], AreaKind(by.value))
    by_area = table_rows(table, outcome, [*areas, (None, None)], by.value)
    if by_area[-1].measured == 0:
        by_area.pop()  # nobody outside the city's posyandu
    return result + by_area


def stunting_prevalence(
    connection: Connection,
    period: periods.Period,
    *,
    city_code: str,
    by: AreaLevel | None = None,
) -> list[PrevalenceRow]:
    """:func:`indicator_prevalence` of stunting (HAZ < -2)."""
    return indicator_prevalence(
        connection, period, city_code=city_code, by=by, indicator=PrevalenceIndicator.STUNTING
    )
