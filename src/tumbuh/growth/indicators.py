"""Intervention indicators of Perpres 72/2021, Annex A (docs/domain.md §11): the one
catalogue of their definitions and targets, and what the register can compute of them.

:data:`CATALOGUE` holds each indicator once: code, name, type (spesifik / sensitif),
agency, numerator and denominator (English message ids: the UI translates them), unit,
how it is obtained (computed from the register, or entered by hand once a year from the
source named) and its target per year. The functions below compute the register's
numerator and denominator per group (kelurahan) from plain arrays; each one names its
catalogue entry, so a definition is written in one place only.

A row whose fact is unknown (no TTD count, breastfeeding not asked) stays in the
denominator, is not counted in the numerator, and is counted in ``unknown`` so the gap is
visible: the programme counts what was recorded, and Tumbuh never guesses.

(Over 400 lines: the catalogue is data, kept whole so each definition has one home.)
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from tumbuh.growth import maternal
from tumbuh.growth.ages import BADUTA_MONTHS, BALITA_MONTHS
from tumbuh.growth.tristate import TriState, from_values
from tumbuh.growth.types import BoolArray, MaybeValues

# Perpres 72/2021 Annex A: balita whose growth is monitored (D/S), 90 % in 2024 (the 2006
# growth-monitoring standard had asked 80 %). The coverage checks use it as their target.
D_S_TARGET_2024 = 90.0


class InterventionType(StrEnum):
    """Specific (direct nutrition, mostly health) or sensitive (water, sanitation, aid, KB)."""

    SPESIFIK = "spesifik"
    SENSITIF = "sensitif"


class Obtained(StrEnum):
    """Where an indicator's figure comes from."""

    REGISTER = "register"  # computed from Tumbuh's records
    MANUAL = "manual"  # entered by hand once a year, from the source named


class IndicatorCode(StrEnum):
    """Codes of the Annex A indicators."""

    KEK_BUMIL_PMT = "kek_bumil_pmt"
    BUMIL_TTD_90 = "bumil_ttd_90"
    REMATRI_TTD = "rematri_ttd"
    ASI_EKSKLUSIF = "asi_eksklusif"
    MP_ASI = "mp_asi"
    GIZI_BURUK_TREATED = "gizi_buruk_treated"
    GROWTH_MONITORED = "growth_monitored"
    GIZI_KURANG_PMT = "gizi_kurang_pmt"
    IMUNISASI_DASAR_LENGKAP = "imunisasi_dasar_lengkap"
    KB_PASCA_PERSALINAN = "kb_pasca_persalinan"
    UNWANTED_PREGNANCY = "unwanted_pregnancy"
    CATIN_HEALTH_CHECK = "catin_health_check"
    SAFE_DRINKING_WATER = "safe_drinking_water"
    SAFE_SANITATION = "safe_sanitation"
    JKN_PBI = "jkn_pbi"
    KRS_ACCOMPANIED = "krs_accompanied"
    PKH = "pkh"
    STUNTING_AWARENESS = "stunting_awareness"
    FOOD_AID = "food_aid"
    ODF_KELURAHAN = "odf_kelurahan"


@dataclass(frozen=True)
class InterventionIndicator:
    """One indicator of Annex A; texts are English message ids."""

    code: IndicatorCode
    name: str
    type: InterventionType
    agency: str  # the ministry or agency accountable (a name: not translated)
    numerator: str
    denominator: str
    obtained: Obtained
    source: str  # where the figures come from
    targets: Mapping[int, float] = field(default_factory=dict)  # year -> target, percent
    unit: str = "%"

    def target(self, year: int) -> float | None:
        """The target for ``year`` in percent; None where none is set."""
        return self.targets.get(year)


def _specific(
    code: IndicatorCode,
    name: str,
    numerator: str,
    denominator: str,
    target_2024: float,
    *,
    obtained: Obtained = Obtained.REGISTER,
    source: str = "Tumbuh's register",
) -> InterventionIndicator:
    return InterventionIndicator(
        code, name, InterventionType.SPESIFIK, "Kemenkes", numerator, denominator,
        obtained, source, {2024: target_2024},
    )  # fmt: skip


