"""Kitchens of PMT lokal and their daily serving log: the rules (docs/kitchens.md).

A kitchen cooks on some days of the week, kept as a bitmask (Monday = 1, Tuesday = 2, ...
Sunday = 64; :data:`ALL_WEEKDAYS` is every day); people write the days as ISO numbers
(1 = Monday ... 7 = Sunday), alone or as ranges: ``1-5`` or ``1,3,5``. Money is whole
rupiah. What a form, a JSON body or a command option sends is read here
(:func:`read_kitchen`, :func:`read_funding`), so every adapter refuses a value with the
same :class:`FieldError`: the field, the value, what is accepted.

The serving log: a serving is given on a day that is not in the future, inside its
episode (from its start to its end, when it has ended) and, for a kitchen operator,
within the last :data:`SERVING_DAYS_BACK` days (an older day is the puskesmas' to
correct). Days planned are the days the kitchen cooks (:func:`cooking_days`).

Pure: the caller passes today in; messages are English templates (message ids of the
translation catalog), filled by the adapter.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike

from tumbuh.growth.pmt import Funding, KitchenKind, KitchenOperator
from tumbuh.growth.types import IntArray

ALL_WEEKDAYS = 127  # Monday = 1, Tuesday = 2, ... Sunday = 64
DAYS_A_WEEK = 7
NAME_MAX = 100
CONTACT_MAX = 100
PHONE_MAX = 20
PHONE_DIGITS = (8, 15)  # 0812 3456 78 to +62 812 3456 7890 1
NOTE_MAX = 500
FUNDING_NOTE_MAX = 200
CAPACITY_MAX = 2_000  # servings a day; a community kitchen cooks for tens
AMOUNT_MAX_RP = 1_000_000_000_000  # a trillion rupiah: far above any kitchen's line
SERVING_DAYS_BACK = 7  # a kitchen operator logs today and the 7 days before
KITCHEN_FIELDS = (
    "name",
    "kind",
    "kelurahan",
    "operator",
    "contact_name",
    "contact_phone",
    "capacity",
    "weekdays",
    "active",
    "note",
)
FUNDING_FIELDS = ("source", "amount_rp", "starts_on", "ends_on", "note")
YES, NO = ("true", "1", "ya", "yes", "on"), ("false", "0", "tidak", "no", "off")
E = TypeVar("E", bound=StrEnum)


class FieldProblem(StrEnum):
    """Why a value of a kitchen, a funding line or a serving is refused."""

    MISSING = "missing"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    NOT_A_CHOICE = "not_a_choice"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    NOT_WHOLE_RUPIAH = "not_whole_rupiah"
    NOT_A_PHONE = "not_a_phone"
    NOT_WEEKDAYS = "not_weekdays"
    NOT_A_DATE = "not_a_date"
    PERIOD_ORDER = "period_order"
    UNKNOWN_KELURAHAN = "unknown_kelurahan"
    NAME_TAKEN = "name_taken"
    DAY_IN_FUTURE = "day_in_future"
    DAY_TOO_OLD = "day_too_old"
    BEFORE_START = "before_start"
    AFTER_END = "after_end"
    NOT_AT_KITCHEN = "not_at_kitchen"
    SERVED_ALREADY = "served_already"


FIELD_TEMPLATES: dict[FieldProblem, str] = {
    FieldProblem.MISSING: "{field}: a value is needed; accepted: {accepted}",
    FieldProblem.TOO_LONG: "{field}: the text is {value} characters long; write at most {accepted}",
    FieldProblem.CONTROL_CHARACTERS: (
        "{field}: the text holds control characters (such as a tab or a line break); "
        "write it on one line"
    ),
    FieldProblem.NOT_A_CHOICE: "{field}: '{value}' is not one of the values accepted: {accepted}",
    FieldProblem.NOT_A_NUMBER: "{field}: '{value}' is not a whole number; accepted: {accepted}",
    FieldProblem.OUT_OF_RANGE: "{field}: {value} is outside the range accepted: {accepted}",
    FieldProblem.NOT_WHOLE_RUPIAH: (
        "{field}: '{value}' is not a whole number of rupiah; write it without cents, for "
        "example {accepted}"
    ),
    FieldProblem.NOT_A_PHONE: (
        "{field}: '{value}' is not a phone number; write 8 to 15 digits, for example {accepted}"
    ),
    FieldProblem.NOT_WEEKDAYS: (
        "{field}: '{value}' is not a list of days; write day numbers from 1 (Monday) to 7 "
        "(Sunday), for example {accepted}"
    ),
    FieldProblem.NOT_A_DATE: (
        "{field}: '{value}' is not a date; write it as {accepted}, for example 2024-08-17"
    ),
    FieldProblem.PERIOD_ORDER: "{field}: {value} is before the start; give a day from {accepted}",
    FieldProblem.UNKNOWN_KELURAHAN: (
        "{field}: '{value}' is not a kelurahan you may choose; give the code or name of one "
        "of: {accepted}"
    ),
    FieldProblem.NAME_TAKEN: (
        "{field}: the kelurahan has a kitchen named '{value}' already; choose another name"
    ),
    FieldProblem.DAY_IN_FUTURE: (
        "{field}: {value} is in the future; servings are logged on the day or after, "
        "{accepted} at the latest"
    ),
    FieldProblem.DAY_TOO_OLD: (
        "{field}: {value} is more than a week ago; the log takes days from {accepted} (the "
        "puskesmas nutritionist corrects older days)"
    ),
    FieldProblem.BEFORE_START: (
        "{field}: {value} is before the feeding began; a serving is logged from {accepted}"
    ),
    FieldProblem.AFTER_END: (
        "{field}: {value} is after the feeding ended; a serving is logged until {accepted}"
    ),
    FieldProblem.NOT_AT_KITCHEN: (
        "{field}: number {value} is not fed at this kitchen; reload the list and tick again"
    ),
    FieldProblem.SERVED_ALREADY: (
        "{field}: a serving on {value} is logged already (someone saved it meanwhile); one "
        "serving a day is recorded, so nothing was saved: check the list and save again"
    ),
}


@dataclass(frozen=True)
class FieldError:
    """One refused value: the problem, the field (or the person, for a serving), the
    value given and what is accepted (filled into :data:`FIELD_TEMPLATES`)."""

    problem: FieldProblem
    field: str
    value: str
    accepted: str


@dataclass(frozen=True)
class KitchenInput:
    """A kitchen as a form, a JSON body or the command line gives it, read and checked
    (the kelurahan as typed: a code or a name, resolved by the use case)."""

    name: str
    kind: KitchenKind
    kelurahan: str
    operator: KitchenOperator
    contact_name: str | None
    contact_phone: str | None
    capacity: int
    weekdays: int  # bitmask, Monday = 1 ... Sunday = 64
    active: bool
    note: str | None


@dataclass(frozen=True)
class FundingInput:
    """A funding line of a kitchen, read and checked."""

    source: Funding
    amount_rp: int
    starts_on: date
    ends_on: date
    note: str | None


# --- the days of the week -----------------------------------------------------------


def weekday_bit(day: date) -> int:
    """The bit of ``day``'s weekday: Monday 1, Tuesday 2, ... Sunday 64."""
    return 1 << day.weekday()


