"""What a bidan's form, API call or command brings, read from text and checked, with
errors that name the field, the value and what is accepted (docs/pregnancies.md).

Pages and the API read the same fields as strings through the ``read_*`` functions here,
so each mistake gets one message everywhere. A NIK is never repeated in a message
(personal data stays out of errors and logs): the message says what is wrong with it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from tumbuh.db.models import BirthPlace, PregnancyOutcome
from tumbuh.db.models_maternal import (
    ADULT_HEIGHT_CM,
    ADULT_WEIGHT_KG,
    GESTATION_WEEKS,
    HB_G_DL,
    IRON_TABLETS,
    MUAC_CM,
    NOTE_LENGTH,
    AncPlace,
)
from tumbuh.errors import NamedFieldError
from tumbuh.growth.enums import Sex

E = TypeVar("E", bound=StrEnum)
Raw = Mapping[str, str]

FIELD_NAMES: dict[str, str] = {
    "nik": "Mother's NIK",
    "mother_name": "Mother's name",
    "mother_birth_date": "Mother's birth date",
    "posyandu_id": "Posyandu",
    "hpht": "HPHT (first day of the last period)",
    "k1_on": "Day of K1",
    "visited_on": "Day of the visit",
    "place": "Place of the visit",
    "muac_cm": "LiLA (cm)",
    "hb_g_dl": "Hb (g/dL)",
    "weight_kg": "Weight (kg)",
    "weight_before_kg": "Weight before pregnancy (kg)",
    "height_cm": "Height (cm)",
    "previous_live_births": "Children born alive before this pregnancy",
    "previous_birth_on": "Birth date of the last child",
    "iron_tablets_given": "TTD tablets given",
    "note": "Note",
    "ended_on": "Day the pregnancy ended",
    "outcome": "Outcome",
    "birth_place": "Place of birth",
    "weeks": "Weeks of pregnancy at birth",
    "child_name": "Baby's name",
    "sex": "Sex",
    "birth_weight_g": "Birth weight (g)",
    "birth_length_cm": "Birth length (cm)",
    "visit_number": "KF visit",
    "confirm_delete": "Removal of the visit",
}
BIRTH_WEIGHT_G = (300, 6500)  # plausible, not a rule: grams typed as kilograms are refused
BIRTH_LENGTH_CM = (25, 65)
OLDEST_HPHT_DAYS = 45 * 7  # a pregnancy lasts at most 45 weeks (the CHECK on weeks)
PREVIOUS_LIVE_BIRTHS = (0, 20)  # plausible, as the CHECK on pregnancy.previous_live_births


class FieldError(NamedFieldError):
    """Input the user can fix, in one field; ``field`` is its key in :data:`FIELD_NAMES`,
    and the message names it in the user's language."""

    FIELD_NAMES = FIELD_NAMES


def _text(raw: Raw, key: str) -> str:
    return str(raw.get(key) or "").strip()


def text(raw: Raw, key: str, *, limit: int, required: bool = False) -> str | None:
    """The field's text (None when empty); refused when required and empty, too long or
    with control characters."""
    value = _text(raw, key)
    if required and not value:
        raise FieldError("{field}: fill it in", field=key)
    if len(value) > limit:
        raise FieldError("{field}: use at most {limit} characters", field=key, limit=limit)
    if any(ord(c) < 32 for c in value):
        raise FieldError("{field}: remove the control characters", field=key)
    return value or None


def nik(raw: Raw, key: str = "nik") -> str:
    """A NIK: 16 digits, kept as text (the value is not repeated in the message)."""
    value = _text(raw, key).replace(" ", "")
    if not re.fullmatch(r"\d{16}", value):
        raise FieldError(
            "{field}: a NIK has 16 digits and nothing else; {count} characters were given",
            field=key,
            count=len(value),
        )
    return value


def decimal(raw: Raw, key: str, bounds: tuple[float, float]) -> float | None:
    """A number with a decimal point or comma within ``bounds`` (None when empty)."""
    value = _text(raw, key)
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = float("nan")
    if not bounds[0] <= number <= bounds[1]:
        raise FieldError(
            "{field}: '{value}' is not accepted; write a number from {low} to {high}",
            field=key,
            value=value,
            low=bounds[0],
            high=bounds[1],
        )
    return number


def whole(raw: Raw, key: str, bounds: tuple[int, int]) -> int | None:
    """A whole number within ``bounds`` (None when empty)."""
    value = _text(raw, key)
    if not value:
        return None
    if not value.isdigit() or not bounds[0] <= int(value) <= bounds[1]:
        raise FieldError(
            "{field}: '{value}' is not accepted; write a whole number from {low} to {high}",
            field=key,
            value=value,
            low=bounds[0],
            high=bounds[1],
        )
    return int(value)


def day(raw: Raw, key: str, today: date, *, required: bool = False) -> date | None:
    """A day ``YYYY-MM-DD`` up to ``today`` (None when empty and not required)."""
    value = _text(raw, key)
    if not value:
        if required:
            raise FieldError("{field}: fill it in", field=key)
        return None
    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise FieldError(
            "{field}: '{value}' is not a date; write it as YYYY-MM-DD, for example 2023-11-27",
            field=key,
            value=value,
        ) from None
    if found > today:
        raise FieldError(
            "{field}: {value} is after today; write a day that has come", field=key, value=value
        )
    return found


def choice(enum: type[E], raw: Raw, key: str, default: E | None = None) -> E:
    """One of the enum's values (``default`` when empty and one is given)."""
    value = _text(raw, key)
    if not value and default is not None:
        return default
    try:
        return enum(value)
    except ValueError:
        raise FieldError(
            "{field}: '{value}' is not one of the choices; accepted: {accepted}",
            field=key,
            value=value,
            accepted=", ".join(m.value for m in enum),
        ) from None


