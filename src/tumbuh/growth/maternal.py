"""Rules of the first 1,000 days for women: pregnancy, birth, catin (docs/domain.md §14).

Every rule is one threshold with its public source in docs/domain.md §14; thresholds
marked *[verify]* there are the defaults until a primary text confirms them. Arrays in,
arrays out, one element per woman, pregnancy or birth; a missing input (NaN, None, NaT)
gives "unknown" (a :class:`~tumbuh.growth.tristate.TriState` not known, a band None,
a NaN), never a guess.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.growth.tristate import TriState, any_of, from_values, judged
from tumbuh.growth.types import BoolArray, DateArray, FloatArray, Int8Array, IntArray, MaybeValues

KEK_MUAC_CM = 23.5  # KEK: LiLA under 23.5 cm (Kemenkes); 23.5 itself is not KEK
BBLR_GRAMS = 2500  # low birth weight: under 2,500 g (WHO); 2,500 is not BBLR
PBLR_CM = 48.0  # short birth length: under 48 cm (Kemenkes) [verify]
PRETERM_WEEKS = 37  # preterm: born before 37 completed weeks (WHO)
PREGNANCY_DAYS = 280  # Naegele: the due date is HPHT + 280 days (40 weeks)
TRIMESTER_2_FROM_WEEK = 13  # trimester 1 is 0-12 completed weeks (Kemenkes) [verify]
TRIMESTER_3_FROM_WEEK = 25  # trimester 2 is 13-24, trimester 3 from 25 weeks [verify]
TTD_COMPLETE_TABLETS = 90  # at least 90 iron-folic acid tablets in the pregnancy
ANC_VISITS_PER_TRIMESTER = (2, 1, 3)  # Kemenkes 2020: at least 6 visits, 2-1-3
TERLALU_MUDA_YEARS = 20  # "terlalu muda": the wife is under 20 (BKKBN)
TERLALU_TUA_YEARS = 35  # "terlalu tua": 35 or older (BKKBN; 35-40 in one source)
TERLALU_DEKAT_MONTHS = 24  # "terlalu dekat": births less than 2 years apart
TERLALU_BANYAK_CHILDREN = 3  # "terlalu banyak": more than 3 children


def _floats(values: MaybeValues) -> FloatArray:
    return np.asarray(values, dtype=np.float64)  # None -> NaN


def _days(values: MaybeValues) -> DateArray:
    return np.asarray(values, dtype="datetime64[D]")  # None -> NaT


def _below(values: MaybeValues, limit: float) -> TriState:
    x = _floats(values)
    known = ~np.isnan(x)
    return judged(np.where(known, x, np.inf) < limit, known)


def _at_least(values: MaybeValues, limit: float) -> TriState:
    x = _floats(values)
    known = ~np.isnan(x)
    return judged(np.where(known, x, -np.inf) >= limit, known)


def is_kek(muac_cm: MaybeValues) -> TriState:
    """KEK (chronic energy deficiency): LiLA (MUAC) under 23.5 cm; 23.5 is not KEK."""
    return _below(muac_cm, KEK_MUAC_CM)


def is_bblr(birth_weight_g: MaybeValues) -> TriState:
    """BBLR (low birth weight): under 2,500 g (WHO); 2,500 g is not BBLR."""
    return _below(birth_weight_g, BBLR_GRAMS)


def is_pblr(birth_length_cm: MaybeValues) -> TriState:
    """PBLR (short birth length): under 48 cm (Kemenkes); 48 cm is not PBLR."""
    return _below(birth_length_cm, PBLR_CM)


def is_preterm(gestational_weeks: MaybeValues) -> TriState:
    """Preterm birth: before 37 completed weeks of gestation (WHO); 37 weeks is term."""
    return _below(gestational_weeks, PRETERM_WEEKS)


def ttd_complete(tablets: MaybeValues) -> TriState:
    """TTD complete: at least 90 iron-folic acid tablets taken in the pregnancy."""
    return _at_least(tablets, TTD_COMPLETE_TABLETS)


class AnaemiaBand(StrEnum):
    """Anaemia severity by haemoglobin (WHO 2011, VMNIS)."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


