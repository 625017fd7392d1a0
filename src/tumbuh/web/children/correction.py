"""Correcting a registered child's details (the edit form and the API's PATCH), refused
when someone else saved the child after the form was opened.

The form carries the version of the child it was filled from (hidden field ``version``;
``version`` in the API's body). A save from another version is refused and shows, per
field, the value now stored and the value the user sent (:class:`Correction`); the
store itself is a versioned UPDATE (:mod:`tumbuh.db.versions`), so two saves that pass
the check at the same time cannot both win. A stale save whose values are exactly what
is stored now changes nothing and is not refused: nothing would be lost.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from sqlalchemy import Connection

from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.i18n import Language, translations
from tumbuh.usecases.access import Scope, UserInfo
from tumbuh.usecases.registry.profiles import child_values, profile_of, update_child
from tumbuh.usecases.registry.records import ChildRecord, FieldChange, changes, shown_nik
from tumbuh.web.children.registration import (
    CONFIRM_FIELD,
    ChildForm,
    PosyanduChoice,
    SameNik,
    nik_taken_refusal,
    read_child,
    typed_number,
)

__all__ = [
    "FIELD_LABELS",
    "MAX_VERSION",
    "VALUE_LABELS",
    "Correction",
    "Fix",
    "child_values",
    "correct_child",
    "field_label",
    "form_version",
    "shown_value",
    "store_correction",
    "typed_value",
]

MAX_VERSION = 2**31 - 1
FIELD_LABELS = {  # form field -> label (message ids of the forms)
    "name": "Name",
    "nik": "NIK",
    "sex": "Sex",
    "birth_date": "Birth date",
    "birth_weight_kg": "Birth weight (kg)",
    "birth_length_cm": "Birth length (cm)",
    "mother_name": "Mother's name",
    "posyandu_id": "Posyandu",
    "measured_on": "Date",
    "weight_kg": "Weight (kg)",
    "height_cm": "Length/height (cm)",
    "position": "Position",
    "muac_cm": "MUAC (cm)",
    "oedema": "Bilateral oedema (tops of both feet)",
    "kader_weight_trend": "N/T as the kader judged it",
}
VALUE_LABELS = {
    Sex.MALE: "Boy",
    Sex.FEMALE: "Girl",
    Position.LENGTH: "lying (length)",
    Position.HEIGHT: "standing (height)",
}


@dataclass
class Correction:
    """What became of a correction: stored (``changed``), refused with ``errors`` (and
    the child holding the NIK typed), or refused because the child was saved by someone
    else meanwhile (``conflict``: the fields that differ; ``stored``: the child now)."""

    changed: bool = False
    errors: list[str] = field(default_factory=list)
    same_nik: SameNik | None = None
    conflict: list[FieldChange] = field(default_factory=list)
    stored: ChildRecord | None = None
    same_child: tuple[ChildRecord, ...] = ()  # other children with the corrected identity


def form_version(raw: dict[str, str]) -> int:
    """The version a form started from (0, never stored, when missing or unreadable: an
    old page is treated as stale, so it can never overwrite a newer record silently)."""
    text = raw.get("version", "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_VERSION else 0


def correct_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    raw: dict[str, str],
    choices: list[PosyanduChoice],
    language: Language,
    kbm: KbmTable,
) -> Correction:
    """Read and check the edit form's fields (``raw``: the profile fields,
    ``posyandu_id``, one of ``choices`` (left empty, the child stays at its posyandu) and
    ``version``) and store them (:func:`store_correction`)."""
    form = read_child(connection, scope, raw, language, child=child)
    wanted = raw.get("posyandu_id") or str(child.posyandu_id)
    confirmed = raw.get(CONFIRM_FIELD) == "1"
    fix = Fix(form, wanted, form_version(raw), confirmed)
    return store_correction(connection, scope, user, child, fix, choices, language, kbm)


@dataclass(frozen=True)
class Fix:
    """A checked correction of a child (from the edit form or the API): the details, the
    posyandu wanted (an id as text: one of the choices) and the version it started from."""

    form: ChildForm
    posyandu_id: str
    version: int
    confirmed_duplicate: bool = False  # "this is another child": save although one matches


def store_correction(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    fix: Fix,
    choices: list[PosyanduChoice],
    language: Language,
    kbm: KbmTable,
) -> Correction:
    """Store a checked correction (:func:`tumbuh.usecases.registry.profiles.update_child`
    commits when ``changed``; nothing is stored otherwise)."""
    form = fix.form
    chosen = next((c.place for c in choices if str(c.place.id) == fix.posyandu_id), None)
    if chosen is None:
        _ = translations(language).gettext
        form.errors.append(_("Posyandu: choose one of the posyandu in the list"))
    if form.profile is None or chosen is None:
        return Correction(errors=form.errors, same_nik=form.same_nik)
    posyandu = (chosen.id, chosen.kelurahan_code)
    done = update_child(
        connection,
        scope,
        user,
        child,
        form.profile,
        posyandu,
        fix.version,
        kbm,
        confirmed_duplicate=fix.confirmed_duplicate,
    )
    if done.stored is not None:
        stored = done.stored
        yours = child_values(form.profile, chosen.id)
        differ = changes(child_values(profile_of(stored), stored.posyandu_id), yours)
        if not differ:  # the other save stored exactly these details
            return Correction()
        return Correction(conflict=differ, stored=stored)
    if done.nik_taken is not None:
        refused = nik_taken_refusal(done.nik_taken, language)
        return Correction(errors=refused.errors, same_nik=refused.same_nik)
    if done.same_child:
        return Correction(same_child=done.same_child)
    return Correction(changed=done.changed)


def shown_value(  # noqa: PLR0911 - one return per kind of field
    name: str, value: object, language: Language, scope: Scope, posyandu: dict[int, str]
) -> str:
    """A field's value as the forms write it (``–`` for none); ``posyandu``: id -> label."""
    _ = translations(language).gettext
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "nik":
        return shown_nik(str(value), scope) or "–"
    if name == "posyandu_id" and isinstance(value, int):
        return posyandu.get(value, str(value))
    if isinstance(value, Enum) and value in VALUE_LABELS:
        return _(VALUE_LABELS[value])
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        text = typed_number(value)
        return text.replace(".", ",") if language is Language.ID else text
    return str(value)


def typed_value(name: str, value: object, scope: Scope) -> str | None:  # noqa: PLR0911 - one return per kind of field
    """A field's value as the API writes it (ISO dates, decimal points; None for none)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "nik":
        return shown_nik(str(value), scope)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return typed_number(value)
    return str(value)


def field_label(name: str, language: Language) -> str:
    """The form's label of a field."""
    return translations(language).gettext(FIELD_LABELS.get(name, name))
