"""A month's measurements with their stored N/T, and each child's weighing of the month.

N, T, O and B are stored per measurement (``measurement_derived.weight_trend``, judged
against the configured KBM table when the measurement was derived; docs/data-model.md).
A **weighing** is a measurement with such a code: a weight that is not WHO-flagged. A
child counts once per month, by its **last weighing** of the month (latest date, then the
latest entered), at the posyandu of that weighing. Its **2T** status: that weighing is T
and so was last month's weighing it was compared with (``previous_measurement_id``):
T at two consecutive monthly weighings (docs/domain.md §5).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from tumbuh.db.models import Measurement, MeasurementDerived, Posyandu, Region, table_of
from tumbuh.db.surveillance.areas import Area, AreaKind
from tumbuh.db.surveillance.counted import (
    MAX_BALITA_AGE_DAYS,
    ObjectArray,
    children_of,
    fetch_all,
)
from tumbuh.growth.enums import Indicator
from tumbuh.growth.periods import Period
from tumbuh.growth.referrals import ChildRows
from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.weight_gain import WeightTrend

Z_INDICATORS = (Indicator.HAZ, Indicator.WAZ, Indicator.WHZ)
_TREND_CODES = {t.value: t.code for t in WeightTrend}


@dataclass(frozen=True)
class MonthRows:
    """Every measurement of one month, as columns."""

    measurement_id: IntArray
    child_id: IntArray
    day: IntArray  # days since 1970-01-01
    posyandu_code: ObjectArray
    posyandu_name: ObjectArray
    kelurahan_code: ObjectArray
    kecamatan_code: ObjectArray
    weight_kg: FloatArray
    height_cm: FloatArray
    trend: IntArray  # WeightTrend code, 0 when not a weighing
    previous_trend: IntArray  # code of last month's weighing it was compared with, 0: none
    gain_g: FloatArray
    kbm_g: FloatArray
    zscores: dict[Indicator, FloatArray]
    flags: dict[Indicator, FloatArray]
    oedema: BoolArray  # oedema of a balita (it counts in the weight-based indicators)
    muac_cm: FloatArray
    age_days: FloatArray

    def __len__(self) -> int:
        return int(self.measurement_id.shape[0])

    def order(self) -> ChildRows:
        """The rows ordered per child by date and entry."""
        return ChildRows.of(self.child_id, self.day, self.measurement_id)

    def in_area(self, area: Area, rows: IntArray) -> BoolArray:
        """Whether each of ``rows`` (-1: none) was measured in ``area``."""
        if area.kind is AreaKind.KOTA:
            return rows >= 0
        codes = {
            AreaKind.POSYANDU: self.posyandu_code,
            AreaKind.KELURAHAN: self.kelurahan_code,
            AreaKind.KECAMATAN: self.kecamatan_code,
        }[area.kind]
        inside: BoolArray = (rows >= 0) & np.asarray(
            codes[np.maximum(rows, 0)] == area.code, dtype=bool
        )
        return inside


def month_rows(connection: Connection, month: Period, area: Area | None = None) -> MonthRows:
    """Every measurement taken in ``month`` with its derived values (one query).

    With an ``area`` (other than the city): only the measurements of the children measured
    there that month, all of them (a child's last weighing may be elsewhere).
    """
    m = table_of(Measurement)
    d = table_of(MeasurementDerived)
    previous = table_of(MeasurementDerived).alias("previous")
    p = table_of(Posyandu)
    k = table_of(Region)
    z_columns = [c for i in Z_INDICATORS for c in (d.c[i.value], d.c[f"{i.value}_flag"])]
    query = (
        select(
            m.c.id,
            m.c.child_id,
            m.c.measured_on,
            p.c.code,
            p.c.name,
            p.c.kelurahan_code,
            k.c.parent_code,
            m.c.weight_kg,
            m.c.height_cm,
            d.c.weight_trend,
            previous.c.weight_trend,
            d.c.weight_gain_g,
            d.c.kbm_g,
            m.c.oedema,
            d.c.age_days,
            *z_columns,
            m.c.muac_cm,
        )
        .join(d, d.c.measurement_id == m.c.id)
        .outerjoin(previous, previous.c.measurement_id == d.c.previous_measurement_id)
        .outerjoin(p, p.c.id == m.c.posyandu_id)
        .outerjoin(k, k.c.code == p.c.kelurahan_code)
        .where(m.c.measured_on >= month.start, m.c.measured_on < month.end)
    )
    if area is not None and area.kind is not AreaKind.KOTA:
        query = query.where(children_of(area, [month]))
    return _columns(fetch_all(connection, query))


def _columns(rows: list[Any]) -> MonthRows:
    cols: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] or [[]] * 22

    def floats(i: int) -> FloatArray:
        return np.array(cols[i], dtype=np.float64)  # None -> NaN

    def objects(i: int) -> ObjectArray:
        result = np.empty(len(cols[i]), dtype=object)
        result[:] = cols[i]
        return result

    def codes(i: int) -> IntArray:
        return np.array([_TREND_CODES.get(v, 0) if v else 0 for v in cols[i]], dtype=np.int64)

    days = np.array(cols[2], dtype="datetime64[D]").astype(np.int64)  # ISO text or dates
    age = floats(14)
    with np.errstate(invalid="ignore"):
        balita = (age >= 0) & (age <= MAX_BALITA_AGE_DAYS)
    return MonthRows(
        measurement_id=np.array(cols[0], dtype=np.int64),
        child_id=np.array(cols[1], dtype=np.int64),
        day=days,
        posyandu_code=objects(3),
        posyandu_name=objects(4),
        kelurahan_code=objects(5),
        kecamatan_code=objects(6),
        weight_kg=floats(7),
        height_cm=floats(8),
        trend=codes(9),
        previous_trend=codes(10),
        gain_g=floats(11),
        kbm_g=floats(12),
        zscores={i: floats(15 + 2 * k) for k, i in enumerate(Z_INDICATORS)},
        flags={i: floats(16 + 2 * k) for k, i in enumerate(Z_INDICATORS)},
        oedema=np.array(cols[13], dtype=bool) & balita,
        muac_cm=floats(21),
        age_days=age,
    )


@dataclass(frozen=True)
class Weighing:
    """A child's last weighing of a month and its N/T/O/B (no personal data)."""

    child_id: int
    measurement_id: int
    measured_on: date
    posyandu_code: str | None
    weight_kg: float
    trend: WeightTrend
    previous_trend: WeightTrend | None  # last month's weighing it was compared with
    gain_g: int | None  # since that weighing
    kbm_g: int | None  # the KBM it was judged against

    @property
    def is_2t(self) -> bool:
        """T now and at last month's weighing: T at two consecutive monthly weighings."""
        return self.trend is WeightTrend.T and self.previous_trend is WeightTrend.T


def _whole(value: float) -> int | None:
    return None if np.isnan(value) else int(value)


def weighings(connection: Connection, month: Period, *, area: Area) -> list[Weighing]:
    """Each child's last weighing of ``month`` in ``area``, ordered by child id."""
    rows = month_rows(connection, month, area)
    last = rows.order().last_where(rows.trend > 0)
    chosen = last[rows.in_area(area, last)]
    return [
        Weighing(
            child_id=int(rows.child_id[i]),
            measurement_id=int(rows.measurement_id[i]),
            measured_on=date.fromordinal(date(1970, 1, 1).toordinal() + int(rows.day[i])),
            posyandu_code=rows.posyandu_code[i],
            weight_kg=float(rows.weight_kg[i]),
            trend=WeightTrend.from_code(int(rows.trend[i])) or WeightTrend.B,
            previous_trend=WeightTrend.from_code(int(rows.previous_trend[i])),
            gain_g=_whole(rows.gain_g[i]),
            kbm_g=_whole(rows.kbm_g[i]),
        )
        for i in chosen.tolist()
    ]
