"""The arrays the data-quality checks need for one month, read from the database.

Two reads through the driver (a million values would otherwise spend most of their time in
SQLAlchemy's per-value processing, as in :mod:`tumbuh.db.measurements`):

* the month: every measurement of the month with its child's sex and birth date, its
  derived z-scores and its posyandu;
* the history: every measurement, up to the end of the month, of the children measured
  in it, for the checks against the child's own curve and the copied values.

Also read: the areas (posyandu, kelurahan, kecamatan of the city), the target S of each
kelurahan for the year and the stunting figures of surveys for the year
(:mod:`tumbuh.db.targets`). Callers get arrays and dataclasses.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, Select, or_, select

from tumbuh.db.models import Child, Measurement, MeasurementDerived, Posyandu, RegionLevel, table_of
from tumbuh.db.prevalence import AreaLevel, PrevalenceIndicator
from tumbuh.db.regions import RegionInfo, city_region, regions
from tumbuh.db.targets import population_targets, survey_figures
from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.growth.enums import Indicator
from tumbuh.growth.periods import Period
from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.who2006 import MAX_AGE_DAYS
from tumbuh.ingest.plausibility import LENGTH, WEIGHT, MeasureRule, plausible_range

HISTORY_MONTHS = 61  # a child under 60 months was born at most this many months ago
_SEX = {"male": 1, "female": 2}
_POSITION = {"l": 1, "h": 2}


@dataclass(frozen=True)
class MonthRows:
    """Every measurement of the month, one element each."""

    measurement_id: IntArray
    child: IntArray
    day: FloatArray  # days since 1970-01-01
    birth_date: np.ndarray  # datetime64[D]
    age_days: FloatArray
    age_months: FloatArray  # completed months (Permenkes 2/2020)
    sex: IntArray  # 1 boy, 2 girl, 0 missing
    weight_kg: FloatArray
    height_cm: FloatArray  # as recorded
    position: IntArray  # 1 lying, 2 standing, 0 missing
    muac_cm: FloatArray
    zscores: dict[Indicator, FloatArray]  # HAZ, WAZ, WHZ, BAZ as stored
    haz_flag: BoolArray
    posyandu: IntArray  # index into RoundData.posyandu_codes; -1: none or outside the city
    weight_slip: BoolArray  # a unit slip explains the weight
    height_slip: BoolArray


@dataclass(frozen=True)
class History:
    """Every measurement up to the end of the month of the children measured in it."""

    child: IntArray
    day: FloatArray
    age_days: FloatArray
    sex: IntArray
    weight_kg: FloatArray
    height_cm: FloatArray  # as recorded (copied values compare these)
    height_used_cm: FloatArray  # after the 0.7 cm position adjustment (cleaning uses these)
    haz: FloatArray
    waz: FloatArray
    month_row: IntArray  # index into MonthRows, -1 for earlier months


@dataclass(frozen=True)
class SurveyRecord:
    """A survey's stunting figure for an area and the year of the month."""

    region_code: str
    survey: str
    year: int
    percent: float
    low_percent: float | None
    high_percent: float | None
    source: str | None


@dataclass(frozen=True)
class UnitTable:
    """The areas of one level: codes, names, target S, and each posyandu's area."""

    level: str
    codes: tuple[str | None, ...]
    names: tuple[str, ...]
    targets: FloatArray  # S per area; NaN where unknown
    posyandu_unit: IntArray  # area index of each posyandu (index as in RoundData)

    def of_posyandu(self, posyandu: IntArray) -> IntArray:
        """Area index of each measurement from its posyandu index (-1 stays -1)."""
        lookup = np.append(self.posyandu_unit, -1)
        return lookup[np.where(posyandu >= 0, posyandu, lookup.size - 1)]