def weekdays_mask(numbers: Iterable[int]) -> int:
    """The bitmask of ISO day numbers (1 = Monday ... 7 = Sunday)."""
    return sum({1 << (n - 1) for n in numbers if 1 <= n <= DAYS_A_WEEK})


def weekday_numbers(mask: int) -> tuple[int, ...]:
    """The ISO day numbers (1 = Monday ... 7 = Sunday) of a bitmask, in order."""
    return tuple(n for n in range(1, DAYS_A_WEEK + 1) if mask & (1 << (n - 1)))


def weekdays_text(mask: int) -> str:
    """A bitmask written back as day numbers with ranges: ``1-5``, ``1,3,5``, ``1-3,6``."""
    numbers = weekday_numbers(mask)
    parts: list[str] = []
    start = previous = None
    for n in (*numbers, None):
        if n is not None and previous is not None and n == previous + 1:
            previous = n
            continue
        if start is not None and previous is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = n
    return ",".join(parts)


_DAY_PART = re.compile(r"^([1-7])(?:\s*-\s*([1-7]))?$")


def parse_weekdays(text: str) -> int | None:
    """The bitmask of ``1-5`` or ``1,3,5`` (day numbers 1 = Monday ... 7 = Sunday, ranges
    allowed, spaces ignored); None when the text is not such a list or names no day."""
    numbers: set[int] = set()
    for part in re.sub(r"\s*-\s*", "-", text.strip()).replace(" ", ",").split(","):
        if not part:
            continue
        found = _DAY_PART.match(part.strip())
        if found is None:
            return None
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if last < first:
            return None
        numbers.update(range(first, last + 1))
    return weekdays_mask(numbers) or None


