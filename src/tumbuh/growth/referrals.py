"""Who a posyandu refers to the puskesmas this month, and why (docs/domain.md §5).

Buku KIA 2023 refers a child who is **T**, **below the red line** (BGM) or **above the
orange line** of the growth chart; **2T** (T at two consecutive monthly weighings) is
referred too (Kemenkes 2019); a child with **gizi buruk** (WHZ < -3 or bilateral
oedema) needs treatment; the TPPS also follows up **stunted** (HAZ < -2) and **wasted**
(WHZ < -2) children. The chart lines' z-values are not confirmed [verify], so they are
parameters (:class:`ReferralRules`): BGM is weight-for-age below -3 (the red line of the
KMS of Permenkes 155/2010), and "above the orange line" is off until its value is set.

Each reason is judged on the child's last measurement of the month on which it can be
judged: T and 2T on the last weighing, BGM on the last valid weight-for-age, and so on.
Valid follows WHO anthro (:func:`tumbuh.growth.prevalence.prevalence_scores`): a
WHO-flagged z-score is left out, and oedema counts as a weight-based z-score of -3.1, so
a child with oedema is BGM and gizi buruk. 2T replaces T (a 2T child is not listed as
T as well), and gizi buruk replaces wasted.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.enums import Indicator
from tumbuh.growth.prevalence import prevalence_scores
from tumbuh.growth.types import FloatArray, IntArray
from tumbuh.growth.weight_gain import WeightTrend


class ReferralReason(StrEnum):
    """Why a child is on the referral list; values are the codes users see."""

    T = "T"
    TWO_T = "2T"
    BGM = "BGM"
    ABOVE_ORANGE = "above_orange"
    SEVERE_WASTING = "WHZ<-3"  # gizi buruk
    WASTED = "wasted"  # WHZ < -2 (gizi kurang)
    STUNTED = "stunted"  # HAZ < -2

    @property
    def bit(self) -> int:
        """This reason's bit in a reason mask."""
        return _BITS[self]


_BITS = {reason: 1 << i for i, reason in enumerate(ReferralReason)}


def reasons_in(mask: int) -> tuple[ReferralReason, ...]:
    """The reasons whose bits are set in ``mask``, in the order of the enum."""
    return tuple(reason for reason, bit in _BITS.items() if mask & bit)


@dataclass(frozen=True)
class ReferralRules:
    """The z-score cut-offs of the referral reasons (strictly below / strictly above)."""

    bgm_waz_below: float = -3.0  # red line of the KMS [verify]
    above_orange_waz: float | None = None  # orange line; None: not judged [verify]
    severe_wasting_whz_below: float = -3.0  # gizi buruk, Permenkes 2/2020
    wasted_whz_below: float = -2.0  # gizi kurang and gizi buruk
    stunted_haz_below: float = -2.0  # pendek and sangat pendek


DEFAULT_RULES = ReferralRules()


@dataclass(frozen=True)
class ChildRows:
    """Rows of many children ordered per child by date, then entry (``row_id``)."""

    child: IntArray  # the distinct child ids, ascending
    ids: IntArray  # child id of every row
    order: IntArray  # row indexes sorted by child, day, row_id

    @classmethod
    def of(cls, child: ArrayLike, day: ArrayLike, row_id: ArrayLike) -> "ChildRows":
        """Order rows given per row: child id, a sortable day number and an entry id."""
        ids = np.asarray(child, dtype=np.int64)
        order = np.lexsort((np.asarray(row_id), np.asarray(day), ids))
        return cls(np.unique(ids), ids, order)

    def last_where(self, valid: ArrayLike) -> IntArray:
        """Per child: the index of its last row where ``valid`` holds, or -1."""
        mask = np.asarray(valid, dtype=bool)
        positions = self.order[mask[self.order]]
        result = np.full(self.child.shape[0], -1, dtype=np.int64)
        if positions.size == 0:
            return result
        owner = self.ids[positions]
        last = np.r_[owner[1:] != owner[:-1], True]
        result[np.searchsorted(self.child, owner[last])] = positions[last]
        return result


