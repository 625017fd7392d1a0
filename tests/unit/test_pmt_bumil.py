"""PMT lokal for pregnant women with KEK: eligibility, the last day of feeding and
recovery (docs/domain.md §6 and §14; juknis PMT lokal Kemenkes, April 2023: a pregnant
woman with KEK, LiLA under 23.5 cm, is fed for at least 120 days)."""

from datetime import date

import numpy as np

from tumbuh.growth.pmt import Indication, rules_for
from tumbuh.growth.pmt_bumil import (
    BumilRefusal,
    bumil_eligibility,
    bumil_last_day,
    bumil_recovered,
    latest_muac,
)


def test_an_open_pregnancy_with_a_lila_under_23_5_cm_is_eligible() -> None:
    # Kemenkes: KEK is LiLA < 23.5 cm, so 23.4 is eligible and 23.5 is not.
    refusals = bumil_eligibility(
        ended=[False, False, False], muac_cm=[22.0, 23.4, 23.5], enrolled=[False] * 3
    )
    assert refusals.tolist() == [BumilRefusal.NONE, BumilRefusal.NONE, BumilRefusal.NOT_KEK]


def test_an_ended_pregnancy_unknown_lila_or_an_open_episode_is_refused() -> None:
    refusals = bumil_eligibility(
        ended=[True, False, False, True],
        muac_cm=[21.0, np.nan, 21.0, np.nan],
        enrolled=[False, False, True, True],
    )
    assert refusals.tolist() == [
        BumilRefusal.ENDED,  # born already: PMT bumil feeds the pregnancy
        BumilRefusal.NO_MUAC,  # no LiLA: KEK unknown, never guessed
        BumilRefusal.ENROLLED,  # one open episode at a time
        BumilRefusal.ENDED,  # the first refusal in order wins
    ]


def test_the_latest_lila_is_the_last_visits_else_the_registrations() -> None:
    visits = [(date(2024, 5, 2), 23.8), (date(2024, 3, 1), 22.1)]
    assert latest_muac(22.1, visits) == 23.8  # out of order: the later day counts
    assert latest_muac(22.6, []) == 22.6
    assert np.isnan(latest_muac(None, []))


def test_the_juknis_2023_plans_120_days_for_a_pregnant_woman_with_kek() -> None:
    assert rules_for(2023).planned_days[Indication.PREGNANT_KEK] == 120
    assert rules_for(2025).planned_days[Indication.PREGNANT_KEK] == 120


def test_feeding_ends_after_the_planned_days_or_the_day_before_birth() -> None:
    start = date(2024, 3, 1)
    # 120 days with day 1 the start: 1 March + 119 days = 28 June 2024 (a leap year)
    assert bumil_last_day(start, 120, None) == date(2024, 6, 28)
    assert bumil_last_day(start, 120, date(2024, 9, 1)) == date(2024, 6, 28)
    assert bumil_last_day(start, 120, date(2024, 5, 10)) == date(2024, 5, 9)
    assert bumil_last_day(start, 120, date(2024, 2, 20)) == start  # never before the start


def test_recovered_when_the_end_lila_is_23_5_cm_or_more() -> None:
    result = bumil_recovered([23.5, 24.1, 23.4, np.nan])
    assert result[:3].tolist() == [1.0, 1.0, 0.0]
    assert np.isnan(result[3])
