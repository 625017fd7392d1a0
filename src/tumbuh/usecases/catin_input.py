"""What a catin form or API call brings, read from text and checked, with errors that
name the field, the value and what is accepted (docs/catin.md).

The pages and the API read the same fields as strings through the ``read_*`` functions
here, so each mistake gets one message everywhere; the checks of one field are
:mod:`.pregnancy_input`'s (a NIK, a day, a number in bounds), with the catin form's labels.
A NIK is never repeated in a message.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from tumbuh.db.maternal.catin import CatinPerson, Screening
from tumbuh.db.models_maternal import (
    ADULT_HEIGHT_CM,
    ADULT_WEIGHT_KG,
    HB_G_DL,
    MUAC_CM,
    NOTE_LENGTH,
)
from tumbuh.errors import NamedFieldError
from tumbuh.growth.enums import Sex
from tumbuh.usecases import pregnancy_input as checks

T = TypeVar("T")
Raw = Mapping[str, str]

FIELD_NAMES: dict[str, str] = {
    "nik": "NIK",
    "name": "Name",
    "sex": "Sex",
    "birth_date": "Birth date",
    "kelurahan_code": "Kelurahan",
    "wedding_planned_on": "Planned wedding day",
    "registered_on": "Day registered",
    "screened_on": "Day of the screening",
    "muac_cm": "LiLA (cm)",
    "hb_g_dl": "Hb (g/dL)",
    "weight_kg": "Weight (kg)",
    "height_cm": "Height (cm)",
    "follow_up": "Follow-up given",
    "follow_up_on": "Day of the follow-up",
}
WEDDING_AHEAD_DAYS = 2 * 366  # a wedding is planned at most two years ahead
OLDEST_CATIN_YEARS = 100


class CatinFieldError(NamedFieldError):
    """Input the user can fix, in one field of a catin form (its key in
    :data:`FIELD_NAMES`)."""

    FIELD_NAMES = FIELD_NAMES


def _ours(read: Callable[..., T], *args: object, **options: object) -> T:
    """``read`` of :mod:`.pregnancy_input`, its error named with the catin form's labels."""
    try:
        return read(*args, **options)
    except checks.FieldError as error:
        params = {k: v for k, v in error.params.items() if k != "field"}
        raise CatinFieldError(error.template, field=error.field, **params) from None


def _nik(raw: Raw) -> str | None:
    if not str(raw.get("nik") or "").strip():
        return None
    return _ours(checks.nik, raw, "nik")


def _sex(raw: Raw) -> Sex:
    value = str(raw.get("sex") or "").strip()
    if not value:
        raise CatinFieldError("{field}: choose female or male", field="sex")
    found: Sex = _ours(checks.choice, Sex, raw, "sex")
    return found


def _wedding(raw: Raw, today: date) -> date | None:
    """The planned wedding day: any day up to two years ahead (past ones too: a catin
    registered late, or read back after the wedding)."""
    return _ours(checks.day, raw, "wedding_planned_on", today + timedelta(days=WEDDING_AHEAD_DAYS))


def read_person(raw: Raw, today: date) -> CatinPerson:
    """Read a registration (or its edit); :class:`CatinFieldError` at the first wrong field."""
    born = _ours(checks.day, raw, "birth_date", today)
    if born is not None and (today - born).days > OLDEST_CATIN_YEARS * 366:
        raise CatinFieldError(
            "{field}: {value} is more than {years} years ago; check the year",
            field="birth_date",
            value=born.isoformat(),
            years=OLDEST_CATIN_YEARS,
        )
    kelurahan = str(raw.get("kelurahan_code") or "").strip()
    if not kelurahan:
        raise CatinFieldError(
            "{field}: choose the kelurahan where the catin lives", field="kelurahan_code"
        )
    wedding = _wedding(raw, today)
    registered = _ours(checks.day, raw, "registered_on", today) or today
    if born is not None and wedding is not None and wedding <= born:
        raise CatinFieldError(
            "{field}: {value} is not after the birth date",
            field="wedding_planned_on",
            value=wedding.isoformat(),
        )
    return CatinPerson(
        name=_ours(checks.text, raw, "name", limit=100, required=True) or "",
        sex=_sex(raw),
        kelurahan_code=kelurahan,
        registered_on=registered,
        nik=_nik(raw),
        birth_date=born,
        wedding_planned_on=wedding,
    )


def read_screening(raw: Raw, today: date) -> Screening:
    """Read a screening: its day (default today) and the measures, each optional."""
    screening = Screening(
        screened_on=_ours(checks.day, raw, "screened_on", today) or today,
        muac_cm=_ours(checks.decimal, raw, "muac_cm", MUAC_CM),
        hb_g_dl=_ours(checks.decimal, raw, "hb_g_dl", HB_G_DL),
        weight_kg=_ours(checks.decimal, raw, "weight_kg", ADULT_WEIGHT_KG),
        height_cm=_ours(checks.decimal, raw, "height_cm", ADULT_HEIGHT_CM),
    )
    measures = (screening.muac_cm, screening.hb_g_dl, screening.weight_kg, screening.height_cm)
    if all(m is None for m in measures):
        raise CatinFieldError(
            "{field}: write at least one measure (LiLA, Hb, weight or height)", field="muac_cm"
        )
    return screening


@dataclass(frozen=True)
class FollowUp:
    """What was given after the screening, and when."""

    given: str
    given_on: date


def read_follow_up(raw: Raw, today: date) -> FollowUp:
    """Read a follow-up: what was given (required) and its day (default today)."""
    given = _ours(checks.text, raw, "follow_up", limit=NOTE_LENGTH, required=True) or ""
    return FollowUp(given, _ours(checks.day, raw, "follow_up_on", today) or today)
