"""Nutritional-status categories of Permenkes 2/2020 (Standar Antropometri Anak).

Boundaries follow the regulation's tables exactly (docs/domain.md §3): for example
PB/U or TB/U is "sangat pendek" for z < -3, "pendek" for -3 <= z < -2, "normal" for
-2 <= z <= +3 and "tinggi" for z > +3. The categories are applied to the z-score as
reported, rounded to 2 decimals. Array results are codes: the position of the member in
its enum, or -1 where the z-score is missing.

The Indonesian labels are the regulation's own words; English equivalents follow WHO
usage. A WHO-flagged z-score (an implausible value, most often a typing error such as a
weight in grams) gets no category: it is shown as "periksa ulang" (:data:`RECHECK`) and the
child goes on the month's re-measure list (:mod:`tumbuh.growth.referrals`).
"""

from enum import StrEnum

import numpy as np

from tumbuh.growth.types import FloatArray, Int8Array

MISSING = -1
RECHECK = "periksa_ulang"  # shown instead of a category when the z-score is WHO-flagged


def shown_category(code: str | None, flagged: bool) -> str | None:
    """The category code to show for a z-score: :data:`RECHECK` when it is flagged."""
    return RECHECK if flagged else code


class _Category(StrEnum):
    @property
    def label_id(self) -> str:
        """The regulation's label in Bahasa Indonesia."""
        return _LABELS[(type(self), self.value)][0]

    @property
    def label_en(self) -> str:
        """The English equivalent."""
        return _LABELS[(type(self), self.value)][1]

    def label(self, language: str = "id") -> str:
        """Label in ``language`` ("id" or "en")."""
        return self.label_en if language == "en" else self.label_id


class WazCategory(_Category):
    """BB/U (weight-for-age), 0-60 months."""

    SANGAT_KURANG = "sangat_kurang"
    KURANG = "kurang"
    NORMAL = "normal"
    RISIKO_LEBIH = "risiko_lebih"


class HazCategory(_Category):
    """PB/U or TB/U (length/height-for-age), 0-60 months and 5-18 years."""

    SANGAT_PENDEK = "sangat_pendek"
    PENDEK = "pendek"
    NORMAL = "normal"
    TINGGI = "tinggi"


class WhzCategory(_Category):
    """BB/PB or BB/TB (weight-for-length/height) and IMT/U (BMI-for-age), 0-60 months."""

    GIZI_BURUK = "gizi_buruk"
    GIZI_KURANG = "gizi_kurang"
    GIZI_BAIK = "gizi_baik"
    BERISIKO_GIZI_LEBIH = "berisiko_gizi_lebih"
    GIZI_LEBIH = "gizi_lebih"
    OBESITAS = "obesitas"


class BazCategory(_Category):
    """IMT/U (BMI-for-age), 5-18 years."""

    GIZI_BURUK = "gizi_buruk"
    GIZI_KURANG = "gizi_kurang"
    GIZI_BAIK = "gizi_baik"
    GIZI_LEBIH = "gizi_lebih"
    OBESITAS = "obesitas"


