"""The one query behind the register figures: each child's last valid measurement per period.

For a list of periods (one, two rounds, or every step of a trend) and the z-scores an
indicator needs, one SQL query ranks the valid measurements of each child within each
period (``ROW_NUMBER() OVER (PARTITION BY child, period ORDER BY date DESC, id DESC)``)
and returns the first of each: one row per child and period, with its area and z-scores,
as NumPy columns. The prevalence itself is then computed by
:func:`tumbuh.growth.prevalence.register_prevalence` (grouped sums, no loop per area).

**Valid** for an indicator follows WHO anthro (docs/methods-prevalence.md): its z-score is
present and not WHO-flagged; for the weight-based indicators (weight-for-age,
weight-for-length/height, BMI-for-age) a balita with oedema is valid too (anthro counts
it with z = -3.1, though its stored z-score is empty). For an outcome on two z-scores
(stunted and wasted) both must be valid on the same measurement.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
)

from tumbuh.db.models import Child, Measurement, MeasurementDerived, Posyandu, Region, table_of
from tumbuh.db.surveillance.areas import Area, AreaKind, posyandu_condition
from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.growth.enums import Indicator
from tumbuh.growth.periods import Period, date_ranges
from tumbuh.growth.prevalence import WEIGHT_BASED, PrevalenceScores, prevalence_scores
from tumbuh.growth.types import BoolArray, DateArray, FloatArray, IntArray
from tumbuh.growth.who2006 import MAX_AGE_DAYS

MAX_BALITA_AGE_DAYS = MAX_AGE_DAYS  # anthro keeps rows up to 1826 days (under 60 months)
ObjectArray = np.ndarray[Any, np.dtype[np.object_]]


@dataclass(frozen=True)
class CountedRows:
    """One element per child and period: the measurement it is counted by."""

    child_id: IntArray
    period: IntArray  # index into the periods asked for
    measurement_id: IntArray
    posyandu_code: ObjectArray  # str, or None for no posyandu
    kelurahan_code: ObjectArray
    kecamatan_code: ObjectArray
    zscores: dict[Indicator, FloatArray]  # NaN where empty (oedema)
    flags: dict[Indicator, FloatArray]  # 1 flagged, 0 not, NaN empty
    oedema: BoolArray  # oedema that counts (a balita's measurement)
    birth_date: DateArray  # NaT unless asked for
    measured_on: DateArray  # NaT unless the birth date was asked for

    def __len__(self) -> int:
        return int(self.child_id.shape[0])

    def scores(self) -> PrevalenceScores:
        """The z-scores after anthro's flag and oedema rules."""
        return prevalence_scores(self.zscores, flags=self.flags, oedema=self.oedema)

    def age_months(self) -> FloatArray:
        """Age in completed months at the counted measurement (NaN unless the birth date
        was asked for)."""
        return completed_months_or_nan(self.birth_date, self.measured_on)

    def area_codes(self, kind: AreaKind) -> ObjectArray:
        """Each row's area code at one level (None where unknown; the city: all rows)."""
        if kind is AreaKind.POSYANDU:
            return self.posyandu_code
        if kind is AreaKind.KELURAHAN:
            return self.kelurahan_code
        return self.kecamatan_code

    def within(self, area: Area) -> BoolArray:
        """Rows counted in ``area`` (every row for the city)."""
        if area.kind is AreaKind.KOTA:
            return np.ones(len(self), dtype=bool)
        return np.asarray(self.area_codes(area.kind) == area.code, dtype=bool)

    def take(self, rows: BoolArray | IntArray) -> "CountedRows":
        """The rows at ``rows``."""
        return CountedRows(
            child_id=self.child_id[rows],
            period=self.period[rows],
            measurement_id=self.measurement_id[rows],
            posyandu_code=self.posyandu_code[rows],
            kelurahan_code=self.kelurahan_code[rows],
            kecamatan_code=self.kecamatan_code[rows],
            zscores={i: z[rows] for i, z in self.zscores.items()},
            flags={i: f[rows] for i, f in self.flags.items()},
            oedema=self.oedema[rows],
            birth_date=self.birth_date[rows],
            measured_on=self.measured_on[rows],
        )


def fetch_all(connection: Connection, query: Select[Any]) -> list[Any]:
    """The rows as the driver returns them, skipping SQLAlchemy's per-value processing
    (which costs more than the query on a city's month). Values are then the driver's:
    dates are ISO text on SQLite and ``date`` on PostgreSQL, booleans 0/1 or bool."""
    result = connection.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def valid_condition(indicator: Indicator) -> ColumnElement[bool]:
    """SQL: the measurement has a valid value of ``indicator`` (see the module doc)."""
    m = table_of(Measurement)
    d = table_of(MeasurementDerived)
    z = d.c[indicator.value]
    clean = and_(z.is_not(None), d.c[f"{indicator.value}_flag"] == false())
    if indicator not in WEIGHT_BASED:
        return clean
    swollen = and_(m.c.oedema == true(), d.c.age_days.between(0, MAX_BALITA_AGE_DAYS))
    return or_(clean, swollen)


def _period_index(periods: Sequence[Period]) -> ColumnElement[int]:
    day = table_of(Measurement).c.measured_on
    if len(periods) == 1:
        return literal(0, Integer)
    return case(
        *[(and_(day >= p.start, day < p.end), i) for i, p in enumerate(periods)],
        else_=None,
    )