@dataclass(frozen=True)
class NewPregnancy:
    """A pregnancy to register: the mother (by NIK), where, HPHT, K1 and its measures."""

    nik: str
    mother_name: str | None  # needed when no mother has the NIK yet
    mother_birth_date: date | None
    posyandu_id: int
    hpht: date | None
    k1_on: date
    muac_cm: float | None
    hb_g_dl: float | None
    weight_before_kg: float | None
    height_cm: float | None
    previous_live_births: int | None = None  # paritas; None: not asked
    previous_birth_on: date | None = None


def read_pregnancy(raw: Raw, today: date) -> NewPregnancy:
    """Read a registration; :class:`FieldError` at the first field that is wrong."""
    hpht = day(raw, "hpht", today)
    if hpht is not None and (today - hpht) > timedelta(days=OLDEST_HPHT_DAYS):
        raise FieldError(
            "{field}: {value} is more than 45 weeks ago; check the year",
            field="hpht",
            value=hpht.isoformat(),
        )
    posyandu = whole(raw, "posyandu_id", (1, 2**31 - 1))
    if posyandu is None:
        raise FieldError("{field}: choose the posyandu where she lives", field="posyandu_id")
    k1_on = day(raw, "k1_on", today) or today
    if hpht is not None and k1_on < hpht:
        raise FieldError(
            "{field}: {value} is before the HPHT; K1 is a visit during the pregnancy",
            field="k1_on",
            value=k1_on.isoformat(),
        )
    births, last_birth = _previous_births(raw, today, before=hpht or k1_on)
    return NewPregnancy(
        nik=nik(raw),
        mother_name=text(raw, "mother_name", limit=100),
        mother_birth_date=day(raw, "mother_birth_date", today),
        posyandu_id=posyandu,
        hpht=hpht,
        k1_on=k1_on,
        muac_cm=decimal(raw, "muac_cm", MUAC_CM),
        hb_g_dl=decimal(raw, "hb_g_dl", HB_G_DL),
        weight_before_kg=decimal(raw, "weight_before_kg", ADULT_WEIGHT_KG),
        height_cm=decimal(raw, "height_cm", ADULT_HEIGHT_CM),
        previous_live_births=births,
        previous_birth_on=last_birth,
    )


def _previous_births(raw: Raw, today: date, *, before: date) -> tuple[int | None, date | None]:
    """Paritas and the day of the last birth: a last birth needs a child born before, and
    comes before this pregnancy (its HPHT, else K1)."""
    births = whole(raw, "previous_live_births", PREVIOUS_LIVE_BIRTHS)
    last_birth = day(raw, "previous_birth_on", today)
    if last_birth is not None and births == 0:
        raise FieldError(
            "{field}: a day was given but no child was born before; write the number of "
            "children or clear the day",
            field="previous_birth_on",
        )
    if last_birth is not None and last_birth >= before:
        raise FieldError(
            "{field}: {value} is not before this pregnancy; write the day the last child was born",
            field="previous_birth_on",
            value=last_birth.isoformat(),
        )
    return births, last_birth


@dataclass(frozen=True)
class NewVisit:
    """An ANC visit as entered."""

    visited_on: date
    place: AncPlace
    weight_kg: float | None
    muac_cm: float | None
    hb_g_dl: float | None
    iron_tablets_given: int | None
    note: str | None


def read_visit(raw: Raw, today: date) -> NewVisit:
    """Read an ANC visit; :class:`FieldError` at the first field that is wrong."""
    return NewVisit(
        visited_on=day(raw, "visited_on", today) or today,
        place=choice(AncPlace, raw, "place", AncPlace.POSYANDU),
        weight_kg=decimal(raw, "weight_kg", ADULT_WEIGHT_KG),
        muac_cm=decimal(raw, "muac_cm", MUAC_CM),
        hb_g_dl=decimal(raw, "hb_g_dl", HB_G_DL),
        iron_tablets_given=whole(raw, "iron_tablets_given", IRON_TABLETS),
        note=text(raw, "note", limit=NOTE_LENGTH),
    )


@dataclass(frozen=True)
class NewBirth:
    """The end of a pregnancy and, for a live birth, the baby."""

    ended_on: date
    outcome: PregnancyOutcome
    birth_place: BirthPlace | None
    weeks: int | None
    child_name: str | None
    sex: Sex | None
    birth_weight_g: int | None
    birth_length_cm: float | None


def read_birth(raw: Raw, today: date) -> NewBirth:
    """Read the end of a pregnancy; a live birth needs the baby's name and sex."""
    outcome = choice(PregnancyOutcome, raw, "outcome", PregnancyOutcome.LIVE_BIRTH)
    live = outcome is PregnancyOutcome.LIVE_BIRTH
    place = _text(raw, "birth_place")
    return NewBirth(
        ended_on=day(raw, "ended_on", today, required=True) or today,
        outcome=outcome,
        birth_place=choice(BirthPlace, raw, "birth_place") if place else None,
        weeks=whole(raw, "weeks", GESTATION_WEEKS),
        child_name=text(raw, "child_name", limit=100, required=live),
        sex=choice(Sex, raw, "sex") if live else None,
        birth_weight_g=whole(raw, "birth_weight_g", BIRTH_WEIGHT_G),
        birth_length_cm=decimal(raw, "birth_length_cm", BIRTH_LENGTH_CM),
    )