# Keyed by (enum, value): members of different enums share values ("normal"), and a
# StrEnum member is equal to its value, so the members themselves would collide.
_LABELS: dict[tuple[type[_Category], str], tuple[str, str]] = {
    (WazCategory, WazCategory.SANGAT_KURANG.value): (
        "Berat badan sangat kurang",
        "Severely underweight",
    ),
    (WazCategory, WazCategory.KURANG.value): ("Berat badan kurang", "Underweight"),
    (WazCategory, WazCategory.NORMAL.value): ("Berat badan normal", "Normal weight"),
    (WazCategory, WazCategory.RISIKO_LEBIH.value): (
        "Risiko berat badan lebih",
        "Risk of overweight",
    ),
    (HazCategory, HazCategory.SANGAT_PENDEK.value): ("Sangat pendek", "Severely stunted"),
    (HazCategory, HazCategory.PENDEK.value): ("Pendek", "Stunted"),
    (HazCategory, HazCategory.NORMAL.value): ("Normal", "Normal"),
    (HazCategory, HazCategory.TINGGI.value): ("Tinggi", "Tall"),
    (WhzCategory, WhzCategory.GIZI_BURUK.value): ("Gizi buruk", "Severely wasted"),
    (WhzCategory, WhzCategory.GIZI_KURANG.value): ("Gizi kurang", "Wasted"),
    (WhzCategory, WhzCategory.GIZI_BAIK.value): ("Gizi baik", "Normal"),
    (WhzCategory, WhzCategory.BERISIKO_GIZI_LEBIH.value): (
        "Berisiko gizi lebih",
        "Possible risk of overweight",
    ),
    (WhzCategory, WhzCategory.GIZI_LEBIH.value): ("Gizi lebih", "Overweight"),
    (WhzCategory, WhzCategory.OBESITAS.value): ("Obesitas", "Obese"),
    (BazCategory, BazCategory.GIZI_BURUK.value): ("Gizi buruk", "Severe thinness"),
    (BazCategory, BazCategory.GIZI_KURANG.value): ("Gizi kurang", "Thinness"),
    (BazCategory, BazCategory.GIZI_BAIK.value): ("Gizi baik", "Normal"),
    (BazCategory, BazCategory.GIZI_LEBIH.value): ("Gizi lebih", "Overweight"),
    (BazCategory, BazCategory.OBESITAS.value): ("Obesitas", "Obese"),
}


def unflagged(z: FloatArray, flag: FloatArray) -> FloatArray:
    """``z`` with NaN where WHO flags it (flag 1), so that it gets no category."""
    values: FloatArray = np.where(np.asarray(flag) == 1, np.nan, np.asarray(z, dtype=np.float64))
    return values


def _classify(z: FloatArray, lower_bounds: tuple[float, ...], upper_closed: bool) -> Int8Array:
    """Codes 0..len(lower_bounds) for z; bounds are where each next category starts.

    With ``upper_closed`` a bound b means "z > b" starts the next category (the upper
    categories of Permenkes: z <= +1 is still normal); otherwise "z >= b" (lower ones:
    z = -2 is already normal).
    """
    zz = np.asarray(z, dtype=np.float64)
    codes = np.zeros(zz.shape, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        for bound in lower_bounds:
            codes += (zz > bound) if upper_closed and bound > 0 else (zz >= bound)
    return np.where(np.isnan(zz), MISSING, codes).astype(np.int8)


def classify_waz(z: FloatArray) -> Int8Array:
    """BB/U codes (WazCategory order): < -3, [-3, -2), [-2, +1], > +1."""
    return _classify(z, (-3.0, -2.0, 1.0), upper_closed=True)


def classify_haz(z: FloatArray) -> Int8Array:
    """PB/U, TB/U codes (HazCategory order): < -3, [-3, -2), [-2, +3], > +3."""
    return _classify(z, (-3.0, -2.0, 3.0), upper_closed=True)


def classify_whz(z: FloatArray) -> Int8Array:
    """BB/PB, BB/TB and IMT/U 0-60 months (WhzCategory order): cut at -3, -2, +1, +2, +3."""
    return _classify(z, (-3.0, -2.0, 1.0, 2.0, 3.0), upper_closed=True)


def classify_baz_5_18(z: FloatArray) -> Int8Array:
    """IMT/U 5-18 years (BazCategory order): cut at -3, -2, +1, +2."""
    return _classify(z, (-3.0, -2.0, 1.0, 2.0), upper_closed=True)


def labels(codes: Int8Array, category: type[_Category], language: str = "id") -> list[str | None]:
    """Labels for an array of codes (None where missing), in ``language``."""
    members = list(category)
    names = [m.label(language) for m in members]
    return [names[c] if c >= 0 else None for c in np.asarray(codes).tolist()]
