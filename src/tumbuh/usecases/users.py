"""Accounts of the web application: signing in and out, sessions, the language, and the
administrators' (and the command line's) changes to accounts.

Every change to an account is audited (never a password) and commits itself. The web's
account changes take the administrator's :class:`~tumbuh.usecases.access.Scope` and
check ``may_administer`` here, once; anyone else gets :class:`OutOfScope` (404 on the
web). The command line is trusted (whoever runs it can write the database) and names
itself in the audit rows as an :class:`~tumbuh.usecases.audit.Actor`.
"""

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Connection

from tumbuh.db.aks import link_members_named
from tumbuh.db.asuh import first_sponsor_with_asuhan
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.institutions import institution_named
from tumbuh.db.kitchens import busiest_kitchen
from tumbuh.db.models_access import AuditAction
from tumbuh.db.sessions import end_every_session, end_session, session_ended
from tumbuh.db.sign_in import Attempt, LoginHistory, Windows, login_history, record_if_free
from tumbuh.db.users import (
    AREA_ROLES,
    MIN_PASSWORD_LENGTH,
    USERNAME_LENGTH,
    NewUser,
    UserChange,
    UserInfo,
    authenticate,
    create_user,
    find_user,
    first_posyandu_of_puskesmas,
    get_user,
    list_users,
    posyandu_by_code,
    puskesmas_by_name,
    puskesmas_named,
    puskesmas_names,
    set_language,
    set_password,
    update_user,
    user_record,
)
from tumbuh.demo.aks import EXPERT_NAME as DEMO_EXPERT
from tumbuh.demo.aks import TECHNICAL_NAME as DEMO_TECHNICAL
from tumbuh.errors import InputError
from tumbuh.usecases.access import OutOfScope, Role, Scope
from tumbuh.usecases.transactions import end_read, write_if_free, writing

__all__ = [
    "AREA_ROLES",
    "DEMO_PASSWORD",
    "MIN_PASSWORD_LENGTH",
    "USERNAME_LENGTH",
    "Attempt",
    "LoginHistory",
    "NewUser",
    "UserChange",
    "UserInfo",
    "Windows",
    "account",
    "accounts",
    "add_account",
    "authenticated",
    "check_sign_in",
    "create_account",
    "end_sessions_of",
    "ensure_demo_users",
    "list_accounts",
    "new_password_of",
    "puskesmas_choices",
    "record_sign_in",
    "refuse_sign_in",
    "remember_language",
    "session_account",
    "set_account_password",
    "sign_out",
    "update_account",
    "username_taken",
]

DEMO_PASSWORD = "tumbuh-demo"
DEMO_PUSKESMAS = "Cibeber"


# --- signing in and out, sessions, language -----------------------------------------


def check_sign_in(
    connection: Connection, username: str, address: str, now: datetime, windows: Windows
) -> LoginHistory:
    """The recent attempts of ``username`` and from ``address`` (the throttle's input)."""
    return login_history(connection, username, address, now, windows)


def refuse_sign_in(connection: Connection) -> None:
    """A throttled attempt: nothing is checked or written; the read ends."""
    end_read(connection)


def authenticated(connection: Connection, username: str, password: str) -> UserInfo | None:
    """The active account with this username and password, else None (as slow either way)."""
    return authenticate(connection, username, password)


def record_sign_in(
    connection: Connection, attempt: Attempt, password: str, *, wait_ms: int
) -> bool:
    """Record the attempt (and rehash an old hash after a success) if the database is
    free within ``wait_ms``; False, nothing written, when it stayed busy."""
    return record_if_free(connection, attempt, password, wait_ms=wait_ms)


def session_account(connection: Connection, user_id: int, session_id: str) -> UserInfo | None:
    """The account of a session, unless the session was signed out (the caller checks
    that the account is active and of the session's version)."""
    user = get_user(connection, user_id)
    if user is None or session_ended(connection, session_id):
        return None
    return user


def sign_out(
    connection: Connection, session_id: str, user_id: int, now: datetime, keep_until: datetime
) -> bool:
    """Store the session id as ended (kept until ``keep_until``); False, nothing written,
    when the database stayed busy."""
    return write_if_free(connection, lambda c: end_session(c, session_id, user_id, now, keep_until))


def remember_language(connection: Connection, user_id: int, language: str) -> bool:
    """Store the user's language unless the database is busy (then False)."""
    return write_if_free(connection, lambda c: set_language(c, user_id, language))


# --- the administrators' account pages ------------------------------------------------


def _administrator(scope: Scope) -> None:
    if not scope.may_administer:
        raise OutOfScope


