"""Coverage of a period per area: children weighed and measured against the target S.

docs/domain.md §4: coverage = measured / target. BKKBN holds that e-PPGBM prevalence
needs about 95 % coverage to be trusted, and Perpres 72/2021 targets D/S of 90 % in 2024
(the 2006 growth-monitoring standard asked 80 %; the same thresholds as the data-quality checks,
:data:`tumbuh.growth.quality.codes.DEFAULT_SETTINGS`). Per area:

* **target S**: the balita Dinkes targets (``target_population``) for the period's year;
  kelurahan only, so a kecamatan or the city has a target when all its kelurahan have one
  (their sum);
* **registered**: balita whose home posyandu is in the area, 0-59 completed months old at
  some time in the period (today's registration; the register keeps no moves);
* **weighed** (D): children with a weighing in the period (a weight that is not
  WHO-flagged), counted once, in the area of their last weighing;
* **measured**: children with a valid length/height-for-age z-score, counted once in the
  area of their last valid one: the denominator of the stunting prevalence.

With an age group (baduta 0-23 months, balita 24-59 months): the weighed and measured
children of that group by their age at the counted measurement
(:func:`tumbuh.db.prevalence.in_age`), the registered ones by their age on the period's
last day (a child of 60 months or more then, registered because it was a balita earlier
in the period, counts with the 24-59 months); the groups add up to the total. The target
S is of all balita, so an age group has none.
"""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, func, select

from tumbuh.db.models import Child, MeasurementDerived, Posyandu, Region, table_of
from tumbuh.db.prevalence import AgeChoice, of_age
from tumbuh.db.surveillance.areas import AreaKind, AreaLevel, areas_at, city_area
from tumbuh.db.surveillance.counted import ObjectArray, counted_rows
from tumbuh.db.targets import population_targets
from tumbuh.growth.age_split import SPLIT_GROUPS, counted_age_group
from tumbuh.growth.ages import BALITA_MONTHS, completed_months
from tumbuh.growth.enums import Indicator
from tumbuh.growth.periods import Period, last_day, months_before
from tumbuh.growth.quality.codes import DEFAULT_SETTINGS

COVERAGE_TARGET = DEFAULT_SETTINGS.coverage_target  # 0.90
COVERAGE_TRUSTED = DEFAULT_SETTINGS.coverage_trusted  # 0.95


def _ratio(numerator: int, denominator: int | None) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class CoverageRow:
    """Target, registered, weighed and measured children of one area in a period."""

    code: str | None  # None: children at no posyandu of the city
    name: str | None
    level: str
    target_s: int | None
    registered: int
    weighed: int
    measured: int

    @property
    def weighed_share(self) -> float | None:
        """Weighed / target S, 0-1 (None without a target)."""
        return _ratio(self.weighed, self.target_s)

    @property
    def measured_share(self) -> float | None:
        """Measured / target S, 0-1: the coverage of the prevalence."""
        return _ratio(self.measured, self.target_s)

    @property
    def registered_share(self) -> float | None:
        """Registered / target S, 0-1: how well the register knows the area's balita."""
        return _ratio(self.registered, self.target_s)

    @property
    def below_target(self) -> bool | None:
        """Weighed / S under the target, 90 % (None without a target)."""
        share = self.weighed_share
        return None if share is None else share < COVERAGE_TARGET

    @property
    def below_trusted(self) -> bool | None:
        """Measured / S under 95 %: the prevalence may not represent the area."""
        share = self.measured_share
        return None if share is None else share < COVERAGE_TRUSTED


def _count_by(keys: ObjectArray, codes: list[str]) -> np.ndarray:
    position = {code: g for g, code in enumerate(codes)}
    groups = np.fromiter(
        (position.get(k, len(codes)) for k in keys.tolist()), dtype=np.int64, count=len(keys)
    )
    return np.bincount(groups, minlength=len(codes) + 1)


