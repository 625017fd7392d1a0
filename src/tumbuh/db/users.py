"""Users of the web application: accounts, password hashes and login attempts.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults, RFC 9106's second
recommended option; OWASP Password Storage Cheat Sheet). The hash is the only thing
stored; a password never leaves this module. Login attempts are
:mod:`tumbuh.db.sign_in`'s; ended sessions :mod:`tumbuh.db.sessions`'s. A new password,
role or area, or a change of the account's state ends every session of the user
(``session_version``; docs/security.md, section 3).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, func, insert, select, update

from tumbuh.db.models import Posyandu, Puskesmas, PuskesmasArea, table_of
from tumbuh.db.models_access import AppUser, Role
from tumbuh.db.models_asuh import Sponsor
from tumbuh.db.models_pmt import Kitchen
from tumbuh.db.models_tpps import Institution
from tumbuh.db.sessions import end_every_session
from tumbuh.errors import InputError

_HASHER = PasswordHasher()
# Verified against when the username is unknown, so that a wrong username takes as long
# as a wrong password and does not reveal which usernames exist.
_DUMMY_HASH = _HASHER.hash("tumbuh: no such user")
MIN_PASSWORD_LENGTH = 10
USERNAME_LENGTH = 50


@dataclass(frozen=True)
class UserInfo:
    """A user as the web layer sees it (never the password hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    puskesmas_id: int | None
    posyandu_id: int | None
    language: str
    is_active: bool
    session_version: int = 1  # what a session must carry to be accepted
    kitchen_id: int | None = None  # the kitchen of a kitchen operator
    sponsor_id: int | None = None  # the bapak asuh a sponsor's account belongs to
    institution_id: int | None = None  # the institution a partner's account speaks for


@dataclass(frozen=True)
class NewUser:
    """What ``create_user`` needs; the area is a puskesmas or a posyandu by id, the
    place of a kitchen operator a kitchen."""

    username: str
    full_name: str
    role: Role
    password: str
    puskesmas_id: int | None = None
    posyandu_id: int | None = None
    language: str = "id"
    kitchen_id: int | None = None
    sponsor_id: int | None = None  # a sponsor's bapak asuh record
    institution_id: int | None = None  # a partner's institution (optional)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted; its parameters are in the hash)."""
    return _HASHER.hash(password)


def _info(row: Row[Any]) -> UserInfo:
    return UserInfo(
        id=int(row.id),
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        puskesmas_id=row.puskesmas_id,
        posyandu_id=row.posyandu_id,
        language=row.language,
        is_active=bool(row.is_active),
        session_version=int(row.session_version),
        kitchen_id=row.kitchen_id,
        sponsor_id=row.sponsor_id,
        institution_id=row.institution_id,
    )


Place = tuple[int | None, int | None, int | None]  # puskesmas, posyandu, kitchen


def _check_area(connection: Connection, user: NewUser) -> Place:
    """The (puskesmas_id, posyandu_id, kitchen_id) the role needs; refuses a missing or
    unknown area or kitchen."""
    return _place_of(connection, user.role, user.puskesmas_id, user.posyandu_id, user.kitchen_id)


def _place_of(
    connection: Connection,
    role: Role,
    puskesmas_id: int | None,
    posyandu_id: int | None,
    kitchen_id: int | None,
) -> Place:
    if role is Role.KITCHEN:
        if kitchen_id is None or not _exists(connection, Kitchen, kitchen_id):
            raise InputError(
                "--kitchen: a kitchen operator works at one kitchen; give the number of a "
                "kitchen (tumbuh kitchen list shows them)"
            )
        return None, None, kitchen_id
    return (*_area_of(connection, role, puskesmas_id, posyandu_id), None)


def _area_of(
    connection: Connection, role: Role, puskesmas_id: int | None, posyandu_id: int | None
) -> tuple[int | None, int | None]:
    if role is Role.NUTRITIONIST:
        if puskesmas_id is None or not _exists(connection, Puskesmas, puskesmas_id):
            raise InputError(
                "--puskesmas: a nutritionist works for one puskesmas; give the name of a "
                "puskesmas of this city (tumbuh user list shows them)"
            )
        return puskesmas_id, None
    if role is Role.KADER:
        if posyandu_id is None or not _exists(connection, Posyandu, posyandu_id):
            raise InputError(
                "--posyandu: a kader works at one posyandu; give the code of a posyandu of "
                "this city, for example 36.72.01.1001.01"
            )
        return None, posyandu_id
    if role in AREA_ROLES:
        return _puskesmas_or_posyandu(connection, puskesmas_id, posyandu_id)
    return None, None


AREA_ROLES = frozenset({Role.BIDAN, Role.TPK})  # a puskesmas working area or a kelurahan


def _puskesmas_or_posyandu(
    connection: Connection, puskesmas_id: int | None, posyandu_id: int | None
) -> tuple[int | None, int | None]:
    """A bidan's or TPK's area: their puskesmas (its working area) or else their
    posyandu (its kelurahan)."""
    if puskesmas_id is not None and _exists(connection, Puskesmas, puskesmas_id):
        return puskesmas_id, None
    if posyandu_id is not None and _exists(connection, Posyandu, posyandu_id):
        return None, posyandu_id
    raise InputError(
        "--puskesmas or --posyandu: a bidan or a TPK works in the area of one puskesmas or "
        "in the kelurahan of one posyandu; give the name of the puskesmas or the posyandu's "
        "code, for example 36.72.01.1001.01"
    )


def _sponsor_of(connection: Connection, role: Role, sponsor_id: int | None) -> int | None:
    """The sponsor record a sponsor's account needs (None for the other roles)."""
    if role is not Role.SPONSOR:
        return None
    if sponsor_id is None or not _exists(connection, Sponsor, sponsor_id):
        raise InputError(
            "--sponsor: a sponsor's account belongs to one bapak asuh; give the number of a "
            "sponsor of this city (tumbuh asuh sponsors shows them)"
        )
    return sponsor_id


def _institution_of(connection: Connection, role: Role, institution_id: int | None) -> int | None:
    """The institution a partner's account speaks for (None when not given, and for the
    other roles): it lets the account update that institution's actions."""
    if role is not Role.PARTNER or institution_id is None:
        return None
    if not _exists(connection, Institution, institution_id):
        raise InputError(
            "--institution: there is no partner institution number {number}; the TPPS's "
            "partner list shows them",
            number=institution_id,
        )
    return institution_id


def _exists(
    connection: Connection,
    model: type[Puskesmas] | type[Posyandu] | type[Kitchen] | type[Sponsor] | type[Institution],
    key: int,
) -> bool:
    table = table_of(model)
    return connection.execute(select(table.c.id).where(table.c.id == key)).first() is not None


def create_user(connection: Connection, user: NewUser, now: datetime) -> UserInfo:
    """Insert a user; refuses a taken username, a short password or a missing area."""
    username = user.username.strip()
    if not username or len(username) > USERNAME_LENGTH or any(c.isspace() for c in username):
        raise InputError(
            "username '{username}': use 1 to 50 characters without spaces", username=username
        )
    check_password(user.password)
    if find_user(connection, username) is not None:
        raise InputError(
            "the username '{username}' is taken; choose another one", username=username
        )
    puskesmas_id, posyandu_id, kitchen_id = _check_area(connection, user)
    sponsor_id = _sponsor_of(connection, user.role, user.sponsor_id)
    institution_id = _institution_of(connection, user.role, user.institution_id)
    table = table_of(AppUser)
    new_id = connection.execute(
        insert(table)
        .values(
            username=username,
            password_hash=hash_password(user.password),
            full_name=user.full_name.strip() or username,
            role=user.role,
            puskesmas_id=puskesmas_id,
            posyandu_id=posyandu_id,
            kitchen_id=kitchen_id,
            sponsor_id=sponsor_id,
            institution_id=institution_id,
            language=user.language,
            is_active=True,
            created_at=now,
        )
        .returning(table.c.id)
    ).scalar_one()
    found = get_user(connection, int(new_id))
    if found is None:  # pragma: no cover - the row was inserted just above
        raise RuntimeError("user vanished after insert")
    return found


def check_password(password: str) -> None:
    """Refuse a password shorter than :data:`MIN_PASSWORD_LENGTH`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            "the password has {length} characters; use at least {minimum}",
            length=len(password),
            minimum=MIN_PASSWORD_LENGTH,
        )


@dataclass(frozen=True)
class UserChange:
    """What an administrator may change of an account (not its username or password)."""

    full_name: str
    role: Role
    puskesmas_id: int | None
    posyandu_id: int | None
    language: str
    is_active: bool
    kitchen_id: int | None = None
    sponsor_id: int | None = None  # a sponsor's bapak asuh record
    institution_id: int | None = None  # a partner's institution


def user_record(user: UserInfo) -> dict[str, object]:
    """The account as the audit log keeps it (never a password or its hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "puskesmas_id": user.puskesmas_id,
        "posyandu_id": user.posyandu_id,
        "kitchen_id": user.kitchen_id,
        "sponsor_id": user.sponsor_id,
        "institution_id": user.institution_id,
        "language": user.language,
        "is_active": user.is_active,
    }


def update_user(connection: Connection, user_id: int, change: UserChange) -> UserInfo:
    """Store an account's new name, role, area, language or state; refuses a missing or
    unknown area for the role (as :func:`create_user`). A new role, area or state ends
    every session of the user; a new name or language does not."""
    puskesmas_id, posyandu_id, kitchen_id = _place_of(
        connection, change.role, change.puskesmas_id, change.posyandu_id, change.kitchen_id
    )
    sponsor_id = _sponsor_of(connection, change.role, change.sponsor_id)
    institution_id = _institution_of(connection, change.role, change.institution_id)
    before = get_user(connection, user_id)
    access = (
        change.role,
        puskesmas_id,
        posyandu_id,
        kitchen_id,
        sponsor_id,
        institution_id,
        change.is_active,
    )
    if before is not None and access != _access(before):
        end_every_session(connection, user_id)
    table = table_of(AppUser)
    connection.execute(
        update(table)
        .where(table.c.id == user_id)
        .values(
            full_name=change.full_name.strip()[:100],
            role=change.role,
            puskesmas_id=puskesmas_id,
            posyandu_id=posyandu_id,
            kitchen_id=kitchen_id,
            sponsor_id=sponsor_id,
            institution_id=institution_id,
            language=change.language,
            is_active=change.is_active,
        )
    )
    found = get_user(connection, user_id)
    if found is None:
        raise InputError("there is no user with id {user_id}", user_id=user_id)
    return found


Access = tuple[Role, int | None, int | None, int | None, int | None, int | None, bool]


def _access(user: UserInfo) -> Access:
    """What decides what a session of the user may see and do."""
    return (
        user.role,
        user.puskesmas_id,
        user.posyandu_id,
        user.kitchen_id,
        user.sponsor_id,
        user.institution_id,
        user.is_active,
    )


def set_password(connection: Connection, user_id: int, password: str) -> None:
    """Replace an account's password (its argon2id hash) and end every session of the
    user; refuses a short one."""
    check_password(password)
    table = table_of(AppUser)
    connection.execute(
        update(table).where(table.c.id == user_id).values(password_hash=hash_password(password))
    )
    end_every_session(connection, user_id)


def find_user(connection: Connection, username: str) -> UserInfo | None:
    """The user with this username (exact), or None."""
    table = table_of(AppUser)
    row = connection.execute(select(table).where(table.c.username == username)).first()
    return None if row is None else _info(row)


def get_user(connection: Connection, user_id: int) -> UserInfo | None:
    """The user with this id, or None."""
    table = table_of(AppUser)
    row = connection.execute(select(table).where(table.c.id == user_id)).first()
    return None if row is None else _info(row)


def list_users(connection: Connection) -> list[UserInfo]:
    """Every user, by username."""
    table = table_of(AppUser)
    return [_info(r) for r in connection.execute(select(table).order_by(table.c.username))]


def authenticate(connection: Connection, username: str, password: str) -> UserInfo | None:
    """The active user whose password matches, else None (same work either way).

    Only reads: the slow hash check must not run inside a write transaction.
    """
    table = table_of(AppUser)
    row = connection.execute(
        select(table.c.id, table.c.password_hash, table.c.is_active).where(
            table.c.username == username
        )
    ).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.is_active:
        return None
    return get_user(connection, int(row.id))


def rehash_if_needed(connection: Connection, user_id: int, password: str) -> None:
    """Store a new hash when the stored one uses older argon2 parameters (after sign-in)."""
    table = table_of(AppUser)
    stored = connection.execute(
        select(table.c.password_hash).where(table.c.id == user_id)
    ).scalar_one_or_none()
    if stored is not None and _HASHER.check_needs_rehash(stored):
        connection.execute(
            update(table).where(table.c.id == user_id).values(password_hash=hash_password(password))
        )


def set_language(connection: Connection, user_id: int, language: str) -> None:
    """Remember the user's interface language (``id`` or ``en``)."""
    table = table_of(AppUser)
    connection.execute(update(table).where(table.c.id == user_id).values(language=language))


def puskesmas_by_name(connection: Connection, name: str) -> int | None:
    """Id of the puskesmas named ``name`` (case-insensitive), or None."""
    table = table_of(Puskesmas)
    row = connection.execute(
        select(table.c.id).where(func.lower(table.c.name) == name.strip().lower())
    ).first()
    return None if row is None else int(row.id)


def posyandu_by_code(connection: Connection, code: str) -> int | None:
    """Id of the posyandu with this code, or None."""
    table = table_of(Posyandu)
    row = connection.execute(select(table.c.id).where(table.c.code == code.strip())).first()
    return None if row is None else int(row.id)


def area_kelurahan(connection: Connection, user: UserInfo) -> frozenset[str]:
    """The kelurahan codes of a user's area: their puskesmas' kelurahan (nutritionist,
    and a bidan or TPK of a puskesmas) or their posyandu's one (the roles of one posyandu,
    a bidan or TPK of a kelurahan); empty for city-wide roles."""
    if user.puskesmas_id is not None and user.role in {Role.NUTRITIONIST, *AREA_ROLES}:
        return puskesmas_kelurahan(connection, user.puskesmas_id)
    if user.posyandu_id is None:
        return frozenset()
    posyandu = table_of(Posyandu)
    code = connection.execute(
        select(posyandu.c.kelurahan_code).where(posyandu.c.id == user.posyandu_id)
    ).scalar_one_or_none()
    return frozenset({code}) if code is not None else frozenset()


def puskesmas_kelurahan(connection: Connection, puskesmas_id: int) -> frozenset[str]:
    """The kelurahan codes of a puskesmas working area (empty: no such puskesmas)."""
    area = table_of(PuskesmasArea)
    codes = connection.execute(
        select(area.c.kelurahan_code).where(area.c.puskesmas_id == puskesmas_id)
    ).scalars()
    return frozenset(codes)


def puskesmas_names(connection: Connection) -> list[tuple[int, str]]:
    """Every puskesmas as (id, name), by name: what an account form offers."""
    table = table_of(Puskesmas)
    rows = connection.execute(select(table.c.id, table.c.name).order_by(table.c.name))
    return [(int(row.id), str(row.name)) for row in rows]


def first_posyandu_of_puskesmas(connection: Connection, puskesmas_id: int | None) -> int | None:
    """The posyandu with the lowest code in the kecamatan of a puskesmas (the demo kader's
    place), or None."""
    puskesmas = table_of(Puskesmas)
    posyandu = table_of(Posyandu)
    kecamatan = connection.execute(
        select(puskesmas.c.kecamatan_code).where(puskesmas.c.id == puskesmas_id)
    ).scalar_one_or_none()
    found: int | None = connection.execute(
        select(posyandu.c.id)
        .where(posyandu.c.kelurahan_code.startswith(f"{kecamatan}."))
        .order_by(posyandu.c.code)
        .limit(1)
    ).scalar_one_or_none()
    return found


def puskesmas_named(connection: Connection, name: str) -> int | None:
    """Id of the puskesmas named exactly ``name``, or None."""
    table = table_of(Puskesmas)
    found: int | None = connection.execute(
        select(table.c.id).where(table.c.name == name)
    ).scalar_one_or_none()
    return found
