"""Rules of the case life cycle (docs/cases.md), on examples worked out by hand."""

from datetime import date

import pytest

from tumbuh.growth.cases import (
    LEAST_SEVERE,
    CaseState,
    CaseStatus,
    Intervention,
    Outcome,
    Problem,
    StepInput,
    StepProblem,
    next_due,
    overdue,
    problem_of,
    problems_of,
    severity_of,
    step_errors,
)
from tumbuh.growth.referrals import ReferralReason

TODAY = date(2024, 9, 30)
BORN = date(2022, 3, 10)


def test_each_referral_reason_opens_its_problem_and_t_opens_none() -> None:
    # Issue 13: a single T is counselled at the posyandu, never a case.
    expected = {
        "SEVERE_WASTING": Problem.WASTING,
        "WASTED": Problem.WASTING,
        "BGM": Problem.UNDERWEIGHT,
        "STUNTED": Problem.STUNTING,
        "TWO_T": Problem.FALTERING,
        "ABOVE_ORANGE": Problem.OVERWEIGHT,
        "T": None,
    }
    for reason in ReferralReason:
        if reason.name in expected:
            assert problem_of(reason) is expected[reason.name], reason


def test_a_reason_unknown_to_the_mapping_opens_no_case() -> None:
    class Later(str):
        name = "RE_MEASURE"

    assert problem_of(Later("x")) is None  # type: ignore[arg-type]


def test_gizi_buruk_and_wasted_make_one_wasting_problem() -> None:
    reasons = (ReferralReason.SEVERE_WASTING, ReferralReason.BGM, ReferralReason.T)
    assert problems_of(reasons) == {
        Problem.WASTING: (ReferralReason.SEVERE_WASTING,),
        Problem.UNDERWEIGHT: (ReferralReason.BGM,),
    }


def test_gizi_buruk_is_the_most_severe_and_no_reason_the_least() -> None:
    assert severity_of([ReferralReason.STUNTED, ReferralReason.SEVERE_WASTING]) == 1
    assert severity_of(["TWO_T"]) < severity_of(["STUNTED"]) < severity_of(["ABOVE_ORANGE"])
    assert severity_of([]) == LEAST_SEVERE


@pytest.mark.parametrize(
    ("status", "severity", "due"),
    [
        (CaseStatus.PERLU_DIRUJUK, 5, date(2024, 9, 8)),  # refer within 7 days
        (CaseStatus.DIRUJUK, 5, date(2024, 9, 15)),  # rujukan balik within 14 days
        (CaseStatus.DIPERIKSA, 5, date(2024, 9, 8)),  # intervention within 7 days
        (CaseStatus.DITANGANI, 5, date(2024, 10, 1)),  # monthly follow-up
        (CaseStatus.DITANGANI, 1, date(2024, 9, 8)),  # gizi buruk: weekly (Kemenkes 2020)
        (CaseStatus.SELESAI, 1, None),
    ],
)
def test_next_follow_up_from_a_step_on_1_september(
    status: CaseStatus, severity: int, due: date | None
) -> None:
    assert next_due(status, date(2024, 9, 1), severity=severity) == due


def test_overdue_starts_the_day_after_the_due_date() -> None:
    assert not overdue(date(2024, 9, 8), date(2024, 9, 8))
    assert overdue(date(2024, 9, 8), date(2024, 9, 9))
    assert not overdue(None, date(2030, 1, 1))


def _state(status: CaseStatus, last: date = date(2024, 9, 1)) -> CaseState:
    return CaseState(status=status, last_step_on=last, birth_date=BORN)


def test_a_complete_referral_is_accepted() -> None:
    step = StepInput(CaseStatus.DIRUJUK, date(2024, 9, 3), referred_to="Puskesmas Sukamaju")
    assert step_errors(_state(CaseStatus.PERLU_DIRUJUK), step, TODAY) == []