def week_of(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=DAYS_A_WEEK - 1)


def weekmask(weekdays: int) -> str:
    """NumPy's business-day mask of a bitmask: ``1111100`` for Monday to Friday."""
    return "".join("1" if weekdays & (1 << i) else "0" for i in range(DAYS_A_WEEK))


def cooking_days(weekdays: int, starts: ArrayLike, ends: ArrayLike) -> IntArray:
    """Per element: the days from ``starts`` to ``ends`` (both included; dates or
    ``datetime64[D]``) on which a kitchen with this bitmask cooks; 0 where the end is
    before the start. The days planned for a period."""
    first = np.asarray(starts, dtype="datetime64[D]")
    last = np.asarray(ends, dtype="datetime64[D]") + np.timedelta64(1, "D")
    if weekdays & ALL_WEEKDAYS == 0:
        return np.zeros(np.broadcast(first, last).shape, dtype=np.int64)
    counted = np.busday_count(first, np.maximum(first, last), weekmask=weekmask(weekdays))
    return np.asarray(counted, dtype=np.int64)


# --- reading a kitchen and a funding line ----------------------------------------------


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in text)


def _text(
    raw: Mapping[str, str], name: str, limit: int, errors: list[FieldError], *, required: bool
) -> str | None:
    """A text field, runs of spaces made one (a note keeps its line breaks)."""
    text = raw.get(name, "").strip()
    if not text:
        if required:
            errors.append(FieldError(FieldProblem.MISSING, name, "", f"1-{limit}"))
        return None
    lines = text.replace("\r\n", "\n").split("\n") if name == "note" else [text]
    if any(_has_control(line) for line in lines):
        errors.append(FieldError(FieldProblem.CONTROL_CHARACTERS, name, "", ""))
    text = "\n".join(re.sub(" +", " ", line.strip()) for line in lines)
    if len(text) > limit:
        errors.append(FieldError(FieldProblem.TOO_LONG, name, str(len(text)), str(limit)))
    return text


def _choice(enum: type[E], name: str, raw: Mapping[str, str], errors: list[FieldError]) -> E | None:
    text = raw.get(name, "").strip().lower()
    accepted = ", ".join(m.value for m in enum)
    if not text:
        errors.append(FieldError(FieldProblem.MISSING, name, "", accepted))
        return None
    try:
        return enum(text)
    except ValueError:
        errors.append(FieldError(FieldProblem.NOT_A_CHOICE, name, text, accepted))
        return None


def _whole(
    raw: Mapping[str, str], name: str, bounds: tuple[int, int], errors: list[FieldError]
) -> int | None:
    text = raw.get(name, "").strip()
    accepted = f"{bounds[0]}-{bounds[1]}"
    if not text:
        errors.append(FieldError(FieldProblem.MISSING, name, "", accepted))
        return None
    if not re.fullmatch(r"[+-]?\d{1,12}", text):
        errors.append(FieldError(FieldProblem.NOT_A_NUMBER, name, text, accepted))
        return None
    value = int(text)
    if not bounds[0] <= value <= bounds[1]:
        errors.append(FieldError(FieldProblem.OUT_OF_RANGE, name, text, accepted))
        return None
    return value


