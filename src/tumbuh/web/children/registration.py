"""A child's details as kept at the posyandu: registering a new child, correcting the
details of a registered one (name, NIK, sex, birth date, birth size, mother's name,
posyandu): the form's checks and what the user is told; the writes (with their audit
rows) are use cases of :mod:`tumbuh.usecases.registry.profiles`.

The mother's name is what finds a child without NIK again when an e-PPGBM file is
imported (name, birth date, sex and mother's name: docs/import-format.md), so the forms
ask for it. It is kept in ``mother``; a correction renames the child's mother record
unless a sibling shares it, in which case the child gets a mother record of its own
(a wrong link is not spread to the siblings).

**A NIK already registered** is refused. What the message says depends on where the
other child is: inside the user's area it names that child (the form links to it), since
the user may open it anyway; outside it says only that the NIK is registered, never the
child, posyandu or area, so the forms cannot be used to find out where a NIK lives
(docs/security.md, section 5). The same message answers a NIK that a concurrent save
registered between the check and the write (the unique index refuses it:
NikTaken).

**A child that may already be registered.** A child without NIK whose name, sex, birth
date and mother's name are those of a child of the same kelurahan (normalised as the
import matches them) is not stored at once: the form comes back with that child (only
children of the user's area are shown, each with a link) and the box
:data:`CONFIRM_FIELD`, ticked to register the child anyway (the audit row says so).
A match outside the user's area is not mentioned (:mod:`tumbuh.usecases.registry.profiles`)."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection

from tumbuh.growth.enums import Sex
from tumbuh.i18n import Language, translations
from tumbuh.ingest.values import parse_nik, parse_number
from tumbuh.usecases.access import Scope, UserInfo
from tumbuh.usecases.places import Places, PosyanduPlace
from tumbuh.usecases.registry.children import first_measurement_day, nik_holder_seen
from tumbuh.usecases.registry.profiles import (
    ChildProfile,
    child_columns,
    profile_of,
    register_child,
)
from tumbuh.usecases.registry.records import ChildRecord, SameNik
from tumbuh.web.text_input import has_control_characters

__all__ = [
    "CONFIRM_FIELD",
    "NAME_LENGTH",
    "PROFILE_FIELDS",
    "ChildForm",
    "ChildProfile",
    "PosyanduChoice",
    "SameNik",
    "SentProfile",
    "check_child",
    "child_columns",
    "create_child",
    "nik_refusal",
    "nik_taken_refusal",
    "profile_of",
    "read_child",
    "sent_profile",
    "typed_number",
    "typed_profile",
    "writable_posyandu",
]

PROFILE_FIELDS = (
    "name",
    "nik",
    "sex",
    "birth_date",
    "birth_weight_kg",
    "birth_length_cm",
    "mother_name",
)
NAME_LENGTH = 100
CONFIRM_FIELD = "confirm_duplicate"  # the box: "this is another child, register it"


def typed_profile(profile: ChildProfile) -> dict[str, str]:
    """``profile`` as the form's fields, as if typed (to fill the edit form, or to check
    the API's values with the form's rules)."""
    return {
        "name": profile.name,
        "nik": profile.nik or "",
        "sex": profile.sex.value,
        "birth_date": profile.birth_date.isoformat(),
        "birth_weight_kg": typed_number(profile.birth_weight_kg),
        "birth_length_cm": typed_number(profile.birth_length_cm),
        "mother_name": profile.mother_name or "",
    }


def typed_number(value: float | None) -> str:
    """A number as typed in a form field: ``3.1``, ``3`` (not ``3.0``); empty for None."""
    return "" if value is None else format(value, ".10g")


@dataclass
class ChildForm:
    """The checked new-child or edit form: the details (None while there are errors),
    what to fix, the child that already has the NIK typed, if any, and the children of
    the user's area that may be the new child (registered only once confirmed)."""

    profile: ChildProfile | None
    errors: list[str] = field(default_factory=list)
    same_nik: SameNik | None = None
    same_child: tuple[ChildRecord, ...] = ()


