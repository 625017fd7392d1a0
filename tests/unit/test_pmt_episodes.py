"""One PMT episode (docs/pmt.md): checkpoints of weeks 2, 4 and 8 among the child's
ordinary measurements, the weight gain in g/kg/day, and "completed" judged by the exit
rule of the episode's version (2022, 2023, 2025: docs/domain.md §6; the rules
themselves are tested in test_pmt.py), on episodes worked out by hand."""

from datetime import date

import numpy as np
import pytest

from tumbuh.growth.cases import Problem
from tumbuh.growth.pmt import RULES, Checkpoint, EpisodeExit, Indication
from tumbuh.growth.pmt_episodes import (
    EpisodeProblem,
    checkpoint_rows,
    closing_errors,
    completed_exit,
    last_checkpoint,
    linked_case,
    override_indication,
    planned_end,
    start_errors,
    weight_gain_g_per_kg_day,
)
from tumbuh.growth.referrals import ReferralReason as R

NAN = float("nan")


def test_each_checkpoint_takes_the_measurement_nearest_its_day_in_its_window() -> None:
    # days since the start: 0 is the start day itself (no checkpoint), 12 and 16 are
    # both 2 or 4 days from day 14, so the earlier wins; 30 is week 4's; 40 is nearer
    # day 28 than day 56 but 45 and 61 are week 8's, 61 is 5 from 56, 45 is 11.
    rows = checkpoint_rows([0, 12, 16, 30, 40, 45, 61])
    assert rows.tolist() == [1, 3, 6]
    assert last_checkpoint(rows) == 6


def test_windows_meet_halfway_and_a_missing_checkpoint_is_minus_one() -> None:
    assert checkpoint_rows([20]).tolist() == [0, -1, -1]  # day 20: still week 2
    assert checkpoint_rows([21]).tolist() == [-1, 0, -1]  # day 21: week 4
    assert checkpoint_rows([41, 42]).tolist() == [-1, 0, 1]
    assert checkpoint_rows([]).tolist() == [-1, -1, -1]
    assert last_checkpoint(checkpoint_rows([-3, 0])) == -1


def test_two_measurements_on_one_day_the_later_entry_counts() -> None:
    assert checkpoint_rows([14, 14]).tolist() == [1, -1, -1]


def test_weight_gain_is_grams_per_kilogram_of_the_first_weight_per_day() -> None:
    # 8.0 kg -> 8.56 kg in 28 days: 560 g / 8 kg / 28 days = 2.5 g/kg/day.
    gain = weight_gain_g_per_kg_day([8.0, 8.0, NAN, 8.0], [8.56, 7.8, 9.0, 9.0], [28, 20, 10, 0])
    assert gain[0] == pytest.approx(2.5)
    assert gain[1] == pytest.approx(-200 / 8 / 20)
    assert np.isnan(gain[2:]).all()


def _one(day: int, start_z: float, z: float, start_kg: float, kg: float) -> Checkpoint:
    return Checkpoint([day], [start_z], [z], [start_kg], [kg])


@pytest.mark.parametrize(
    ("version", "at", "expected"),
    [
        # gizi kurang, WHZ -2.6 -> -1.9 by day 56 with a gain: recovered in every version.
        ("2022", _one(56, -2.6, -1.9, 8.0, 8.6), EpisodeExit.RECOVERED),
        ("2023", _one(56, -2.6, -1.9, 8.0, 8.6), EpisodeExit.RECOVERED),
        ("2025", _one(56, -2.6, -1.9, 8.0, 8.6), EpisodeExit.RECOVERED),
        # WHZ exactly -2: "at least -2" (2022 pilot, kept in 2023), not "above -2" (2025).
        ("2023", _one(56, -2.6, -2.0, 8.0, 8.6), EpisodeExit.RECOVERED),
        ("2025", _one(56, -2.6, -2.0, 8.0, 8.6), EpisodeExit.NOT_RECOVERED),
        # Recovered but weighed on day 60: too late for 2025's "by week 8".
        ("2023", _one(60, -2.6, -1.9, 8.0, 8.6), EpisodeExit.RECOVERED),
        ("2025", _one(60, -2.6, -1.9, 8.0, 8.6), EpisodeExit.NOT_RECOVERED),
        # No weight gain: 2022/2023 need one, 2025 does not.
        ("2022", _one(56, -2.6, -1.9, 8.0, 7.9), EpisodeExit.NOT_RECOVERED),
        ("2025", _one(56, -2.6, -1.9, 8.0, 7.9), EpisodeExit.RECOVERED),
        # Weight not taken at the checkpoint: 2023 cannot judge the gain, 2025 can judge.
        ("2023", _one(56, -2.6, -1.9, 8.0, NAN), None),
        ("2025", _one(56, -2.6, -1.9, 8.0, NAN), EpisodeExit.RECOVERED),
        # WHZ flagged (missing) at the checkpoint: no verdict in any version.
        ("2022", _one(56, -2.6, NAN, 8.0, 8.6), None),
    ],
)
def test_a_completed_gizi_kurang_episode_is_judged_by_its_version(
    version: str, at: Checkpoint, expected: EpisodeExit | None
) -> None:
    assert completed_exit(RULES[version], Indication.WASTED, at) is expected


