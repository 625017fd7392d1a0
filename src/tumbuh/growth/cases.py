"""Cases: a child's nutrition problem followed from referral to its end (docs/cases.md).

A child on the month's referral list opens one **case** per problem (one open case per
child and problem). A case walks through the statuses of :class:`CaseStatus`:
perlu dirujuk -> dirujuk (date, where to) -> diperiksa (the puskesmas's findings, the
*rujukan balik*) -> ditangani (intervention) -> selesai (outcome). Every rule of the life
cycle lives here: which reasons open which problem, how severe a case is, which step may
follow which, what each step must carry, and when the next follow-up is due.

The follow-up intervals (:data:`FOLLOW_UP_DAYS`): refer within 7 days of opening, expect
the rujukan balik within 14 days of the referral, act within 7 days of the examination,
and follow a treated child every 30 days, or every 7 days for gizi buruk: Kemenkes,
*Pedoman Pencegahan dan Tata Laksana Gizi Buruk pada Balita* (2020), outpatient care of
gizi buruk without complications is checked weekly. The other intervals are the
programme's working rule (docs/cases.md), not a guideline's figure.

Pure: the caller passes today's date in; errors are codes with English message
templates (:data:`STEP_TEMPLATES`, message ids of the translation catalog).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tumbuh.growth.referrals import ReferralReason


class Problem(StrEnum):
    """The nutrition problem a case follows (one open case per child and problem)."""

    WASTING = "wasting"  # gizi buruk / gizi kurang
    UNDERWEIGHT = "underweight"  # BB sangat kurang, BB kurang, BGM
    STUNTING = "stunting"
    FALTERING = "faltering"  # 2T
    OVERWEIGHT = "overweight"  # above the orange line


class CaseStatus(StrEnum):
    """Where a case stands in its life cycle (the programme's own words)."""

    PERLU_DIRUJUK = "perlu_dirujuk"
    DIRUJUK = "dirujuk"
    DIPERIKSA = "diperiksa"
    DITANGANI = "ditangani"
    SELESAI = "selesai"


class Outcome(StrEnum):
    """How a case ended."""

    RECOVERED = "recovered"
    MOVED = "moved"
    AGED_OUT = "aged_out"
    DIED = "died"
    REFUSED = "refused"


class Intervention(StrEnum):
    """What the puskesmas did for the child."""

    COUNSELLING = "counselling"
    PMT = "pmt"  # pemberian makanan tambahan
    TREATMENT = "treatment"
    HOSPITAL_REFERRAL = "hospital_referral"


_PROBLEM_BY_REASON: dict[ReferralReason, Problem] = {
    ReferralReason.SEVERE_WASTING: Problem.WASTING,
    ReferralReason.WASTED: Problem.WASTING,
    ReferralReason.BGM: Problem.UNDERWEIGHT,
    ReferralReason.UNDERWEIGHT: Problem.UNDERWEIGHT,
    ReferralReason.STUNTED: Problem.STUNTING,
    ReferralReason.TWO_T: Problem.FALTERING,
    ReferralReason.ABOVE_ORANGE: Problem.OVERWEIGHT,
}
# A case's severity rank is that of its most severe opening reason, in the one order of
# the reasons (ReferralReason.severity): 1 is the most urgent (gizi buruk).
LEAST_SEVERE = len(ReferralReason) + 1

# Problems from the most to the least severe: by their most severe reason.
PROBLEM_ORDER: tuple[Problem, ...] = tuple(
    dict.fromkeys(_PROBLEM_BY_REASON[r] for r in ReferralReason if r in _PROBLEM_BY_REASON)
)


def problem_of(reason: ReferralReason) -> Problem | None:
    """The problem a referral reason opens a case for; None for a reason handled at the
    posyandu (T: counselling) or unknown to this module."""
    return _PROBLEM_BY_REASON.get(reason)


def problems_of(reasons: Iterable[ReferralReason]) -> dict[Problem, tuple[ReferralReason, ...]]:
    """The problems of a child's reasons, each with the reasons that point to it."""
    found: dict[Problem, list[ReferralReason]] = {}
    for reason in reasons:
        problem = problem_of(reason)
        if problem is not None:
            found.setdefault(problem, []).append(reason)
    return {problem: tuple(found[problem]) for problem in PROBLEM_ORDER if problem in found}


def still_to_refer(
    reasons: Iterable[ReferralReason], open_cases: Mapping[Problem, CaseStatus]
) -> tuple[ReferralReason, ...]:
    """The reasons of a child that still call for a referral this month: a reason whose
    problem has an open case that was referred already (dirujuk, diperiksa, ditangani) is
    not referred again; the case's follow-up takes its place. A case still *perlu
    dirujuk* keeps its reasons on the list."""

    def referred(reason: ReferralReason) -> bool:
        problem = problem_of(reason)
        status = None if problem is None else open_cases.get(problem)
        return status is not None and status is not CaseStatus.PERLU_DIRUJUK

    return tuple(r for r in reasons if not referred(r))


def severity_of(reasons: Iterable[ReferralReason | str]) -> int:
    """Severity rank of a case opened for ``reasons`` (members or their names): 1 is gizi
    buruk, the most urgent; :data:`LEAST_SEVERE` when none is ranked."""
    members = [r if isinstance(r, ReferralReason) else ReferralReason[r] for r in reasons]
    return min((r.severity + 1 for r in members), default=LEAST_SEVERE)


SEVERE_WASTING_RANK = 1  # severity of gizi buruk: weekly follow-up

# The steps that may follow each status. Selesai may be reached from any open status
# (moved, died, refused, aged out); recovered only once the puskesmas saw the child.
NEXT_STATUSES: dict[CaseStatus, tuple[CaseStatus, ...]] = {
    CaseStatus.PERLU_DIRUJUK: (CaseStatus.DIRUJUK, CaseStatus.SELESAI),
    CaseStatus.DIRUJUK: (CaseStatus.DIPERIKSA, CaseStatus.SELESAI),
    CaseStatus.DIPERIKSA: (CaseStatus.DITANGANI, CaseStatus.SELESAI),
    CaseStatus.DITANGANI: (CaseStatus.DITANGANI, CaseStatus.SELESAI),  # a follow-up visit
    CaseStatus.SELESAI: (),
}
RECOVERED_AFTER = frozenset({CaseStatus.DIPERIKSA, CaseStatus.DITANGANI})
OPEN_STATUSES = tuple(s for s in CaseStatus if s is not CaseStatus.SELESAI)

# Days from a status's date to the next action due (see the module doc for the sources).
FOLLOW_UP_DAYS: dict[CaseStatus, int] = {
    CaseStatus.PERLU_DIRUJUK: 7,  # refer within a week of opening
    CaseStatus.DIRUJUK: 14,  # the rujukan balik is expected within two weeks
    CaseStatus.DIPERIKSA: 7,  # intervention within a week of the examination
    CaseStatus.DITANGANI: 30,  # monthly follow-up
}
SEVERE_WASTING_FOLLOW_UP_DAYS = 7  # gizi buruk: weekly (Kemenkes 2020)
TEXT_MAX = 200  # referred_to, comorbidity, given
NOTE_MAX = 500


def next_due(status: CaseStatus, since: date, *, severity: int) -> date | None:
    """When the next action of a case in ``status`` since ``since`` is due (None: closed)."""
    if status is CaseStatus.SELESAI:
        return None
    days = FOLLOW_UP_DAYS[status]
    if status is CaseStatus.DITANGANI and severity == SEVERE_WASTING_RANK:
        days = SEVERE_WASTING_FOLLOW_UP_DAYS
    return since + timedelta(days=days)


def overdue(due: date | None, today: date) -> bool:
    """A follow-up is overdue the day after its due date."""
    return due is not None and today > due


@dataclass(frozen=True)
class StepInput:
    """One step of a case as a user gives it; only the fields of ``status`` count."""

    status: CaseStatus
    on: date
    referred_to: str | None = None  # dirujuk
    diagnosis_confirmed: bool | None = None  # diperiksa
    comorbidity: str | None = None  # diperiksa
    given: str | None = None  # diperiksa: what the puskesmas gave
    intervention: Intervention | None = None  # ditangani
    outcome: Outcome | None = None  # selesai
    note: str | None = None


@dataclass(frozen=True)
class CaseState:
    """What the checks of a next step need to know about a case."""

    status: CaseStatus
    last_step_on: date  # date of the latest step (the opening date at first)
    birth_date: date


class StepProblem(StrEnum):
    """Why a step is refused."""

    NOT_NEXT = "not_next"
    DATE_IN_FUTURE = "date_in_future"
    DATE_BEFORE_PREVIOUS = "date_before_previous"
    DATE_BEFORE_BIRTH = "date_before_birth"
    MISSING = "missing"
    TOO_LONG = "too_long"
    RECOVERED_TOO_EARLY = "recovered_too_early"
    NOT_A_DATE = "not_a_date"  # found by the adapter that reads the form or JSON
    NOT_A_CHOICE = "not_a_choice"


STEP_TEMPLATES: dict[StepProblem, str] = {
    StepProblem.NOT_NEXT: (
        "{field}: '{value}' cannot follow the case's present status; accepted: {accepted}"
    ),
    StepProblem.DATE_IN_FUTURE: (
        "{field}: {value} is in the future; give the day it happened, {accepted} at the latest"
    ),
    StepProblem.DATE_BEFORE_PREVIOUS: (
        "{field}: {value} is before the case's previous step; give a date from {accepted}"
    ),
    StepProblem.DATE_BEFORE_BIRTH: (
        "{field}: {value} is before the child's date of birth ({accepted}); check the date"
    ),
    StepProblem.MISSING: "{field}: this step needs a value; accepted: {accepted}",
    StepProblem.TOO_LONG: (
        "{field}: the text is {value} characters long; write at most {accepted}"
    ),
    StepProblem.RECOVERED_TOO_EARLY: (
        "{field}: '{value}' needs the puskesmas's examination first; before it, accepted: "
        "{accepted}"
    ),
    StepProblem.NOT_A_DATE: (
        "{field}: '{value}' is not a date; write it as {accepted}, for example 2024-08-17"
    ),
    StepProblem.NOT_A_CHOICE: "{field}: '{value}' is not one of the values accepted: {accepted}",
}


@dataclass(frozen=True)
class StepError:
    """One refused field: the field, the value given and what is accepted (filled into
    :data:`STEP_TEMPLATES` by the adapter)."""

    problem: StepProblem
    field: str
    value: str
    accepted: str


def _choices(values: Iterable[StrEnum]) -> str:
    return ", ".join(v.value for v in values)


def _date_errors(state: CaseState, on: date, today: date) -> list[StepError]:
    text = on.isoformat()
    if on > today:
        return [StepError(StepProblem.DATE_IN_FUTURE, "on", text, today.isoformat())]
    if on < state.birth_date:
        return [StepError(StepProblem.DATE_BEFORE_BIRTH, "on", text, state.birth_date.isoformat())]
    if on < state.last_step_on:
        return [
            StepError(StepProblem.DATE_BEFORE_PREVIOUS, "on", text, state.last_step_on.isoformat())
        ]
    return []


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _required(step: StepInput) -> list[StepError]:
    missing = {
        CaseStatus.DIRUJUK: ("referred_to", _blank(step.referred_to), "puskesmas"),
        CaseStatus.DIPERIKSA: (
            "diagnosis_confirmed",
            step.diagnosis_confirmed is None,
            "true, false",
        ),
        CaseStatus.DITANGANI: (
            "intervention",
            step.intervention is None,
            _choices(Intervention),
        ),
        CaseStatus.SELESAI: ("outcome", step.outcome is None, _choices(Outcome)),
    }.get(step.status)
    if missing is None or not missing[1]:
        return []
    return [StepError(StepProblem.MISSING, missing[0], "", missing[2])]


def _lengths(step: StepInput) -> list[StepError]:
    texts = {
        "referred_to": (step.referred_to, TEXT_MAX),
        "comorbidity": (step.comorbidity, TEXT_MAX),
        "given": (step.given, TEXT_MAX),
        "note": (step.note, NOTE_MAX),
    }
    return [
        StepError(StepProblem.TOO_LONG, name, str(len(text)), str(limit))
        for name, (text, limit) in texts.items()
        if text is not None and len(text) > limit
    ]


def step_errors(state: CaseState, step: StepInput, today: date) -> list[StepError]:
    """Every reason to refuse ``step`` on a case in ``state`` (empty: it may be stored)."""
    allowed = NEXT_STATUSES[state.status]
    if step.status not in allowed:
        accepted = _choices(allowed) or "-"
        return [StepError(StepProblem.NOT_NEXT, "status", step.status.value, accepted)]
    errors = _date_errors(state, step.on, today) + _required(step) + _lengths(step)
    if step.outcome is Outcome.RECOVERED and state.status not in RECOVERED_AFTER:
        others = (o for o in Outcome if o is not Outcome.RECOVERED)
        errors.append(
            StepError(StepProblem.RECOVERED_TOO_EARLY, "outcome", "recovered", _choices(others))
        )
    return errors
