"""A child's details as kept at the posyandu: registering a new child, correcting the
details of a registered one (name, NIK, sex, birth date, birth size, posyandu); the
form's checks, the audit row, and the recomputation that a new sex or birth date needs."""

from dataclasses import asdict, dataclass, replace
from datetime import date

from sqlalchemy import Connection, func, insert, select, update

from tumbuh.db.audit import write_audit
from tumbuh.db.models import Child, Measurement, table_of
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

PROFILE_FIELDS = ("name", "nik", "sex", "birth_date", "birth_weight_kg", "birth_length_cm")


@dataclass(frozen=True)
class ChildProfile:
    """What the posyandu records of a child (the new-child and edit forms)."""

    name: str
    nik: str | None
    sex: Sex
    birth_date: date
    birth_weight_kg: float | None
    birth_length_cm: float | None


def profile_of(child: ChildRecord) -> ChildProfile:
    """The stored details of a child."""
    return ChildProfile(
        child.name,
        child.nik,
        child.sex,
        child.birth_date,
        child.birth_weight_kg,
        child.birth_length_cm,
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
    if errors or sex is None or birth_date is None:
        return None, errors
    profile = ChildProfile(
        name, nik, sex, birth_date, sizes["birth_weight_kg"], sizes["birth_length_cm"]
    )
    return profile, []


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
    values = {**asdict(child), "posyandu_id": posyandu_id}
    new_id = int(connection.execute(insert(c).values(**values).returning(c.c.id)).scalar_one())
    write_audit(connection, user, AuditAction.CREATE, "child", new_id, before=None, after=values)
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
    connection.execute(update(c).where(c.c.id == child.id).values(**after))
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
