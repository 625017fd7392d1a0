"""PMT lokal rules: who may be fed, for how long, and when a child has recovered
(docs/domain.md §6, "PMT lokal: the rules Tumbuh encodes").

The rules changed from year to year, so each version is data (:data:`RULES`), chosen by the
year an episode starts (:func:`rules_for`) and stored with the enrolment:

* **2022** (pilot): gizi kurang 90 consecutive days, BB kurang and T 14 days; recovered
  when WHZ is at least -2 (gizi kurang) or WAZ at least -2 (BB kurang) and the child
  gained weight, and for T when the child gained weight;
* **2023** (Kemenkes juknis PMT lokal, April 2023): gizi kurang up to 8 weeks (56 days), BB
  kurang 28 days, T 14 days, pregnant women with KEK at least 120 days; the juknis sets no
  new exit rule, so the 2022 one applies;
* **2025** (field practice and the 2025 Kemenkes socialisation, known from a summary
  *[verify]*): gizi kurang 56 days, recovered when WHZ is above -2 by week 8; BB kurang 14
  days, recovered when WAZ is above -2 by week 4; T 14 days, responded when WAZ rose by
  more than 0.1 by week 2.

**Eligible** (every version): a balita of 6 to 59 completed months with gizi kurang, BB
sangat kurang (BGM), BB kurang, T or 2T on the month's lists (:mod:`tumbuh.growth.referrals`),
with or without stunting. **Gizi buruk is never a PMT case**: it goes to clinical care, so a
child with gizi buruk is not eligible whatever its other reasons. Pregnant women with KEK
are eligible too (the 1,000-days issue brings them; the indication is here already).

Arrays in, arrays out: an indication is a code (the position in :class:`Indication`, -1:
not eligible), a refusal a :class:`Refusal` code (0: none).
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.referrals import ReferralReason
from tumbuh.growth.types import BoolArray, FloatArray, IntArray

PMT_AGE_MONTHS = (6, 60)  # from 6 to under 60 completed months
NOT_ELIGIBLE = -1


class Indication(StrEnum):
    """Why a child (or a pregnant woman) is fed; in order of precedence."""

    WASTED = "wasted"  # gizi kurang
    UNDERWEIGHT = "underweight"  # BB sangat kurang (BGM) or BB kurang
    FALTERING = "faltering"  # T or 2T
    PREGNANT_KEK = "pregnant_kek"  # ibu hamil KEK

    @property
    def code(self) -> int:
        """The indication's code in arrays."""
        return list(Indication).index(self)


class KitchenKind(StrEnum):
    """The kinds of kitchen that feed PMT lokal in Cilegon and elsewhere."""

    DAPUR_UMUM_PKK = "dapur_umum_pkk"  # Dapur Umum PKK
    DASHAT = "dashat"  # Dapur Sehat Atasi Stunting (BKKBN, Kampung KB)
    KAMUS = "kamus"  # Dapur Stunting KAMUS (Kecamatan Cilegon)
    OTHER = "other"


class KitchenOperator(StrEnum):
    """Who runs a kitchen."""

    TP_PKK = "tp_pkk"  # Tim Penggerak PKK
    POKJA = "pokja"  # Pokja Kampung KB
    TPK = "tpk"  # Tim Pendamping Keluarga
    OTHER = "other"


class Funding(StrEnum):
    """Where the money for a kitchen or an episode comes from."""

    APBD = "apbd"
    DAK = "dak"  # DAK non-fisik
    BAZNAS = "baznas"
    BAPAK_ASUH = "bapak_asuh"
    CSR = "csr"
    OTHER = "other"


class EpisodeExit(StrEnum):
    """How an episode ended: recovered or not by the rule of its version (decided by
    :func:`recovered` at the last checkpoint), or stopped for another reason."""

    RECOVERED = "recovered"
    NOT_RECOVERED = "not_recovered"
    DROPPED_OUT = "dropped_out"
    MOVED = "moved"
    REFERRED = "referred"  # referred for treatment


class Refusal(IntEnum):
    """Why a child is not eligible (0: it is)."""

    NONE = 0
    AGE = 1  # under 6 or 60 months and older
    SEVERE = 2  # gizi buruk: clinical care, never PMT
    NO_INDICATION = 3  # none of the reasons PMT is for


# The month's reasons that make a child eligible, with the indication each gives.
_INDICATIONS: tuple[tuple[Indication, tuple[ReferralReason, ...]], ...] = (
    (Indication.WASTED, (ReferralReason.WASTED,)),
    (Indication.UNDERWEIGHT, (ReferralReason.BGM, ReferralReason.UNDERWEIGHT)),
    (Indication.FALTERING, (ReferralReason.TWO_T, ReferralReason.T)),
)


def _mask(reasons: tuple[ReferralReason, ...]) -> int:
    return sum(r.bit for r in reasons)