def _flag(raw: Mapping[str, str], name: str, errors: list[FieldError]) -> bool:
    text = raw.get(name, "").strip().lower()
    if not text:
        return True  # a kitchen is active unless said otherwise
    if text in YES or text in NO:
        return text in YES
    errors.append(FieldError(FieldProblem.NOT_A_CHOICE, name, text, "true, false"))
    return True


def _phone(raw: Mapping[str, str], errors: list[FieldError]) -> str | None:
    text = " ".join(raw.get("contact_phone", "").split())
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    shaped = re.fullmatch(r"\+?[0-9][0-9 .\-]*", text) is not None
    if not shaped or not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1] or len(text) > PHONE_MAX:
        errors.append(FieldError(FieldProblem.NOT_A_PHONE, "contact_phone", text, "0812 3456 7890"))
        return None
    return text


def _weekdays(raw: Mapping[str, str], errors: list[FieldError]) -> int | None:
    text = raw.get("weekdays", "").strip()
    if not text:
        errors.append(FieldError(FieldProblem.MISSING, "weekdays", "", "1-5"))
        return None
    mask = parse_weekdays(text)
    if mask is None:
        errors.append(FieldError(FieldProblem.NOT_WEEKDAYS, "weekdays", text, "1-5"))
    return mask


def read_kitchen(raw: Mapping[str, str]) -> tuple[KitchenInput | None, list[FieldError]]:
    """The kitchen the fields describe (strings as sent; names in :data:`KITCHEN_FIELDS`),
    or every reason to refuse it."""
    errors: list[FieldError] = []
    name = _text(raw, "name", NAME_MAX, errors, required=True)
    kind = _choice(KitchenKind, "kind", raw, errors)
    kelurahan = " ".join(raw.get("kelurahan", "").split())
    if not kelurahan:
        errors.append(FieldError(FieldProblem.MISSING, "kelurahan", "", "36.72.01.1001"))
    operator = _choice(KitchenOperator, "operator", raw, errors)
    contact_name = _text(raw, "contact_name", CONTACT_MAX, errors, required=False)
    phone = _phone(raw, errors)
    capacity = _whole(raw, "capacity", (1, CAPACITY_MAX), errors)
    weekdays = _weekdays(raw, errors)
    active = _flag(raw, "active", errors)
    note = _text(raw, "note", NOTE_MAX, errors, required=False)
    if errors or not (name and kind and operator and capacity and weekdays):
        return None, errors
    kitchen = KitchenInput(
        name, kind, kelurahan, operator, contact_name, phone, capacity, weekdays, active, note
    )
    return kitchen, []


_DOTTED = re.compile(r"\d{1,3}(\.\d{3})+")  # 7.500.000, as Indonesians write it
_COMMAS = re.compile(r"\d{1,3}(,\d{3})+")  # 7,500,000
_CENTS = re.compile(r"[\d.,]*[.,]\d{1,2}")  # 7500000,50 or 7.500.000,5


def parse_rupiah(text: str) -> int | None:
    """Whole rupiah from ``7500000``, ``7.500.000``, ``Rp 7.500.000,-`` or ``7.500.000,00``;
    None when the text is not such an amount (cents other than zero included)."""
    cleaned = re.sub(r"(?i)^rp\.?", "", text.strip()).replace(" ", "")
    cleaned = re.sub(r",(-|00?)$", "", cleaned)
    if re.fullmatch(r"\d+", cleaned):
        return int(cleaned)
    if _DOTTED.fullmatch(cleaned):
        return int(cleaned.replace(".", ""))
    if _COMMAS.fullmatch(cleaned):
        return int(cleaned.replace(",", ""))
    return None


