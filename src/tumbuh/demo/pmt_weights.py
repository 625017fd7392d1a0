"""The weights the demo's PMT puts into the fed children's measurements, month by month.

The demo city is stored first; then, month after month, the measurements of that month
of every child fed before them get the extra weight of the servings eaten before the day
(:class:`tumbuh.demo.pmt.PlantedEffect`), their derived values are recomputed by the
same code as ``tumbuh db recompute``, and both are written back, before that month's
lists are read. A month's rows are final once written: a later episode starts after
them and only moves later rows.

The extra weight is a rise of the weight-for-age z-score: the row's true weight is
scored, raised by the boost, turned back into kilograms and rounded to 0.1 kg. Rows
carrying a planted error keep it: a weight typed in grams stays in grams, a weight
rounded to .0/.5 is rounded again (its true value moves with the boost and is never on
.0/.5 itself), a record copied from last month copies last month's final weight; their
recorded true values move with the boost. Weights with oedema are left alone. Lengths
and heights never change, so the calibrated stunting rounds stay exact.
"""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, bindparam, update

from tumbuh.db.bulk import chunks, insert_columns
from tumbuh.db.derive import derive
from tumbuh.db.models import (
    DemoPlantedError,
    Measurement,
    MeasurementDerived,
    PlantedErrorKind,
    table_of,
)
from tumbuh.demo.city import City, measurement_arrays
from tumbuh.demo.trajectories import lms_at
from tumbuh.growth.lms import value_at_zscore_restricted, zscore_restricted
from tumbuh.growth.tables import TableName
from tumbuh.growth.types import FloatArray, IntArray

NORMAL, GRAMS, ROUNDED, COPIED = 0, 1, 2, 3  # what a row's recorded weight is
DITHER_KG = 0.0499  # below half the 0.1 kg step: without a rise a weight stays as it was
WEIGHT_ERRORS = {
    (PlantedErrorKind.WEIGHT_IN_GRAMS.value, "weight_kg"): GRAMS,
    (PlantedErrorKind.DIGIT_PREFERENCE.value, "weight_kg"): ROUNDED,
    (PlantedErrorKind.COPIED_VALUES.value, "weight_kg;height_cm"): COPIED,
}


def _true_weight(kind: int, text: str) -> float:
    return float(text.split(";", maxsplit=1)[0]) if kind != NORMAL else np.nan