@pytest.mark.parametrize(
    ("version", "rise", "expected"),
    [
        ("2023", 0.05, EpisodeExit.RECOVERED),  # T: WAZ rose, with a gain
        ("2025", 0.05, EpisodeExit.NOT_RECOVERED),  # T: needs a rise of more than 0.1
        ("2025", 0.15, EpisodeExit.RECOVERED),
        ("2022", 0.0, EpisodeExit.NOT_RECOVERED),  # no rise at all
    ],
)
def test_a_completed_faltering_episode_needs_the_waz_rise_of_its_version(
    version: str, rise: float, expected: EpisodeExit
) -> None:
    at = _one(14, -1.5, -1.5 + rise, 9.0, 9.2)
    assert completed_exit(RULES[version], Indication.FALTERING, at) is expected


def test_bb_kurang_must_be_above_minus_2_by_week_4_in_2025() -> None:
    early, late = _one(28, -2.4, -1.8, 9.0, 9.5), _one(35, -2.4, -1.8, 9.0, 9.5)
    assert completed_exit(RULES["2025"], Indication.UNDERWEIGHT, early) is EpisodeExit.RECOVERED
    assert completed_exit(RULES["2025"], Indication.UNDERWEIGHT, late) is (
        EpisodeExit.NOT_RECOVERED
    )
    assert completed_exit(RULES["2023"], Indication.UNDERWEIGHT, late) is EpisodeExit.RECOVERED


def test_an_overridden_refusal_is_fed_under_the_indication_its_reasons_would_give() -> None:
    assert override_indication(R.SEVERE_WASTING.bit | R.BGM.bit) is Indication.WASTED
    assert override_indication(R.UNDERWEIGHT.bit) is Indication.UNDERWEIGHT  # age refusal
    assert override_indication(R.T.bit | R.STUNTED.bit) is Indication.FALTERING
    assert override_indication(R.STUNTED.bit) is None  # the user chooses


def test_the_case_of_the_indications_problem_is_linked_first() -> None:
    open_cases = [Problem.UNDERWEIGHT, Problem.WASTING, Problem.STUNTING]
    assert linked_case(open_cases, Indication.WASTED) == 1
    assert linked_case(open_cases, Indication.FALTERING) == 0  # none of 2T: the most severe
    assert linked_case([], Indication.WASTED) == -1


def test_the_planned_end_counts_the_start_day_as_day_one() -> None:
    assert planned_end(date(2024, 9, 2), 14) == date(2024, 9, 15)
    assert planned_end(date(2024, 9, 2), 56) == date(2024, 10, 27)


def test_a_closing_is_refused_before_the_start_in_the_future_or_twice() -> None:
    start, today = date(2024, 9, 2), date(2024, 10, 1)
    [early] = closing_errors(start, date(2024, 9, 1), None, today=today, ended=None)
    assert (early.problem, early.field, early.accepted) == (
        EpisodeProblem.END_BEFORE_START,
        "ended_on",
        "2024-09-02",
    )
    [future] = closing_errors(start, date(2024, 10, 2), None, today=today, ended=None)
    assert future.problem is EpisodeProblem.DATE_IN_FUTURE
    [long] = closing_errors(start, today, "x" * 501, today=today, ended=None)
    assert (long.problem, long.value, long.accepted) == (EpisodeProblem.TOO_LONG, "501", "500")
    [twice] = closing_errors(start, today, None, today=today, ended=date(2024, 9, 20))
    assert (twice.problem, twice.value) == (EpisodeProblem.ALREADY_ENDED, "2024-09-20")
    assert closing_errors(start, start, "selesai", today=today, ended=None) == []


def test_a_start_is_refused_before_the_eligible_measurement_or_over_a_month_ahead() -> None:
    today = date(2024, 9, 30)
    [before] = start_errors(date(2024, 8, 10), date(2024, 8, 15), today=today)
    assert (before.problem, before.accepted) == (
        EpisodeProblem.START_BEFORE_BASELINE,
        "2024-08-15",
    )
    [ahead] = start_errors(date(2024, 11, 1), date(2024, 8, 15), today=today)
    assert (ahead.problem, ahead.accepted) == (EpisodeProblem.DATE_IN_FUTURE, "2024-10-31")
    assert start_errors(date(2024, 10, 31), None, today=today) == []