def in_periods(
    periods: Sequence[Period], day: ColumnElement[date] | None = None
) -> ColumnElement[bool]:
    """SQL: the measurement date (``day``) falls in one of the periods."""
    day = table_of(Measurement).c.measured_on if day is None else day
    return or_(*[and_(day >= start, day < end) for start, end in date_ranges(list(periods))])


def children_of(area: Area, periods: Sequence[Period]) -> ColumnElement[bool]:
    """SQL: the measurement's child was measured at a posyandu of ``area`` in the periods."""
    m = table_of(Measurement)
    there = table_of(Measurement).alias("there")
    p = table_of(Posyandu).alias("there_posyandu")
    children = (
        select(there.c.child_id)
        .join(p, p.c.id == there.c.posyandu_id)
        .where(in_periods(periods, there.c.measured_on), posyandu_condition(area, p))
    )
    return m.c.child_id.in_(children)


def _check_disjoint(periods: Sequence[Period]) -> None:
    ordered = sorted(periods, key=lambda p: (p.start, p.end))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            raise ValueError(f"periods {before.label} and {after.label} overlap")


def counted_rows(
    connection: Connection,
    periods: Sequence[Period],
    indicators: Sequence[Indicator],
    *,
    with_birth_date: bool = False,
    condition: ColumnElement[bool] | None = None,
    area: Area | None = None,
) -> CountedRows:
    """Each child's last valid measurement in each period (periods must not overlap).

    ``condition`` adds a rule for the measurements that count (e.g. being a weighing).
    With ``area``, only the rows counted in that area: the query then ranks only the
    children measured there in the periods (the others cannot count there), which keeps
    an area's trend fast on a whole city's register.
    """
    area = None if area is None or area.kind is AreaKind.KOTA else area
    if not periods:
        raise ValueError("at least one period is needed")
    _check_disjoint(periods)
    m = table_of(Measurement)
    d = table_of(MeasurementDerived)
    period = _period_index(periods).label("period")
    rank = (
        func.row_number()
        .over(partition_by=(m.c.child_id, period), order_by=(m.c.measured_on.desc(), m.c.id.desc()))
        .label("rank")
    )
    z_columns = [column for i in indicators for column in (d.c[i.value], d.c[f"{i.value}_flag"])]
    ranked = (
        select(
            m.c.child_id,
            m.c.id,
            m.c.posyandu_id,
            m.c.oedema,
            d.c.age_days,
            m.c.measured_on,
            period,
            *z_columns,
            rank,
        )
        .join(d, d.c.measurement_id == m.c.id)
        .where(
            in_periods(periods),
            *([] if area is None else [children_of(area, periods)]),
            *[valid_condition(i) for i in indicators],
            *([] if condition is None else [condition]),
        )
        .subquery()
    )
    p = table_of(Posyandu)
    kelurahan = table_of(Region)
    columns = [
        ranked.c.child_id,
        ranked.c.period,
        ranked.c.id,
        p.c.code,
        p.c.kelurahan_code,
        kelurahan.c.parent_code,
        ranked.c.oedema,
        ranked.c.age_days,
        *[ranked.c[c.name] for c in z_columns],
    ]
    source = ranked.outerjoin(p, p.c.id == ranked.c.posyandu_id).outerjoin(
        kelurahan, kelurahan.c.code == p.c.kelurahan_code
    )
    if with_birth_date:
        c = table_of(Child)
        columns += [c.c.birth_date, ranked.c.measured_on]
        source = source.join(c, c.c.id == ranked.c.child_id)
    query = select(*columns).select_from(source).where(ranked.c.rank == 1)
    if area is not None:
        query = query.where(posyandu_condition(area, p))
    return _arrays(fetch_all(connection, query), indicators, with_birth_date)


def _arrays(
    rows: Sequence[Any], indicators: Sequence[Indicator], with_birth_date: bool
) -> CountedRows:
    n_columns = 8 + 2 * len(indicators) + 2 * int(with_birth_date)
    cols: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] or [[]] * n_columns

    def floats(values: list[Any]) -> FloatArray:
        return np.array(values, dtype=np.float64)  # None -> NaN, booleans -> 0/1

    def objects(values: list[Any]) -> ObjectArray:
        result = np.empty(len(values), dtype=object)
        result[:] = values
        return result

    age = floats(cols[7])
    with np.errstate(invalid="ignore"):
        balita = (age >= 0) & (age <= MAX_BALITA_AGE_DAYS)
    zscores = {i: floats(cols[8 + 2 * k]) for k, i in enumerate(indicators)}
    flags = {i: floats(cols[9 + 2 * k]) for k, i in enumerate(indicators)}
    births = cols[-2] if with_birth_date else [None] * len(cols[0])
    days = cols[-1] if with_birth_date else [None] * len(cols[0])
    return CountedRows(
        child_id=np.array(cols[0], dtype=np.int64),
        period=np.array(cols[1], dtype=np.int64),
        measurement_id=np.array(cols[2], dtype=np.int64),
        posyandu_code=objects(cols[3]),
        kelurahan_code=objects(cols[4]),
        kecamatan_code=objects(cols[5]),
        zscores=zscores,
        flags=flags,
        oedema=np.array(cols[6], dtype=bool) & balita,
        birth_date=_dates(births),
        measured_on=_dates(days),
    )


def _dates(values: list[Any]) -> DateArray:
    return np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[D]")
