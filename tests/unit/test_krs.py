"""KRS: BKKBN PK21 target family and family at risk of stunting (docs/domain.md §10),
with unknown criteria kept unknown."""

import numpy as np

from tumbuh.growth import krs
from tumbuh.growth.krs import KrsCriterion
from tumbuh.growth.tristate import TriState
from tumbuh.growth.types import MaybeValues


def states(result: TriState) -> list[bool | None]:
    return [None if not k else bool(h) for h, k in zip(result.holds, result.known, strict=True)]


SAFE = {
    "has_safe_drinking_water": True,
    "has_safe_latrine": True,
    "wife_under_20": False,
    "wife_35_or_older": False,
    "birth_spacing_under_2_years": False,
    "more_than_3_children": False,
}


def test_each_pk21_criterion_alone_puts_a_family_at_risk() -> None:
    # BKKBN PK21 (as quoted by BKKBN Sulbar): any one criterion makes the family at risk.
    names = list(SAFE)
    columns = {name: [value] * 7 for name, value in SAFE.items()}
    for row, name in enumerate(names, start=1):
        columns[name][row] = not SAFE[name]  # row 0 is a safe family
    result = krs.assess(**columns)
    assert states(result.at_risk) == [False] + [True] * 6
    assert [result.flags(row) for row in range(7)] == [
        KrsCriterion(0),
        KrsCriterion.NO_SAFE_DRINKING_WATER,
        KrsCriterion.NO_SAFE_LATRINE,
        KrsCriterion.WIFE_UNDER_20,
        KrsCriterion.WIFE_35_OR_OLDER,
        KrsCriterion.BIRTH_SPACING_UNDER_2_YEARS,
        KrsCriterion.MORE_THAN_3_CHILDREN,
    ]


def test_unknown_criteria_leave_the_family_unknown_unless_a_known_one_holds() -> None:
    result = krs.assess(
        has_safe_drinking_water=[None, None, True, None],
        has_safe_latrine=[False, True, True, None],
        wife_under_20=[None, False, False, None],
        wife_35_or_older=[False, False, False, None],
        birth_spacing_under_2_years=[False, False, False, None],
        more_than_3_children=[False, False, False, None],
    )
    # at risk (latrine), unknown (water not assessed), not at risk, nothing assessed
    assert states(result.at_risk) == [True, None, False, None]
    assert result.criteria.tolist() == [int(KrsCriterion.NO_SAFE_LATRINE), 0, 0, 0]
    assert result.unknown[0] == KrsCriterion.NO_SAFE_DRINKING_WATER | KrsCriterion.WIFE_UNDER_20
    assert result.unknown[3] == sum(KrsCriterion)


def test_four_terlalu_group_holds_when_any_terlalu_holds() -> None:
    columns: dict[str, MaybeValues] = {**SAFE, "wife_35_or_older": [True, False, None]}
    result = krs.assess(**columns)
    assert states(result.holds(krs.FOUR_TERLALU)) == [True, False, None]
    assert states(result.holds(KrsCriterion.NO_SAFE_LATRINE)) == [False, False, False]


def test_target_family_needs_a_pus_a_pregnancy_or_a_balita() -> None:
    result = krs.is_target_family(
        has_pus=[True, False, False, False, None, False],
        has_pregnant_woman=[False, True, False, False, False, False],
        has_child_0_23_months=[False, False, True, False, False, False],
        has_child_24_59_months=[False, False, False, True, False, np.nan],
    )
    assert states(result) == [True, True, True, True, None, None]


def test_pus_wife_is_15_to_49() -> None:
    # BKKBN: pasangan usia subur, the wife 15-49 years old.
    assert states(krs.is_pus_age([14, 15, 49, 50, None])) == [False, True, True, False, None]


def test_a_pregnancy_counts_for_the_target_family_while_it_goes_on() -> None:
    # HPHT 1 May 2024, judged on 15 August 2024 (106 days): going on unless it ended on
    # or before that day; a pregnancy never ended but begun 45 weeks (315 days) before is
    # not counted for ever; no HPHT and no end: unknown; an end before the day: no.
    on = np.datetime64("2024-08-15")
    hpht = ["2024-05-01", "2024-05-01", "2024-05-01", "2023-10-05", "2023-10-06", None, None]
    ended = [None, "2024-08-15", "2024-08-16", None, None, None, "2024-08-01"]
    result = krs.pregnant_on(
        np.array(hpht, dtype="datetime64[D]"), np.array(ended, dtype="datetime64[D]"), on=on
    )
    # 2023-10-05 is 315 days before: 45 weeks, no longer counted; 2023-10-06: 314 days
    assert states(result) == [True, False, True, False, True, None, False]


def test_a_pregnancy_not_begun_yet_does_not_count() -> None:
    result = krs.pregnant_on(
        np.array(["2024-09-01"], dtype="datetime64[D]"),
        np.array([None], dtype="datetime64[D]"),
        on=np.datetime64("2024-08-15"),
    )
    assert states(result) == [False]
