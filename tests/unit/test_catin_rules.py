"""The at-risk flags of a catin at and around their thresholds (docs/domain.md §14,
"Catin"); each test names the source of its threshold."""

import numpy as np

from tumbuh.growth import catin
from tumbuh.growth.maternal import AnaemiaBand, ImtBand
from tumbuh.growth.tristate import TriState


def states(result: TriState) -> list[bool | None]:
    return [None if not k else bool(h) for h, k in zip(result.holds, result.known, strict=True)]


def test_a_man_is_anaemic_under_13_g_dl_and_a_woman_under_12() -> None:
    # WHO 2011 (WHO/NMH/NHD/MNM/11.1) table 1: men >= 15: none >= 13.0, mild 11.0-12.9,
    # moderate 8.0-10.9, severe < 8.0; non-pregnant women >= 15: none >= 12.0, mild 11.0-11.9.
    hb = [13.0, 12.9, 11.0, 10.9, 7.9, 12.0, 11.9, None]
    female = [False, False, False, False, False, True, True, True]
    assert list(catin.adult_anaemia_band(hb, female=female)) == [
        AnaemiaBand.NONE,
        AnaemiaBand.MILD,
        AnaemiaBand.MILD,
        AnaemiaBand.MODERATE,
        AnaemiaBand.SEVERE,
        AnaemiaBand.NONE,
        AnaemiaBand.MILD,
        None,
    ]


def test_age_at_the_wedding_is_in_completed_years() -> None:
    born = np.array(["2005-06-15", "2005-06-15", None], dtype="datetime64[D]")
    wedding = np.array(["2024-06-14", "2024-06-15", "2024-06-15"], dtype="datetime64[D]")
    assert list(catin.age_years_on(born, wedding)[:2]) == [18.0, 19.0]
    assert np.isnan(catin.age_years_on(born, wedding)[2])


def risks(**given: object) -> catin.CatinRisks:
    values: dict[str, object] = {
        "female": [True],
        "birth_date": np.array(["1999-01-01"], dtype="datetime64[D]"),
        "wedding_on": np.array(["2024-09-01"], dtype="datetime64[D]"),
        "screened_on": np.array(["2024-05-01"], dtype="datetime64[D]"),
        "muac_cm": [25.0],
        "hb_g_dl": [13.0],
        "weight_kg": [55.0],
        "height_cm": [155.0],
    }
    values.update(given)
    return catin.catin_risks(**values)  # type: ignore[arg-type]


def test_a_healthy_bride_screened_in_time_is_not_at_risk() -> None:
    found = risks()
    assert states(found.at_risk) == [False]
    assert states(found.late) == [False]
    assert found.imt_band[0] is ImtBand.NORMAL


def test_a_bride_with_lila_22_has_kek_and_is_at_risk() -> None:
    # Kemenkes: LiLA < 23.5 cm is KEK, for catin as for pregnant women; 23.5 is not KEK.
    assert states(risks(muac_cm=[22.0]).kek) == [True]
    assert states(risks(muac_cm=[22.0]).at_risk) == [True]
    assert states(risks(muac_cm=[23.5]).kek) == [False]


def test_a_grooms_lila_is_not_judged() -> None:
    found = risks(female=[False], muac_cm=[22.0], hb_g_dl=[14.0])
    assert states(found.kek) == [False]
    assert states(found.at_risk) == [False]


def test_a_groom_with_hb_12_5_is_anaemic_a_bride_is_not() -> None:
    # WHO 2011: 12.5 g/dL is mild anaemia in a man (< 13.0), none in a woman (>= 12.0).
    assert states(risks(female=[False], hb_g_dl=[12.5]).anaemic) == [True]
    assert states(risks(female=[True], hb_g_dl=[12.5]).anaemic) == [False]


def test_imt_under_18_5_is_kurus() -> None:
    # Kemenkes P2PTM: kurus < 18.5 kg/m2. 42 kg at 155 cm is 17.5; 44.5 kg is 18.52.
    assert states(risks(weight_kg=[42.0]).kurus) == [True]
    assert states(risks(weight_kg=[44.5]).kurus) == [False]


def test_under_19_at_the_wedding_is_under_the_marriage_age() -> None:
    # UU 16/2019 art. 7(1): marriage is allowed when man and woman are 19.
    day_before = risks(birth_date=np.array(["2005-09-02"], dtype="datetime64[D]"))
    birthday = risks(birth_date=np.array(["2005-09-01"], dtype="datetime64[D]"))
    assert states(day_before.under_marriage_age) == [True]
    assert states(birthday.under_marriage_age) == [False]
    assert states(birthday.terlalu_muda) == [True]  # BKKBN: a wife under 20
    assert states(birthday.at_risk) == [True]


def test_a_groom_of_19_is_not_terlalu_muda() -> None:
    groom = risks(female=[False], birth_date=np.array(["2005-09-01"], dtype="datetime64[D]"))
    assert states(groom.terlalu_muda) == [False]
    assert states(groom.at_risk) == [False]


def test_a_screening_under_3_months_before_the_wedding_is_late() -> None:
    # BKKBN (Elsimil): screened at least 3 months before the wedding.
    in_time = risks(screened_on=np.array(["2024-06-01"], dtype="datetime64[D]"))
    late = risks(screened_on=np.array(["2024-06-02"], dtype="datetime64[D]"))
    assert states(in_time.late) == [False]
    assert states(late.late) == [True]


def test_missing_measures_are_unknown_never_a_guess() -> None:
    nothing = np.array([None], dtype="datetime64[D]")
    found = risks(
        muac_cm=[None],
        hb_g_dl=[None],
        weight_kg=[None],
        birth_date=nothing,
        screened_on=nothing,
    )
    assert states(found.kek) == [None]
    assert states(found.anaemic) == [None]
    assert states(found.kurus) == [None]
    assert states(found.under_marriage_age) == [None]
    assert states(found.late) == [None]
    assert states(found.at_risk) == [None]
