"""Registering a child at a posyandu session: checking the form, storing it, auditing it."""

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Connection, insert, select

from tumbuh.db.audit import write_audit
from tumbuh.db.models import Child, table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.users import UserInfo
from tumbuh.growth.enums import Sex
from tumbuh.i18n import Language, translations
from tumbuh.ingest.values import parse_nik, parse_number
from tumbuh.web.children import require_write
from tumbuh.web.scope import Scope


@dataclass(frozen=True)
class NewChild:
    """A child registered at a posyandu session."""

    name: str
    nik: str | None
    sex: Sex
    birth_date: date
    birth_weight_kg: float | None
    birth_length_cm: float | None


def nik_taken(connection: Connection, nik: str) -> bool:
    """True when another child already has this NIK."""
    c = table_of(Child)
    return connection.execute(select(c.c.id).where(c.c.nik == nik)).first() is not None


def register_child(
    connection: Connection,
    scope: Scope,
    user: UserInfo,
    posyandu_id: int,
    kelurahan_code: str,
    child: NewChild,
) -> int:
    """Add a child to a posyandu in the scope, with its audit row; returns the new id."""
    require_write(scope, posyandu_id, kelurahan_code)
    c = table_of(Child)
    values = {**asdict(child), "posyandu_id": posyandu_id}
    new_id = int(connection.execute(insert(c).values(**values).returning(c.c.id)).scalar_one())
    write_audit(connection, user, AuditAction.CREATE, "child", new_id, before=None, after=values)
    return new_id


def read_new_child(
    connection: Connection, raw: dict[str, str], language: Language
) -> tuple[NewChild | None, list[str]]:
    """Check the new-child form; the child, or None and what to fix."""
    _ = translations(language).gettext
    errors: list[str] = []
    name = raw.get("name", "").strip()
    if not 2 <= len(name) <= 100:
        errors.append(_("Name: write the child's name (2 to 100 characters)"))
    nik = parse_nik(raw["nik"]).value if raw.get("nik") else None
    if raw.get("nik") and nik is None:
        errors.append(_("NIK: write the 16 digits of the NIK, or leave it empty"))
    elif nik is not None and nik_taken(connection, nik):
        errors.append(_("NIK: another child already has this NIK; search for that child"))
    sex = {"male": Sex.MALE, "female": Sex.FEMALE}.get(raw.get("sex", ""))
    if sex is None:
        errors.append(_("Sex: choose boy or girl"))
    try:
        birth_date = date.fromisoformat(raw.get("birth_date", ""))
    except ValueError:
        birth_date = None
        errors.append(_("Birth date: write the date of birth, e.g. 17/08/2023"))
    if birth_date is not None and birth_date > date.today():
        errors.append(_("Birth date: the date lies in the future"))
    weights: dict[str, float | None] = {}
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
        weights[key] = cell.value
    if errors or sex is None or birth_date is None:
        return None, errors
    return NewChild(
        name, nik, sex, birth_date, weights["birth_weight_kg"], weights["birth_length_cm"]
    ), []