@dataclass(frozen=True)
class RoundData:
    """Everything read for one month."""

    period: str
    year: int
    month: MonthRows
    history: History
    city: RegionInfo
    kecamatan: tuple[RegionInfo, ...]
    kelurahan: tuple[RegionInfo, ...]
    posyandu_codes: tuple[str, ...]
    posyandu_names: tuple[str, ...]
    posyandu_kelurahan: tuple[str, ...]
    targets: dict[str, int]  # kelurahan code -> S for the year
    surveys: tuple[SurveyRecord, ...]

    def units(self, by: AreaLevel | None) -> UnitTable:
        """The areas of level ``by``; None is the city alone."""
        if by is None:
            every = np.zeros(len(self.posyandu_codes), dtype=np.int64)
            target = _sum_targets(self.targets, [k.code for k in self.kelurahan])
            return UnitTable("kota", (self.city.code,), (self.city.name,), target, every)
        if by is AreaLevel.POSYANDU:
            n = len(self.posyandu_codes)
            return UnitTable(
                by.value,
                self.posyandu_codes,
                self.posyandu_names,
                np.full(n, np.nan),
                np.arange(n, dtype=np.int64),
            )
        kecamatan = by is AreaLevel.KECAMATAN
        areas = self.kecamatan if kecamatan else self.kelurahan
        area_of = {k.code: (k.parent_code if kecamatan else k.code) for k in self.kelurahan}
        index = {area.code: unit for unit, area in enumerate(areas)}
        targets = [
            _sum_targets(self.targets, [k for k, a in area_of.items() if a == area.code])[0]
            for area in areas
        ]
        return UnitTable(
            by.value,
            tuple(area.code for area in areas),
            tuple(area.display_name for area in areas),
            np.array(targets, dtype=np.float64),
            np.array(
                [index.get(area_of.get(k) or "", -1) for k in self.posyandu_kelurahan],
                dtype=np.int64,
            ),
        )

    def smart_rows(self) -> IntArray:
        """One row per child: its last measurement of the month, preferring one with a WHZ."""
        m = self.month
        has_whz = ~np.isnan(m.zscores[Indicator.WHZ])
        return _last_per_child(m.child, (m.measurement_id, m.day, has_whz), np.ones_like(has_whz))

    def register_rows(self) -> IntArray:
        """One row per child with a valid HAZ: its last (latest date, then latest entered),
        as :func:`tumbuh.db.prevalence.stunting_prevalence` counts it."""
        m = self.month
        valid = ~np.isnan(m.zscores[Indicator.HAZ]) & ~m.haz_flag
        return _last_per_child(m.child, (m.measurement_id, m.day), valid)


def _sum_targets(targets: dict[str, int], kelurahan: Sequence[str]) -> FloatArray:
    """S of an area: the sum over its kelurahan when every one has a target, else NaN."""
    known = [targets[k] for k in kelurahan if k in targets]
    total = float(sum(known)) if kelurahan and len(known) == len(kelurahan) else np.nan
    return np.array([total])


def _last_per_child(child: IntArray, keys: tuple[np.ndarray, ...], mask: BoolArray) -> IntArray:
    """Rows where ``mask`` holds, the last per child by ``keys`` (last key most significant)."""
    rows = np.flatnonzero(mask)
    order = rows[np.lexsort((*(k[rows] for k in keys), child[rows]))]
    last = np.ones(order.size, dtype=bool)
    last[:-1] = child[order][1:] != child[order][:-1]
    return np.sort(order[last])