def _sensitive(
    code: IndicatorCode, name: str, agency: str, numerator: str, denominator: str, source: str
) -> InterventionIndicator:
    # Targets of the sensitive indicators were not found in a primary text [verify].
    return InterventionIndicator(
        code, name, InterventionType.SENSITIF, agency, numerator, denominator,
        Obtained.MANUAL, source,
    )  # fmt: skip


C = IndicatorCode
CATALOGUE: Mapping[IndicatorCode, InterventionIndicator] = {
    i.code: i
    for i in (
        _specific(
            C.KEK_BUMIL_PMT,
            "Pregnant women with KEK given supplementary food",
            "Pregnant women with KEK (LiLA under 23.5 cm) in the year who had a PMT episode",
            "Pregnant women with KEK (LiLA under 23.5 cm) in the year",
            90,
        ),
        _specific(
            C.BUMIL_TTD_90,
            "Pregnant women taking at least 90 iron tablets",
            "Pregnant women in the year who took at least 90 iron tablets (TTD)",
            "Pregnant women in the year",
            80,
        ),
        _specific(
            C.REMATRI_TTD,
            "Adolescent girls taking iron tablets",
            "Adolescent girls who took iron tablets (TTD) in the year",
            "Adolescent girls in the schools and areas served",
            58,
            obtained=Obtained.MANUAL,
            source="Yearly report of the puskesmas (school TTD programme)",
        ),
        _specific(
            C.ASI_EKSKLUSIF,
            "Exclusive breastfeeding under 6 months",
            "Infants aged 0 to 5 months who are exclusively breastfed",
            "Infants aged 0 to 5 months",
            80,
        ),
        _specific(
            C.MP_ASI,
            "Complementary feeding at 6 to 23 months",
            "Children aged 6 to 23 months given complementary food (MP-ASI)",
            "Children aged 6 to 23 months",
            80,
        ),
        _specific(
            C.GIZI_BURUK_TREATED,
            "Severely wasted children treated",
            "Children with gizi buruk in the year who were treated",
            "Children with gizi buruk in the year",
            90,
        ),
        _specific(
            C.GROWTH_MONITORED,
            "Children whose growth is monitored (D/S)",
            "Balita weighed in the month (D)",
            "Balita of the area (S)",
            D_S_TARGET_2024,
        ),
        _specific(
            C.GIZI_KURANG_PMT,
            "Moderately wasted children given supplementary food",
            "Children with gizi kurang in the year who had a PMT episode",
            "Children with gizi kurang in the year",
            90,
        ),
        _specific(
            C.IMUNISASI_DASAR_LENGKAP,
            "Complete basic immunisation",
            "Children aged 12 to 23 months with complete basic immunisation",
            "Children aged 12 to 23 months",
            90,  # [verify]
        ),
        _sensitive(
            C.KB_PASCA_PERSALINAN,
            "Family planning after delivery",
            "BKKBN",
            "Women who started a family planning method after delivery",
            "Women who delivered in the year",
            "Yearly BKKBN report",
        ),
        _sensitive(
            C.UNWANTED_PREGNANCY,
            "Unwanted pregnancies",
            "BKKBN",
            "Pregnancies reported as unwanted",
            "Pregnancies in the year",
            "Yearly BKKBN report",
        ),
        _sensitive(
            C.CATIN_HEALTH_CHECK,
            "Brides- and grooms-to-be given a health check",
            "Kemenag",
            "Catin given a health check before marriage",
            "Catin registered for marriage in the year",
            "Yearly KUA report (Elsimil)",
        ),
        _sensitive(
            C.SAFE_DRINKING_WATER,
            "Households with safe drinking water",
            "PUPR",
            "Households with access to safe drinking water",
            "Households",
            "Yearly PUPR report",
        ),
        _sensitive(
            C.SAFE_SANITATION,
            "Households with safe sanitation",
            "PUPR",
            "Households with access to safe sanitation",
            "Households",
            "Yearly PUPR report",
        ),
        _sensitive(
            C.JKN_PBI,
            "Poor people covered by JKN premium assistance",
            "Kemensos",
            "Poor and vulnerable people whose JKN premium is paid (PBI)",
            "Poor and vulnerable people",
            "Yearly Dinas Sosial report",
        ),
        _sensitive(
            C.KRS_ACCOMPANIED,
            "Families at risk of stunting accompanied",
            "BKKBN",
            "Families at risk of stunting accompanied by a TPK",
            "Families at risk of stunting",
            "Yearly BKKBN report",
        ),
        _sensitive(
            C.PKH,
            "Families at risk of stunting in the PKH programme",
            "Kemensos",
            "Poor families at risk of stunting receiving PKH",
            "Poor families at risk of stunting",
            "Yearly Dinas Sosial report",
        ),
        _sensitive(
            C.STUNTING_AWARENESS,
            "Awareness of stunting",
            "Kominfo",
            "People surveyed who know about stunting prevention",
            "People surveyed",
            "Yearly survey",
        ),
        _sensitive(
            C.FOOD_AID,
            "Poor families at risk of stunting given food aid",
            "Kemensos",
            "Poor families at risk of stunting given food aid",
            "Poor families at risk of stunting",
            "Yearly Dinas Sosial report",
        ),
        _sensitive(
            C.ODF_KELURAHAN,
            "Kelurahan free of open defecation",
            "Kemenkes",
            "Kelurahan declared free of open defecation (Stop BABS)",
            "Kelurahan of the city",
            "Yearly Dinas Kesehatan report",
        ),
    )
}
del C


