"""The intervention indicators of Perpres 72/2021 Annex A for a year, and the KRS of the
families (docs/indicators.md; the rules in docs/domain.md §11 and §14).

In one read: the register's facts of the year in the user's area
(:mod:`tumbuh.db.indicators`), counted per kelurahan by :mod:`tumbuh.growth.indicators`
(each indicator's numerator, denominator and unknown) with the catalogue's target for the
year; D/S is the SKDN of each month of the year (:func:`tumbuh.db.surveillance.skdn.skdn`,
the one definition of D and S), summed over the months. The figures entered by hand are
read with their source; the KRS counts judge each family with :func:`tumbuh.growth.krs.assess`
(through :func:`tumbuh.usecases.family_views.assess_facts`, as the TPK's list does).

**Scope.** Figures only, per kelurahan: administrators, analysts and partners see the
city, a nutritionist her kelurahan; the other roles are :class:`NotAllowed` (a kader's
posyandu is smaller than a kelurahan). Only administrators and analysts (the TPPS) enter
figures by hand.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db import indicators as records
from tumbuh.db.indicators import ChildFacts, HandEntered
from tumbuh.db.surveillance.skdn import skdn
from tumbuh.errors import InputError
from tumbuh.growth import indicators as rules
from tumbuh.growth.ages import BALITA_MONTHS, completed_months
from tumbuh.growth.indicators import (
    CATALOGUE,
    GroupRate,
    IndicatorCode,
    IndicatorResult,
    InterventionIndicator,
    Obtained,
)
from tumbuh.growth.periods import last_day, month_period, months_before
from tumbuh.reports.indicators import FigureLine, KrsLine
from tumbuh.usecases.access import NotAllowed, Role, Scope
from tumbuh.usecases.family_views import assess_facts
from tumbuh.usecases.places import Places

__all__ = [
    "CATALOGUE",
    "ComputedIndicator",
    "EnteredIndicator",
    "EnteredValue",
    "GroupRate",
    "IndicatorCode",
    "Indicators",
    "KrsRow",
    "NotAllowed",
    "city_indicators",
    "indicators",
    "sheet_lines",
]

FIGURE_ROLES = (Role.ADMIN, Role.ANALYST, Role.PARTNER, Role.NUTRITIONIST)
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class KelurahanRate:
    """An indicator's figure in one kelurahan (``code`` None: records without one)."""

    code: str | None
    name: str | None
    rate: GroupRate


@dataclass(frozen=True)
class ComputedIndicator:
    """An indicator computed from the register: the whole area, then each kelurahan."""

    indicator: InterventionIndicator
    target: float | None
    area: GroupRate
    kelurahan: tuple[KelurahanRate, ...]


@dataclass(frozen=True)
class EnteredValue:
    """A figure entered by hand for an area (the city or a kelurahan), with its source."""

    region_code: str
    region_name: str
    numerator: int | None
    denominator: int | None
    percent: float
    source: str
    entered_at: datetime
    target: float | None

    @property
    def meets_target(self) -> bool | None:
        """At or above the target; None without one."""
        return None if self.target is None else self.percent >= self.target


@dataclass(frozen=True)
class EnteredIndicator:
    """An indicator entered by hand: its target and the figures entered for the year."""

    indicator: InterventionIndicator
    target: float | None
    values: tuple[EnteredValue, ...]


@dataclass(frozen=True)
class KrsRow:
    """KRS of a kelurahan (or the whole area, ``code`` ""): the target families of the
    register, those at risk, and those not assessed enough to say."""

    code: str | None
    name: str | None
    families: int
    at_risk: int
    unknown: int

    @property
    def assessed(self) -> int:
        """Families known to be at risk or not."""
        return self.families - self.unknown

    @property
    def rate(self) -> float | None:
        """At risk over the families assessed, in percent (None when none was)."""
        return 100.0 * self.at_risk / self.assessed if self.assessed else None


@dataclass(frozen=True)
class Indicators:
    """Every indicator of Annex A for a year in the user's area, and the KRS."""

    year: int
    area_code: str
    area_name: str
    computed: tuple[ComputedIndicator, ...]
    entered: tuple[EnteredIndicator, ...]
    krs: tuple[KrsRow, ...]  # the whole area first