# Lower limits in g/dL of "none", "mild" and "moderate"; below the last is severe.
# WHO/NMH/NHD/MNM/11.1, table 1: pregnant women, and non-pregnant women 15 years and older.
ANAEMIA_LIMITS_PREGNANT = (11.0, 10.0, 7.0)
ANAEMIA_LIMITS_NOT_PREGNANT = (12.0, 11.0, 8.0)
_BANDS = (AnaemiaBand.NONE, AnaemiaBand.MILD, AnaemiaBand.MODERATE, AnaemiaBand.SEVERE)


def anaemia_band(hb_g_dl: MaybeValues, *, pregnant: MaybeValues) -> NDArray[np.object_]:
    """The :class:`AnaemiaBand` of each haemoglobin (g/dL); None where Hb is unknown.

    ``pregnant`` (per row or one value) chooses WHO's limits for pregnant women (11.0 /
    10.0 / 7.0) or for non-pregnant women 15 years and older, catin and rematri (12.0 /
    11.0 / 8.0); None where it is unknown. A value on a limit belongs to the milder band
    (11.0 in pregnancy is none).
    """
    hb = _floats(hb_g_dl)
    pregnancy = from_values(pregnant)  # unknown pregnancy: the limits are unknown too
    is_pregnant = np.broadcast_to(pregnancy.holds, hb.shape)
    limits = np.where(
        is_pregnant[..., None],
        np.array(ANAEMIA_LIMITS_PREGNANT),
        np.array(ANAEMIA_LIMITS_NOT_PREGNANT),
    )
    known = ~np.isnan(hb) & np.broadcast_to(pregnancy.known, hb.shape)
    below = (np.where(known, hb, np.inf)[..., None] < limits).sum(axis=-1)
    result = np.array(_BANDS, dtype=object)[below]
    result[~known] = None
    return np.asarray(result, dtype=object)


def gestational_weeks(hpht: MaybeValues, on: MaybeValues) -> FloatArray:
    """Gestational age in completed weeks on ``on``, counted from the HPHT (first day of
    the last menstrual period); NaN where a date is missing or ``on`` is before HPHT."""
    days = (_days(on) - _days(hpht)).astype("timedelta64[D]")
    missing = np.isnat(days)
    count = np.where(missing, -1, days.astype(np.int64))
    return np.where(missing | (count < 0), np.nan, np.floor_divide(count, 7).astype(float))


def due_date(hpht: MaybeValues) -> DateArray:
    """Estimated delivery date (HPL) by Naegele's rule: HPHT + 280 days; NaT stays NaT."""
    result: DateArray = _days(hpht) + np.timedelta64(PREGNANCY_DAYS, "D")
    return result


def trimester(weeks: MaybeValues) -> Int8Array:
    """Trimester 1, 2 or 3 of each gestational age in completed weeks; 0 where unknown.

    Kemenkes' antenatal care split: 0-12 weeks, 13-24 weeks, 25 weeks to birth [verify].
    """
    w = _floats(weeks)
    known = ~np.isnan(w) & (np.nan_to_num(w, nan=-1.0) >= 0)
    value = 1 + (w >= TRIMESTER_2_FROM_WEEK).astype(np.int8)
    value = value + (w >= TRIMESTER_3_FROM_WEEK).astype(np.int8)
    return np.where(known, value, 0).astype(np.int8)


class ImtBand(StrEnum):
    """Body mass index (IMT) bands for adults in Indonesia (Kemenkes P2PTM)."""

    KURUS = "kurus"
    NORMAL = "normal"
    GEMUK = "gemuk"
    OBESITAS = "obesitas"