@dataclass(frozen=True)
class GroupRate:
    """An indicator's figure for one group (kelurahan); rate in percent."""

    group: str | None  # the group key; None for rows without one
    numerator: int
    denominator: int
    unknown: int  # rows of the denominator whose fact is not recorded
    target: float | None  # percent, for the year asked

    @property
    def rate(self) -> float | None:
        """Numerator over denominator in percent; None when the denominator is 0."""
        return 100.0 * self.numerator / self.denominator if self.denominator else None

    @property
    def meets_target(self) -> bool | None:
        """Rate at or above the target; None without a rate or a target."""
        rate = self.rate
        return None if rate is None or self.target is None else rate >= self.target


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator computed from the register for a year, one row per group."""

    indicator: InterventionIndicator
    year: int
    groups: tuple[GroupRate, ...]


def compute(
    code: IndicatorCode,
    *,
    year: int,
    group: Sequence[str | None],
    in_denominator: BoolArray,
    in_numerator: TriState,
) -> IndicatorResult:
    """Count an indicator per group: the rows of the denominator, those of them whose
    numerator fact is known to hold, and those of them where it is unknown."""
    indicator = CATALOGUE[code]
    if indicator.obtained is not Obtained.REGISTER:
        raise ValueError(f"{code} is entered by hand, not computed from the register")
    # "-" marks a row without a group, "+" prefixes the others: None sorts last.
    keys = np.array(["-" if key is None else f"+{key}" for key in group], dtype=str)
    counted = np.asarray(in_denominator, dtype=bool)
    if keys.shape != counted.shape or in_numerator.known.shape != counted.shape:
        raise ValueError("group, denominator and numerator need one element per row")
    names, codes = np.unique(keys[counted], return_inverse=True)
    n = names.shape[0]
    numerator = np.bincount(codes, weights=in_numerator.yes[counted], minlength=n)
    unknown = np.bincount(codes, weights=in_numerator.unknown[counted], minlength=n)
    denominator = np.bincount(codes, minlength=n)
    target = indicator.target(year)
    rows = tuple(
        GroupRate(
            group=None if name == "-" else str(name)[1:],
            numerator=int(numerator[i]),
            denominator=int(denominator[i]),
            unknown=int(unknown[i]),
            target=target,
        )
        for i, name in enumerate(names.tolist())
    )
    return IndicatorResult(indicator=indicator, year=year, groups=rows)


def _months_between(age_months: MaybeValues, low: int, high: int) -> BoolArray:
    """Age known and ``low`` to ``high`` completed months inclusive."""
    age = np.nan_to_num(np.asarray(age_months, dtype=np.float64), nan=-1.0)
    result: BoolArray = (age >= low) & (age <= high)
    return result


def kek_bumil_given_pmt(
    *, year: int, kelurahan: Sequence[str | None], muac_cm: MaybeValues, had_pmt: MaybeValues
) -> IndicatorResult:
    """Per pregnancy of the year: KEK by LiLA (:func:`maternal.is_kek`), PMT episode or not."""
    return compute(
        IndicatorCode.KEK_BUMIL_PMT,
        year=year,
        group=kelurahan,
        in_denominator=maternal.is_kek(muac_cm).yes,
        in_numerator=from_values(had_pmt),
    )


def bumil_ttd_90(
    *, year: int, kelurahan: Sequence[str | None], tablets: MaybeValues
) -> IndicatorResult:
    """Per pregnancy of the year: TTD tablets taken (:func:`maternal.ttd_complete`)."""
    complete = maternal.ttd_complete(tablets)
    return compute(
        IndicatorCode.BUMIL_TTD_90,
        year=year,
        group=kelurahan,
        in_denominator=np.ones(complete.known.shape, dtype=bool),
        in_numerator=complete,
    )


def exclusive_breastfeeding(
    *, year: int, kelurahan: Sequence[str | None], age_months: MaybeValues, exclusive: MaybeValues
) -> IndicatorResult:
    """Per infant: completed months and whether it is exclusively breastfed."""
    return compute(
        IndicatorCode.ASI_EKSKLUSIF,
        year=year,
        group=kelurahan,
        in_denominator=_months_between(age_months, 0, 5),
        in_numerator=from_values(exclusive),
    )


def complementary_feeding(
    *, year: int, kelurahan: Sequence[str | None], age_months: MaybeValues, mp_asi: MaybeValues
) -> IndicatorResult:
    """Per child: completed months and whether it is given MP-ASI."""
    return compute(
        IndicatorCode.MP_ASI,
        year=year,
        group=kelurahan,
        in_denominator=_months_between(age_months, 6, BADUTA_MONTHS - 1),
        in_numerator=from_values(mp_asi),
    )


def gizi_buruk_treated(
    *, year: int, kelurahan: Sequence[str | None], gizi_buruk: MaybeValues, treated: MaybeValues
) -> IndicatorResult:
    """Per child of the year: had gizi buruk, and was treated."""
    return compute(
        IndicatorCode.GIZI_BURUK_TREATED,
        year=year,
        group=kelurahan,
        in_denominator=from_values(gizi_buruk).yes,
        in_numerator=from_values(treated),
    )


def growth_monitored(
    *, year: int, kelurahan: Sequence[str | None], age_months: MaybeValues, weighed: MaybeValues
) -> IndicatorResult:
    """D/S of a month: per balita of the area (S), weighed in the month (D) or not."""
    return compute(
        IndicatorCode.GROWTH_MONITORED,
        year=year,
        group=kelurahan,
        in_denominator=_months_between(age_months, 0, BALITA_MONTHS - 1),
        in_numerator=from_values(weighed),
    )


def gizi_kurang_given_pmt(
    *, year: int, kelurahan: Sequence[str | None], gizi_kurang: MaybeValues, had_pmt: MaybeValues
) -> IndicatorResult:
    """Per child of the year: had gizi kurang, and had a PMT episode."""
    return compute(
        IndicatorCode.GIZI_KURANG_PMT,
        year=year,
        group=kelurahan,
        in_denominator=from_values(gizi_kurang).yes,
        in_numerator=from_values(had_pmt),
    )


def complete_basic_immunisation(
    *, year: int, kelurahan: Sequence[str | None], age_months: MaybeValues, complete: MaybeValues
) -> IndicatorResult:
    """Per child: completed months and whether its basic immunisation is complete."""
    return compute(
        IndicatorCode.IMUNISASI_DASAR_LENGKAP,
        year=year,
        group=kelurahan,
        in_denominator=_months_between(age_months, 12, BADUTA_MONTHS - 1),
        in_numerator=from_values(complete),
    )
