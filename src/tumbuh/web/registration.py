"""A child's details as kept at the posyandu: registering a new child, correcting the
details of a registered one (name, NIK, sex, birth date, birth size, mother's name,
posyandu); the form's checks, the audit row, and the recomputation that a new sex or
birth date needs.

The mother's name is what finds a child without NIK again when an e-PPGBM file is
imported (name, birth date, sex and mother's name: docs/import-format.md), so the forms
ask for it. It is kept in ``mother``; a correction renames the child's mother record
unless a sibling shares it, in which case the child gets a mother record of its own
(a wrong link is not spread to the siblings)."""

from dataclasses import asdict, dataclass, replace
from datetime import date

from sqlalchemy import Connection, func, insert, select, update

from tumbuh.db.audit import write_audit
from tumbuh.db.models import Child, Measurement, Mother, table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.users import UserInfo
from tumbuh.growth.enums import Sex
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.i18n import Language, translations
from tumbuh.ingest.values import parse_nik, parse_number
from tumbuh.web.children import ChildRecord, rederive, require_write
from tumbuh.web.places import Places, PosyanduPlace
from tumbuh.web.scope import Scope
from tumbuh.web.text_input import has_control_characters

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


@dataclass(frozen=True)
class ChildProfile:
    """What the posyandu records of a child (the new-child and edit forms)."""

    name: str
    nik: str | None
    sex: Sex
    birth_date: date
    birth_weight_kg: float | None
    birth_length_cm: float | None
    mother_name: str | None = None


def profile_of(child: ChildRecord) -> ChildProfile:
    """The stored details of a child."""
    return ChildProfile(
        child.name,
        child.nik,
        child.sex,
        child.birth_date,
        child.birth_weight_kg,
        child.birth_length_cm,
        child.mother_name,
    )


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


def nik_taken(connection: Connection, nik: str, *, except_child: int | None = None) -> bool:
    """True when another child (not ``except_child``) already has this NIK."""
    c = table_of(Child)
    query = select(c.c.id).where(c.c.nik == nik)
    if except_child is not None:
        query = query.where(c.c.id != except_child)
    return connection.execute(query).first() is not None


def first_measured_on(connection: Connection, child_id: int) -> date | None:
    """The date of the child's earliest measurement, if any."""
    m = table_of(Measurement)
    query = select(func.min(m.c.measured_on)).where(m.c.child_id == child_id)
    found: date | None = connection.execute(query).scalar_one()
    return found


def read_child(
    connection: Connection,
    raw: dict[str, str],
    language: Language,
    *,
    child_id: int | None = None,
    today: date | None = None,
) -> tuple[ChildProfile | None, list[str]]:
    """Check the new-child or edit form (``child_id``: the child being corrected); the
    details, or None and what to fix."""
    _ = translations(language).gettext
    errors: list[str] = []
    name = raw.get("name", "").strip()
    if not 2 <= len(name) <= 100:
        errors.append(_("Name: write the child's name (2 to 100 characters)"))
    elif has_control_characters(name):
        errors.append(_("Name: remove the tab, line break or other control character"))
    nik = parse_nik(raw["nik"]).value if raw.get("nik") else None
    if raw.get("nik") and nik is None:
        errors.append(_("NIK: write the 16 digits of the NIK, or leave it empty"))
    elif nik is not None and nik_taken(connection, nik, except_child=child_id):
        errors.append(_("NIK: another child already has this NIK; search for that child"))
    sex = {"male": Sex.MALE, "female": Sex.FEMALE}.get(raw.get("sex", ""))
    if sex is None:
        errors.append(_("Sex: choose boy or girl"))
    try:
        birth_date: date | None = date.fromisoformat(raw.get("birth_date", ""))
    except ValueError:
        birth_date = None
        errors.append(_("Birth date: write the date of birth, e.g. 17/08/2023"))
    if birth_date is not None and birth_date > (today or date.today()):
        errors.append(_("Birth date: the date lies in the future"))
    elif birth_date is not None and child_id is not None:
        first = first_measured_on(connection, child_id)
        if first is not None and first < birth_date:
            errors.append(
                _(
                    "Birth date: the child was measured on {day}, before this birth date; "
                    "correct that measurement first"
                ).format(day=first.strftime("%d/%m/%Y"))
            )
    sizes: dict[str, float | None] = {}
    for key, label in (
        ("birth_weight_kg", _("Birth weight (kg)")),
        ("birth_length_cm", _("Birth length (cm)")),
    ):
        cell = parse_number(raw.get(key, ""))
        if cell.issue is not None:
            errors.append(
                _("{field}: '{value}' is not a number; write it like 12,5").format(
                    field=label, value=raw.get(key, "")
                )
            )
        sizes[key] = cell.value
    mother = raw.get("mother_name", "").strip()
    if len(mother) > NAME_LENGTH or has_control_characters(mother):
        errors.append(_("Mother's name: use at most 100 characters, without control characters"))
    if errors or sex is None or birth_date is None:
        return None, errors
    profile = ChildProfile(
        name,
        nik,
        sex,
        birth_date,
        sizes["birth_weight_kg"],
        sizes["birth_length_cm"],
        mother or None,
    )
    return profile, []