def _amount(raw: Mapping[str, str], errors: list[FieldError]) -> int | None:
    text = raw.get("amount_rp", "").strip()
    accepted = "7.500.000"
    if not text:
        errors.append(FieldError(FieldProblem.MISSING, "amount_rp", "", accepted))
        return None
    value = parse_rupiah(text)
    if value is None:
        problem = FieldProblem.NOT_WHOLE_RUPIAH if _CENTS.fullmatch(text) else None
        errors.append(FieldError(problem or FieldProblem.NOT_A_NUMBER, "amount_rp", text, accepted))
        return None
    if value > AMOUNT_MAX_RP:
        errors.append(
            FieldError(FieldProblem.OUT_OF_RANGE, "amount_rp", text, f"0-{AMOUNT_MAX_RP:,}")
        )
        return None
    return value


def _day(raw: Mapping[str, str], name: str, errors: list[FieldError]) -> date | None:
    text = raw.get(name, "").strip()
    if not text:
        errors.append(FieldError(FieldProblem.MISSING, name, "", "YYYY-MM-DD"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(FieldProblem.NOT_A_DATE, name, text, "YYYY-MM-DD"))
        return None


def read_funding(raw: Mapping[str, str]) -> tuple[FundingInput | None, list[FieldError]]:
    """The funding line the fields describe (names in :data:`FUNDING_FIELDS`), or every
    reason to refuse it: an unknown source, an amount that is not whole rupiah, a period
    that ends before it starts."""
    errors: list[FieldError] = []
    source = _choice(Funding, "source", raw, errors)
    amount = _amount(raw, errors)
    starts_on = _day(raw, "starts_on", errors)
    ends_on = _day(raw, "ends_on", errors)
    if starts_on and ends_on and ends_on < starts_on:
        errors.append(
            FieldError(
                FieldProblem.PERIOD_ORDER, "ends_on", ends_on.isoformat(), starts_on.isoformat()
            )
        )
    note = _text(raw, "note", FUNDING_NOTE_MAX, errors, required=False)
    if errors or source is None or amount is None or starts_on is None or ends_on is None:
        return None, errors
    return FundingInput(source, amount, starts_on, ends_on, note), []


def read_day(text: str | None, today: date, field: str = "date") -> tuple[date, list[FieldError]]:
    """The day of a serving log (today when not given) or the error naming ``field``."""
    if not text or not text.strip():
        return today, []
    try:
        return date.fromisoformat(text.strip()), []
    except ValueError:
        return today, [FieldError(FieldProblem.NOT_A_DATE, field, text.strip(), "YYYY-MM-DD")]


# --- the serving log --------------------------------------------------------------------


def day_errors(day: date, today: date, *, days_back: int | None) -> list[FieldError]:
    """Why ``day`` cannot be logged: in the future, or more than ``days_back`` days ago
    (None: no limit, for the puskesmas nutritionist and the administrator)."""
    if day > today:
        return [FieldError(FieldProblem.DAY_IN_FUTURE, "date", day.isoformat(), today.isoformat())]
    if days_back is not None and day < today - timedelta(days=days_back):
        earliest = (today - timedelta(days=days_back)).isoformat()
        return [FieldError(FieldProblem.DAY_TOO_OLD, "date", day.isoformat(), earliest)]
    return []


def outside_episode(
    day: date, started_on: date, ended_on: date | None, who: str
) -> FieldError | None:
    """The error when ``day`` lies outside an episode (before its start, after its end),
    naming the person ``who`` was to be served; None inside it."""
    if day < started_on:
        return FieldError(FieldProblem.BEFORE_START, who, day.isoformat(), started_on.isoformat())
    if ended_on is not None and day > ended_on:
        return FieldError(FieldProblem.AFTER_END, who, day.isoformat(), ended_on.isoformat())
    return None


def in_episode(day: date, started_on: date, ended_on: date | None) -> bool:
    """True when ``day`` lies inside an episode."""
    return started_on <= day and (ended_on is None or day <= ended_on)
