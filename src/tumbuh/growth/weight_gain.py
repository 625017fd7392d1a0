"""Weight gain against last month: N (naik), T (tidak naik), O and B, judged by KBM.

Source: Buku KIA 2023, p. 54 (growth chart page): a child is N when the gain since last
month is at least the minimum monthly weight gain for its age (KBM, kenaikan berat badan
minimal), T when it is less (a flat or falling curve is always T). Software cannot see
the curve, so only the KBM rule is applied (docs/domain.md §5). A judgement needs a
weighing in the previous *calendar* month: otherwise the code is O (not weighed last
month), or B (baru) for the child's first weighing.

KBM differs between sources (docs/domain.md §13: months 3, 7 and 11), so the table is a
parameter with a version label that is stored beside every judgement. Age is in completed
months as Permenkes 2/2020 counts them (2 months 29 days is 2).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tumbuh.growth.ages import completed_months
from tumbuh.growth.types import DateArray, FloatArray, Int8Array, IntArray

NO_PREVIOUS = -1


class WeightTrend(StrEnum):
    """The kader's weighing code of one visit (KMS / Buku KIA)."""

    N = "N"  # naik: gained at least KBM since last month's weighing
    T = "T"  # tidak naik: gained less than KBM, nothing, or lost weight
    O = "O"  # noqa: E741 (the programme's letter) not weighed last month
    B = "B"  # baru: first weighing of this child

    @property
    def code(self) -> int:
        """Array code: 1 N, 2 T, 3 O, 4 B (0 = no weight, so no code)."""
        return _CODES[self]

    @classmethod
    def from_code(cls, code: int) -> "WeightTrend | None":
        """The member for an array code; None for 0 (no weight)."""
        return None if code == 0 else _MEMBERS[code]


_CODES = {WeightTrend.N: 1, WeightTrend.T: 2, WeightTrend.O: 3, WeightTrend.B: 4}
_MEMBERS = {code: member for member, code in _CODES.items()}


@dataclass(frozen=True)
class KbmTable:
    """Minimum monthly weight gain (g) by completed month of age, with a version label.

    ``min_gain_g[i]`` applies at ``first_month + i`` completed months; younger ages use
    the first entry and older ages the last (the tables end at 12 months with 200 g,
    which holds up to 60 months).
    """

    version: str
    first_month: int
    min_gain_g: tuple[int, ...]

    def __post_init__(self) -> None:
        if not self.min_gain_g or any(g <= 0 for g in self.min_gain_g):
            raise ValueError("a KBM table needs at least one positive gain in grams")

    @classmethod
    def from_mapping(cls, version: str, gains: Mapping[int, int]) -> "KbmTable":
        """Table from ``{completed month: grams}`` covering consecutive months."""
        months = sorted(gains)
        if not months or months != list(range(months[0], months[-1] + 1)):
            raise ValueError("KBM months must be consecutive whole numbers")
        return cls(version, months[0], tuple(gains[m] for m in months))

    def at(self, months: IntArray) -> FloatArray:
        """KBM in grams for each completed-month age (NaN where age is unknown)."""
        age = np.asarray(months, dtype=np.int64)
        index = np.clip(age - self.first_month, 0, len(self.min_gain_g) - 1)
        return np.asarray(self.min_gain_g, dtype=np.float64)[index]


# Buku KIA 2023 p. 54 prints 800, 900, 800, 600, 500, 400, 300, 200 g on a 0-24 month axis;
# this is the mapping usually applied to it (docs/domain.md §5, marked [verify]).
DEFAULT_KBM = KbmTable.from_mapping(
    "KBM Buku KIA 2023 (usual mapping, docs/domain.md §5)",
    {1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 400, 8: 300, 9: 300, 10: 300}
    | {11: 200, 12: 200},
)


@dataclass(frozen=True)
class WeightTrendResult:
    """Per input row: code (see ``WeightTrend.code``), the row it was compared with, g."""

    code: Int8Array
    previous: IntArray  # index of last month's weighing in the input, or NO_PREVIOUS
    gain_g: FloatArray  # weight minus last month's weight in whole grams; NaN if none
    kbm_g: FloatArray  # the KBM applied; NaN where no N/T judgement was made


