"""Reading a step of a case from a form or JSON, and its errors in the user's language.

Both the page and the API read the same fields (strings as sent), so both refuse a value
with the same message, naming the field, the value and what is accepted.
"""

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import TypeVar

from tumbuh.case_labels import STEP_FIELD_NAMES, accepted_text
from tumbuh.growth.cases import (
    STEP_TEMPLATES,
    CaseStatus,
    Intervention,
    Outcome,
    StepError,
    StepInput,
    StepProblem,
)

STEP_FIELDS = (
    "status",
    "on",
    "referred_to",
    "diagnosis_confirmed",
    "comorbidity",
    "given",
    "intervention",
    "outcome",
    "note",
)
E = TypeVar("E", bound=StrEnum)
YES, NO = ("true", "1", "ya", "yes"), ("false", "0", "tidak", "no")


def _choice(enum: type[E], name: str, raw: Mapping[str, str], errors: list[StepError]) -> E | None:
    text = raw.get(name, "").strip()
    if not text:
        return None
    try:
        return enum(text)
    except ValueError:
        accepted = ", ".join(m.value for m in enum)
        errors.append(StepError(StepProblem.NOT_A_CHOICE, name, text, accepted))
        return None


def _text(raw: Mapping[str, str], name: str) -> str | None:
    text = raw.get(name, "").strip()
    return text or None


def _confirmed(raw: Mapping[str, str], errors: list[StepError]) -> bool | None:
    text = raw.get("diagnosis_confirmed", "").strip().lower()
    if not text:
        return None
    if text in YES or text in NO:
        return text in YES
    errors.append(StepError(StepProblem.NOT_A_CHOICE, "diagnosis_confirmed", text, "true, false"))
    return None


def read_step(raw: Mapping[str, str], today: date) -> tuple[StepInput | None, list[StepError]]:
    """The step the fields describe (the date: today when left empty), or the errors."""
    errors: list[StepError] = []
    status = _choice(CaseStatus, "status", raw, errors)
    if status is None and not errors:
        accepted = ", ".join(s.value for s in CaseStatus)
        errors.append(StepError(StepProblem.MISSING, "status", "", accepted))
    on_text = raw.get("on", "").strip()
    on = today
    if on_text:
        try:
            on = date.fromisoformat(on_text)
        except ValueError:
            errors.append(StepError(StepProblem.NOT_A_DATE, "on", on_text, "YYYY-MM-DD"))
    step = StepInput(
        status=status or CaseStatus.DIRUJUK,
        on=on,
        referred_to=_text(raw, "referred_to"),
        diagnosis_confirmed=_confirmed(raw, errors),
        comorbidity=_text(raw, "comorbidity"),
        given=_text(raw, "given"),
        intervention=_choice(Intervention, "intervention", raw, errors),
        outcome=_choice(Outcome, "outcome", raw, errors),
        note=_text(raw, "note"),
    )
    return (None, errors) if errors else (step, [])


def error_text(error: StepError, gettext: Callable[[str], str]) -> str:
    """The error as a sentence in the user's language (accepted codes with their names)."""
    field = gettext(STEP_FIELD_NAMES.get(error.field, error.field))
    template = gettext(STEP_TEMPLATES[error.problem])
    accepted = accepted_text(error.accepted, gettext)
    return template.format(field=field, value=error.value, accepted=accepted)