def nik_refusal(
    connection: Connection,
    scope: Scope,
    nik: str,
    language: Language,
    *,
    except_child: int | None = None,
) -> tuple[str, SameNik] | None:
    """The message (and the child, as far as the user may know it) when another child
    than ``except_child`` has ``nik``; None when none has."""
    holder = nik_holder_seen(connection, scope, nik, except_child=except_child)
    return None if holder is None else _refused_nik(holder, language)


def _refused_nik(holder: SameNik | None, language: Language) -> tuple[str, SameNik]:
    """What the user is told of the child holding a NIK (None: not known)."""
    _ = translations(language).gettext
    if holder is not None and holder.child_id is not None:
        message = _(
            "NIK: {name}, a child of your area, already has this NIK; check the number, "
            "or open that child's record"
        ).format(name=holder.name)
        return message, holder
    message = _(
        "NIK: this NIK is already registered; check the number. If it is right, ask the "
        "Dinas Kesehatan administrator to look for the child who has it"
    )
    return message, SameNik(None, None)


def nik_taken_refusal(holder: SameNik | None, language: Language) -> ChildForm:
    """The form's answer when the unique index refused a NIK (a concurrent save
    registered it after the check; ``holder``: that child as far as the user may know
    it): the same message as the check gives."""
    message, same = _refused_nik(holder, language)
    return ChildForm(None, [message], same)


@dataclass(frozen=True)
class SentProfile:
    """A child's details as a form or the API sent them: the texts as written (name, NIK,
    mother's name; empty for none), the rest as values (None: missing or unreadable)."""

    name: str
    nik: str
    sex: Sex | None
    birth_date: date | None
    birth_weight_kg: float | None
    birth_length_cm: float | None
    mother_name: str


def sent_profile(profile: ChildProfile) -> SentProfile:
    """A stored profile as if sent again (the API changes only the fields it sends)."""
    return SentProfile(
        profile.name,
        profile.nik or "",
        profile.sex,
        profile.birth_date,
        profile.birth_weight_kg,
        profile.birth_length_cm,
        profile.mother_name or "",
    )


def read_child(
    connection: Connection,
    scope: Scope,
    raw: dict[str, str],
    language: Language,
    *,
    child: ChildRecord | None = None,
    today: date | None = None,
) -> ChildForm:
    """Read the new-child or edit form's fields and check them (:func:`check_child`;
    ``child``: the child being corrected, found in the scope); the details, or None and
    what to fix."""
    _ = translations(language).gettext
    sex = {"male": Sex.MALE, "female": Sex.FEMALE}.get(raw.get("sex", ""))
    try:
        birth_date: date | None = date.fromisoformat(raw.get("birth_date", ""))
    except ValueError:
        birth_date = None
    sizes: dict[str, float | None] = {}
    unread: dict[str, str] = {}
    for key, label in (
        ("birth_weight_kg", _("Birth weight (kg)")),
        ("birth_length_cm", _("Birth length (cm)")),
    ):
        cell = parse_number(raw.get(key, ""))
        if cell.issue is not None:
            unread[key] = _("{field}: '{value}' is not a number; write it like 12,5").format(
                field=label, value=raw.get(key, "")
            )
        sizes[key] = cell.value
    sent = SentProfile(
        raw.get("name", ""),
        raw.get("nik", ""),
        sex,
        birth_date,
        sizes["birth_weight_kg"],
        sizes["birth_length_cm"],
        raw.get("mother_name", ""),
    )
    return check_child(connection, scope, sent, language, child=child, today=today, unread=unread)


