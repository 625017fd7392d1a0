"""Perpres 72/2021 Annex A indicators (docs/domain.md §11): the catalogue and the register's
numerators and denominators on small constructed data."""

import numpy as np
import pytest

from tumbuh.growth import indicators
from tumbuh.growth.indicators import (
    CATALOGUE,
    GroupRate,
    IndicatorCode,
    InterventionType,
    Obtained,
)
from tumbuh.growth.tristate import from_values
from tumbuh.i18n import Language, translations


def by_group(result: indicators.IndicatorResult) -> dict[str | None, tuple[int, int, int]]:
    return {g.group: (g.numerator, g.denominator, g.unknown) for g in result.groups}


def test_catalogue_has_the_nine_specific_indicators_with_their_2024_targets() -> None:
    # Targets for 2024 of the specific indicators (Perpres 72/2021 Annex A, as the TPPS
    # slides quote them; docs/domain.md §11).
    specific = {
        code: i.target(2024) for code, i in CATALOGUE.items() if i.type is InterventionType.SPESIFIK
    }
    assert specific == {
        IndicatorCode.KEK_BUMIL_PMT: 90,
        IndicatorCode.BUMIL_TTD_90: 80,
        IndicatorCode.REMATRI_TTD: 58,
        IndicatorCode.ASI_EKSKLUSIF: 80,
        IndicatorCode.MP_ASI: 80,
        IndicatorCode.GIZI_BURUK_TREATED: 90,
        IndicatorCode.GROWTH_MONITORED: 90,
        IndicatorCode.GIZI_KURANG_PMT: 90,
        IndicatorCode.IMUNISASI_DASAR_LENGKAP: 90,
    }
    assert all(i.agency == "Kemenkes" for i in CATALOGUE.values() if i.code in specific)
    assert CATALOGUE[IndicatorCode.BUMIL_TTD_90].target(2023) is None


def test_catalogue_entries_are_keyed_by_their_code_and_say_how_they_are_obtained() -> None:
    assert set(CATALOGUE) == set(IndicatorCode)
    assert all(code is i.code for code, i in CATALOGUE.items())
    manual = {c for c, i in CATALOGUE.items() if i.obtained is Obtained.MANUAL}
    assert IndicatorCode.REMATRI_TTD in manual
    assert all(CATALOGUE[c].type is InterventionType.SENSITIF for c in manual - {"rematri_ttd"})


def test_every_catalogue_text_has_an_indonesian_translation() -> None:
    catalog = translations(Language.ID)
    for indicator in CATALOGUE.values():
        for text in (indicator.name, indicator.numerator, indicator.denominator):
            assert catalog.gettext(text) != text, text
        assert catalog.gettext(indicator.source) != indicator.source, indicator.source


def test_kek_bumil_given_pmt_counts_only_pregnancies_with_kek() -> None:
    result = indicators.kek_bumil_given_pmt(
        year=2024,
        kelurahan=["A", "A", "A", "B", "B", "A"],
        muac_cm=[23.0, 22.0, 23.5, 20.0, None, 23.4],  # 23.5 is not KEK; None unknown
        had_pmt=[True, False, True, None, True, True],
    )
    assert by_group(result) == {"A": (2, 3, 0), "B": (0, 1, 1)}
    a, b = result.groups
    assert a.rate == pytest.approx(200 / 3)
    assert a.meets_target is False  # 66.7 % < 90 %
    assert b.rate == 0.0


def test_bumil_ttd_counts_unknown_tablets_in_the_denominator() -> None:
    result = indicators.bumil_ttd_90(
        year=2024, kelurahan=["A", "A", "A", "A", "A"], tablets=[90, 120, 89, None, 95]
    )
    (row,) = result.groups
    assert (row.numerator, row.denominator, row.unknown) == (3, 5, 1)
    assert row.rate == 60.0
    assert row.meets_target is False  # target 80 % in 2024


def test_breastfeeding_and_mp_asi_take_their_age_ranges() -> None:
    ages = [0, 5, 6, 23, 24, np.nan]
    groups = ["A"] * 6
    asi = indicators.exclusive_breastfeeding(
        year=2024, kelurahan=groups, age_months=ages, exclusive=[True, False] + [True] * 4
    )
    assert by_group(asi) == {"A": (1, 2, 0)}  # 0-5 completed months only
    mp = indicators.complementary_feeding(
        year=2024, kelurahan=groups, age_months=ages, mp_asi=[True, True, True, None, True, True]
    )
    assert by_group(mp) == {"A": (1, 2, 1)}  # 6-23 completed months only


def test_growth_monitored_is_d_over_s_and_meets_90_percent() -> None:
    weighed = [True] * 9 + [False]
    result = indicators.growth_monitored(
        year=2024, kelurahan=["K"] * 10, age_months=[0, 5, 12, 23, 24, 30, 40, 50, 59, 59],
        weighed=weighed,
    )  # fmt: skip
    (row,) = result.groups
    assert (row.numerator, row.denominator, row.rate, row.meets_target) == (9, 10, 90.0, True)


def test_treatment_pmt_and_immunisation_indicators() -> None:
    k = ["A", "B", None]
    buruk = indicators.gizi_buruk_treated(
        year=2024, kelurahan=k, gizi_buruk=[True, True, False], treated=[True, False, True]
    )
    assert by_group(buruk) == {"A": (1, 1, 0), "B": (0, 1, 0)}
    kurang = indicators.gizi_kurang_given_pmt(
        year=2024, kelurahan=k, gizi_kurang=[True, None, True], had_pmt=[True, True, True]
    )
    assert by_group(kurang) == {"A": (1, 1, 0), None: (1, 1, 0)}  # no kelurahan: own row
    idl = indicators.complete_basic_immunisation(
        year=2024, kelurahan=k, age_months=[11, 12, 23], complete=[True, True, False]
    )
    assert by_group(idl) == {"B": (1, 1, 0), None: (0, 1, 0)}


def test_a_group_rate_without_denominator_or_target_has_no_verdict() -> None:
    assert GroupRate("A", 0, 0, 0, target=90).rate is None
    assert GroupRate("A", 0, 0, 0, target=90).meets_target is None
    assert GroupRate("A", 1, 2, 0, target=None).meets_target is None
    assert GroupRate("A", 9, 10, 0, target=90).meets_target is True  # at the target


def test_compute_refuses_manual_indicators_and_mismatched_rows() -> None:
    with pytest.raises(ValueError, match="entered by hand"):
        indicators.compute(
            IndicatorCode.REMATRI_TTD,
            year=2024,
            group=["A"],
            in_denominator=np.array([True]),
            in_numerator=from_values([True]),
        )
    with pytest.raises(ValueError, match="one element per row"):
        indicators.compute(
            IndicatorCode.BUMIL_TTD_90,
            year=2024,
            group=["A", "B"],
            in_denominator=np.array([True]),
            in_numerator=from_values([True]),
        )
