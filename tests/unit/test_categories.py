"""Permenkes 2/2020 categories at their exact boundaries (docs/domain.md §3)."""

import numpy as np
import pytest

from tumbuh.growth.categories import (
    BazCategory,
    HazCategory,
    WazCategory,
    WhzCategory,
    classify_baz_5_18,
    classify_haz,
    classify_waz,
    classify_whz,
)


def haz(z: float) -> HazCategory:
    return list(HazCategory)[int(classify_haz(np.array([z]))[0])]


def waz(z: float) -> WazCategory:
    return list(WazCategory)[int(classify_waz(np.array([z]))[0])]


def whz(z: float) -> WhzCategory:
    return list(WhzCategory)[int(classify_whz(np.array([z]))[0])]


def baz_5_18(z: float) -> BazCategory:
    return list(BazCategory)[int(classify_baz_5_18(np.array([z]))[0])]


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3.01, HazCategory.SANGAT_PENDEK),
        (-3.0, HazCategory.PENDEK),  # -3 <= z < -2
        (-2.01, HazCategory.PENDEK),
        (-2.0, HazCategory.NORMAL),  # -2 <= z <= +3
        (1.0, HazCategory.NORMAL),
        (2.0, HazCategory.NORMAL),
        (3.0, HazCategory.NORMAL),
        (3.01, HazCategory.TINGGI),
    ],
)
def test_length_height_for_age_boundaries(z: float, expected: HazCategory) -> None:
    assert haz(z) is expected


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3.01, WazCategory.SANGAT_KURANG),
        (-3.0, WazCategory.KURANG),
        (-2.0, WazCategory.NORMAL),
        (1.0, WazCategory.NORMAL),  # -2 <= z <= +1
        (1.01, WazCategory.RISIKO_LEBIH),
        (3.0, WazCategory.RISIKO_LEBIH),
    ],
)
def test_weight_for_age_boundaries(z: float, expected: WazCategory) -> None:
    assert waz(z) is expected


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3.01, WhzCategory.GIZI_BURUK),
        (-3.0, WhzCategory.GIZI_KURANG),
        (-2.0, WhzCategory.GIZI_BAIK),
        (1.0, WhzCategory.GIZI_BAIK),
        (1.01, WhzCategory.BERISIKO_GIZI_LEBIH),
        (2.0, WhzCategory.BERISIKO_GIZI_LEBIH),  # +1 < z <= +2
        (2.01, WhzCategory.GIZI_LEBIH),
        (3.0, WhzCategory.GIZI_LEBIH),  # +2 < z <= +3
        (3.01, WhzCategory.OBESITAS),
    ],
)
def test_weight_for_length_height_boundaries(z: float, expected: WhzCategory) -> None:
    assert whz(z) is expected


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-3.01, BazCategory.GIZI_BURUK),
        (-3.0, BazCategory.GIZI_KURANG),
        (-2.0, BazCategory.GIZI_BAIK),
        (1.0, BazCategory.GIZI_BAIK),
        (1.01, BazCategory.GIZI_LEBIH),
        (2.0, BazCategory.GIZI_LEBIH),
        (2.01, BazCategory.OBESITAS),  # 5-18 years: obese above +2
        (3.01, BazCategory.OBESITAS),
    ],
)
def test_bmi_for_age_5_to_18_years_boundaries(z: float, expected: BazCategory) -> None:
    assert baz_5_18(z) is expected


def test_missing_zscore_has_no_category() -> None:
    assert classify_haz(np.array([np.nan]))[0] == -1


def test_members_sharing_a_value_keep_their_own_labels() -> None:
    # StrEnum members equal their values: WazCategory.NORMAL == HazCategory.NORMAL == "normal".
    assert WazCategory.NORMAL.label_id == "Berat badan normal"
    assert HazCategory.NORMAL.label_id == "Normal"
    assert WhzCategory.GIZI_BURUK.label_en == "Severely wasted"
    assert BazCategory.GIZI_BURUK.label_en == "Severe thinness"
    assert WhzCategory.GIZI_LEBIH.label_en == "Overweight"


def test_labels_in_indonesian_and_english() -> None:
    assert HazCategory.SANGAT_PENDEK.label("id") == "Sangat pendek"
    assert HazCategory.SANGAT_PENDEK.label("en") == "Severely stunted"
    assert WhzCategory.BERISIKO_GIZI_LEBIH.label_id == "Berisiko gizi lebih"
    assert WazCategory.RISIKO_LEBIH.label_en == "Risk of overweight"


def test_a_flagged_zscore_has_no_category_and_shows_periksa_ulang() -> None:
    from tumbuh.growth.categories import RECHECK, classify_waz, shown_category, unflagged

    z = np.array([6.2, 1.5, -1.0])
    flag = np.array([1.0, 0.0, np.nan])  # WAZ above +5 is flagged by WHO
    assert classify_waz(unflagged(z, flag)).tolist() == [-1, 3, 2]
    assert shown_category(None, True) == RECHECK
    assert shown_category("normal", False) == "normal"
