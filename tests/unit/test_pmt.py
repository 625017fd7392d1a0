"""PMT lokal rules (docs/domain.md §6): eligibility, planned days per version and the exit
rules per version, on children worked out by hand.

Sources: Kemenkes juknis PMT lokal (April 2023) and its 2024 revision for eligibility and
duration; the 2022 pilot for the first exit rule (WHZ at least -2 with a gain); the 2025
Kemenkes socialisation (via a summary, provisional) for WHZ > -2 by week 8, WAZ > -2 by
week 4 and a WAZ rise of more than 0.1 by week 2.
"""

import numpy as np
import pytest

from tumbuh.growth.pmt import (
    NOT_ELIGIBLE,
    RULES,
    Checkpoint,
    Indication,
    Refusal,
    adherence,
    eligibility,
    recovered,
    rules_for,
)
from tumbuh.growth.referrals import ReferralReason as R

NAN = float("nan")


def test_who_is_eligible_and_why_not() -> None:
    masks = [
        R.WASTED.bit,  # gizi kurang
        R.BGM.bit | R.STUNTED.bit,  # BB sangat kurang, stunted too: still PMT
        R.UNDERWEIGHT.bit,
        R.T.bit,
        R.TWO_T.bit | R.UNDERWEIGHT.bit,  # BB kurang comes first
        R.SEVERE_WASTING.bit | R.UNDERWEIGHT.bit,  # gizi buruk: clinical care, never PMT
        R.STUNTED.bit,  # stunting alone is no PMT indication
        R.WASTED.bit,  # 5 months: too young
        R.WASTED.bit,  # 60 months: too old
        R.WASTED.bit,  # age unknown
    ]
    ages = [6, 30, 12, 59, 24, 18, 40, 5, 60, NAN]
    indication, refusal = eligibility(masks, ages)
    wasted, under, falter = (i.code for i in list(Indication)[:3])
    no = NOT_ELIGIBLE
    assert indication.tolist() == [wasted, under, under, falter, under, no, no, no, no, no]
    refused = [Refusal.SEVERE, Refusal.NO_INDICATION, Refusal.AGE, Refusal.AGE, Refusal.AGE]
    assert refusal.tolist() == [0, 0, 0, 0, 0, *refused]


@pytest.mark.parametrize(
    ("year", "version", "wasted", "underweight", "kek"),
    [
        (2021, "2022", 90, 14, None),  # before the first version: the first
        (2022, "2022", 90, 14, None),
        (2023, "2023", 56, 28, 120),
        (2024, "2023", 56, 28, 120),
        (2025, "2025", 56, 14, 120),
        (2026, "2025", 56, 14, 120),
    ],
)
def test_planned_days_follow_the_version_of_the_year(
    year: int, version: str, wasted: int, underweight: int, kek: int | None
) -> None:
    rules = rules_for(year)
    assert rules.version == version
    assert rules.planned_days[Indication.WASTED] == wasted
    assert rules.planned_days[Indication.UNDERWEIGHT] == underweight
    assert rules.planned_days[Indication.FALTERING] == 14
    assert rules.planned_days[Indication.PREGNANT_KEK] == kek


def _at(day: list[float], start: list[float], z: list[float], kg: list[float]) -> Checkpoint:
    return Checkpoint(day, start, z, [10.0] * len(day), kg)


def test_gizi_kurang_recovers_by_week_8_in_2025_and_with_a_gain_in_2022() -> None:
    at = _at(
        day=[56, 56, 57, 30, 56],
        start=[-2.6] * 5,
        z=[-1.9, -2.0, -1.5, -1.9, NAN],
        kg=[10.4, 10.4, 10.4, 9.9, 10.4],
    )
    # 2025: WHZ above -2 (not at -2) by day 56; a later checkpoint is too late
    assert recovered(RULES["2025"], Indication.WASTED, at).tolist()[:4] == [1.0, 0.0, 0.0, 1.0]
    # 2022: WHZ at least -2 with a gain, whenever measured (day 30 lost weight: no)
    got = recovered(RULES["2022"], Indication.WASTED, at)
    assert got.tolist()[:4] == [1.0, 1.0, 1.0, 0.0]
    assert np.isnan(got[4])  # no WHZ at the checkpoint: undecided


def test_underweight_by_week_4_and_t_by_a_rise_over_0_1_by_week_2() -> None:
    under = _at(day=[28, 29], start=[-2.4, -2.4], z=[-1.95, -1.95], kg=[10.2, 10.2])
    assert recovered(RULES["2025"], Indication.UNDERWEIGHT, under).tolist() == [1.0, 0.0]
    t = _at(day=[14, 14, 15], start=[-1.0, -1.0, -1.0], z=[-0.85, -0.9, -0.8], kg=[10.1] * 3)
    # -0.9 - (-1.0) is 0.1 in decimal but not in binary floating point: only clearly above counts
    assert recovered(RULES["2025"], Indication.FALTERING, t).tolist()[0] == 1.0
    assert recovered(RULES["2025"], Indication.FALTERING, t).tolist()[2] == 0.0  # day 15


def test_adherence_is_days_served_over_days_planned() -> None:
    assert adherence([56, 28, 3], [56, 56, 0])[:2].tolist() == [1.0, 0.5]
    assert np.isnan(adherence([3], [0])[0])
