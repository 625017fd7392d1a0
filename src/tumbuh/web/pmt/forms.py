"""Reading an enrolment and a closing from a form or JSON (strings as sent), so that the
pages and the API refuse a value with the same message, naming the field, the value and
what is accepted (:func:`tumbuh.episode_labels.episode_error_text`)."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from tumbuh.episode_labels import episode_error_text
from tumbuh.errors import InputError
from tumbuh.growth.periods import PeriodKind, parse_period
from tumbuh.growth.pmt import Funding, Indication
from tumbuh.growth.pmt_episodes import CHILD_INDICATIONS, Closing, EpisodeError, EpisodeProblem
from tumbuh.usecases.pmt_bumil import BumilEnrolment
from tumbuh.usecases.pmt_bumil_episodes import BumilClosing
from tumbuh.usecases.pmt_enrolment import Enrolment
from tumbuh.usecases.pmt_episodes import ClosingInput

E = TypeVar("E", bound=StrEnum)
ENROL_FIELDS = ("month", "kitchen_id", "started_on", "funding", "indication", "override_reason")
CLOSE_FIELDS = ("closing", "ended_on", "note", "advance_case")
YES = ("true", "1", "ya", "yes", "on")
ID_MAX = 2**31 - 1


def _text(raw: Mapping[str, str], name: str) -> str | None:
    text = raw.get(name, "").strip()
    return text or None


def _choice(
    enum: type[E],
    name: str,
    raw: Mapping[str, str],
    errors: list[EpisodeError],
    allowed: Sequence[E] | None = None,
) -> E | None:
    text = raw.get(name, "").strip()
    choices = list(allowed or list(enum))
    accepted = ", ".join(c.value for c in choices)
    if not text:
        return None
    found = next((c for c in choices if c.value == text), None)
    if found is None:
        errors.append(EpisodeError(EpisodeProblem.NOT_A_CHOICE, name, text, accepted))
    return found


def _required(
    enum: type[E], name: str, raw: Mapping[str, str], errors: list[EpisodeError]
) -> E | None:
    found = _choice(enum, name, raw, errors)
    if found is None and not raw.get(name, "").strip():
        accepted = ", ".join(c.value for c in enum)
        errors.append(EpisodeError(EpisodeProblem.MISSING, name, "", accepted))
    return found


def _day(
    raw: Mapping[str, str], name: str, errors: list[EpisodeError], default: date | None
) -> date | None:
    text = raw.get(name, "").strip()
    if not text:
        if default is None:
            errors.append(EpisodeError(EpisodeProblem.MISSING, name, "", "YYYY-MM-DD"))
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(EpisodeError(EpisodeProblem.NOT_A_DATE, name, text, "YYYY-MM-DD"))
        return None


def _number(text: str, name: str, errors: list[EpisodeError]) -> int | None:
    value = text.strip()
    if value.isdigit() and 0 < int(value) <= ID_MAX:
        return int(value)
    errors.append(EpisodeError(EpisodeProblem.NOT_A_CHOICE, name, value, "1, 2, 3 ..."))
    return None


def read_enrolment(
    raw: Mapping[str, str], child_ids: Sequence[str]
) -> tuple[Enrolment | None, list[EpisodeError]]:
    """The enrolment the fields describe (``child_ids`` as sent), or the errors."""
    errors: list[EpisodeError] = []
    children = [n for text in child_ids if (n := _number(text, "child_ids", errors)) is not None]
    month_text = raw.get("month", "").strip()
    month = parse_period(month_text) if month_text else None
    if month is None or month.kind is not PeriodKind.MONTH:
        errors.append(EpisodeError(EpisodeProblem.NOT_A_DATE, "month", month_text, "YYYY-MM"))
    kitchen_text = raw.get("kitchen_id", "").strip()
    kitchen = _number(kitchen_text, "kitchen_id", errors) if kitchen_text else None
    if not kitchen_text:
        errors.append(EpisodeError(EpisodeProblem.MISSING, "kitchen_id", "", "-"))
    started_on = _day(raw, "started_on", errors, None)
    funding = _required(Funding, "funding", raw, errors)
    indication = _choice(Indication, "indication", raw, errors, CHILD_INDICATIONS)
    if errors or month is None or kitchen is None or started_on is None or funding is None:
        return None, errors
    enrolment = Enrolment(
        tuple(children),
        month,
        kitchen,
        started_on,
        funding,
        indication=indication,
        override_reason=_text(raw, "override_reason"),
    )
    return enrolment, []


def read_closing(
    raw: Mapping[str, str], today: date
) -> tuple[ClosingInput | None, list[EpisodeError]]:
    """The closing the fields describe (the end date: today when left empty), or the
    errors. ``advance_case`` is on unless sent as false."""
    errors: list[EpisodeError] = []
    closing = _required(Closing, "closing", raw, errors)
    ended_on = _day(raw, "ended_on", errors, today)
    advance = raw.get("advance_case", "true").strip().lower() in YES
    if errors or closing is None or ended_on is None:
        return None, errors
    return ClosingInput(closing, ended_on, _text(raw, "note"), advance), []


def read_bumil_enrolment(
    raw: Mapping[str, str], pregnancy_ids: Sequence[str]
) -> tuple[BumilEnrolment | None, list[EpisodeError]]:
    """The enrolment of pregnant women the fields describe (``pregnancy_ids`` as sent),
    or the errors."""
    errors: list[EpisodeError] = []
    ids = [n for text in pregnancy_ids if (n := _number(text, "pregnancy_ids", errors))]
    kitchen_text = raw.get("kitchen_id", "").strip()
    kitchen = _number(kitchen_text, "kitchen_id", errors) if kitchen_text else None
    if not kitchen_text:
        errors.append(EpisodeError(EpisodeProblem.MISSING, "kitchen_id", "", "-"))
    started_on = _day(raw, "started_on", errors, None)
    funding = _required(Funding, "funding", raw, errors)
    if errors or kitchen is None or started_on is None or funding is None:
        return None, errors
    return BumilEnrolment(tuple(ids), kitchen, started_on, funding), []


def _muac(raw: Mapping[str, str], errors: list[EpisodeError]) -> float | None:
    text = raw.get("end_muac_cm", "").strip()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))  # a decimal comma is valid input
    except ValueError:
        errors.append(EpisodeError(EpisodeProblem.MUAC_OUT_OF_RANGE, "end_muac_cm", text, "10-50"))
        return None


def read_bumil_closing(
    raw: Mapping[str, str], today: date
) -> tuple[BumilClosing | None, list[EpisodeError]]:
    """The closing of a pregnancy's episode the fields describe (the end date: today
    when left empty; the LiLA in cm, a decimal comma accepted), or the errors."""
    errors: list[EpisodeError] = []
    closing = _required(Closing, "closing", raw, errors)
    ended_on = _day(raw, "ended_on", errors, today)
    muac = _muac(raw, errors)
    if errors or closing is None or ended_on is None:
        return None, errors
    return BumilClosing(closing, ended_on, muac, _text(raw, "note")), []


def error_texts(errors: Sequence[EpisodeError], gettext: Callable[[str], str]) -> list[str]:
    """The errors as sentences in the user's language."""
    return [episode_error_text(e, gettext) for e in errors]


def filter_choice(enum: type[E], text: str | None, field: str) -> E | None:
    """A filter of a page's query: empty (the form's "all") is None; a value that is not
    one of ``enum`` is an :class:`InputError` naming the field and the values accepted."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        raise InputError(
            "{field}: '{value}' is not one of the values accepted: {accepted}",
            field=field,
            value=value,
            accepted=", ".join(member.value for member in enum),
        ) from None


def filter_id(text: str | None, field: str) -> int | None:
    """A number filter of a page's query (a kitchen): empty is None."""
    value = (text or "").strip()
    if not value:
        return None
    if value.isdigit() and 0 < int(value) <= ID_MAX:
        return int(value)
    raise InputError(
        "{field}: '{value}' is not one of the values accepted: {accepted}",
        field=field,
        value=value,
        accepted="1, 2, 3 ...",
    )
