"""The at-risk flags of a catin (bride or groom to be) screened before the wedding
(docs/domain.md §14, "Catin"; docs/catin.md).

One element per catin; a missing input gives "unknown" (a
:class:`~tumbuh.growth.tristate.TriState` not known, a band None), never a guess. The
thresholds are :mod:`tumbuh.growth.maternal`'s where they exist (KEK, the anaemia limits of
non-pregnant women, the IMT bands, "terlalu muda"); the ones added here are:

* anaemia of a **man** (15 years and older): Hb under 13.0 g/dL, mild 11.0-12.9, moderate
  8.0-10.9, severe under 8.0 (WHO 2011, VMNIS, WHO/NMH/NHD/MNM/11.1, table 1);
* the **minimum age of marriage**: 19 years for both (UU 16/2019, article 7(1), amending
  UU 1/1974);
* the screening is **late** when it was done less than 3 months before the wedding
  (BKKBN asks catin to be screened at least 3 months before, through Elsimil) [verify].

KEK is a woman's rule (LiLA < 23.5 cm, Kemenkes): a groom's LiLA is not judged, so KEK of
a man is "not applicable" (known false), as "terlalu muda" (a wife under 20, BKKBN).
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.growth.maternal import (
    ANAEMIA_LIMITS_NOT_PREGNANT,
    TERLALU_MUDA_YEARS,
    AnaemiaBand,
    ImtBand,
    anaemia_band,
    imt,
    imt_band,
    is_kek,
)
from tumbuh.growth.tristate import TriState, any_of, judged
from tumbuh.growth.types import BoolArray, FloatArray, MaybeValues

# WHO/NMH/NHD/MNM/11.1, table 1: men 15 years and older (none, mild, moderate lower limits).
ANAEMIA_LIMITS_MEN = (13.0, 11.0, 8.0)
MARRIAGE_MIN_AGE_YEARS = 19  # UU 16/2019 art. 7(1): man and woman at least 19
SCREENING_BEFORE_WEDDING_MONTHS = 3  # BKKBN (Elsimil): screen 3 months before [verify]
_BANDS = (AnaemiaBand.NONE, AnaemiaBand.MILD, AnaemiaBand.MODERATE, AnaemiaBand.SEVERE)


def _days(values: MaybeValues) -> NDArray[np.datetime64]:
    return np.asarray(values, dtype="datetime64[D]")  # None -> NaT


def _female(values: MaybeValues) -> BoolArray:
    return np.asarray(values, dtype=bool)


def adult_anaemia_band(hb_g_dl: MaybeValues, *, female: MaybeValues) -> NDArray[np.object_]:
    """The :class:`AnaemiaBand` of each non-pregnant adult's Hb (g/dL): WHO's limits of
    women (12.0 / 11.0 / 8.0, :func:`~tumbuh.growth.maternal.anaemia_band` with
    ``pregnant=False``) or of men (13.0 / 11.0 / 8.0); None where Hb is unknown. A value
    on a limit belongs to the milder band (13.0 for a man is not anaemia)."""
    hb = np.asarray(hb_g_dl, dtype=np.float64)
    women = anaemia_band(hb, pregnant=False)
    known = ~np.isnan(hb)
    below = (np.where(known, hb, np.inf)[..., None] < np.array(ANAEMIA_LIMITS_MEN)).sum(axis=-1)
    men = np.array(_BANDS, dtype=object)[below]
    result = np.where(np.broadcast_to(_female(female), hb.shape), women, men)
    result[~known] = None
    return np.asarray(result, dtype=object)


def age_years_on(birth_date: MaybeValues, on: MaybeValues) -> FloatArray:
    """Completed years of age on ``on``; NaN where a date is missing or ``on`` is before
    the birth."""
    months = completed_months_or_nan(_days(birth_date), _days(on))
    return np.where(months >= 0, np.floor(months / 12), np.nan)


def screened_late(screened_on: MaybeValues, wedding_on: MaybeValues) -> TriState:
    """The screening came less than 3 completed months before the wedding (or after it);
    unknown without either day. Screened on 1 March for a wedding on 1 June is in time."""
    months = completed_months_or_nan(_days(screened_on), _days(wedding_on))
    known = ~np.isnat(_days(screened_on)) & ~np.isnat(_days(wedding_on))
    too_close = np.nan_to_num(months, nan=-1.0) < SCREENING_BEFORE_WEDDING_MONTHS
    return judged(too_close, known)


@dataclass(frozen=True)
class CatinRisks:
    """The at-risk flags of each catin (docs/domain.md §14)."""

    kek: TriState  # a bride's LiLA under 23.5 cm (a groom: known false)
    anaemia: NDArray[np.object_]  # AnaemiaBand or None
    imt: FloatArray  # kg/m2, NaN when weight or height is missing
    imt_band: NDArray[np.object_]  # ImtBand or None
    under_marriage_age: TriState  # under 19 at the wedding (UU 16/2019)
    terlalu_muda: TriState  # a bride under 20 at the wedding (BKKBN; a groom: known false)
    late: TriState  # screened less than 3 months before the wedding

    @property
    def anaemic(self) -> TriState:
        """Any anaemia band but none; unknown without Hb."""
        known = np.array([b is not None for b in self.anaemia], dtype=bool)
        holds = np.array([b not in (None, AnaemiaBand.NONE) for b in self.anaemia], dtype=bool)
        return judged(holds, known)

    @property
    def kurus(self) -> TriState:
        """IMT under 18.5 (kurus); unknown without weight or height."""
        known = np.array([b is not None for b in self.imt_band], dtype=bool)
        return judged(np.array([b is ImtBand.KURUS for b in self.imt_band], bool), known)

    @property
    def at_risk(self) -> TriState:
        """At risk: KEK, anaemia, kurus, under the marriage age or "terlalu muda" (the
        screening's timing is not a risk of the catin's health)."""
        return any_of(
            self.kek, self.anaemic, self.kurus, self.under_marriage_age, self.terlalu_muda
        )


def catin_risks(
    *,
    female: MaybeValues,
    birth_date: MaybeValues,
    wedding_on: MaybeValues,
    screened_on: MaybeValues,
    muac_cm: MaybeValues,
    hb_g_dl: MaybeValues,
    weight_kg: MaybeValues,
    height_cm: MaybeValues,
) -> CatinRisks:
    """Judge each catin's screening: KEK (women), anaemia (WHO's limits by sex), IMT band,
    age at the wedding against 19 (UU 16/2019) and 20 (a bride, "terlalu muda"), and a
    late screening."""
    woman = _female(female)
    age = age_years_on(birth_date, wedding_on)
    known_age = ~np.isnan(age)
    young = np.nan_to_num(age, nan=np.inf)
    kek = is_kek(muac_cm)
    bmi = imt(weight_kg, height_cm)
    return CatinRisks(
        kek=judged(kek.holds & woman, kek.known | ~woman),
        anaemia=adult_anaemia_band(hb_g_dl, female=woman),
        imt=bmi,
        imt_band=imt_band(bmi),
        under_marriage_age=judged(young < MARRIAGE_MIN_AGE_YEARS, known_age),
        terlalu_muda=judged(woman & (young < TERLALU_MUDA_YEARS), known_age | ~woman),
        late=screened_late(screened_on, wedding_on),
    )


__all__ = [
    "ANAEMIA_LIMITS_MEN",
    "ANAEMIA_LIMITS_NOT_PREGNANT",
    "MARRIAGE_MIN_AGE_YEARS",
    "SCREENING_BEFORE_WEDDING_MONTHS",
    "CatinRisks",
    "adult_anaemia_band",
    "age_years_on",
    "catin_risks",
    "screened_late",
]
