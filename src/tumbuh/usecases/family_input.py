"""What a TPK's form or API call brings, read from text and checked, with errors that
name the field, the value and what is accepted (docs/families.md).

The pages and the API read the same fields as strings through the ``read_*`` functions
here, so each mistake gets one message everywhere. Days, numbers and text are read by
the readers of :mod:`tumbuh.usecases.pregnancy_input` (one home for "a day up to
today"), whose errors are given this form's labels.
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from tumbuh.db.families import CRITERIA
from tumbuh.db.models_maternal import NOTE_LENGTH, TpkAction
from tumbuh.errors import NamedFieldError
from tumbuh.usecases import pregnancy_input as readers

Raw = Mapping[str, str]
MEMBER_LENGTH = 100  # tpk_visit.tpk_member
NOT_VISITED_DAYS = (1, 3650)  # "not visited in the last N days"

FIELD_NAMES: dict[str, str] = {
    "visited_on": "Day of the visit",
    "tpk_member": "TPK member who came",
    "actions": "What was advised or given",
    "note": "Note",
    "kelurahan": "Kelurahan",
    "not_visited_days": "Not visited for (days)",
    "krs_assessed_on": "Day of the assessment",
    "has_safe_drinking_water": "Safe drinking water",
    "has_safe_latrine": "Safe latrine",
    "wife_under_20": "Wife under 20 (too young)",
    "wife_35_or_older": "Wife 35 or older (too old)",
    "birth_spacing_under_2_years": "Births less than 2 years apart (too close)",
    "more_than_3_children": "More than 3 children (too many)",
}
YES, NO, UNKNOWN = "yes", "no", ""


class FieldError(NamedFieldError):
    """Input the user can fix, in one field of a TPK's form; ``field`` is its key in
    :data:`FIELD_NAMES`."""

    FIELD_NAMES = FIELD_NAMES


@contextmanager
def _labelled() -> Iterator[None]:
    """Give an error of the shared readers this form's label for its field."""
    try:
        yield
    except readers.FieldError as error:
        params = {k: v for k, v in error.params.items() if k != "field"}
        raise FieldError(error.template, field=error.field, **params) from None


@dataclass(frozen=True)
class NewTpkVisit:
    """A visit as entered: the day, who came (empty: the user who records it), what was
    advised or given, a note."""

    visited_on: date
    tpk_member: str | None
    actions: frozenset[TpkAction]
    note: str | None


def read_actions(values: Sequence[str]) -> frozenset[TpkAction]:
    """The actions ticked (each one of :class:`TpkAction`'s values)."""
    found = set()
    for value in values:
        try:
            found.add(TpkAction(value.strip()))
        except ValueError:
            raise FieldError(
                "{field}: '{value}' is not one of the choices; accepted: {accepted}",
                field="actions",
                value=value,
                accepted=", ".join(a.value for a in TpkAction),
            ) from None
    return frozenset(found)


def read_tpk_visit(raw: Raw, actions: Sequence[str], today: date) -> NewTpkVisit:
    """Read a visit (``actions``: the values of the ticked boxes); a day that has come,
    and at least one action or a note."""
    with _labelled():
        visited_on = readers.day(raw, "visited_on", today, required=True) or today
        member = readers.text(raw, "tpk_member", limit=MEMBER_LENGTH)
        note = readers.text(raw, "note", limit=NOTE_LENGTH)
    chosen = read_actions(actions)
    if not chosen and note is None:
        raise FieldError(
            "{field}: tick at least one thing advised or given, or write a note",
            field="actions",
        )
    if TpkAction.OTHER in chosen and note is None:
        raise FieldError("{field}: say in the note what 'other' was", field="note")
    return NewTpkVisit(visited_on, member, chosen, note)


@dataclass(frozen=True)
class NewCriteria:
    """A family's six KRS criteria as assessed (None: not known) and the day."""

    values: dict[str, bool | None]  # by the names of tumbuh.db.families.CRITERIA
    assessed_on: date


def _answer(raw: Raw, key: str) -> bool | None:
    value = str(raw.get(key) or "").strip().lower()
    if value in {"yes", "true", "1", "ya"}:
        return True
    if value in {"no", "false", "0", "tidak"}:
        return False
    if value in {"", "unknown", "none", "null"}:
        return None
    raise FieldError(
        "{field}: '{value}' is not accepted; answer yes, no or leave it empty (not known)",
        field=key,
        value=value,
    )


def read_criteria(raw: Raw, today: date) -> NewCriteria:
    """Read the six criteria (yes, no, empty) and the day of the assessment (empty: today)."""
    with _labelled():
        assessed_on = readers.day(raw, "krs_assessed_on", today) or today
    return NewCriteria({name: _answer(raw, name) for name in CRITERIA}, assessed_on)


@dataclass(frozen=True)
class FamilyFilter:
    """What the list is narrowed to: one kelurahan, the families at risk, those not
    visited in the last ``not_visited_days`` days (None: no such filter)."""

    kelurahan: str | None = None
    at_risk_only: bool = False
    not_visited_days: int | None = None


def read_filter(raw: Raw) -> FamilyFilter:
    """Read the list's filters (the kelurahan's code is checked against the scope by the
    use case)."""
    with _labelled():
        days = readers.whole(raw, "not_visited_days", NOT_VISITED_DAYS)
    kelurahan = str(raw.get("kelurahan") or "").strip() or None
    at_risk = str(raw.get("at_risk") or "").strip().lower() in {"1", "true", "yes", "on"}
    return FamilyFilter(kelurahan, at_risk, days)
