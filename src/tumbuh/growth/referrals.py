"""What the posyandu does this month about each child, and why (docs/domain.md §5).

Every reason puts a child on one of three lists (:class:`ListKind`):

* **refer** to the puskesmas: **gizi buruk** (WHZ < -3, or MUAC < 11.5 cm at 6-59 months,
  or bilateral oedema) and **gizi kurang** (WHZ from -3 to below -2, or MUAC from 11.5 to
  below 12.5 cm at 6-59 months), Kemenkes' Pedoman Pencegahan dan Tata Laksana Gizi Buruk
  pada Balita (2020) and Permenkes 2/2020; **BB sangat kurang / BGM** (WAZ below the red
  line, -3 SD) and **BB kurang** (WAZ from -3 to below -2); **stunting** (HAZ < -2) that no
  open case has taken up yet (the use-case layer removes the reasons whose problem already
  has an open case); **2T**, T at two monthly weighings in a row (Kemenkes 2019); and
  "above the orange line" when its value is set (:class:`ReferralRules`);
* **counsel** at the posyandu: a single **T** (flat, falling, or dropping into a lower
  channel once): the kader counsels the mother and weighs again next month (Buku KIA 2023);
* **re-measure** ("periksa ulang"): a WHO-flagged z-score, or a MUAC outside 10-20 cm, on
  the child's last measurement of the month. A flagged value is never a reason to refer:
  it is most likely a typing or measuring error (a weight typed in grams).

Each reason is judged on the child's last measurement of the month on which it can be
judged: T and 2T on the last weighing, the z-score reasons on the last valid z-score, MUAC
on the last MUAC. Valid follows WHO anthro (:func:`tumbuh.growth.prevalence.prevalence_scores`):
a WHO-flagged z-score is left out, and oedema counts as a weight-based z-score of -3.1, so a
child with oedema is gizi buruk and BGM. 2T replaces T, gizi buruk replaces gizi kurang, and
BGM replaces BB kurang. The enum's order is the order of severity, most severe first.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.enums import Indicator
from tumbuh.growth.prevalence import prevalence_scores
from tumbuh.growth.quality.flags import muac_flags
from tumbuh.growth.types import BoolArray, FloatArray, IntArray
from tumbuh.growth.weight_gain import WeightTrend
from tumbuh.growth.who2006 import DAYS_PER_MONTH

MUAC_AGE_MONTHS = (6, 60)  # MUAC cut-offs hold from 6 months to under 60 months


class ListKind(StrEnum):
    """The three lists of the month: what the posyandu does about a child."""

    REFER = "refer"  # to the puskesmas
    COUNSEL = "counsel"  # at the posyandu
    REMEASURE = "remeasure"  # periksa ulang: the value is implausible


class ReferralReason(StrEnum):
    """Why a child is on one of the month's lists; values are the codes users see.

    Declared in order of severity, most severe first (the lists sort by it)."""

    SEVERE_WASTING = "WHZ<-3"  # gizi buruk
    BGM = "BGM"  # BB sangat kurang: below the red line
    WASTED = "wasted"  # gizi kurang
    TWO_T = "2T"
    UNDERWEIGHT = "underweight"  # BB kurang
    STUNTED = "stunted"  # HAZ < -2, not yet taken up by a case
    ABOVE_ORANGE = "above_orange"
    T = "T"  # counsel
    FLAGGED_WAZ = "flag_waz"  # re-measure
    FLAGGED_HAZ = "flag_haz"
    FLAGGED_WHZ = "flag_whz"
    FLAGGED_MUAC = "flag_muac"

    @property
    def bit(self) -> int:
        """This reason's bit in a reason mask."""
        return _BITS[self]

    @property
    def action(self) -> ListKind:
        """The list this reason puts a child on."""
        if self is ReferralReason.T:
            return ListKind.COUNSEL
        if self.value.startswith("flag_"):
            return ListKind.REMEASURE
        return ListKind.REFER

    @property
    def severity(self) -> int:
        """0 for the most severe reason, then 1, 2, ..."""
        return _SEVERITY[self]


_BITS = {reason: 1 << i for i, reason in enumerate(ReferralReason)}
_SEVERITY = {reason: i for i, reason in enumerate(ReferralReason)}
FLAGGED_REASONS = {
    Indicator.WAZ: ReferralReason.FLAGGED_WAZ,
    Indicator.HAZ: ReferralReason.FLAGGED_HAZ,
    Indicator.WHZ: ReferralReason.FLAGGED_WHZ,
}


def reasons_in(mask: int) -> tuple[ReferralReason, ...]:
    """The reasons whose bits are set in ``mask``, in the order of the enum."""
    return tuple(reason for reason, bit in _BITS.items() if mask & bit)


