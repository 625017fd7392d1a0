"""Rules of pregnancy, birth and catin at and around their thresholds (docs/domain.md §14);
each test names the source of its threshold."""

import numpy as np
import pytest

from tumbuh.growth import maternal
from tumbuh.growth.maternal import AnaemiaBand, ImtBand
from tumbuh.growth.tristate import TriState


def days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def states(result: TriState) -> list[bool | None]:
    return [None if not k else bool(h) for h, k in zip(result.holds, result.known, strict=True)]


def test_kek_is_a_lila_under_23_5_cm() -> None:
    # Kemenkes: a pregnant woman or catin with LiLA < 23.5 cm has KEK; 23.5 is not KEK.
    assert states(maternal.is_kek([23.4, 23.49, 23.5, 23.6, None, np.nan])) == [
        True,
        True,
        False,
        False,
        None,
        None,
    ]


def test_bblr_is_a_birth_weight_under_2500_g() -> None:
    # WHO, low birth weight: < 2,500 g. 2,500 g itself is a normal birth weight.
    assert states(maternal.is_bblr([2499, 2500, 2501, None])) == [True, False, False, None]


def test_pblr_is_a_birth_length_under_48_cm() -> None:
    # Kemenkes: panjang badan lahir rendah < 48 cm.
    assert states(maternal.is_pblr([47.9, 48.0, 48.1, np.nan])) == [True, False, False, None]


def test_preterm_is_before_37_completed_weeks() -> None:
    # WHO, preterm birth: born alive before 37 completed weeks; 37 weeks 0 days is term.
    assert states(maternal.is_preterm([36, 37, 38, np.nan])) == [True, False, False, None]


def test_ttd_is_complete_from_90_tablets() -> None:
    # Kemenkes: at least 90 TTD tablets in the pregnancy (Perpres 72/2021 indicator).
    assert states(maternal.ttd_complete([89, 90, 120, None])) == [False, True, True, None]


@pytest.mark.parametrize(
    ("hb", "band"),
    [
        (11.0, AnaemiaBand.NONE),  # WHO 2011 table 1, pregnant women: >= 110 g/L
        (10.9, AnaemiaBand.MILD),  # 100-109 g/L
        (10.0, AnaemiaBand.MILD),
        (9.9, AnaemiaBand.MODERATE),  # 70-99 g/L
        (7.0, AnaemiaBand.MODERATE),
        (6.9, AnaemiaBand.SEVERE),  # < 70 g/L
    ],
)
def test_anaemia_in_pregnancy_follows_who_2011(hb: float, band: AnaemiaBand) -> None:
    assert maternal.anaemia_band([hb], pregnant=True)[0] is band


@pytest.mark.parametrize(
    ("hb", "band"),
    [
        (12.0, AnaemiaBand.NONE),  # WHO 2011, non-pregnant women 15+: >= 120 g/L
        (11.9, AnaemiaBand.MILD),  # 110-119 g/L
        (11.0, AnaemiaBand.MILD),
        (10.9, AnaemiaBand.MODERATE),  # 80-109 g/L
        (8.0, AnaemiaBand.MODERATE),
        (7.9, AnaemiaBand.SEVERE),  # < 80 g/L
    ],
)
def test_anaemia_of_catin_and_rematri_follows_who_2011(hb: float, band: AnaemiaBand) -> None:
    assert maternal.anaemia_band([hb], pregnant=False)[0] is band


def test_anaemia_band_is_unknown_without_hb_or_pregnancy_and_takes_pregnancy_per_row() -> None:
    bands = maternal.anaemia_band([11.5, 11.5, None, 11.5], pregnant=[True, False, True, None])
    assert bands.tolist() == [AnaemiaBand.NONE, AnaemiaBand.MILD, None, None]