def _check_year(year: int, field: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            "{field}: {value} is not a plausible year; give a year from {first} to {last}",
            field=field,
            value=year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return year


def _kelurahan_of(scope: Scope) -> frozenset[str] | None:
    if scope.role not in FIGURE_ROLES:
        raise NotAllowed
    return scope.kelurahan


def _total(groups: Sequence[GroupRate], target: float | None) -> GroupRate:
    return GroupRate(
        group=None,
        numerator=sum(g.numerator for g in groups),
        denominator=sum(g.denominator for g in groups),
        unknown=sum(g.unknown for g in groups),
        target=target,
    )


def _shown(result: IndicatorResult, places: Places) -> ComputedIndicator:
    target = result.indicator.target(result.year)
    rows = tuple(
        KelurahanRate(
            g.group, places.kelurahan[g.group].name if g.group in places.kelurahan else None, g
        )
        for g in result.groups
    )
    return ComputedIndicator(result.indicator, target, _total(result.groups, target), rows)


def _last_month_start(year: int, as_of: date) -> date:
    return min(date(year, 12, 1), date(as_of.year, as_of.month, 1))


def _months_of(year: int, as_of: date) -> list[date]:
    last = _last_month_start(year, as_of)
    return [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= last]


def _feeding(
    facts: Sequence[ChildFacts], months: Sequence[date], low: int, high: int, which: int
) -> tuple[list[str | None], list[float], list[bool | None]]:
    """Per child 0-5 or 6-23 months old in a month of the year: its latest record of the
    fact (``which``: 1 exclusive breastfeeding, 2 MP-ASI) from such a month, and its age
    then; None where no such month recorded it."""
    group: list[str | None] = []
    ages: list[float] = []
    values: list[bool | None] = []
    ends = np.array([last_day(month_period(m.year, m.month)) for m in months], "datetime64[D]")
    for child in facts:
        age = completed_months(np.full(len(months), child.birth_date, "datetime64[D]"), ends)
        eligible = {m: int(a) for m, a in zip(months, age, strict=True) if low <= a <= high}
        if not eligible:
            continue
        recorded = [r for r in child.months if r[0] in eligible and r[which] is not None]
        month = recorded[-1][0] if recorded else max(eligible)
        group.append(child.kelurahan_code)
        ages.append(float(eligible[month]))
        values.append(bool(recorded[-1][which]) if recorded else None)
    return group, ages, values


def _maternal_and_child(
    connection: Connection, year: int, as_of: date, kelurahan: Collection[str] | None
) -> list[IndicatorResult]:
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), as_of)
    found = records.pregnancies(connection, start, end, kelurahan)
    area = [p.kelurahan_code for p in found]
    results = [
        rules.kek_bumil_given_pmt(
            year=year,
            kelurahan=area,
            muac_cm=[p.muac_cm for p in found],
            had_pmt=[p.had_pmt for p in found],
        ),
        rules.bumil_ttd_90(year=year, kelurahan=area, tablets=[p.iron_tablets for p in found]),
    ]
    young = records.children(
        connection,
        born_after=months_before(end, BALITA_MONTHS),
        born_by=end,
        start=start,
        end=end,
        kelurahan=kelurahan,
    )
    months = _months_of(year, as_of)
    group, ages, values = _feeding(young, months, 0, 5, 1)
    results.append(
        rules.exclusive_breastfeeding(year=year, kelurahan=group, age_months=ages, exclusive=values)
    )
    group, ages, values = _feeding(young, months, 6, 23, 2)
    results.append(
        rules.complementary_feeding(year=year, kelurahan=group, age_months=ages, mp_asi=values)
    )
    wasted = records.wasted_children(connection, start, end, kelurahan)
    buruk = [w.gizi_buruk for w in wasted]
    results.append(
        rules.gizi_buruk_treated(
            year=year,
            kelurahan=[w.kelurahan_code for w in wasted],
            gizi_buruk=buruk,
            treated=[w.treated for w in wasted],
        )
    )
    results.append(
        rules.gizi_kurang_given_pmt(
            year=year,
            kelurahan=[w.kelurahan_code for w in wasted],
            gizi_kurang=[not b for b in buruk],
            had_pmt=[w.had_pmt for w in wasted],
        )
    )
    ends = np.full(len(young), end, "datetime64[D]")
    born = np.array([c.birth_date for c in young], "datetime64[D]")
    results.append(
        rules.complete_basic_immunisation(
            year=year,
            kelurahan=[c.kelurahan_code for c in young],
            age_months=completed_months(born, ends).astype(np.float64),
            complete=[c.immunised_on is not None and c.immunised_on <= end for c in young],
        )
    )
    return results


def _growth_monitored(
    connection: Connection, places: Places, year: int, as_of: date, kelurahan: frozenset[str] | None
) -> IndicatorResult:
    """D/S: the SKDN of each month of the year up to ``as_of``, D and S summed per
    kelurahan; in the city, children registered or weighed at no posyandu of the city
    are a row of their own (no kelurahan)."""
    d: dict[str | None, int] = {}
    s: dict[str | None, int] = {}
    for month in _months_of(year, as_of):
        rows = skdn(connection, month_period(year, month.month), city_code=places.city.code,
                    area=places.city)  # fmt: skip
        for row in rows:
            if row.level == "kelurahan" or (row.code is None and kelurahan is None):
                key = row.code
                if key is not None and kelurahan is not None and key not in kelurahan:
                    continue
                d[key] = d.get(key, 0) + row.d
                s[key] = s.get(key, 0) + row.s
    indicator = CATALOGUE[IndicatorCode.GROWTH_MONITORED]
    target = indicator.target(year)
    keys = sorted(s, key=lambda k: (k is None, k or ""))
    groups = tuple(GroupRate(k, d[k], s[k], 0, target) for k in keys if s[k] or d[k])
    return IndicatorResult(indicator, year, groups)


