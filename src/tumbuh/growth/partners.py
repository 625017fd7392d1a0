"""Partners of the TPPS, their commitments and the meetings that agree them: what a form,
a JSON body or a command option sends is read here, so every adapter refuses a value with
the same :class:`PartnerFieldError` (the field, the value, what is accepted), and the order
the TPPS reads actions in (docs/tpps.md).

* An institution has a name (1-150 characters, unique), a short name (at most 30), a kind
  (:class:`~tumbuh.growth.tpps.InstitutionKind`) and, for a camat's or a lurah's office,
  its region (checked by the use case against the city's kecamatan or kelurahan).
* A commitment says what (1-500 characters), who (an institution), where (a kelurahan, or
  the whole city), when it was agreed (the meeting's day), when it starts and is due (due
  on or after the start and the agreement), and its budget in whole rupiah with a source.
* A partner reports progress: a status; closing as done or cancelled asks for what was
  delivered (or why it was dropped), and a done day that is not in the future.
* A meeting (TPPS meeting, rembuk stunting, dissemination) has a day, a title, a place, a
  chair, the institutions present and others present as free text; each decision is text.

Pure: the caller passes today in; messages are English templates (message ids of the
translation catalog), filled by the adapter.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from tumbuh.growth.kitchens import AMOUNT_MAX_RP, parse_rupiah
from tumbuh.growth.tpps import (
    INSTITUTION_NAME_MAX,
    ActionStatus,
    InstitutionKind,
    is_overdue,
)

SHORT_NAME_MAX = 30
ACTION_MAX = 500
BUDGET_SOURCE_MAX = 100
DELIVERED_MAX = 2_000
TITLE_MAX = 200
PLACE_MAX = 150
CHAIR_MAX = 150
OTHERS_MAX = 500
DECISION_MAX = 1_000
INSTITUTION_FIELDS = ("name", "short_name", "kind", "region", "active")
COMMITMENT_FIELDS = (
    "action",
    "institution",
    "kelurahan",
    "agreed_on",
    "starts_on",
    "due_on",
    "budget_rupiah",
    "budget_source",
)
PROGRESS_FIELDS = ("status", "delivered", "done_on")
MEETING_FIELDS = ("held_on", "kind", "title", "place", "chair", "others")
REGION_KINDS = frozenset({InstitutionKind.KECAMATAN, InstitutionKind.KELURAHAN})
CLOSED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})
E = TypeVar("E", bound=StrEnum)


class MeetingKind(StrEnum):
    """What kind of meeting agreed decisions (DOMAIN §8-9)."""

    TPPS = "tpps"  # a meeting of the TPPS (the Sekda or Wakil Wali Kota chairs it)
    REMBUK = "rembuk"  # rembuk stunting, aksi 3: the yearly commitment meeting
    DISSEMINATION = "dissemination"  # dissemination of the Audit Kasus Stunting


class PartnerProblem(StrEnum):
    """Why a value of an institution, a commitment, a progress report or a meeting is
    refused."""

    MISSING = "missing"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    NOT_A_CHOICE = "not_a_choice"
    NOT_A_DATE = "not_a_date"
    NOT_WHOLE_RUPIAH = "not_whole_rupiah"
    OUT_OF_RANGE = "out_of_range"
    DUE_BEFORE = "due_before"
    DAY_IN_FUTURE = "day_in_future"
    DELIVERED_MISSING = "delivered_missing"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_INSTITUTION = "unknown_institution"
    UNKNOWN_KELURAHAN = "unknown_kelurahan"
    NAME_TAKEN = "name_taken"


PARTNER_TEMPLATES: dict[PartnerProblem, str] = {
    PartnerProblem.MISSING: "{field}: a value is needed; accepted: {accepted}",
    PartnerProblem.TOO_LONG: (
        "{field}: the text is {value} characters long; write at most {accepted}"
    ),
    PartnerProblem.CONTROL_CHARACTERS: (
        "{field}: the text holds control characters (such as a tab); remove them"
    ),
    PartnerProblem.NOT_A_CHOICE: (
        "{field}: '{value}' is not one of the values accepted: {accepted}"
    ),
    PartnerProblem.NOT_A_DATE: (
        "{field}: '{value}' is not a date; write it as {accepted}, for example 2024-11-26"
    ),
    PartnerProblem.NOT_WHOLE_RUPIAH: (
        "{field}: '{value}' is not an amount in whole rupiah; write it like {accepted}"
    ),
    PartnerProblem.OUT_OF_RANGE: "{field}: {value} is outside the range accepted: {accepted}",
    PartnerProblem.DUE_BEFORE: (
        "{field}: {value} is before {accepted}; an action is due on or after the day it "
        "was agreed and the day it starts"
    ),
    PartnerProblem.DAY_IN_FUTURE: (
        "{field}: {value} is in the future; give a day up to {accepted}"
    ),
    PartnerProblem.DELIVERED_MISSING: (
        "{field}: say what was delivered (or, for a cancelled action, why it was dropped) "
        "before closing it as {value}"
    ),
    PartnerProblem.UNKNOWN_REGION: (
        "{field}: '{value}' is not one of the city's areas of this kind; choose one of: {accepted}"
    ),
    PartnerProblem.UNKNOWN_INSTITUTION: (
        "{field}: '{value}' is not an active partner institution; choose one of the list"
    ),
    PartnerProblem.UNKNOWN_KELURAHAN: (
        "{field}: '{value}' is not a kelurahan of the city; choose one of the list, or "
        "leave it empty for the whole city"
    ),
    PartnerProblem.NAME_TAKEN: (
        "{field}: an institution named '{value}' exists already; choose another name"
    ),
}


@dataclass(frozen=True)
class PartnerFieldError:
    """One refused value: the problem, the field, the value given and what is accepted
    (filled into :data:`PARTNER_TEMPLATES`)."""

    problem: PartnerProblem
    field: str
    value: str
    accepted: str


Errors = list[PartnerFieldError]


@dataclass(frozen=True)
class InstitutionInput:
    """An institution as typed (the region as a code, checked by the use case)."""

    name: str
    short_name: str | None
    kind: InstitutionKind
    region: str | None
    active: bool


@dataclass(frozen=True)
class CommitmentInput:
    """A commitment as typed: the institution by id, the kelurahan by code (None: the
    whole city), both checked by the use case."""

    action: str
    institution_id: int
    kelurahan: str | None
    agreed_on: date
    starts_on: date | None
    due_on: date | None
    budget_rupiah: int | None
    budget_source: str | None


@dataclass(frozen=True)
class ProgressInput:
    """A partner's report on an action: its status, what was delivered, when."""

    status: ActionStatus
    delivered: str | None
    done_on: date | None


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as typed (attending institutions by id, checked by the use case)."""

    held_on: date
    kind: MeetingKind
    title: str
    place: str | None
    chair: str | None
    others: str | None
    attendees: tuple[int, ...]


# --- the small readers -------------------------------------------------------------------


def _text(
    raw: Mapping[str, str], name: str, limit: int, errors: Errors, *, required: bool
) -> str | None:
    """A text field, runs of spaces made one; a long text keeps its line breaks."""
    text = raw.get(name, "").replace("\r\n", "\n").strip()
    if not text:
        if required:
            errors.append(PartnerFieldError(PartnerProblem.MISSING, name, "", f"1-{limit}"))
        return None
    lines = [re.sub(r"[ \t]+", " ", line.strip()) for line in text.split("\n")]
    if any(unicodedata.category(c) == "Cc" for line in lines for c in line):
        errors.append(PartnerFieldError(PartnerProblem.CONTROL_CHARACTERS, name, "", ""))
    text = "\n".join(lines) if limit > TITLE_MAX else " ".join(lines)
    if len(text) > limit:
        errors.append(PartnerFieldError(PartnerProblem.TOO_LONG, name, str(len(text)), str(limit)))
    return text


def _choice(enum: type[E], name: str, raw: Mapping[str, str], errors: Errors) -> E | None:
    text = raw.get(name, "").strip().lower()
    accepted = ", ".join(m.value for m in enum)
    if not text:
        errors.append(PartnerFieldError(PartnerProblem.MISSING, name, "", accepted))
        return None
    try:
        return enum(text)
    except ValueError:
        errors.append(PartnerFieldError(PartnerProblem.NOT_A_CHOICE, name, text, accepted))
        return None


def _day(raw: Mapping[str, str], name: str, errors: Errors, *, required: bool) -> date | None:
    text = raw.get(name, "").strip()
    if not text:
        if required:
            errors.append(PartnerFieldError(PartnerProblem.MISSING, name, "", "YYYY-MM-DD"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(PartnerFieldError(PartnerProblem.NOT_A_DATE, name, text, "YYYY-MM-DD"))
        return None


def _flag(raw: Mapping[str, str], name: str) -> bool:
    return raw.get(name, "true").strip().lower() not in ("false", "0", "tidak", "no", "off")


def _budget(raw: Mapping[str, str], errors: Errors) -> int | None:
    text = raw.get("budget_rupiah", "").strip()
    if not text:
        return None
    value = parse_rupiah(text)
    if value is None:
        problem = PartnerProblem.NOT_WHOLE_RUPIAH
        errors.append(PartnerFieldError(problem, "budget_rupiah", text, "7.500.000"))
        return None
    if value > AMOUNT_MAX_RP:
        accepted = f"0-{AMOUNT_MAX_RP:,}".replace(",", ".")
        errors.append(
            PartnerFieldError(PartnerProblem.OUT_OF_RANGE, "budget_rupiah", text, accepted)
        )
        return None
    return value


def _id(raw: Mapping[str, str], name: str, errors: Errors) -> int | None:
    text = raw.get(name, "").strip()
    if not text:
        errors.append(PartnerFieldError(PartnerProblem.MISSING, name, "", ""))
        return None
    if not re.fullmatch(r"\d{1,9}", text):
        errors.append(PartnerFieldError(PartnerProblem.UNKNOWN_INSTITUTION, name, text, ""))
        return None
    return int(text)


# --- institutions, commitments, progress, meetings ----------------------------------------


def read_institution(raw: Mapping[str, str]) -> tuple[InstitutionInput | None, Errors]:
    """The institution the fields describe (names in :data:`INSTITUTION_FIELDS`), or every
    reason to refuse it; a camat's or lurah's office needs its region."""
    errors: Errors = []
    name = _text(raw, "name", INSTITUTION_NAME_MAX, errors, required=True)
    short_name = _text(raw, "short_name", SHORT_NAME_MAX, errors, required=False)
    kind = _choice(InstitutionKind, "kind", raw, errors)
    region = raw.get("region", "").strip() or None
    if kind in REGION_KINDS and region is None:
        errors.append(PartnerFieldError(PartnerProblem.MISSING, "region", "", str(kind)))
    if errors or name is None or kind is None:
        return None, errors
    region = region if kind in REGION_KINDS else None
    return InstitutionInput(name, short_name, kind, region, _flag(raw, "active")), []


def _due_errors(agreed: date | None, starts: date | None, due: date | None) -> Errors:
    latest = max((d for d in (agreed, starts) if d is not None), default=None)
    if due is not None and latest is not None and due < latest:
        return [
            PartnerFieldError(
                PartnerProblem.DUE_BEFORE, "due_on", due.isoformat(), latest.isoformat()
            )
        ]
    return []


def read_commitment(raw: Mapping[str, str]) -> tuple[CommitmentInput | None, Errors]:
    """The commitment the fields describe (names in :data:`COMMITMENT_FIELDS`), or every
    reason to refuse it."""
    errors: Errors = []
    action = _text(raw, "action", ACTION_MAX, errors, required=True)
    institution = _id(raw, "institution", errors)
    kelurahan = raw.get("kelurahan", "").strip() or None
    agreed_on = _day(raw, "agreed_on", errors, required=True)
    starts_on = _day(raw, "starts_on", errors, required=False)
    due_on = _day(raw, "due_on", errors, required=False)
    errors.extend(_due_errors(agreed_on, starts_on, due_on))
    budget = _budget(raw, errors)
    source = _text(raw, "budget_source", BUDGET_SOURCE_MAX, errors, required=False)
    if errors or action is None or institution is None or agreed_on is None:
        return None, errors
    found = CommitmentInput(
        action, institution, kelurahan, agreed_on, starts_on, due_on, budget, source
    )
    return found, []


def read_progress(raw: Mapping[str, str], today: date) -> tuple[ProgressInput | None, Errors]:
    """A partner's report (names in :data:`PROGRESS_FIELDS`), or every reason to refuse it:
    closing without saying what was delivered, a done day in the future. A done action
    without a day is done today; an open one keeps no done day."""
    errors: Errors = []
    status = _choice(ActionStatus, "status", raw, errors)
    delivered = _text(raw, "delivered", DELIVERED_MAX, errors, required=False)
    done_on = _day(raw, "done_on", errors, required=False)
    if status in CLOSED_STATUSES and delivered is None:
        errors.append(PartnerFieldError(PartnerProblem.DELIVERED_MISSING, "delivered", status, ""))
    if done_on is not None and done_on > today:
        value, accepted = done_on.isoformat(), today.isoformat()
        errors.append(PartnerFieldError(PartnerProblem.DAY_IN_FUTURE, "done_on", value, accepted))
    if errors or status is None:
        return None, errors
    if status is ActionStatus.DONE:
        done_on = done_on or today
    elif status is not ActionStatus.CANCELLED:
        done_on = None
    return ProgressInput(status, delivered, done_on), []


def read_meeting(
    raw: Mapping[str, str], attendees: Iterable[str]
) -> tuple[MeetingInput | None, Errors]:
    """The meeting the fields describe (names in :data:`MEETING_FIELDS`; ``attendees``: the
    ticked institutions' ids), or every reason to refuse it."""
    errors: Errors = []
    held_on = _day(raw, "held_on", errors, required=True)
    kind = _choice(MeetingKind, "kind", raw, errors)
    title = _text(raw, "title", TITLE_MAX, errors, required=True)
    place = _text(raw, "place", PLACE_MAX, errors, required=False)
    chair = _text(raw, "chair", CHAIR_MAX, errors, required=False)
    others = _text(raw, "others", OTHERS_MAX, errors, required=False)
    present: set[int] = set()
    for typed in attendees:
        if re.fullmatch(r"\d{1,9}", typed.strip()):
            present.add(int(typed))
        else:
            problem = PartnerProblem.UNKNOWN_INSTITUTION
            errors.append(PartnerFieldError(problem, "attendees", typed, ""))
    if errors or held_on is None or kind is None or title is None:
        return None, errors
    return MeetingInput(held_on, kind, title, place, chair, others, tuple(sorted(present))), []


def read_decision(raw: Mapping[str, str]) -> tuple[str | None, Errors]:
    """A decision's text (field ``decision``), or why it is refused."""
    errors: Errors = []
    text = _text(raw, "decision", DECISION_MAX, errors, required=True)
    return (None if errors else text), errors


# --- the order the TPPS reads actions in ----------------------------------------------------


def overdue_first(status: ActionStatus, due_on: date | None, today: date) -> tuple[int, int, int]:
    """A sort key: overdue actions first, then the open ones, then the closed ones; within
    each, by due date (none last)."""
    if is_overdue(status, due_on, today):
        group = 0
    elif status in CLOSED_STATUSES:
        group = 2
    else:
        group = 1
    return group, 0 if due_on is not None else 1, due_on.toordinal() if due_on else 0
