"""Which questions of a young child's month apply at its age, the vitamin A capsule and the
day of complete basic immunisation (docs/domain.md §14, "A child's month"); each test names
the source of its ages."""

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

from tumbuh.growth.child_months import (
    ImmunisationDay,
    MonthQuestion,
    VitaminACapsule,
    ages_in_month,
    asked_at,
    capsule_in_month,
    immunisation_day_problem,
    questions_in_month,
    vitamin_a_capsule,
)

Q = MonthQuestion


def asked(question: MonthQuestion, ages: Sequence[float], calendar_month: int = 5) -> list[bool]:
    return [bool(a) for a in asked_at(question, ages, calendar_month)]


def test_exclusive_breastfeeding_is_asked_at_0_to_5_completed_months() -> None:
    # Buku KIA 2020 / Perpres 72/2021 Annex A: ASI eksklusif of infants 0-5 months.
    assert asked(Q.EXCLUSIVE_BREASTFEEDING, [0, 5, 6, 8, np.nan]) == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_mp_asi_is_asked_at_6_to_23_completed_months() -> None:
    # Perpres 72/2021 Annex A: MP-ASI of children 6-23 months; 24 months is no baduta.
    assert asked(Q.COMPLEMENTARY_FEEDING, [5, 6, 23, 24, np.nan]) == [
        False,
        True,
        True,
        False,
        False,
    ]


@pytest.mark.parametrize(("calendar_month", "given"), [(2, True), (8, True), (3, False)])
def test_vitamin_a_is_asked_in_february_and_august(calendar_month: int, given: bool) -> None:
    # Kemenkes, vitamin A supplementation: the capsule months are February and August.
    assert asked(Q.VITAMIN_A, [8], calendar_month) == [given]


def test_vitamin_a_is_asked_at_6_to_59_months() -> None:
    # Kemenkes: blue capsules from 6 months, red up to 59 months; none under 6 months.
    assert asked(Q.VITAMIN_A, [5, 6, 59, 60], 8) == [False, True, True, False]


def test_the_capsule_is_blue_at_6_to_11_months_and_red_at_12_to_59() -> None:
    # Kemenkes: blue 100,000 IU at 6-11 months, red 200,000 IU at 12-59 months.
    assert list(vitamin_a_capsule([5, 6, 11, 12, 59, 60])) == [
        None,
        VitaminACapsule.BLUE,
        VitaminACapsule.BLUE,
        VitaminACapsule.RED,
        VitaminACapsule.RED,
        None,
    ]


def test_kpsp_is_asked_at_the_screening_ages_only() -> None:
    # SDIDTK (Kemenkes 2016): KPSP at 3, 6, 9, ..., 24 months, then every 6 months to 72.
    ages = [2, 3, 4, 21, 24, 27, 30, 66, 72, 75]
    assert asked(Q.KPSP, ages) == [False, True, False, True, True, False, True, True, True, False]


def test_a_child_has_two_ages_in_a_month_it_turns_a_month_older() -> None:
    # Completed months (Permenkes 2/2020): born 15 January, 4 on 1 June, 5 from 15 June.
    assert ages_in_month(date(2024, 1, 15), date(2024, 6, 1)) == (4, 5)
    # born on the 1st: the same age all month
    assert ages_in_month(date(2024, 1, 1), date(2024, 6, 1)) == (5, 5)


def test_a_4_month_old_is_asked_about_asi_eksklusif_not_mp_asi() -> None:
    # 4 completed months all May 2025 (born 1 January): ASI eksklusif only.
    assert questions_in_month(date(2025, 1, 1), date(2025, 5, 1)) == (Q.EXCLUSIVE_BREASTFEEDING,)


def test_the_month_a_child_turns_6_asks_both_feeding_questions() -> None:
    # born 20 February: 5 months on 1 August, 6 from 20 August (August: vitamin A too;
    # 6 months is a KPSP age).
    assert questions_in_month(date(2024, 2, 20), date(2024, 8, 1)) == (
        Q.EXCLUSIVE_BREASTFEEDING,
        Q.COMPLEMENTARY_FEEDING,
        Q.VITAMIN_A,
        Q.KPSP,
    )


def test_an_8_month_old_in_february_is_asked_mp_asi_and_vitamin_a() -> None:
    assert questions_in_month(date(2024, 6, 1), date(2025, 2, 1)) == (
        Q.COMPLEMENTARY_FEEDING,
        Q.VITAMIN_A,
    )


def test_a_month_before_the_birth_asks_nothing() -> None:
    assert questions_in_month(date(2025, 3, 10), date(2025, 1, 1)) == ()


def test_the_capsule_turns_red_in_the_month_of_the_first_birthday() -> None:
    # born 10 August 2023: 11 months on 1 August 2024, 12 from 10 August: red.
    assert capsule_in_month(date(2023, 8, 10), date(2024, 8, 1)) is VitaminACapsule.RED
    assert capsule_in_month(date(2024, 1, 1), date(2024, 8, 1)) is VitaminACapsule.BLUE
    assert capsule_in_month(date(2024, 1, 1), date(2024, 9, 1)) is None


def test_the_day_of_complete_immunisation_lies_between_birth_and_today() -> None:
    born, today = date(2024, 3, 5), date(2025, 1, 10)
    assert immunisation_day_problem(date(2024, 3, 4), born, today) is ImmunisationDay.BEFORE_BIRTH
    assert immunisation_day_problem(date(2024, 3, 5), born, today) is None  # HB-0 at birth
    assert immunisation_day_problem(date(2025, 1, 10), born, today) is None
    assert immunisation_day_problem(date(2025, 1, 11), born, today) is ImmunisationDay.IN_FUTURE