IMT_KURUS_BELOW = 18.5  # kurus: under 18.5 kg/m2
IMT_NORMAL_UP_TO = 25.0  # normal: 18.5 to 25.0 inclusive (Kemenkes P2PTM) [verify]
IMT_GEMUK_UP_TO = 27.0  # gemuk: over 25.0 to 27.0; obesitas: over 27.0 [verify]


def imt(weight_kg: MaybeValues, height_cm: MaybeValues) -> FloatArray:
    """Body mass index, kg/m2; NaN where a value is missing or not positive."""
    weight, height = _floats(weight_kg), _floats(height_cm)
    valid = (np.nan_to_num(weight) > 0) & (np.nan_to_num(height) > 0)
    metres = np.where(valid, height, 100.0) / 100
    return np.where(valid, weight / metres**2, np.nan)


def imt_band(bmi: MaybeValues) -> NDArray[np.object_]:
    """The :class:`ImtBand` of each IMT (before pregnancy, or of a catin); None where unknown."""
    x = _floats(bmi)
    known = ~np.isnan(x)
    code = (x >= IMT_KURUS_BELOW).astype(int) + (x > IMT_NORMAL_UP_TO) + (x > IMT_GEMUK_UP_TO)
    bands = np.array((ImtBand.KURUS, ImtBand.NORMAL, ImtBand.GEMUK, ImtBand.OBESITAS), object)
    result = bands[code]
    result[~known] = None
    return np.asarray(result, dtype=object)


@dataclass(frozen=True)
class AncStatus:
    """Antenatal care visits of each pregnancy, counted per trimester (Kemenkes 2020)."""

    visits_by_trimester: IntArray  # (pregnancies, 3): visits in trimester 1, 2, 3
    known: BoolArray  # the HPHT is known, so visits could be placed in a trimester

    @property
    def visits(self) -> IntArray:
        """Visits counted per pregnancy (each one K1, K2, ... in date order)."""
        result: IntArray = self.visits_by_trimester.sum(axis=1)
        return result

    def k_met(self, k: int) -> TriState:
        """K``k`` (1-6) is met: the pregnancy had at least ``k`` visits."""
        if not 1 <= k <= 6:
            raise ValueError(f"K1 to K6 only, got K{k}")
        return judged(self.visits >= k, self.known)

    @property
    def k1_in_trimester_1(self) -> TriState:
        """The first visit was in trimester 1 (the early K1 the programme aims for)."""
        return judged(self.visits_by_trimester[:, 0] >= 1, self.known)

    @property
    def complete(self) -> TriState:
        """At least 2, 1 and 3 visits in trimesters 1, 2 and 3 (6 in all)."""
        wanted = np.array(ANC_VISITS_PER_TRIMESTER)
        return judged((self.visits_by_trimester >= wanted).all(axis=1), self.known)


def anc_status(
    pregnancy: MaybeValues,
    visit_date: MaybeValues,
    hpht: MaybeValues,
    *,
    ended_on: MaybeValues | None = None,
) -> AncStatus:
    """Place each ANC visit in its trimester and count them per pregnancy.

    ``pregnancy`` gives, per visit, the row (0 .. n-1) of its pregnancy in ``hpht`` (and
    ``ended_on``). A visit without a date, before the HPHT or after the pregnancy ended is
    not counted; a pregnancy without HPHT is unknown.
    """
    starts = _days(hpht)
    n = starts.shape[0]
    row = np.asarray(pregnancy, dtype=np.int64)
    if row.size and (row.min() < 0 or row.max() >= n):
        raise ValueError("every visit must point at a pregnancy row")
    visit = _days(visit_date)
    weeks = gestational_weeks(starts[row], visit)
    if ended_on is not None:
        ends = np.broadcast_to(_days(ended_on), (n,))[row]
        weeks = np.where(~np.isnat(ends) & (visit > ends), np.nan, weeks)
    term = trimester(weeks).astype(np.int64)
    counted = term > 0
    counts = np.zeros((n, 3), dtype=np.int64)
    np.add.at(counts, (row[counted], term[counted] - 1), 1)
    return AncStatus(visits_by_trimester=counts, known=~np.isnat(starts))