def test_a_step_cannot_skip_the_examination() -> None:
    step = StepInput(CaseStatus.DITANGANI, date(2024, 9, 3), intervention=Intervention.PMT)
    [error] = step_errors(_state(CaseStatus.PERLU_DIRUJUK), step, TODAY)
    assert (error.problem, error.field, error.value) == (
        StepProblem.NOT_NEXT,
        "status",
        "ditangani",
    )
    assert error.accepted == "dirujuk, selesai"


def test_a_closed_case_takes_no_step() -> None:
    step = StepInput(CaseStatus.SELESAI, date(2024, 9, 3), outcome=Outcome.MOVED)
    [error] = step_errors(_state(CaseStatus.SELESAI), step, TODAY)
    assert error.problem is StepProblem.NOT_NEXT


@pytest.mark.parametrize(
    ("on", "problem", "accepted"),
    [
        (date(2024, 10, 1), StepProblem.DATE_IN_FUTURE, "2024-09-30"),
        (date(2024, 8, 31), StepProblem.DATE_BEFORE_PREVIOUS, "2024-09-01"),
        (date(2022, 3, 9), StepProblem.DATE_BEFORE_BIRTH, "2022-03-10"),
    ],
)
def test_step_dates_between_the_previous_step_and_today(
    on: date, problem: StepProblem, accepted: str
) -> None:
    step = StepInput(CaseStatus.DIRUJUK, on, referred_to="Puskesmas")
    [error] = step_errors(_state(CaseStatus.PERLU_DIRUJUK), step, TODAY)
    assert (error.problem, error.field, error.value, error.accepted) == (
        problem,
        "on",
        on.isoformat(),
        accepted,
    )


@pytest.mark.parametrize(
    ("status", "before", "field"),
    [
        (CaseStatus.DIRUJUK, CaseStatus.PERLU_DIRUJUK, "referred_to"),
        (CaseStatus.DIPERIKSA, CaseStatus.DIRUJUK, "diagnosis_confirmed"),
        (CaseStatus.DITANGANI, CaseStatus.DIPERIKSA, "intervention"),
        (CaseStatus.SELESAI, CaseStatus.DITANGANI, "outcome"),
    ],
)
def test_each_step_names_its_required_field(
    status: CaseStatus, before: CaseStatus, field: str
) -> None:
    [error] = step_errors(_state(before), StepInput(status, date(2024, 9, 5)), TODAY)
    assert (error.problem, error.field) == (StepProblem.MISSING, field)


def test_recovered_only_after_the_puskesmas_saw_the_child() -> None:
    step = StepInput(CaseStatus.SELESAI, date(2024, 9, 5), outcome=Outcome.RECOVERED)
    [error] = step_errors(_state(CaseStatus.DIRUJUK), step, TODAY)
    assert error.problem is StepProblem.RECOVERED_TOO_EARLY
    assert "recovered" not in error.accepted
    assert step_errors(_state(CaseStatus.DIPERIKSA), step, TODAY) == []
    moved = StepInput(CaseStatus.SELESAI, date(2024, 9, 5), outcome=Outcome.MOVED)
    assert step_errors(_state(CaseStatus.PERLU_DIRUJUK), moved, TODAY) == []


def test_a_treated_child_can_be_seen_again_as_a_follow_up() -> None:
    step = StepInput(CaseStatus.DITANGANI, date(2024, 9, 29), intervention=Intervention.PMT)
    assert step_errors(_state(CaseStatus.DITANGANI), step, TODAY) == []


def test_texts_longer_than_the_limit_are_refused() -> None:
    step = StepInput(CaseStatus.DIRUJUK, date(2024, 9, 5), referred_to="x" * 201)
    [error] = step_errors(_state(CaseStatus.PERLU_DIRUJUK), step, TODAY)
    assert (error.problem, error.field, error.value, error.accepted) == (
        StepProblem.TOO_LONG,
        "referred_to",
        "201",
        "200",
    )