def value_at(values: ArrayLike, rows: IntArray) -> FloatArray:
    """``values[rows]``, NaN where the row is -1."""
    array = np.asarray(values, dtype=np.float64)
    if array.shape[0] == 0:
        return np.full(rows.shape[0], np.nan)
    return np.where(rows >= 0, array[np.maximum(rows, 0)], np.nan)


@dataclass(frozen=True)
class Referrals:
    """One element per child with rows in the input, in order of child id."""

    child: IntArray  # child ids
    last_row: IntArray  # input index of the child's last measurement of the month
    weighing_row: IntArray  # its last weighing (a WeightTrend code), -1 if none
    judged_row: dict[Indicator, IntArray]  # its last valid z-score per indicator, -1 if none
    reasons: IntArray  # reason mask (0: nothing to refer)

    def reasons_of(self, index: int) -> tuple[ReferralReason, ...]:
        """The reasons of child ``index``."""
        return reasons_in(int(self.reasons[index]))


def referral_reasons(  # noqa: PLR0913 - keyword-only options, one per input
    *,
    child: ArrayLike,
    day: ArrayLike,
    row_id: ArrayLike,
    trend: ArrayLike,
    previous_trend: ArrayLike,
    zscores: Mapping[Indicator, ArrayLike],
    flags: Mapping[Indicator, ArrayLike],
    oedema: ArrayLike,
    rules: ReferralRules = DEFAULT_RULES,
) -> Referrals:
    """Reasons per child from all its measurements of one month (rows in any order).

    ``day`` orders the rows (e.g. days since an epoch), ``row_id`` breaks ties (later
    entered last). ``trend`` and ``previous_trend`` are WeightTrend codes of the row and of
    last month's weighing it was compared with (0: none). ``zscores`` and ``flags`` hold
    HAZ, WAZ and WHZ; ``oedema`` whether oedema counts for the row (a balita with oedema).
    """
    rows = ChildRows.of(child, day, row_id)
    code = np.asarray(trend, dtype=np.int64)
    before = np.asarray(previous_trend, dtype=np.int64)
    scores = prevalence_scores(zscores, flags=flags, oedema=oedema).prevalence
    weighing = rows.last_where(code > 0)
    is_t = value_at(code, weighing) == WeightTrend.T.code
    two_t = is_t & (value_at(before, weighing) == WeightTrend.T.code)
    judged = {indicator: rows.last_where(~np.isnan(z)) for indicator, z in scores.items()}
    z = {indicator: value_at(scores[indicator], judged[indicator]) for indicator in scores}
    waz, whz, haz = z[Indicator.WAZ], z[Indicator.WHZ], z[Indicator.HAZ]
    n = rows.child.shape[0]
    with np.errstate(invalid="ignore"):
        severe = whz < rules.severe_wasting_whz_below
        orange = rules.above_orange_waz
        conditions = {
            ReferralReason.TWO_T: two_t,
            ReferralReason.T: is_t & ~two_t,
            ReferralReason.BGM: waz < rules.bgm_waz_below,
            ReferralReason.ABOVE_ORANGE: (
                waz > orange if orange is not None else np.zeros(n, dtype=bool)
            ),
            ReferralReason.SEVERE_WASTING: severe,
            ReferralReason.WASTED: (whz < rules.wasted_whz_below) & ~severe,
            ReferralReason.STUNTED: haz < rules.stunted_haz_below,
        }
    mask = np.zeros(n, dtype=np.int64)
    for reason, holds in conditions.items():
        mask |= np.where(holds, reason.bit, 0)
    last = rows.last_where(np.ones(rows.ids.shape[0], dtype=bool))
    return Referrals(rows.child, last, weighing, judged, mask)