def list_accounts(connection: Connection, scope: Scope) -> list[UserInfo]:
    """Every account (administrators only)."""
    _administrator(scope)
    return list_users(connection)


def puskesmas_choices(connection: Connection, scope: Scope) -> list[tuple[int, str]]:
    """Every puskesmas (id, name) an account may work for (administrators only)."""
    _administrator(scope)
    return puskesmas_names(connection)


def account(connection: Connection, scope: Scope, user_id: int) -> UserInfo:
    """One account (administrators only); :class:`OutOfScope` when there is none."""
    _administrator(scope)
    user = get_user(connection, user_id)
    if user is None:
        raise OutOfScope
    return user


def username_taken(connection: Connection, scope: Scope, username: str) -> bool:
    """True when an account has this username (administrators only)."""
    _administrator(scope)
    return find_user(connection, username) is not None


def create_account(connection: Connection, scope: Scope, by: UserInfo, new: NewUser) -> UserInfo:
    """Create the account (audited) and commit (administrators only)."""
    _administrator(scope)
    with writing(connection):
        created = create_user(connection, new, datetime.now(UTC))
        write_audit(
            connection,
            by,
            AuditAction.CREATE,
            "user",
            created.id,
            before=None,
            after=user_record(created),
        )
    return created


def update_account(
    connection: Connection, scope: Scope, by: UserInfo, user: UserInfo, change: UserChange
) -> UserInfo:
    """Store the account's new role, area, name, language or state; audited and
    committed when anything changed (administrators only)."""
    _administrator(scope)
    with writing(connection):
        updated = update_user(connection, user.id, change)
        before, after = user_record(user), user_record(updated)
        if before != after:
            write_audit(
                connection,
                by,
                AuditAction.UPDATE,
                "user",
                user.id,
                before=before,
                after=after,
            )
    return updated


def set_account_password(
    connection: Connection, scope: Scope, by: UserInfo, user: UserInfo, password: str
) -> UserInfo | None:
    """Set a new password (the audit row says that it changed, never what it is) and
    commit; returns the account as it is now (administrators only)."""
    _administrator(scope)
    with writing(connection):
        set_password(connection, user.id, password)
        _audit_account(connection, by, user, "password_changed")
        changed = get_user(connection, user.id)
    return changed


def _audit_account(connection: Connection, by: UserInfo | Actor, user: UserInfo, what: str) -> None:
    """The audit row of a password set or sessions ended: that it happened, nothing more."""
    before = {"username": user.username}
    after = before | {what: True}
    write_audit(connection, by, AuditAction.UPDATE, "user", user.id, before=before, after=after)


# --- the command line (trusted) --------------------------------------------------------


def accounts(connection: Connection) -> list[UserInfo]:
    """Every account, for ``tumbuh user list``."""
    return list_users(connection)


def _institution_id(connection: Connection, typed: str) -> int:
    """The institution given by number or exact name; InputError naming the option."""
    text = typed.strip()
    found = int(text) if text.isdigit() else institution_named(connection, text)
    if found is None:
        raise InputError(
            "--institution: no partner institution is named '{name}'; give its number or "
            "its exact name as the partners' page shows it",
            name=typed,
        )
    return found


def add_account(
    connection: Connection,
    actor: Actor,
    new: NewUser,
    *,
    puskesmas: str | None,
    posyandu: str | None,
    kitchen: int | None = None,
    institution: str | None = None,
) -> UserInfo:
    """Create an account with the puskesmas (by name), posyandu (by code), kitchen (by
    number) or partner institution (by number or exact name) given, and the sponsor
    record of ``new`` (a sponsor's); audited and committed. An unknown name, code, number
    or sponsor is an :class:`InputError` naming the option."""
    with writing(connection):
        if institution is not None:
            new = replace(new, institution_id=_institution_id(connection, institution))
        puskesmas_id = posyandu_id = None
        if puskesmas is not None:
            puskesmas_id = puskesmas_by_name(connection, puskesmas)
            if puskesmas_id is None:
                raise InputError("--puskesmas: no puskesmas is named '{name}'", name=puskesmas)
        if posyandu is not None:
            posyandu_id = posyandu_by_code(connection, posyandu)
            if posyandu_id is None:
                raise InputError("--posyandu: no posyandu has the code '{code}'", code=posyandu)
        placed = replace(
            new,
            puskesmas_id=puskesmas_id,
            posyandu_id=posyandu_id,
            kitchen_id=new.kitchen_id if kitchen is None else kitchen,
        )
        user = create_user(connection, placed, datetime.now(UTC))
        write_audit(
            connection,
            actor,
            AuditAction.CREATE,
            "user",
            user.id,
            before=None,
            after=user_record(user),
        )
    return user


