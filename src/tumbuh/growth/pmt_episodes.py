"""PMT episodes: the checkpoints of weeks 2, 4 and 8, the progress since the start, how
an episode is closed, and what refuses an enrolment or a closing (docs/pmt.md).

The rules of who may be fed, for how long and when a child has recovered are
:mod:`tumbuh.growth.pmt`'s; this module applies them to one episode:

* **Checkpoints.** The juknis (2023) weighs a child at weeks 2, 4 and 8; the 2025 exit
  rules are judged by day 14, 28 and 56. Tumbuh keeps no separate weighing: a checkpoint
  is the child's ordinary measurement during the episode (after its start day, up to its
  end) nearest the checkpoint's day, each checkpoint within its own window, the windows
  meeting halfway between the days (day 21 and day 42) so that no measurement counts
  twice (:func:`checkpoint_rows`).
* **Closing.** The user says how the episode ended (:class:`Closing`); "completed" is
  judged by :func:`tumbuh.growth.pmt.recovered` with the rules of the episode's version at
  its last checkpoint against its baseline measurement (:func:`completed_exit`).
* **Progress.** z-scores at the last checkpoint minus those at the baseline, and the
  weight gain in g/kg/day between the two weighings (:func:`weight_gain_g_per_kg_day`).

Pure: dates and values come in, no clock; errors are codes with English message
templates (:data:`EPISODE_TEMPLATES`, message ids of the translation catalog).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.cases import Problem
from tumbuh.growth.pmt import (
    NOT_ELIGIBLE,
    PMT_AGE_MONTHS,
    Checkpoint,
    EpisodeExit,
    Indication,
    PmtRules,
    Refusal,
    eligibility,
    recovered,
)
from tumbuh.growth.referrals import ReferralReason
from tumbuh.growth.types import FloatArray, IntArray

CHECKPOINT_DAYS = (14, 28, 56)  # weeks 2, 4 and 8 of an episode
CHECKPOINT_FIRST_DAYS = (1, 21, 42)  # each checkpoint's window starts here (halfway)
START_AHEAD_DAYS = 31  # an episode may be planned to start up to a month ahead
NOTE_MAX = 500  # exit note and override reason
CHILD_INDICATIONS = (Indication.WASTED, Indication.UNDERWEIGHT, Indication.FALTERING)

# The problem of a case (issue 13) that an episode of each indication feeds against.
CASE_PROBLEMS: dict[Indication, Problem] = {
    Indication.WASTED: Problem.WASTING,
    Indication.UNDERWEIGHT: Problem.UNDERWEIGHT,
    Indication.FALTERING: Problem.FALTERING,
}


class Closing(StrEnum):
    """How the user says an episode ended; "completed" becomes recovered or not
    recovered by the rule of the episode's version (:func:`completed_exit`)."""

    COMPLETED = "completed"
    DROPPED_OUT = "dropped_out"
    MOVED = "moved"
    REFERRED = "referred"  # referred for treatment


CLOSING_EXITS: dict[Closing, EpisodeExit] = {
    Closing.DROPPED_OUT: EpisodeExit.DROPPED_OUT,
    Closing.MOVED: EpisodeExit.MOVED,
    Closing.REFERRED: EpisodeExit.REFERRED,
}


def checkpoint_rows(days: ArrayLike) -> IntArray:
    """Per checkpoint of :data:`CHECKPOINT_DAYS`: the index in ``days`` (each measurement's
    day since the episode's start, 0 the start day) of the measurement nearest that day
    within the checkpoint's window, -1 when the window holds none. Days before day 1
    belong to no checkpoint; of two equally near, the earlier day wins, and of two on one
    day the later entry (the higher index)."""
    day = np.asarray(days, dtype=np.float64)
    ends = (*CHECKPOINT_FIRST_DAYS[1:], np.inf)
    found = np.full(len(CHECKPOINT_DAYS), -1, dtype=np.int64)
    for k, (target, first, end) in enumerate(
        zip(CHECKPOINT_DAYS, CHECKPOINT_FIRST_DAYS, ends, strict=True)
    ):
        with np.errstate(invalid="ignore"):
            inside = np.flatnonzero((day >= first) & (day < end))
        if inside.size:
            # lexsort: the last key sorts first (distance, then day, then the later entry)
            order = np.lexsort((-inside, day[inside], np.abs(day[inside] - target)))
            found[k] = inside[order[0]]
    return found


def last_checkpoint(rows: IntArray) -> int:
    """The row of the latest checkpoint that has a measurement (-1: none)."""
    taken = [int(r) for r in np.asarray(rows).tolist() if r >= 0]
    return taken[-1] if taken else -1