def test_gestational_age_counts_completed_weeks_from_hpht() -> None:
    hpht = days("2024-01-01", "2024-01-01", "2024-01-01", "NaT", "2024-03-01")
    on = days("2024-01-07", "2024-01-08", "2024-10-07", "2024-02-01", "2024-02-01")
    weeks = maternal.gestational_weeks(hpht, on)
    assert weeks[:3].tolist() == [0.0, 1.0, 40.0]  # 6 days is 0 weeks; 280 days is 40
    assert np.isnan(weeks[3:]).all()  # no HPHT; a day before the HPHT


def test_due_date_is_hpht_plus_280_days() -> None:
    # Naegele's rule: HPHT 1 January 2024 (a leap year) -> 7 October 2024.
    assert maternal.due_date(days("2024-01-01", "NaT")).tolist()[0].isoformat() == "2024-10-07"
    assert np.isnat(maternal.due_date(days("NaT")))[0]


def test_trimesters_split_at_13_and_25_completed_weeks() -> None:
    trimesters = maternal.trimester([0, 12, 13, 24, 25, 41, np.nan, -1])
    assert trimesters.tolist() == [1, 1, 2, 2, 3, 3, 0, 0]


@pytest.mark.parametrize(
    ("bmi", "band"),
    [
        (18.4, ImtBand.KURUS),  # Kemenkes P2PTM: kurus < 18.5
        (18.5, ImtBand.NORMAL),  # normal 18.5-25.0
        (25.0, ImtBand.NORMAL),
        (25.1, ImtBand.GEMUK),  # gemuk 25.1-27.0
        (27.0, ImtBand.GEMUK),
        (27.1, ImtBand.OBESITAS),  # obesitas > 27.0
    ],
)
def test_imt_bands_follow_kemenkes(bmi: float, band: ImtBand) -> None:
    assert maternal.imt_band([bmi])[0] is band


def test_imt_is_weight_over_height_squared() -> None:
    bmi = maternal.imt([50.0, 50.0, None], [160.0, 0.0, 160.0])
    assert bmi[0] == pytest.approx(19.53, abs=0.01)  # 50 / 1.6**2
    assert np.isnan(bmi[1:]).all()
    assert maternal.imt_band(bmi).tolist() == [ImtBand.NORMAL, None, None]


def test_anc_six_visits_2_1_3_complete_the_pattern() -> None:
    # Kemenkes 2020 (Buku KIA): at least 6 visits, 2 in trimester 1, 1 in 2, 3 in 3.
    visits = days(
        "2024-01-20",  # week 2 (T1)
        "2024-03-01",  # week 8 (T1)
        "2024-05-01",  # week 17 (T2)
        "2024-07-20",  # week 28 (T3)
        "2024-08-20",
        "2024-09-20",
        "2024-02-01",  # second pregnancy: one visit only
        "2023-12-01",  # before its HPHT: not counted
    )
    status = maternal.anc_status([0, 0, 0, 0, 0, 0, 1, 1], visits, days("2024-01-01", "2024-01-01"))
    assert status.visits_by_trimester.tolist() == [[2, 1, 3], [1, 0, 0]]
    assert states(status.complete) == [True, False]
    assert states(status.k_met(6)) == [True, False]
    assert states(status.k_met(1)) == [True, True]
    assert states(status.k1_in_trimester_1) == [True, True]


def test_anc_pattern_is_incomplete_with_six_visits_in_the_wrong_trimesters() -> None:
    visits = days(*(["2024-08-01"] * 6))  # six visits, all in trimester 3
    status = maternal.anc_status([0] * 6, visits, days("2024-01-01"))
    assert states(status.k_met(6)) == [True]
    assert states(status.complete) == [False]
    assert states(status.k1_in_trimester_1) == [False]


def test_anc_is_unknown_without_hpht_and_ignores_visits_after_the_end() -> None:
    status = maternal.anc_status(
        [0, 1, 1],
        days("2024-02-01", "2024-02-01", "2024-12-01"),
        days("NaT", "2024-01-01"),
        ended_on=days("NaT", "2024-10-01"),
    )
    assert states(status.complete) == [None, False]
    assert status.visits.tolist() == [0, 1]
    with pytest.raises(ValueError, match="K1 to K6"):
        status.k_met(7)