def kind_mask(kind: ListKind) -> int:
    """The bits of the reasons that put a child on list ``kind``."""
    return sum(reason.bit for reason in ReferralReason if reason.action is kind)


def severity_of(reasons: tuple[ReferralReason, ...]) -> int:
    """The severity of a child's reasons: that of the most severe (a large number: none)."""
    return min((r.severity for r in reasons), default=len(ReferralReason))


@dataclass(frozen=True)
class ReferralRules:
    """The cut-offs of the reasons (strictly below / strictly above)."""

    bgm_waz_below: float = -3.0  # red line of the KMS [verify]
    above_orange_waz: float | None = None  # orange line; None: not judged [verify]
    severe_wasting_whz_below: float = -3.0  # gizi buruk, Permenkes 2/2020
    wasted_whz_below: float = -2.0  # gizi kurang and gizi buruk
    underweight_waz_below: float = -2.0  # BB kurang, Permenkes 2/2020
    stunted_haz_below: float = -2.0  # pendek and sangat pendek
    severe_muac_below_cm: float = 11.5  # gizi buruk, Pedoman Tata Laksana Gizi Buruk 2020
    moderate_muac_below_cm: float = 12.5  # gizi kurang, idem


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
    muac_row: IntArray  # its last plausible MUAC at 6-59 months, -1 if none
    reasons: IntArray  # reason mask (0: on no list)

    def reasons_of(self, index: int) -> tuple[ReferralReason, ...]:
        """The reasons of child ``index``."""
        return reasons_in(int(self.reasons[index]))


def _muac_rows(
    rows: ChildRows, muac_cm: ArrayLike | None, age_days: ArrayLike | None, n: int
) -> tuple[IntArray, FloatArray, BoolArray]:
    """The last usable MUAC per child, its value, and the rows whose MUAC is implausible."""
    muac = np.full(n, np.nan) if muac_cm is None else np.asarray(muac_cm, dtype=np.float64)
    age = np.full(n, np.nan) if age_days is None else np.asarray(age_days, dtype=np.float64)
    implausible = muac_flags(muac)
    with np.errstate(invalid="ignore"):
        months = age / DAYS_PER_MONTH
        usable = (
            ~np.isnan(muac)
            & ~implausible
            & (months >= MUAC_AGE_MONTHS[0])
            & (months < MUAC_AGE_MONTHS[1])
        )
    chosen = rows.last_where(usable)
    return chosen, value_at(muac, chosen), implausible


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
    muac_cm: ArrayLike | None = None,
    age_days: ArrayLike | None = None,
    rules: ReferralRules = DEFAULT_RULES,
) -> Referrals:
    """Reasons per child from all its measurements of one month (rows in any order).

    ``day`` orders the rows (e.g. days since an epoch), ``row_id`` breaks ties (later
    entered last). ``trend`` and ``previous_trend`` are WeightTrend codes of the row and of
    last month's weighing it was compared with (0: none). ``zscores`` and ``flags`` hold
    HAZ, WAZ and WHZ; ``oedema`` whether oedema counts for the row (a balita with oedema);
    ``muac_cm`` and ``age_days`` the MUAC and the age of each row (the MUAC reasons hold
    from 6 to under 60 months).
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
    last = rows.last_where(np.ones(rows.ids.shape[0], dtype=bool))
    muac_row, muac, muac_implausible = _muac_rows(rows, muac_cm, age_days, rows.ids.shape[0])
    with np.errstate(invalid="ignore"):
        severe = (whz < rules.severe_wasting_whz_below) | (muac < rules.severe_muac_below_cm)
        bgm = waz < rules.bgm_waz_below
        orange = rules.above_orange_waz
        conditions = {
            ReferralReason.SEVERE_WASTING: severe,
            ReferralReason.BGM: bgm,
            ReferralReason.WASTED: (
                (whz < rules.wasted_whz_below) | (muac < rules.moderate_muac_below_cm)
            )
            & ~severe,
            ReferralReason.TWO_T: two_t,
            ReferralReason.UNDERWEIGHT: (waz < rules.underweight_waz_below) & ~bgm,
            ReferralReason.STUNTED: haz < rules.stunted_haz_below,
            ReferralReason.ABOVE_ORANGE: (
                waz > orange if orange is not None else np.zeros(n, dtype=bool)
            ),
            ReferralReason.T: is_t & ~two_t,
            ReferralReason.FLAGGED_MUAC: value_at(muac_implausible, last) == 1,
        }
        for indicator, reason in FLAGGED_REASONS.items():
            conditions[reason] = value_at(flags[indicator], last) == 1
    mask = np.zeros(n, dtype=np.int64)
    for reason, holds in conditions.items():
        mask |= np.where(holds, reason.bit, 0)
    return Referrals(rows.child, last, weighing, judged, muac_row, mask)