def weight_trend(
    *,
    child_id: IntArray,
    measured_on: DateArray,
    weight_kg: FloatArray,
    birth_date: DateArray,
    table: KbmTable = DEFAULT_KBM,
) -> WeightTrendResult:
    """N, T, O or B for every weighing; rows may come in any order.

    Each row is compared with the child's last weighing (by date, then input order) in
    the previous calendar month. Rows without a weight get code 0 and do not count as
    weighings for the others; a row to be judged without a birth date also gets 0.
    """
    child = np.asarray(child_id, dtype=np.int64)
    day = np.asarray(measured_on, dtype="datetime64[D]")
    weight = np.asarray(weight_kg, dtype=np.float64)
    n = child.shape[0]
    if not (day.shape[0] == weight.shape[0] == np.shape(birth_date)[0] == n):
        raise ValueError("child_id, measured_on, weight_kg and birth_date differ in length")
    with np.errstate(invalid="ignore"):
        weighed = (weight > 0) & ~np.isnat(day)
    month = np.where(weighed, day.astype("datetime64[M]").astype(np.int64), 0)
    order = np.lexsort((np.arange(n), day, child))
    earlier = _weighed_before(child[order], weighed[order])
    previous_sorted = _last_month_row(child[order], month[order], weighed[order])
    previous = np.full(n, NO_PREVIOUS, dtype=np.int64)
    previous[order] = np.where(previous_sorted >= 0, order[previous_sorted], NO_PREVIOUS)
    has_previous = previous >= 0
    earlier_any = np.zeros(n, dtype=bool)
    earlier_any[order] = earlier
    safe_prev = np.where(has_previous, previous, 0)
    with np.errstate(invalid="ignore"):
        gain = np.where(has_previous, np.rint((weight - weight[safe_prev]) * 1000), np.nan)
    born = np.asarray(birth_date, dtype="datetime64[D]")
    age_known = ~np.isnat(born)
    ages = completed_months(np.where(age_known, born, day), day)
    kbm = np.where(has_previous & age_known, table.at(ages), np.nan)
    code = np.select(
        [
            ~weighed,
            has_previous & ~age_known,
            has_previous & (gain >= kbm),
            has_previous,
            earlier_any,
        ],
        [0, 0, WeightTrend.N.code, WeightTrend.T.code, WeightTrend.O.code],
        default=WeightTrend.B.code,
    ).astype(np.int8)
    return WeightTrendResult(
        code=code,
        previous=np.where(weighed, previous, NO_PREVIOUS),
        gain_g=np.where(weighed, gain, np.nan),
        kbm_g=np.where(weighed, kbm, np.nan),
    )


def _weighed_before(child: IntArray, weighed: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """For rows sorted by child: does the same child have a weighing in an earlier row?"""
    as_int = weighed.astype(np.int64)
    counts: IntArray = np.cumsum(as_int) - as_int  # weighings strictly before each row
    starts = np.r_[True, child[1:] != child[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(child.shape[0]), 0))
    before: NDArray[np.bool_] = (counts - counts[group_start]) > 0
    return before


def _last_month_row(child: IntArray, month: IntArray, weighed: NDArray[np.bool_]) -> IntArray:
    """For rows sorted by child and date: sorted position of the child's last weighing in
    the previous calendar month, or -1."""
    positions = np.flatnonzero(weighed)
    if positions.size == 0:
        return np.full(child.shape[0], -1, dtype=np.int64)
    base = int(month[positions].min()) - 1
    span = int(month[positions].max()) - base + 2
    keys = child[positions] * span + (month[positions] - base)
    last = np.r_[keys[1:] != keys[:-1], True]  # keys are non-decreasing in this order
    unique_keys, last_position = keys[last], positions[last]
    wanted = child * span + (month - base - 1)
    index = np.clip(np.searchsorted(unique_keys, wanted), 0, unique_keys.size - 1)
    found = unique_keys[index] == wanted
    return np.where(found, last_position[index], -1)