def eligibility(reasons: ArrayLike, age_months: ArrayLike) -> tuple[IntArray, IntArray]:
    """Per child: the indication code (-1: not eligible) and the :class:`Refusal` code,
    from the reason masks of the month's lists (``ReferralReason.bit``) and the age in
    completed months (NaN: unknown, not eligible)."""
    mask = np.asarray(reasons, dtype=np.int64)
    age = np.asarray(age_months, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        of_age = (age >= PMT_AGE_MONTHS[0]) & (age < PMT_AGE_MONTHS[1])
    severe = (mask & ReferralReason.SEVERE_WASTING.bit) != 0
    indication = np.full(mask.shape, NOT_ELIGIBLE, dtype=np.int64)
    for kind, why in reversed(_INDICATIONS):  # the first in precedence is written last
        indication = np.where((mask & _mask(why)) != 0, kind.code, indication)
    refusal = np.where(
        ~of_age,
        Refusal.AGE,
        np.where(severe, Refusal.SEVERE, np.where(indication < 0, Refusal.NO_INDICATION, 0)),
    ).astype(np.int64)
    return np.where(refusal == 0, indication, NOT_ELIGIBLE), refusal


@dataclass(frozen=True)
class Exit:
    """When an episode of one indication counts as recovered: the z-score (``waz`` or
    ``whz``) above (or, ``inclusive``, at least) ``above``, or a rise of more than
    ``rise`` in it (None: not this kind of rule); measured by day ``by_day`` of the
    episode (None: at any checkpoint); ``gain``: the weight must have gone up too."""

    indicator: str  # "waz" or "whz"
    above: float | None = None
    inclusive: bool = False
    rise: float | None = None
    by_day: int | None = None
    gain: bool = False


@dataclass(frozen=True)
class PmtRules:
    """One version of the rules: planned days and exit per indication."""

    version: str
    planned_days: dict[Indication, int | None]  # None: not fed under this version
    exits: dict[Indication, Exit]


_EXIT_2022 = {
    Indication.WASTED: Exit("whz", above=-2.0, inclusive=True, gain=True),
    Indication.UNDERWEIGHT: Exit("waz", above=-2.0, inclusive=True, gain=True),
    Indication.FALTERING: Exit("waz", rise=0.0, gain=True),
}
RULES: dict[str, PmtRules] = {
    "2022": PmtRules(
        "2022",
        {
            Indication.WASTED: 90,
            Indication.UNDERWEIGHT: 14,
            Indication.FALTERING: 14,
            Indication.PREGNANT_KEK: None,
        },
        _EXIT_2022,
    ),
    "2023": PmtRules(
        "2023",
        {
            Indication.WASTED: 56,
            Indication.UNDERWEIGHT: 28,
            Indication.FALTERING: 14,
            Indication.PREGNANT_KEK: 120,
        },
        _EXIT_2022,
    ),
    "2025": PmtRules(
        "2025",
        {
            Indication.WASTED: 56,
            Indication.UNDERWEIGHT: 14,
            Indication.FALTERING: 14,
            Indication.PREGNANT_KEK: 120,
        },
        {
            Indication.WASTED: Exit("whz", above=-2.0, by_day=56),
            Indication.UNDERWEIGHT: Exit("waz", above=-2.0, by_day=28),
            Indication.FALTERING: Exit("waz", rise=0.1, by_day=14),
        },
    ),
}


def rules_for(year: int) -> PmtRules:
    """The version in force in ``year``: the latest one not after it (the first for
    earlier years)."""
    versions = sorted(RULES, key=int)
    chosen = [v for v in versions if int(v) <= year]
    return RULES[chosen[-1] if chosen else versions[0]]


@dataclass(frozen=True)
class Checkpoint:
    """Arrays, one element per episode: the day of the checkpoint since the start, the
    z-scores at the start and at the checkpoint, and the weights (kg) then."""

    day: ArrayLike
    start_z: ArrayLike
    z: ArrayLike
    start_weight_kg: ArrayLike
    weight_kg: ArrayLike


def recovered(rules: PmtRules, indication: Indication, at: Checkpoint) -> FloatArray:
    """Per episode of ``indication``: 1.0 recovered by the exit rule of ``rules`` at the
    checkpoint, 0.0 not (yet), NaN when a value it needs is missing."""
    rule = rules.exits.get(indication)
    day = np.asarray(at.day, dtype=np.float64)
    if rule is None:
        return np.full(day.shape, np.nan)
    start, now = np.asarray(at.start_z, dtype=np.float64), np.asarray(at.z, dtype=np.float64)
    before = np.asarray(at.start_weight_kg, dtype=np.float64)
    after = np.asarray(at.weight_kg, dtype=np.float64)
    ok: BoolArray = np.ones(day.shape, dtype=bool)
    missing = np.isnan(now) | np.isnan(day)
    if rule.above is not None:
        ok &= now >= rule.above if rule.inclusive else now > rule.above
    if rule.rise is not None:
        ok &= (now - start) > rule.rise
        missing |= np.isnan(start)
    if rule.by_day is not None:
        ok &= day <= rule.by_day
    if rule.gain:
        ok &= after > before
        missing |= np.isnan(before) | np.isnan(after)
    result: FloatArray = np.where(missing, np.nan, ok.astype(np.float64))
    return result


def adherence(served_days: ArrayLike, planned_days: ArrayLike) -> FloatArray:
    """Days served over days planned (NaN where none were planned)."""
    served = np.asarray(served_days, dtype=np.float64)
    planned = np.asarray(planned_days, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share: FloatArray = np.where(planned > 0, served / planned, np.nan)
    return share
