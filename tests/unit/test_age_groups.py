"""Age groups of balita: baduta 0-23 and balita 24-59 completed months (Permenkes 2/2020
counts age in completed months; docs/glossary.md, docs/methods-prevalence.md)."""

from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tumbuh.growth.age_split import SPLIT_GROUPS, counted_age_group
from tumbuh.growth.ages import AgeGroup, age_group, completed_months

BADUTA, OLDER = 0, 1  # indices into SPLIT_GROUPS


def test_the_split_groups_are_baduta_then_24_to_59() -> None:
    assert SPLIT_GROUPS == (AgeGroup.BADUTA, AgeGroup.BALITA_24_59)


def test_counted_age_group_edges_in_completed_months() -> None:
    months = [0, 23, 24, 59, -1, np.nan, 61, 200]
    assert counted_age_group(months).tolist() == [BADUTA, BADUTA, OLDER, OLDER, -1, -1, -1, -1]


def test_counted_age_group_from_birth_dates_counts_completed_months() -> None:
    # 2 years less one day is 23 completed months: still a baduta; the second birthday is 24.
    born = np.array(["2022-08-16", "2022-08-15"], dtype="datetime64[D]")
    on = np.array(["2024-08-15", "2024-08-15"], dtype="datetime64[D]")
    assert counted_age_group(completed_months(born, on)).tolist() == [BADUTA, OLDER]


def test_a_fifth_birthday_on_day_1826_counts_with_24_to_59() -> None:
    # 1 Mar 2021 to 1 Mar 2026 holds one 29 February: 1826 days, anthro's last scored
    # day, yet 60 completed months (docs/methods-prevalence.md, "Age groups").
    born, on = date(2021, 3, 1), date(2026, 3, 1)
    assert (on - born).days == 1826
    months = completed_months(np.array([born], "datetime64[D]"), np.array([on], "datetime64[D]"))
    assert months.tolist() == [60]
    assert age_group(months).tolist() == [None]  # not a balita by the programme's rule
    assert counted_age_group(months).tolist() == [OLDER]


def test_counted_age_group_keeps_missing_ages_out() -> None:
    assert counted_age_group([np.nan, -1.0, 61.0]).tolist() == [-1, -1, -1]


@given(st.lists(st.integers(0, 59), min_size=1, max_size=50))
def test_every_balita_age_falls_in_the_group_of_age_group(months: list[int]) -> None:
    groups = counted_age_group(months)
    assert [SPLIT_GROUPS[g] for g in groups.tolist()] == age_group(months).tolist()