def _child_columns(profile: ChildProfile) -> dict[str, object]:
    """The ``child`` columns of a profile (the mother's name lives in ``mother``)."""
    values = asdict(profile)
    del values["mother_name"]
    return values


def _new_mother(connection: Connection, name: str) -> int:
    m = table_of(Mother)
    return int(connection.execute(insert(m).values(name=name).returning(m.c.id)).scalar_one())


def _mother_for(connection: Connection, child_id: int, name: str | None) -> int | None:
    """The mother record of a child whose mother's name is now ``name``: None without a
    name; else its own record renamed, or a new one when a sibling shares the old one."""
    if name is None:
        return None
    c, m = table_of(Child), table_of(Mother)
    current = connection.execute(
        select(c.c.mother_id).where(c.c.id == child_id)
    ).scalar_one_or_none()
    if current is None:
        return _new_mother(connection, name)
    shared = connection.execute(
        select(func.count()).where(c.c.mother_id == current, c.c.id != child_id)
    ).scalar_one()
    if shared:
        return _new_mother(connection, name)
    connection.execute(update(m).where(m.c.id == current).values(name=name))
    return int(current)


def register_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    posyandu_id: int,
    kelurahan_code: str,
    child: ChildProfile,
) -> int:
    """Add a child to a posyandu in the scope, with its audit row; returns the new id."""
    require_write(scope, posyandu_id, kelurahan_code)
    c = table_of(Child)
    mother_id = _new_mother(connection, child.mother_name) if child.mother_name else None
    values = {**_child_columns(child), "posyandu_id": posyandu_id, "mother_id": mother_id}
    new_id = int(connection.execute(insert(c).values(**values).returning(c.c.id)).scalar_one())
    after = {**asdict(child), "posyandu_id": posyandu_id}
    write_audit(connection, user, AuditAction.CREATE, "child", new_id, before=None, after=after)
    return new_id


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


def update_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    profile: ChildProfile,
    posyandu: PosyanduPlace,
    kbm: KbmTable,
) -> bool:
    """Store corrected details of a child (moved to ``posyandu`` if another one), both
    posyandu in the scope; audit the change and, when sex or birth date changed,
    recompute every derived value of the child. False when nothing changed."""
    require_write(scope, child.posyandu_id, child.kelurahan_code)
    require_write(scope, posyandu.id, posyandu.kelurahan_code)
    before = {**asdict(profile_of(child)), "posyandu_id": child.posyandu_id}
    after = {**asdict(profile), "posyandu_id": posyandu.id}
    if before == after:
        return False
    c = table_of(Child)
    values = {**_child_columns(profile), "posyandu_id": posyandu.id}
    if profile.mother_name != child.mother_name:
        values["mother_id"] = _mother_for(connection, child.id, profile.mother_name)
    connection.execute(update(c).where(c.c.id == child.id).values(**values))
    if (profile.sex, profile.birth_date) != (child.sex, child.birth_date):
        changed = replace(child, sex=profile.sex, birth_date=profile.birth_date)
        rederive(connection, changed, kbm)
    write_audit(connection, user, AuditAction.UPDATE, "child", child.id, before=before, after=after)
    return True


def correct_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    child: ChildRecord,
    raw: dict[str, str],
    choices: list[PosyanduChoice],
    language: Language,
    kbm: KbmTable,
) -> tuple[bool, list[str]]:
    """Check the edit form's fields (``raw``: the profile fields and ``posyandu_id``, one
    of ``choices``; left empty, the child stays at its posyandu) and store them:
    (changed, []), or (False, what to fix)."""
    profile, errors = read_child(connection, raw, language, child_id=child.id)
    wanted = raw.get("posyandu_id") or str(child.posyandu_id)
    chosen = next((c.place for c in choices if str(c.place.id) == wanted), None)
    if chosen is None:
        _ = translations(language).gettext
        errors.append(_("Posyandu: choose one of the posyandu in the list"))
    if profile is None or chosen is None:
        return False, errors
    return update_child(connection, scope, user, child, profile, chosen, kbm), []