@dataclass
class Ledger:
    """The city's measurements in memory (row = measurement id - 1), as the PMT phase
    changes them, with the derived values the PMT rules read."""

    city: City
    child: IntArray  # child id
    day: np.ndarray  # datetime64[D]
    month: IntArray  # weighing month index
    posyandu: IntArray
    weight: FloatArray  # as recorded now
    true_weight: FloatArray  # kg to 0.1, before the effect
    dither: FloatArray  # where the true weight lay within its 0.1 kg (drawn, uniform)
    kind: IntArray  # NORMAL, GRAMS, ROUNDED, COPIED
    true_text: dict[int, str]  # planted true value of GRAMS, ROUNDED and COPIED rows
    previous: IntArray  # the child's previous row (-1: none)
    derived: dict[str, FloatArray]  # waz, waz_flag, whz, whz_flag
    month_start: IntArray  # first row of each month (rows are in date order)
    by_child: IntArray  # rows ordered by child, then day
    child_start: IntArray  # where each child id's rows begin in ``by_child``
    changed_true: set[int]

    @classmethod
    def of(cls, city: City, rng: np.random.Generator) -> "Ledger":
        """The ledger of a generated city, as it was stored."""
        m = city.measurement
        n = m["id"].shape[0]
        kind = np.zeros(n, dtype=np.int64)
        planted = city.planted
        texts: dict[int, str] = {}
        for mid, k, f, text in zip(
            planted["measurement_id"].tolist(),
            planted["kind"].tolist(),
            planted["field"].tolist(),
            planted["true_value"].tolist(),
            strict=True,
        ):
            code = WEIGHT_ERRORS.get((str(k), str(f)))
            if code is not None:
                kind[mid - 1] = code
                texts[mid - 1] = str(text)
        true = np.where(kind == NORMAL, m["weight_kg"], np.nan)
        for row, text in texts.items():
            true[row] = _true_weight(int(kind[row]), text)
        true[m["oedema"]] = np.nan
        order = np.lexsort((m["measured_on"], m["child_id"]))
        previous = np.full(n, -1, dtype=np.int64)
        same = m["child_id"][order][1:] == m["child_id"][order][:-1]
        previous[order[1:][same]] = order[:-1][same]
        month = (m["round_id"] - 1).astype(np.int64)
        starts = np.searchsorted(month, np.arange(int(month.max()) + 2))
        derived = {
            name: np.asarray(city.derived[name], dtype=np.float64).copy()
            for name in ("waz", "waz_flag", "whz", "whz_flag")
        }
        return cls(
            city=city,
            child=m["child_id"].astype(np.int64),
            day=m["measured_on"].astype("datetime64[D]"),
            month=month,
            posyandu=m["posyandu_id"].astype(np.int64),
            weight=m["weight_kg"].astype(np.float64).copy(),
            true_weight=true,
            dither=np.asarray(rng.uniform(-DITHER_KG, DITHER_KG, n), dtype=np.float64),
            kind=kind,
            true_text=texts,
            previous=previous,
            derived=derived,
            month_start=starts,
            by_child=order,
            child_start=np.searchsorted(
                m["child_id"][order], np.arange(int(m["child_id"].max()) + 2)
            ),
            changed_true=set(),
        )

    def rows_of_month(self, month: int) -> IntArray:
        """The rows of weighing month ``month``."""
        return np.arange(self.month_start[month], self.month_start[month + 1])

    def rows_of_child(self, child: int) -> IntArray:
        """The child's rows in order of day."""
        rows: IntArray = self.by_child[self.child_start[child] : self.child_start[child + 1]]
        return rows

    def zscore(self, row: int, indicator: str) -> float:
        """The z-score of ``indicator`` (waz, whz), NaN when missing or WHO-flagged (as an
        episode's checkpoints read it)."""
        return float(self.derived[indicator][row]) if self.valid(row, indicator) else np.nan

    def valid(self, row: int, indicator: str) -> bool:
        """Whether the row has a z-score of ``indicator`` (waz, whz) that is not flagged."""
        z = self.derived[indicator][row]
        return bool(not np.isnan(z) and self.derived[f"{indicator}_flag"][row] != 1)

    def boosted_weights(self, rows: IntArray, boost: FloatArray) -> FloatArray:
        """The weights ``rows`` record with ``boost`` (z units) added; updates the planted
        true values of the rows with a planted weight error."""
        sex = self.city.latent.sex_code[self.child[rows] - 1]
        birth = self.city.people.child_birth[self.child[rows] - 1]
        age = (self.day[rows] - birth).astype(np.float64)
        lms = lms_at(TableName.WEIGHT_FOR_AGE, sex, age)
        true = self.true_weight[rows]
        with np.errstate(invalid="ignore"):
            raised = value_at_zscore_restricted(zscore_restricted(true, lms) + boost, lms)
        # The recorded weights are rounded to 0.1 kg; the rise is added to a weight
        # within that 0.1 kg (dither), so that rounding does not bias small rises.
        new_true = np.round(raised + self.dither[rows], 1)
        result = np.where(np.isnan(true), self.weight[rows], new_true)
        for i, row in enumerate(rows.tolist()):
            kind = int(self.kind[row])
            if kind == NORMAL or np.isnan(new_true[i]):
                continue
            value = float(new_true[i])
            text = self.true_text[row]
            if kind == GRAMS:
                result[i] = float(round(self.weight[row] + (value - true[i]) * 1000))
                self.true_text[row] = f"{value:g}"
            elif kind == ROUNDED:
                if value * 2 == round(value * 2):  # the true value is never on .0/.5
                    value = round(value + 0.1, 1)
                result[i] = round(value * 2) / 2
                self.true_text[row] = f"{value:g}"
            else:  # COPIED: last month's final weight, and the true value moves
                result[i] = self.weight[self.previous[row]]
                self.true_text[row] = f"{value:g};{text.split(';')[1]}"
            self.changed_true.add(row)
        return result

    def rewrite(self, connection: Connection, month: int, rows: IntArray, boost: FloatArray) -> int:
        """Give ``rows`` (all of month ``month``) their boosted weights, recompute the
        derived values of those rows and write both; how many weights changed."""
        if rows.shape[0] == 0:
            return 0
        new = self.boosted_weights(rows, boost)
        old = self.weight[rows]
        changed = rows[(new != old) & ~(np.isnan(new) & np.isnan(old))]
        self.weight[rows] = new
        children = np.unique(self.child[rows])
        subset = np.flatnonzero(np.isin(self.child, children) & (self.month <= month))
        columns = {k: v[subset] for k, v in self.city.measurement.items()}
        columns["weight_kg"] = self.weight[subset]
        derived = derive(measurement_arrays(columns, self.city.people, self.city.latent))
        keep = np.flatnonzero(self.month[subset] == month)
        for name, values in self.derived.items():
            values[subset[keep]] = np.asarray(derived[name], dtype=np.float64)[keep]
        _write(connection, changed + 1, self.weight[changed], derived, keep)
        return int(changed.shape[0])

    def write_true_values(self, connection: Connection) -> None:
        """The planted true values that moved with the boost."""
        rows = sorted(self.changed_true)
        if not rows:
            return
        e = table_of(DemoPlantedError)
        statement = (
            update(e)
            .where(e.c.measurement_id == bindparam("b_id"))
            .values(true_value=bindparam("b_text"))
        )
        connection.execute(
            statement, [{"b_id": row + 1, "b_text": self.true_text[row]} for row in rows]
        )


def _write(
    connection: Connection,
    ids: IntArray,
    weights: FloatArray,
    derived: dict[str, np.ndarray | str],
    keep: IntArray,
) -> None:
    if ids.shape[0]:  # straight to the driver, as db.bulk writes (no per-row processing)
        mark = "?" if connection.dialect.name == "sqlite" else "%s"
        connection.exec_driver_sql(
            f"UPDATE {table_of(Measurement).name} SET weight_kg = {mark} WHERE id = {mark}",
            list(zip(weights.tolist(), ids.tolist(), strict=True)),
        )
    d = table_of(MeasurementDerived)
    written = np.asarray(derived["measurement_id"])[keep]
    for part in chunks(written.tolist()):
        connection.execute(d.delete().where(d.c.measurement_id.in_(part)))
    columns = {
        name: values[keep] if isinstance(values, np.ndarray) else values
        for name, values in derived.items()
    }
    insert_columns(connection, d, columns)