def _krs(facts: Sequence[records.FamilyFacts], places: Places) -> tuple[KrsRow, ...]:
    judged = assess_facts(facts).at_risk
    by: dict[str | None, list[int]] = {}
    for i, f in enumerate(facts):
        counts = by.setdefault(f.kelurahan_code, [0, 0, 0])
        counts[0] += 1
        counts[1] += int(judged.yes[i])
        counts[2] += int(judged.unknown[i])
    rows = [
        KrsRow(code, places.kelurahan[code].name if code in places.kelurahan else None, *c)
        for code, c in sorted(by.items(), key=lambda item: (item[0] is None, item[0] or ""))
    ]
    whole = KrsRow("", None, *(sum(r[i] for r in by.values()) for i in range(3)))
    return (whole, *rows)


def _entered(value: HandEntered, places: Places, target: float | None) -> EnteredValue:
    area = places.kelurahan.get(value.region_code)
    name = places.city.name if value.region_code == places.city.code else None
    return EnteredValue(
        value.region_code, area.name if area else name or value.region_code, value.numerator,
        value.denominator, value.percent, value.source, value.entered_at, target,
    )  # fmt: skip


def indicators(
    connection: Connection,
    places: Places,
    scope: Scope,
    year: int,
    *,
    as_of: date,
    year_field: str = "year",
) -> Indicators:
    """Every indicator of ``year`` in the user's area (module doc), counted up to
    ``as_of`` when the year is not over; :class:`NotAllowed` for the roles without them."""
    kelurahan = _kelurahan_of(scope)
    _check_year(year, year_field)
    computed = [
        *_maternal_and_child(connection, year, as_of, kelurahan),
        _growth_monitored(connection, places, year, as_of, kelurahan),
    ]
    by_code = {r.indicator.code: _shown(r, places) for r in computed}
    regions = None if kelurahan is None else {places.city.code, *kelurahan}
    entered = records.values_of_year(connection, year, regions)
    manual = tuple(
        EnteredIndicator(
            i,
            i.target(year),
            tuple(_entered(v, places, i.target(year)) for v in entered if v.indicator == i.code),
        )
        for i in CATALOGUE.values()
        if i.obtained is Obtained.MANUAL
    )
    if kelurahan is not None and len(kelurahan) == 1:
        code = next(iter(kelurahan))
        area = places.kelurahan.get(code)
        area_code, area_name = code, area.name if area else code
    else:
        area_code, area_name = places.city.code, places.city.name
    return Indicators(
        year=year,
        area_code=area_code,
        area_name=area_name,
        computed=tuple(by_code[c] for c in CATALOGUE if c in by_code),  # the catalogue's order
        entered=manual,
        krs=_krs(records.families(connection, kelurahan), places),
    )


def city_indicators(
    connection: Connection, places: Places, year: int, *, as_of: date, year_field: str = "year"
) -> Indicators:
    """The whole city's indicators of ``year``: the data of the semester report."""
    city = Scope(Role.ANALYST, None, None, False, False, False, False, False)
    return indicators(connection, places, city, year, as_of=as_of, year_field=year_field)


def _line(
    indicator: InterventionIndicator, code: str, name: str | None, rate: GroupRate
) -> FigureLine:
    return FigureLine(
        indicator.name, code, name, rate.numerator, rate.denominator, rate.unknown, rate.rate,
        rate.target, rate.meets_target, indicator.source,
    )  # fmt: skip


def sheet_lines(found: Indicators) -> tuple[list[FigureLine], list[FigureLine], list[KrsLine]]:
    """The rows of the workbook (:func:`tumbuh.reports.indicators.indicator_tables`): each
    computed indicator's area then its kelurahan; the figures entered; the KRS."""
    computed = []
    for item in found.computed:
        computed.append(_line(item.indicator, found.area_code, found.area_name, item.area))
        computed.extend(_line(item.indicator, k.code or "", k.name, k.rate) for k in item.kelurahan)
    entered = [
        FigureLine(
            item.indicator.name,
            value.region_code,
            value.region_name,
            value.numerator,
            value.denominator,
            None,
            value.percent,
            item.target,
            value.meets_target,
            value.source,
            source_is_message=False,
        )
        for item in found.entered
        for value in item.values
    ]
    krs_lines = [
        KrsLine(
            found.area_code if r.code == "" else r.code or "",
            found.area_name if r.code == "" else r.name,
            r.families,
            r.at_risk,
            r.unknown,
            r.rate,
        )
        for r in found.krs
    ]
    return computed, entered, krs_lines