def _fetch(connection: Connection, query: Select[Any]) -> list[list[Any]]:
    """The query's columns as lists, read with the driver's own cursor (no per-row work
    in SQLAlchemy; the query has no parameters: its values are written as literals)."""
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    width = len(query.selected_columns)
    return [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _floats(values: list[Any]) -> FloatArray:
    return np.array(values, dtype=np.float64)  # None -> NaN


def _days(values: list[Any]) -> np.ndarray:
    """ISO text (SQLite) or ``date`` objects (PostgreSQL) to datetime64[D]; None -> NaT."""
    return np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[D]")


def _codes(values: list[Any], mapping: dict[str, int]) -> IntArray:
    return np.array([mapping.get(v, 0) if v is not None else 0 for v in values], dtype=np.int64)


def _day_numbers(dates: np.ndarray) -> FloatArray:
    numbers = dates.astype("datetime64[D]").astype(np.int64).astype(np.float64)
    return np.where(np.isnat(dates), np.nan, numbers)


def _slips(values: FloatArray, rule: MeasureRule, sex: IntArray, age_days: FloatArray) -> BoolArray:
    """True where the value is implausible for the age but a unit slip explains it."""
    low, high = plausible_range(rule, sex, np.where(np.isnan(age_days), 0.0, age_days))
    unknown = np.isnan(low) | np.isnan(high) | np.isnan(age_days)
    low = np.where(unknown, rule.envelope[0], low)
    high = np.where(unknown, rule.envelope[1], high)
    with np.errstate(invalid="ignore"):
        outside = ~((values >= low) & (values <= high))
        explained = np.zeros(values.size, dtype=bool)
        for _, factor in rule.slips:
            fixed = values * factor
            explained |= (fixed >= low) & (fixed <= high)
    return outside & explained & ~np.isnan(values)


def _month_query(period: Period) -> Select[Any]:
    m, c, d = table_of(Measurement), table_of(Child), table_of(MeasurementDerived)
    return (
        select(
            m.c.id,
            m.c.child_id,
            m.c.measured_on,
            c.c.birth_date,
            c.c.sex,
            d.c.age_days,
            m.c.weight_kg,
            m.c.height_cm,
            m.c.position,
            m.c.muac_cm,
            d.c.haz,
            d.c.waz,
            d.c.whz,
            d.c.baz,
            d.c.haz_flag,
            m.c.posyandu_id,
        )
        .join(c, c.c.id == m.c.child_id)
        .outerjoin(d, d.c.measurement_id == m.c.id)
        .where(
            m.c.measured_on >= period.start,
            m.c.measured_on < period.end,
            or_(d.c.age_days.is_(None), d.c.age_days <= MAX_AGE_DAYS),
        )
        .order_by(m.c.id)
    )


def _history_query(period: Period) -> Select[Any]:
    """Measurements of the 61 months up to the end of the month: a child measured in the
    month (under 60 months old) has its whole history in them. A plain range scan, read
    faster than a lookup per child; the children are picked afterwards."""
    m, d = table_of(Measurement), table_of(MeasurementDerived)
    first = period.start.replace(day=1)
    months = first.year * 12 + first.month - 1 - HISTORY_MONTHS
    since = date(months // 12, months % 12 + 1, 1)
    return (
        select(
            m.c.id,
            m.c.child_id,
            d.c.age_days,
            m.c.weight_kg,
            m.c.height_cm,
            d.c.height_used_cm,
            d.c.haz,
            d.c.waz,
        )
        .outerjoin(d, d.c.measurement_id == m.c.id)
        .where(m.c.measured_on >= since, m.c.measured_on < period.end)
    )


def read_round(
    connection: Connection, period: Period, *, city_code: str, history: bool = True
) -> RoundData:
    """Everything the checks need for the month ``period`` in the city ``city_code``.

    ``history=False`` leaves the children's earlier measurements unread (an empty
    :class:`History`): the SMART score alone needs only the month, and reading 61 months
    is most of the time a whole report takes."""
    city = city_region(connection, city_code)
    p = table_of(Posyandu)
    posyandu = connection.execute(
        select(p.c.id, p.c.code, p.c.name, p.c.kelurahan_code)
        .where(p.c.kelurahan_code.startswith(city_code + "."))
        .order_by(p.c.code)
    ).all()
    posyandu_index = {row.id: index for index, row in enumerate(posyandu)}
    month = _read_month(connection, period, posyandu_index)
    return RoundData(
        period=period.label,
        year=period.start.year,
        month=month,
        history=_read_history(connection, period, month) if history else _no_history(),
        city=city,
        kecamatan=tuple(regions(connection, RegionLevel.KECAMATAN, within=city_code)),
        kelurahan=tuple(regions(connection, RegionLevel.KELURAHAN, within=city_code)),
        posyandu_codes=tuple(row.code for row in posyandu),
        posyandu_names=tuple(row.name for row in posyandu),
        posyandu_kelurahan=tuple(row.kelurahan_code for row in posyandu),
        targets=_targets(connection, period.start.year, city_code),
        surveys=_surveys(connection, period.start.year, city_code),
    )


def _read_month(connection: Connection, period: Period, posyandu: dict[int, int]) -> MonthRows:
    cols = _fetch(connection, _month_query(period))
    measured_on, birth_date = _days(cols[2]), _days(cols[3])
    sex = _codes(cols[4], _SEX)
    age_days = _floats(cols[5])
    weight, height = _floats(cols[6]), _floats(cols[7])
    return MonthRows(
        measurement_id=np.array(cols[0], dtype=np.int64),
        child=np.array(cols[1], dtype=np.int64),
        day=_day_numbers(measured_on),
        birth_date=birth_date,
        age_days=age_days,
        age_months=completed_months_or_nan(birth_date, measured_on),
        sex=sex,
        weight_kg=weight,
        height_cm=height,
        position=_codes(cols[8], _POSITION),
        muac_cm=_floats(cols[9]),
        zscores={
            Indicator.HAZ: _floats(cols[10]),
            Indicator.WAZ: _floats(cols[11]),
            Indicator.WHZ: _floats(cols[12]),
            Indicator.BAZ: _floats(cols[13]),
        },
        haz_flag=np.array([bool(v) for v in cols[14]], dtype=bool),
        posyandu=np.array([posyandu.get(v, -1) for v in cols[15]], dtype=np.int64),
        weight_slip=_slips(weight, WEIGHT, sex, age_days),
        height_slip=_slips(height, LENGTH, sex, age_days),
    )


def _read_history(connection: Connection, period: Period, month: MonthRows) -> History:
    cols = _fetch(connection, _history_query(period))
    ids = np.array(cols[0], dtype=np.int64)
    children = np.array(cols[1], dtype=np.int64)
    keep = np.flatnonzero(np.isin(children, month.child))
    take = keep[np.argsort(ids[keep], kind="stable")]
    ids, child = ids[take], children[take]
    at = np.searchsorted(month.measurement_id, ids)
    inside = at < month.measurement_id.size
    inside[inside] = month.measurement_id[at[inside]] == ids[inside]
    sex = np.zeros(int(child.max(initial=0)) + 1, dtype=np.int64)
    sex[month.child] = month.sex
    born = np.full(sex.size, np.nan)
    born[month.child] = _day_numbers(month.birth_date)
    age_days = _floats(cols[2])[take]
    return History(
        child=child,
        day=born[child] + age_days,  # age in days = measurement date - birth date
        age_days=age_days,
        sex=sex[child],
        weight_kg=_floats(cols[3])[take],
        height_cm=_floats(cols[4])[take],
        height_used_cm=_floats(cols[5])[take],
        haz=_floats(cols[6])[take],
        waz=_floats(cols[7])[take],
        month_row=np.where(inside, at, -1).astype(np.int64),
    )


def _no_history() -> History:
    floats, ints = np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.int64)
    return History(
        child=ints,
        day=floats,
        age_days=floats,
        sex=ints,
        weight_kg=floats,
        height_cm=floats,
        height_used_cm=floats,
        haz=floats,
        waz=floats,
        month_row=ints,
    )


def _targets(connection: Connection, year: int, city_code: str) -> dict[str, int]:
    found = population_targets(connection, year=year, within=city_code)
    return {target.kelurahan_code: target.balita for target in found}


def _surveys(connection: Connection, year: int, city_code: str) -> tuple[SurveyRecord, ...]:
    found = survey_figures(connection, indicator=PrevalenceIndicator.STUNTING, year=year)
    return tuple(
        SurveyRecord(
            region_code=s.region_code,
            survey=s.survey,
            year=s.year,
            percent=s.percent,
            low_percent=s.low_percent,
            high_percent=s.high_percent,
            source=s.source,
        )
        for s in found
        if s.region_code == city_code or s.region_code.startswith(city_code + ".")
    )