def _registered(
    connection: Connection, period: Period, by: AreaLevel, age: AgeChoice
) -> dict[str | None, int]:
    """Registered balita (of ``age``) per area code of level ``by`` (None: no posyandu)."""
    c = table_of(Child)
    p = table_of(Posyandu)
    k = table_of(Region)
    key = {
        AreaLevel.POSYANDU: p.c.code,
        AreaLevel.KELURAHAN: p.c.kelurahan_code,
        AreaLevel.KECAMATAN: k.c.parent_code,
    }[by]
    source = c.outerjoin(p, p.c.id == c.c.posyandu_id).outerjoin(k, k.c.code == p.c.kelurahan_code)
    balita = (
        c.c.birth_date <= last_day(period),
        c.c.birth_date > months_before(period.start, BALITA_MONTHS),
    )
    if age.group is None:
        query = (
            select(key.label("area"), func.count().label("children"))
            .select_from(source)
            .where(*balita)
            .group_by(key)
        )
        return {row.area: int(row.children) for row in connection.execute(query)}
    found = connection.execute(select(key, c.c.birth_date).select_from(source).where(*balita)).all()
    born = np.array([row[1] for row in found], dtype="datetime64[D]")
    months = completed_months(born, np.full(len(found), last_day(period), dtype="datetime64[D]"))
    older = np.minimum(months, BALITA_MONTHS - 1)  # a balita earlier in the period
    chosen = counted_age_group(older) == SPLIT_GROUPS.index(age.group)
    counts: dict[str | None, int] = {}
    for row, keep in zip(found, chosen.tolist(), strict=True):
        if keep:
            counts[row[0]] = counts.get(row[0], 0) + 1
    return counts


def _target(targets: dict[str, int], kelurahan: list[str]) -> int | None:
    if not kelurahan or any(code not in targets for code in kelurahan):
        return None
    return sum(targets[code] for code in kelurahan)


def coverage(
    connection: Connection,
    period: Period,
    *,
    city_code: str,
    by: AreaLevel = AreaLevel.KELURAHAN,
    age: AgeChoice = AgeChoice.ALL,
) -> list[CoverageRow]:
    """The city's row first, then every area of level ``by`` (by code), then a row (code
    None) for children registered or measured at no posyandu of the city, if any; with
    ``age``, the children of that age group only (module doc)."""
    city = city_area(connection, city_code)
    areas = areas_at(connection, by, city_code)
    codes = [code for code, _ in areas]
    kind = AreaKind(by.value)
    split = age.group is not None
    measured = of_age(
        counted_rows(connection, [period], [Indicator.HAZ], with_birth_date=split), age
    )
    weighed = of_age(
        counted_rows(
            connection,
            [period],
            [],
            condition=table_of(MeasurementDerived).c.weight_trend.is_not(None),
            with_birth_date=split,
        ),
        age,
    )
    measured_counts = _count_by(measured.area_codes(kind), codes)
    weighed_counts = _count_by(weighed.area_codes(kind), codes)
    registered = _registered(connection, period, by, age)
    targets = (
        {}
        if split
        else {t.kelurahan_code: t.balita for t in population_targets(connection, year=period.year)}
    )
    kelurahan = [code for code, _ in areas_at(connection, AreaLevel.KELURAHAN, city_code)]
    rows = [
        CoverageRow(
            city.code,
            city.name,
            AreaKind.KOTA.value,
            _target(targets, kelurahan),
            sum(registered.values()),
            len(weighed),
            len(measured),
        )
    ]
    for g, (code, name) in enumerate(areas):
        members = [k for k in kelurahan if k == code or k.startswith(code + ".")]
        rows.append(
            CoverageRow(
                code,
                name,
                by.value,
                None if kind is AreaKind.POSYANDU else _target(targets, members),
                registered.pop(code, 0),
                int(weighed_counts[g]),
                int(measured_counts[g]),
            )
        )
    outside = CoverageRow(
        None,
        None,
        by.value,
        None,
        sum(registered.values()),
        int(weighed_counts[-1]),
        int(measured_counts[-1]),
    )
    if outside.registered or outside.weighed or outside.measured:
        rows.append(outside)
    return rows