@dataclass(frozen=True)
class FourTerlalu:
    """BKKBN's "4 Terlalu" of a woman (PUS): too young, too old, too close, too many."""

    muda: TriState  # under 20 years old
    tua: TriState  # 35 years or older
    dekat: TriState  # her last two births (or last birth and this pregnancy) < 2 years apart
    banyak: TriState  # more than 3 children

    @property
    def any(self) -> TriState:
        """At least one of the four holds (unknown if none holds and one is unknown)."""
        return any_of(self.muda, self.tua, self.dekat, self.banyak)


def birth_spacing_months(previous: MaybeValues, following: MaybeValues) -> FloatArray:
    """Completed months from a birth to the next birth (or the HPHT of the next
    pregnancy); NaN where a date is missing or the order is reversed."""
    months = completed_months_or_nan(_days(previous), _days(following))
    return np.where(months >= 0, months, np.nan)


def four_terlalu(
    *, age_years: MaybeValues, spacing_months: MaybeValues, children: MaybeValues
) -> FourTerlalu:
    """The "4 Terlalu" from the woman's age (completed years), the spacing of her last two
    births (completed months, :func:`birth_spacing_months`; NaN for none or unknown) and
    her number of children. For a pregnant woman pass the spacing from her last birth to
    this pregnancy's HPHT. A known spacing decides ``dekat``; without one, a woman with 0
    or 1 child is not "terlalu dekat" (no two births to space) and any other is unknown.
    """
    count = _floats(children)
    spacing = _below(spacing_months, TERLALU_DEKAT_MONTHS)
    one_or_none = ~np.isnan(count) & (np.nan_to_num(count, nan=2.0) < 2)
    dekat = judged(spacing.yes, spacing.known | one_or_none)  # a known spacing decides
    return FourTerlalu(
        muda=_below(age_years, TERLALU_MUDA_YEARS),
        tua=_at_least(age_years, TERLALU_TUA_YEARS),
        dekat=dekat,
        banyak=judged(np.nan_to_num(count) > TERLALU_BANYAK_CHILDREN, ~np.isnan(count)),
    )


def pregnancy_four_terlalu(
    *,
    age_years: MaybeValues,
    previous_births: MaybeValues,
    previous_birth_on: MaybeValues,
    hpht: MaybeValues,
    k1_on: MaybeValues,
) -> FourTerlalu:
    """The "4 Terlalu" of a pregnant woman at registration (docs/domain.md §14): her age
    (completed years, at the HPHT), the children she bore alive before this pregnancy
    (paritas) and the day of her last birth.

    This pregnancy is the birth to be spaced: "terlalu dekat" is the spacing from her last
    birth to the HPHT; without an HPHT, a spacing to K1 under 2 years decides it (the
    pregnancy began before K1), a longer one leaves it unknown. With no earlier birth she
    is not "terlalu dekat". "Terlalu banyak" is more than 3 children born before; this
    pregnancy is not counted.
    """
    births = _floats(previous_births)
    to_hpht = birth_spacing_months(previous_birth_on, hpht)
    to_k1 = birth_spacing_months(previous_birth_on, k1_on)
    close_to_k1 = np.isnan(to_hpht) & (np.nan_to_num(to_k1, nan=np.inf) < TERLALU_DEKAT_MONTHS)
    spacing = np.where(close_to_k1, to_k1, to_hpht)
    woman = four_terlalu(age_years=age_years, spacing_months=spacing, children=births + 1)
    banyak = judged(np.nan_to_num(births) > TERLALU_BANYAK_CHILDREN, ~np.isnan(births))
    return replace(woman, banyak=banyak)