def _named(connection: Connection, username: str) -> UserInfo:
    user = find_user(connection, username)
    if user is None:
        raise InputError(
            "there is no user named '{username}'; tumbuh user list shows them",
            username=username,
        )
    return user


def new_password_of(connection: Connection, actor: Actor, username: str, password: str) -> UserInfo:
    """Set the named user's password (every session ends); audited and committed."""
    with writing(connection):
        user = _named(connection, username)
        set_password(connection, user.id, password)
        _audit_account(connection, actor, user, "password_changed")
    return user


def end_sessions_of(connection: Connection, actor: Actor, username: str) -> UserInfo:
    """End every web session of the named user at once; audited and committed."""
    with writing(connection):
        user = _named(connection, username)
        end_every_session(connection, user.id)
        _audit_account(connection, actor, user, "signed_out")
    return user


# --- the demo accounts ----------------------------------------------------------------


# Demo partner accounts: username, full name, the institution they speak for (demo/partners.py).
DEMO_PARTNERS = (
    ("polres", "Kasat Binmas Polres Cilegon", "Polres Cilegon"),
    ("baznas", "Wakil Ketua Baznas Kota Cilegon", "Baznas Kota Cilegon"),
)


def _demo_partner_users(connection: Connection) -> list[NewUser]:
    """The demo partners' accounts, each when its institution exists (after the demo)."""
    found = []
    for username, full_name, institution in DEMO_PARTNERS:
        institution_id = institution_named(connection, institution)
        if institution_id is not None:
            found.append(
                NewUser(
                    username,
                    full_name,
                    Role.PARTNER,
                    DEMO_PASSWORD,
                    institution_id=institution_id,
                )
            )
    return found


def ensure_demo_users(connection: Connection) -> list[UserInfo]:
    """Create the demo users that are missing, one per role (synthetic people, for
    ``make demo`` and the browser tests), in the caller's transaction; returns them all.
    The sponsor's account (``asuh``) belongs to the demo's first sponsor with an asuhan,
    the kitchen operator's (``operator``) to the active kitchen with the most open episodes;
    each is made only when there is one (after ``tumbuh demo generate``)."""
    puskesmas_id = puskesmas_named(connection, DEMO_PUSKESMAS)
    posyandu_id = first_posyandu_of_puskesmas(connection, puskesmas_id)
    wanted = [
        NewUser("admin", "Admin Dinas Kesehatan", Role.ADMIN, DEMO_PASSWORD),
        NewUser("analis", "Analis TPPS Bappeda", Role.ANALYST, DEMO_PASSWORD),
        NewUser(
            "gizi",
            "Nutrisionis Puskesmas Cibeber",
            Role.NUTRITIONIST,
            DEMO_PASSWORD,
            puskesmas_id=puskesmas_id,
        ),
        NewUser("kader", "Kader Posyandu", Role.KADER, DEMO_PASSWORD, posyandu_id=posyandu_id),
        NewUser("mitra", "Mitra Program", Role.PARTNER, DEMO_PASSWORD),
        NewUser(
            "bidan",
            "Bidan Puskesmas Cibeber",
            Role.BIDAN,
            DEMO_PASSWORD,
            puskesmas_id=puskesmas_id,
        ),
        # a TPK works in one kelurahan: the kader's posyandu's
        NewUser("tpk", "Tim Pendamping Keluarga", Role.TPK, DEMO_PASSWORD, posyandu_id=posyandu_id),
    ]
    # the Audit Kasus Stunting's team (tumbuh.demo.aks): linked to their member rows below
    wanted += [
        NewUser("tim_pakar", DEMO_EXPERT, Role.AUDITOR, DEMO_PASSWORD),
        NewUser("tim_teknis", DEMO_TECHNICAL, Role.AUDITOR, DEMO_PASSWORD),
    ]
    sponsor_id = first_sponsor_with_asuhan(connection)
    if sponsor_id is not None:
        wanted.append(
            NewUser("asuh", "Orang Tua Asuh", Role.SPONSOR, DEMO_PASSWORD, sponsor_id=sponsor_id)
        )
    kitchen_id = busiest_kitchen(connection)
    if kitchen_id is not None:
        wanted.append(
            NewUser("operator", "Petugas Dapur", Role.KITCHEN, DEMO_PASSWORD, kitchen_id=kitchen_id)
        )
    wanted.extend(_demo_partner_users(connection))
    users = []
    for user in wanted:
        found = find_user(connection, user.username)
        users.append(found or create_user(connection, user, datetime.now(UTC)))
    for info in users:
        if info.role is Role.AUDITOR:
            link_members_named(connection, info.full_name, info.id)
    return users
