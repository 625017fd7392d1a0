"""Weight gain against last month: N (naik), T (tidak naik), O and B, as the Buku KIA judges.

Source: Buku KIA 2023, p. 54 (growth chart page): a child is N when the curve follows its
growth line (rises along its channel of the KMS, or into a higher one) or the gain since
last month reaches the minimum monthly weight gain for its age (KBM, kenaikan berat badan
minimal); T when the curve is flat, falls, or drops into a lower channel (docs/domain.md
§5). The curve is read from the weight-for-age z-score: the channels are the bands between
the lines the KMS draws (``KMS_LINES``). In order, the clause that decides
(``TrendClause``):

1. the weight rose by at least one scale step (0.1 kg) and the z-score stayed in its
   channel or moved up: N, ``CHANNEL``;
2. the gain reached the KBM: N, ``KBM`` (also the whole rule where the z-score is
   unknown, from 60 months or with oedema);
3. the weight fell by a scale step or more: T, ``FALLING``;
4. the weight moved by less than a scale step (the dacin reads to 0.1 kg): T, ``FLAT``;
5. it rose, but less than the KBM, into a lower channel: T, ``DROPPED_CHANNEL``;
6. it rose less than the KBM and the channel is unknown: T, ``BELOW_KBM``.

A judgement needs a weighing in the previous *calendar* month: otherwise the code is O
(not weighed last month), or B (baru) for the child's first weighing.

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
from tumbuh.growth.curves import DEFAULT_SDS
from tumbuh.growth.types import DateArray, FloatArray, Int8Array, IntArray

NO_PREVIOUS = -1
KMS_LINES: tuple[int, ...] = DEFAULT_SDS  # the SD lines the KMS draws bound its channels
SCALE_STEP_G = 100  # the dacin and the posyandu scales read to 0.1 kg


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


class TrendClause(StrEnum):
    """Which clause of the Buku KIA rule decided an N or a T (module docstring)."""

    CHANNEL = "channel"  # N: rose along its channel of the KMS or into a higher one
    KBM = "kbm"  # N: the gain reached the KBM
    FALLING = "falling"  # T: lost at least a scale step
    FLAT = "flat"  # T: moved by less than a scale step
    DROPPED_CHANNEL = "dropped_channel"  # T: rose less than the KBM, into a lower channel
    BELOW_KBM = "below_kbm"  # T: rose less than the KBM, channel unknown

    @property
    def code(self) -> int:
        """Array code: position from 1 in the order above (0 = no N/T judgement)."""
        return _CLAUSE_CODES[self]

    @classmethod
    def from_code(cls, code: int) -> "TrendClause | None":
        """The member for an array code; None for 0."""
        return None if code == 0 else _CLAUSE_MEMBERS[code]


_CLAUSE_CODES = {clause: i for i, clause in enumerate(TrendClause, start=1)}
_CLAUSE_MEMBERS = {code: member for member, code in _CLAUSE_CODES.items()}


def kms_channel(waz: FloatArray) -> IntArray:
    """Channel of the KMS for each weight-for-age z-score: the number of ``KMS_LINES`` at or
    below it (0 below -3 SD ... 7 from +3 SD; a point on a line is in the channel above);
    -1 where the z-score is unknown."""
    z = np.asarray(waz, dtype=np.float64)
    known = np.isfinite(z)
    lines = np.asarray(KMS_LINES, dtype=np.float64)
    channel = np.searchsorted(lines, np.where(known, z, 0.0), side="right")
    return np.where(known, channel, -1).astype(np.int64)


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
    """Per input row: code (see ``WeightTrend.code``), the deciding clause (see
    ``TrendClause.code``), the row it was compared with, grams."""

    code: Int8Array
    clause: Int8Array
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
    waz: FloatArray | None = None,
) -> WeightTrendResult:
    """N, T, O or B for every weighing; rows may come in any order.

    Each row is compared with the child's last weighing (by date, then input order) in
    the previous calendar month. Rows without a weight get code 0 and do not count as
    weighings for the others; a row to be judged without a birth date also gets 0.
    ``waz`` is each row's weight-for-age z-score (NaN where unknown); without it only the
    KBM and the scale step judge (no channel clause).
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
    judged = weighed & has_previous & age_known
    clause = np.where(judged, _clauses(gain, kbm, waz, safe_prev, n), 0).astype(np.int8)
    n_clause = (clause == TrendClause.CHANNEL.code) | (clause == TrendClause.KBM.code)
    code = np.select(
        [~weighed, has_previous & ~age_known, judged & n_clause, judged, earlier_any],
        [0, 0, WeightTrend.N.code, WeightTrend.T.code, WeightTrend.O.code],
        default=WeightTrend.B.code,
    ).astype(np.int8)
    return WeightTrendResult(
        code=code,
        clause=clause,
        previous=np.where(weighed, previous, NO_PREVIOUS),
        gain_g=np.where(weighed, gain, np.nan),
        kbm_g=np.where(weighed, kbm, np.nan),
    )


def _clauses(
    gain: FloatArray, kbm: FloatArray, waz: FloatArray | None, previous: IntArray, n: int
) -> IntArray:
    """The deciding clause's code for every row, as if each were judged (module docstring)."""
    if waz is None:
        channel = np.full(n, -1, dtype=np.int64)
    else:
        if np.shape(waz)[0] != n:
            raise ValueError("waz differs in length from child_id")
        channel = kms_channel(waz)
    before = channel[previous]
    channel_known = (channel >= 0) & (before >= 0)
    with np.errstate(invalid="ignore"):
        rose = gain >= SCALE_STEP_G
        fell = gain <= -SCALE_STEP_G
        reached = gain >= kbm
    clauses: IntArray = np.select(
        [
            rose & channel_known & (channel >= before),
            reached,
            fell,
            ~rose,
            channel_known,
        ],
        [
            TrendClause.CHANNEL.code,
            TrendClause.KBM.code,
            TrendClause.FALLING.code,
            TrendClause.FLAT.code,
            TrendClause.DROPPED_CHANNEL.code,
        ],
        default=TrendClause.BELOW_KBM.code,
    )
    return clauses


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