def check_child(
    connection: Connection,
    scope: Scope,
    sent: SentProfile,
    language: Language,
    *,
    child: ChildRecord | None = None,
    today: date | None = None,
    unread: dict[str, str] | None = None,
) -> ChildForm:
    """Check a child's details (the forms' and the API's rules; ``child``: the child being
    corrected, found in the scope; ``unread``: field -> why the form's number could not
    be read); the details, or None and what to fix, in the order of the fields."""
    _ = translations(language).gettext
    errors: list[str] = []
    name = sent.name.strip()
    if not 2 <= len(name) <= 100:
        errors.append(_("Name: write the child's name (2 to 100 characters)"))
    elif has_control_characters(name):
        errors.append(_("Name: remove the tab, line break or other control character"))
    nik = parse_nik(sent.nik).value if sent.nik else None
    same_nik = None
    if sent.nik and nik is None:
        errors.append(_("NIK: write the 16 digits of the NIK, or leave it empty"))
    elif nik is not None:
        except_child = None if child is None else child.id
        refused = nik_refusal(connection, scope, nik, language, except_child=except_child)
        if refused is not None:
            errors.append(refused[0])
            same_nik = refused[1]
    if sent.sex is None:
        errors.append(_("Sex: choose boy or girl"))
    birth_date = sent.birth_date
    if birth_date is None:
        errors.append(_("Birth date: write the date of birth, e.g. 17/08/2023"))
    elif birth_date > (today or date.today()):
        errors.append(_("Birth date: the date lies in the future"))
    elif child is not None:
        first = first_measurement_day(connection, child)
        if first is not None and first < birth_date:
            errors.append(
                _(
                    "Birth date: the child was measured on {day}, before this birth date; "
                    "correct that measurement first"
                ).format(day=first.strftime("%d/%m/%Y"))
            )
    unreadable = unread or {}
    errors.extend(unreadable[k] for k in ("birth_weight_kg", "birth_length_cm") if k in unreadable)
    mother = sent.mother_name.strip()
    if len(mother) > NAME_LENGTH or has_control_characters(mother):
        errors.append(_("Mother's name: use at most 100 characters, without control characters"))
    if errors or sent.sex is None or birth_date is None:
        return ChildForm(None, errors, same_nik)
    profile = ChildProfile(
        name,
        nik,
        sent.sex,
        birth_date,
        sent.birth_weight_kg,
        sent.birth_length_cm,
        mother or None,
    )
    return ChildForm(profile)


def create_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    posyandu: tuple[int, str],
    raw: dict[str, str],
    language: Language,
) -> tuple[int | None, ChildForm]:
    """Check the new-child form and register the child at ``posyandu`` (id, kelurahan
    code): (new id, form), stored and committed; or (None, the form with what to fix, or
    with the children it may be while the box :data:`CONFIRM_FIELD` is not ticked)."""
    form = read_child(connection, scope, raw, language)
    if form.profile is None:
        return None, form
    confirmed = bool(raw.get(CONFIRM_FIELD))
    done = register_child(
        connection, scope, user, *posyandu, form.profile, confirmed_duplicate=confirmed
    )
    if done.same_child:
        return None, ChildForm(None, same_child=done.same_child)
    if done.child_id is None:
        return None, nik_taken_refusal(done.nik_taken, language)
    return done.child_id, form


@dataclass(frozen=True)
class PosyanduChoice:
    """A posyandu a child can be moved to, and how the form names it."""

    place: PosyanduPlace
    label: str  # "Posyandu name, Kelurahan name"


def writable_posyandu(places: Places, scope: Scope) -> list[PosyanduChoice]:
    """The posyandu a user may move a child to, by kelurahan and name."""
    if not scope.may_write:
        return []
    found = sorted(
        (places.posyandu[i] for i in places.posyandu_ids(places.city, scope)),
        key=lambda p: (p.kelurahan_code, p.name.casefold(), p.id),
    )
    choices = []
    for place in found:
        kelurahan = places.kelurahan.get(place.kelurahan_code)
        label = f"{place.name}, {kelurahan.name}" if kelurahan else place.name
        choices.append(PosyanduChoice(place, label))
    return choices
