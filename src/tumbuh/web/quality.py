"""Data-quality badges of the area tables: ENA for SMART plausibility per area and round.

Input per child: the last measurement of the round month (as the register counts it),
with WHZ left out where WHO flags it (|z| > 5, anthro's rule), which is how ENA for
SMART is run on survey data (docs/data-quality.md §2). Each kecamatan, kelurahan and
posyandu is scored with :func:`tumbuh.growth.quality.smart_plausibility`; posyandu are
the clusters of the Poisson criterion. Units under ``min_children`` (100) get "too few
children" rather than an unstable score.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection, select

from tumbuh.db.models import Child, Measurement, MeasurementDerived, table_of
from tumbuh.growth.quality import Band, Reason, ScoreStatus, smart_plausibility
from tumbuh.growth.quality.score import SmartReport
from tumbuh.web.places import Places

DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class AreaQuality:
    """The SMART result of one area in one round."""

    status: ScoreStatus
    band: Band | None
    total_points: float | None
    n_children: int
    n_criteria: int
    triggered: tuple[Reason, ...]  # criteria worse than excellent, most points first


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _last_per_child(connection: Connection, month: date) -> dict[str, np.ndarray]:
    m, d, c = table_of(Measurement), table_of(MeasurementDerived), table_of(Child)
    query = (
        select(
            m.c.child_id,
            m.c.posyandu_id,
            c.c.sex,
            d.c.age_days,
            d.c.whz,
            d.c.whz_flag,
            m.c.weight_kg,
            m.c.height_cm,
            m.c.muac_cm,
        )
        .join(d, d.c.measurement_id == m.c.id)
        .join(c, c.c.id == m.c.child_id)
        .where(m.c.measured_on >= month, m.c.measured_on < _next_month(month))
        .order_by(m.c.child_id, m.c.measured_on.desc(), m.c.id.desc())
    )
    rows = connection.execute(query).all()
    if not rows:
        return {}
    child = np.array([r.child_id for r in rows], dtype=np.int64)
    first = np.concatenate(([True], child[1:] != child[:-1]))  # last measurement per child
    kept = [r for r, keep in zip(rows, first.tolist(), strict=True) if keep]

    def floats(name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in kept], dtype=np.float64)

    whz = floats("whz")
    whz[np.array([bool(r.whz_flag) for r in kept])] = np.nan
    return {
        "posyandu": np.array([r.posyandu_id or 0 for r in kept], dtype=np.int64),
        "sex": np.array([1 if r.sex == "male" else 2 for r in kept], dtype=np.int64),
        "age_months": np.floor(floats("age_days") / DAYS_PER_MONTH),
        "whz": whz,
        "weight": floats("weight_kg"),
        "height": floats("height_cm"),
        "muac": floats("muac_cm"),
    }


def _score(data: dict[str, np.ndarray], unit_of: list[str], group: np.ndarray) -> SmartReport:
    return smart_plausibility(
        whz=data["whz"],
        age_months=data["age_months"],
        sex=data["sex"],
        weight_kg=data["weight"],
        height_cm=data["height"],
        muac_cm=data["muac"],
        group=group,
        cluster=data["posyandu"],
        n_groups=len(unit_of),
    )


def round_quality(connection: Connection, month: date, places: Places) -> dict[str, AreaQuality]:
    """Quality of the city and every kecamatan, kelurahan and posyandu (by code) in a round."""
    data = _last_per_child(connection, month)
    if not data:
        return {}
    kelurahan_of = {p.id: p.kelurahan_code for p in places.posyandu.values()}
    code_of = {p.id: p.code for p in places.posyandu.values()}
    kel = [kelurahan_of.get(int(p), "") for p in data["posyandu"]]
    levels = {
        "posyandu": [code_of.get(int(p), "") for p in data["posyandu"]],
        "kelurahan": kel,
        "kecamatan": [k.rsplit(".", 1)[0] if k else "" for k in kel],
        "kota": [places.city.code] * len(kel),
    }
    result: dict[str, AreaQuality] = {}
    for keys in levels.values():
        units = sorted({k for k in keys if k})
        index = {code: i for i, code in enumerate(units)}
        group = np.array([index.get(k, -1) for k in keys], dtype=np.int64)
        report = _score(data, units, group)
        for i, code in enumerate(units):
            result[code] = _area_quality(report, i)
    return result


def _area_quality(report: SmartReport, i: int) -> AreaQuality:
    status = ScoreStatus(int(report.status[i]))
    total = float(report.total_points[i])
    band = int(report.band[i])
    worse = [
        (int(c.points[i]), reason)
        for reason, c in report.criteria.items()
        if int(c.band[i]) > Band.EXCELLENT
    ]
    worse.sort(key=lambda item: -item[0])
    return AreaQuality(
        status=status,
        band=None if status is ScoreStatus.TOO_FEW or band < 0 else Band(band),
        total_points=None if np.isnan(total) else total,
        n_children=int(report.n_children[i]),
        n_criteria=int(report.n_criteria[i]),
        triggered=tuple(reason for _, reason in worse),
    )
