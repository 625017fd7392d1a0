"""Derived values of measurements, computed in bulk through ``tumbuh.growth``.

Arrays in (one entry per measurement, with the child's sex and birth date), columns of
``measurement_derived`` out. Everything is vectorised: one call of the WHO 2006 engine
and one of the weight-trend judgement for any number of rows.

Rules fixed here (docs/data-model.md):

* age in days = measurement date - birth date; WHO 2006 exactly as anthro 1.1.0, so
  from 60 months on there are no z-scores;
* Permenkes 2/2020 categories from the rounded z-scores (IMT/U with the 0-60 month
  cut-offs);
* N/T/O/B by the Buku KIA rule (tumbuh.growth.weight_gain): the KMS channel of the
  weight-for-age z-score, then the configured KBM table, with the deciding clause stored
  beside the code; a weight whose weight-for-age z-score is WHO-flagged is implausible
  (for example grams typed as kilograms) and does not count as a weighing.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tumbuh.errors import ConfigError
from tumbuh.growth import categories, who2006
from tumbuh.growth.categories import HazCategory, WazCategory, WhzCategory
from tumbuh.growth.enums import Indicator
from tumbuh.growth.types import BoolArray, DateArray, FloatArray, Int8Array, IntArray
from tumbuh.growth.weight_gain import (
    DEFAULT_KBM,
    KbmTable,
    TrendClause,
    WeightTrend,
    weight_trend,
)

REFERENCE_WHO2006 = "WHO 2006 (anthro 1.1.0)"
STORED_INDICATORS = (
    Indicator.HAZ,
    Indicator.WAZ,
    Indicator.WHZ,
    Indicator.BAZ,
    Indicator.HCZ,
    Indicator.ACZ,
)

DerivedColumns = dict[str, NDArray[np.generic] | str]


@dataclass(frozen=True)
class MeasurementArrays:
    """Measured values and the child's sex and birth date, one entry per measurement."""

    measurement_id: IntArray
    child_id: IntArray
    measured_on: DateArray
    birth_date: DateArray
    sex: Int8Array  # 1 male, 2 female, 0 unknown
    weight_kg: FloatArray
    height_cm: FloatArray
    position: Int8Array  # 1 lying, 2 standing, 0 not recorded
    oedema: BoolArray
    muac_cm: FloatArray
    head_circumference_cm: FloatArray

    def __len__(self) -> int:
        return int(self.measurement_id.shape[0])


def _names(codes: Int8Array, members: list[str]) -> NDArray[np.object_]:
    """Enum values for codes (position in ``members``), None where the code is -1."""
    table = np.array([*members, None], dtype=object)
    return table[np.where(codes >= 0, codes, len(members))]


def derive(m: MeasurementArrays, kbm: KbmTable = DEFAULT_KBM) -> DerivedColumns:
    """Every column of ``measurement_derived`` for the measurements in ``m``."""
    n = len(m)
    age = (m.measured_on - m.birth_date).astype("timedelta64[D]").astype(np.float64)
    age[np.isnat(m.measured_on) | np.isnat(m.birth_date)] = np.nan
    missing = np.full(n, np.nan)
    result = who2006.compute(
        sex=m.sex,
        age=age,
        age_in_months=np.zeros(n, dtype=bool),
        weight_kg=m.weight_kg,
        lenhei_cm=m.height_cm,
        measure=m.position,
        oedema=m.oedema,
        headc_cm=m.head_circumference_cm,
        armc_cm=m.muac_cm,
        triskin_mm=missing,
        subskin_mm=missing,
        problems=np.zeros(n, dtype=np.uint32),
    )
    columns: DerivedColumns = {
        "measurement_id": m.measurement_id,
        "reference": REFERENCE_WHO2006,
        "age_days": result.age_days,
        "height_used_cm": np.where(np.isnan(m.height_cm), np.nan, result.clenhei),
        "position_used": _names(result.cmeasure.astype(np.int8) - 1, ["l", "h"]),
        "bmi": result.cbmi,
    }
    for indicator in STORED_INDICATORS:
        scores = result.scores[indicator]
        columns[indicator.value] = scores.z
        columns[f"{indicator.value}_flag"] = scores.flag
    # a WHO-flagged z-score gets no category (it is shown as "periksa ulang")
    z = {
        ind: categories.unflagged(result.scores[ind].z, result.scores[ind].flag)
        for ind in STORED_INDICATORS
    }
    columns["haz_category"] = _names(
        categories.classify_haz(z[Indicator.HAZ]), [c.value for c in HazCategory]
    )
    columns["waz_category"] = _names(
        categories.classify_waz(z[Indicator.WAZ]), [c.value for c in WazCategory]
    )
    whz_values = [c.value for c in WhzCategory]
    columns["whz_category"] = _names(categories.classify_whz(z[Indicator.WHZ]), whz_values)
    columns["baz_category"] = _names(categories.classify_whz(z[Indicator.BAZ]), whz_values)
    waz = result.scores[Indicator.WAZ]
    columns |= _trend_columns(m, waz.z, waz.flag, kbm)
    return columns


def _trend_columns(
    m: MeasurementArrays, waz: FloatArray, waz_flag: FloatArray, kbm: KbmTable
) -> DerivedColumns:
    plausible = np.where(waz_flag == 1, np.nan, m.weight_kg)
    trend = weight_trend(
        child_id=m.child_id,
        measured_on=m.measured_on,
        weight_kg=plausible,
        birth_date=m.birth_date,
        table=kbm,
        waz=waz,
    )
    has_previous = trend.previous >= 0
    judged = ~np.isnan(trend.kbm_g)
    kbm_reference = np.full(len(m), None, dtype=object)
    kbm_reference[judged] = kbm.version
    return {
        "weight_trend": _names(trend.code - 1, [t.value for t in WeightTrend]),
        "weight_trend_clause": _names(trend.clause - 1, [c.value for c in TrendClause]),
        "previous_measurement_id": np.where(
            has_previous, m.measurement_id[np.maximum(trend.previous, 0)], np.nan
        ),
        "weight_gain_g": trend.gain_g,
        "kbm_g": trend.kbm_g,
        "kbm_reference": kbm_reference,
    }


def load_kbm_table(path: Path | None) -> KbmTable:
    """The KBM table from a ``month,kbm_g`` CSV file, or the built-in one for None."""
    if path is None:
        return DEFAULT_KBM
    gains: dict[int, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                gains[int(row["month"])] = int(row["kbm_g"])
            except (KeyError, TypeError, ValueError) as error:
                raise ConfigError(
                    "TUMBUH_KBM_TABLE_FILE {path}, line {line}: expected whole numbers in the "
                    "columns month and kbm_g, found {row}",
                    path=str(path),
                    line=line,
                    row=dict(row),
                ) from error
    try:
        return KbmTable.from_mapping(f"{path.name}", gains)
    except ValueError as error:
        raise ConfigError(
            "TUMBUH_KBM_TABLE_FILE {path}: months must be consecutive whole numbers and every "
            "kbm_g a positive number of grams",
            path=str(path),
        ) from error