def test_four_terlalu_at_their_thresholds() -> None:
    # BKKBN PK21: under 20; 35 or older; births < 2 years apart; more than 3 children.
    result = maternal.four_terlalu(
        age_years=[19, 20, 34, 35, np.nan],
        spacing_months=[23, 24, np.nan, np.nan, np.nan],
        children=[4, 3, 1, 2, np.nan],
    )
    assert states(result.muda) == [True, False, False, False, None]
    assert states(result.tua) == [False, False, False, True, None]
    assert states(result.dekat) == [True, False, False, None, None]  # 1 child: no spacing
    assert states(result.banyak) == [True, False, False, False, None]
    assert states(result.any) == [True, False, False, True, None]


def test_birth_spacing_counts_completed_months() -> None:
    spacing = maternal.birth_spacing_months(
        days("2022-05-10", "2022-05-10", "NaT", "2024-01-01"),
        days("2024-05-09", "2024-05-10", "2024-01-01", "2023-01-01"),
    )
    assert spacing[:2].tolist() == [23.0, 24.0]
    assert np.isnan(spacing[2:]).all()


def test_rules_keep_the_shape_of_their_input() -> None:
    grid = np.array([[23.0, 24.0], [np.nan, 23.5]])
    assert maternal.is_kek(grid).known.shape == (2, 2)
    assert maternal.anaemia_band(grid / 2, pregnant=True).shape == (2, 2)
    assert maternal.imt_band(grid).shape == (2, 2)


def test_a_known_spacing_decides_terlalu_dekat_even_with_one_child() -> None:
    # Pregnant again 12 months after her only birth: terlalu dekat (BKKBN, < 2 years).
    result = maternal.four_terlalu(age_years=[25, 25], spacing_months=[12, np.nan], children=[1, 2])
    assert states(result.dekat) == [True, None]


def test_a_pregnancy_is_terlalu_dekat_when_conceived_within_2_years_of_the_last_birth() -> None:
    # BKKBN PK21 / Buku KIA: births less than 2 years apart. Her last child was born on
    # 2023-03-15; an HPHT on 2025-03-14 is 23 completed months later (terlalu dekat), one
    # on 2025-03-15 is 24 months (not). Without an HPHT a K1 21 months after the birth is
    # surely too close; a K1 30 months after says nothing about the conception.
    result = maternal.pregnancy_four_terlalu(
        age_years=[25, 25, 25, 25, 25],
        previous_births=[1, 1, 1, 1, 0],
        previous_birth_on=days("2023-03-15", "2023-03-15", "2023-03-15", "2023-03-15", "NaT"),
        hpht=days("2025-03-14", "2025-03-15", "NaT", "NaT", "2025-01-01"),
        k1_on=days("2025-05-01", "2025-05-01", "2024-12-20", "2025-09-20", "2025-03-01"),
    )
    assert states(result.dekat) == [True, False, True, None, False]  # a first pregnancy: no


def test_a_pregnancy_is_terlalu_banyak_after_more_than_3_children() -> None:
    # "lebih dari 3 anak" (BKKBN PK21, docs/domain.md §10): 4 born before is too many; with
    # 3 born before, this pregnancy is her fourth child, not more than 3.
    result = maternal.pregnancy_four_terlalu(
        age_years=[19, 20, 35, np.nan],
        previous_births=[4, 3, np.nan, 2],
        previous_birth_on=days("NaT", "NaT", "NaT", "NaT"),
        hpht=days("2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01"),
        k1_on=days("2025-03-01", "2025-03-01", "2025-03-01", "2025-03-01"),
    )
    assert states(result.banyak) == [True, False, None, False]
    assert states(result.dekat) == [None, None, None, None]  # births but no day of the last
    assert states(result.muda) == [True, False, False, None]
    assert states(result.tua) == [False, False, True, None]