def weight_gain_g_per_kg_day(
    start_weight_kg: ArrayLike, weight_kg: ArrayLike, days: ArrayLike
) -> FloatArray:
    """Weight gain in grams per kilogram of the first weight per day, the unit of recovery
    from wasting: (weight - start weight) x 1000 / start weight / days. NaN where a weight
    is missing or not positive, or the days are not positive."""
    before = np.asarray(start_weight_kg, dtype=np.float64)
    after = np.asarray(weight_kg, dtype=np.float64)
    span = np.asarray(days, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = (before > 0) & (after > 0) & (span > 0)
        gain: FloatArray = np.where(usable, (after - before) * 1000.0 / before / span, np.nan)
    return gain


def completed_exit(rules: PmtRules, indication: Indication, at: Checkpoint) -> EpisodeExit | None:
    """The exit of one completed episode (``at`` holds one element): recovered or not by
    the rule of ``rules`` at its last checkpoint; None when a value the rule needs is
    missing (no checkpoint, a flagged z-score, a weight not taken)."""
    verdict = recovered(rules, indication, at)
    value = float(np.asarray(verdict).reshape(-1)[0])
    if np.isnan(value):
        return None
    return EpisodeExit.RECOVERED if value == 1.0 else EpisodeExit.NOT_RECOVERED


def override_indication(reasons: int) -> Indication | None:
    """The indication a child refused by a rule is fed under when a user overrides the
    refusal: that of its reasons as if it were of age, gizi buruk counted as gizi kurang;
    None when its reasons give none (the user then chooses one)."""
    mask = int(reasons)
    severe = ReferralReason.SEVERE_WASTING.bit
    if mask & severe:
        mask = (mask & ~severe) | ReferralReason.WASTED.bit
    indication, _ = eligibility([mask], [PMT_AGE_MONTHS[0]])
    code = int(indication[0])
    return None if code == NOT_ELIGIBLE else list(Indication)[code]


def linked_case(problems: Sequence[Problem], indication: Indication) -> int:
    """Which of a child's open cases (their problems, most severe first) an episode of
    ``indication`` links: the case of the indication's problem (:data:`CASE_PROBLEMS`),
    else the most severe one; -1 when the child has none."""
    wanted = CASE_PROBLEMS.get(indication)
    if wanted is not None and wanted in problems:
        return list(problems).index(wanted)
    return 0 if problems else -1


def planned_end(started_on: date, planned_days: int) -> date:
    """The last planned day of feeding (the start day is day 1 of ``planned_days``)."""
    return started_on + timedelta(days=planned_days - 1)


class EpisodeProblem(StrEnum):
    """Why an enrolment or a closing is refused."""

    REFUSED_AGE = "refused_age"
    REFUSED_SEVERE = "refused_severe"
    REFUSED_NO_INDICATION = "refused_no_indication"
    ALREADY_ENROLLED = "already_enrolled"
    NEEDS_INDICATION = "needs_indication"
    INDICATION_DIFFERS = "indication_differs"
    NO_CHILD = "no_child"
    NOT_FOUND = "not_found"
    MISSING = "missing"
    NOT_A_DATE = "not_a_date"
    NOT_A_CHOICE = "not_a_choice"
    DATE_IN_FUTURE = "date_in_future"
    START_BEFORE_BASELINE = "start_before_baseline"
    END_BEFORE_START = "end_before_start"
    TOO_LONG = "too_long"
    NO_CHECKPOINT = "no_checkpoint"
    ALREADY_ENDED = "already_ended"
    # a pregnant woman with KEK (tumbuh.growth.pmt_bumil)
    REFUSED_PREGNANCY_ENDED = "refused_pregnancy_ended"
    REFUSED_NO_MUAC = "refused_no_muac"
    REFUSED_NOT_KEK = "refused_not_kek"
    NO_PREGNANCY = "no_pregnancy"
    START_BEFORE_K1 = "start_before_k1"
    NO_END_MUAC = "no_end_muac"
    MUAC_OUT_OF_RANGE = "muac_out_of_range"


REFUSAL_PROBLEMS: dict[Refusal, EpisodeProblem] = {
    Refusal.AGE: EpisodeProblem.REFUSED_AGE,
    Refusal.SEVERE: EpisodeProblem.REFUSED_SEVERE,
    Refusal.NO_INDICATION: EpisodeProblem.REFUSED_NO_INDICATION,
}
_OVERRIDE = "To enrol anyway, give the reason for the exception"
EPISODE_TEMPLATES: dict[EpisodeProblem, str] = {
    EpisodeProblem.REFUSED_AGE: (
        "{field}: {value} months old; PMT lokal is for children of {accepted} months "
        "(rule: age). " + _OVERRIDE
    ),
    EpisodeProblem.REFUSED_SEVERE: (
        "{field}: gizi buruk on the month's lists ({value}); a child with gizi buruk goes "
        "to clinical care, never to PMT (rule: gizi buruk). " + _OVERRIDE
    ),
    EpisodeProblem.REFUSED_NO_INDICATION: (
        "{field}: no gizi kurang, BB sangat kurang, BB kurang, T or 2T on the month's lists "
        "(rule: no indication; reasons this month: {value}). " + _OVERRIDE
    ),
    EpisodeProblem.ALREADY_ENROLLED: (
        "{field}: already has an open PMT episode (number {value}, since {accepted}); "
        "close it before enrolling the child again"
    ),
    EpisodeProblem.NEEDS_INDICATION: (
        "{field}: the month's lists give no indication; choose one of: {accepted}"
    ),
    EpisodeProblem.INDICATION_DIFFERS: (
        "{field}: '{value}' differs from the indication of the month's lists, {accepted}; "
        "leave it empty or choose {accepted}"
    ),
    EpisodeProblem.NO_CHILD: "{field}: choose at least one child",
    EpisodeProblem.NOT_FOUND: (
        "{field}: '{value}' is not one you can choose; accepted: {accepted}"
    ),
    EpisodeProblem.MISSING: "{field}: a value is needed; accepted: {accepted}",
    EpisodeProblem.NOT_A_DATE: (
        "{field}: '{value}' is not a date; write it as {accepted}, for example 2024-08-17"
    ),
    EpisodeProblem.NOT_A_CHOICE: (
        "{field}: '{value}' is not one of the values accepted: {accepted}"
    ),
    EpisodeProblem.DATE_IN_FUTURE: (
        "{field}: {value} is too far ahead; give a date up to {accepted}"
    ),
    EpisodeProblem.START_BEFORE_BASELINE: (
        "{field}: {value} is before the measurement the child was found eligible on "
        "({accepted}); start on that day or later"
    ),
    EpisodeProblem.END_BEFORE_START: (
        "{field}: {value} is before the episode's start ({accepted}); give a later date"
    ),
    EpisodeProblem.TOO_LONG: (
        "{field}: the text is {value} characters long; write at most {accepted}"
    ),
    EpisodeProblem.NO_CHECKPOINT: (
        "{field}: 'completed' is judged on a measurement during the episode with {value} "
        "and the weight, by the rules of {accepted}; enter that measurement first, or "
        "choose another way the episode ended"
    ),
    EpisodeProblem.ALREADY_ENDED: "{field}: the episode already ended on {value}",
    EpisodeProblem.REFUSED_PREGNANCY_ENDED: (
        "{field}: the pregnancy ended on {value}; PMT for a pregnant woman with KEK feeds "
        "the pregnancy"
    ),
    EpisodeProblem.REFUSED_NO_MUAC: (
        "{field}: no LiLA is recorded for this pregnancy, so KEK is not known; record the "
        "LiLA at an ANC visit first"
    ),
    EpisodeProblem.REFUSED_NOT_KEK: (
        "{field}: the latest LiLA is {value} cm; PMT for a pregnant woman is for KEK, a "
        "LiLA under {accepted} cm"
    ),
    EpisodeProblem.NO_PREGNANCY: "{field}: choose at least one pregnant woman",
    EpisodeProblem.START_BEFORE_K1: (
        "{field}: {value} is before the pregnancy's first visit ({accepted}); start on "
        "that day or later"
    ),
    EpisodeProblem.NO_END_MUAC: (
        "{field}: 'completed' is judged on the LiLA at the end; write the LiLA in cm, or "
        "choose another way the episode ended"
    ),
    EpisodeProblem.MUAC_OUT_OF_RANGE: (
        "{field}: '{value}' is not a LiLA in cm; write a number from {accepted}, for example 23,5"
    ),
}


@dataclass(frozen=True)
class EpisodeError:
    """One refused field or child: the problem, the field (a form field's name, or the
    child's name for a child's refusal), the value given and what is accepted."""

    problem: EpisodeProblem
    field: str
    value: str
    accepted: str


def closing_errors(
    started_on: date, ended_on: date, note: str | None, *, today: date, ended: date | None
) -> list[EpisodeError]:
    """Every reason to refuse closing an episode that started on ``started_on`` (and
    ``ended`` already, or None) on ``ended_on`` with ``note``."""
    if ended is not None:
        return [EpisodeError(EpisodeProblem.ALREADY_ENDED, "closing", ended.isoformat(), "")]
    errors: list[EpisodeError] = []
    text = ended_on.isoformat()
    if ended_on > today:
        errors.append(
            EpisodeError(EpisodeProblem.DATE_IN_FUTURE, "ended_on", text, today.isoformat())
        )
    if ended_on < started_on:
        errors.append(
            EpisodeError(EpisodeProblem.END_BEFORE_START, "ended_on", text, started_on.isoformat())
        )
    if note is not None and len(note) > NOTE_MAX:
        errors.append(EpisodeError(EpisodeProblem.TOO_LONG, "note", str(len(note)), str(NOTE_MAX)))
    return errors


def start_errors(started_on: date, baseline_on: date | None, *, today: date) -> list[EpisodeError]:
    """Reasons to refuse a start day: after the eligible measurement, and at most
    :data:`START_AHEAD_DAYS` ahead of today."""
    latest = today + timedelta(days=START_AHEAD_DAYS)
    text = started_on.isoformat()
    if started_on > latest:
        return [EpisodeError(EpisodeProblem.DATE_IN_FUTURE, "started_on", text, latest.isoformat())]
    if baseline_on is not None and started_on < baseline_on:
        return [
            EpisodeError(
                EpisodeProblem.START_BEFORE_BASELINE, "started_on", text, baseline_on.isoformat()
            )
        ]
    return []
