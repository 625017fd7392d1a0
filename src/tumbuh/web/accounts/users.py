"""User accounts, for administrators: list, add, change role, area, language or state, and
set a new password. Every change is written to the audit log (never a password).

An administrator cannot deactivate their own account or take away their own
administrator role, so the health office always keeps one administrator who can undo
a mistake. A new password, role or area and a change of state end every session of the
account at its next request (``tumbuh.web.sessions``); an administrator who sets her own
password stays signed in here, her other sessions end.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from tumbuh.i18n import Language, translations
from tumbuh.usecases import asuh
from tumbuh.usecases.access import Role
from tumbuh.usecases.institutions import institution_choices
from tumbuh.usecases.kitchens import kitchen_choices
from tumbuh.usecases.users import (
    AREA_ROLES,
    MIN_PASSWORD_LENGTH,
    USERNAME_LENGTH,
    NewUser,
    UserChange,
    UserInfo,
    account,
    create_account,
    list_accounts,
    puskesmas_choices,
    set_account_password,
    update_account,
    username_taken,
)
from tumbuh.web.children.registration import PosyanduChoice, writable_posyandu
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.sessions import keep_signed_in
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render
from tumbuh.web.text_input import has_control_characters

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
FIELDS = (
    "username",
    "full_name",
    "role",
    "puskesmas_id",
    "posyandu_id",
    "kitchen_id",
    "sponsor_id",
    "institution_id",
    "language",
    "password",
)
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Choices:
    """What the account form offers: puskesmas (id, name), posyandu and kitchens (id,
    name) of the city, the bapak asuh (id, name) a sponsor's account may belong to, and
    the partner institutions (id, name) a partner's account may speak for."""

    puskesmas: list[tuple[int, str]]
    posyandu: list[PosyanduChoice]
    kitchens: list[tuple[int, str]]
    sponsors: list[tuple[int, str]]
    institutions: list[tuple[int, str]]


@dataclass(frozen=True)
class AccountForm:
    """The account form read: the change, or what to fix."""

    change: UserChange | None
    errors: list[str]


def _choices(request: Request, connection: Connection, current: Viewer) -> Choices:
    """What the form offers (administrators only: anyone else gets 404 here)."""
    puskesmas = puskesmas_choices(connection, current.scope)
    places = web_state(request).figures.snapshot(connection).places
    kitchens = kitchen_choices(connection, current.scope)
    sponsors = [(s.id, s.name) for s in asuh.sponsor_list(connection, current.scope)]
    partners = institution_choices(connection, current.scope)
    posyandu = writable_posyandu(places, current.scope)
    return Choices(puskesmas, posyandu, kitchens, sponsors, partners)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    raw = {key: str(form.get(key) or "") for key in FIELDS}
    raw["is_active"] = "1" if form.get("is_active") else ""
    return raw


Typed = Annotated[dict[str, str], Depends(_form)]


def _read(raw: dict[str, str], choices: Choices, language: Language) -> AccountForm:
    """Check the role, area, name and language of the form."""
    _ = translations(language).gettext
    errors: list[str] = []
    full_name = raw.get("full_name", "").strip()
    if len(full_name) > 100 or has_control_characters(full_name):
        errors.append(_("Full name: use at most 100 characters, without control characters"))
    role = next((r for r in Role if r.value == raw.get("role")), None)
    if role is None:
        errors.append(_("Role: choose one of the list"))
    puskesmas = _choice(raw.get("puskesmas_id"), {i for i, _name in choices.puskesmas})
    posyandu = _choice(raw.get("posyandu_id"), {c.place.id for c in choices.posyandu})
    if role is Role.NUTRITIONIST and puskesmas is None:
        errors.append(_("Puskesmas: a nutritionist works for one puskesmas; choose it"))
    if role is Role.KADER and posyandu is None:
        errors.append(_("Posyandu: a kader works at one posyandu; choose it"))
    if role in AREA_ROLES and puskesmas is None and posyandu is None:
        errors.append(
            _("Puskesmas or posyandu: a bidan or a TPK works in an area; choose one of them")
        )
    kitchen = _choice(raw.get("kitchen_id"), {i for i, _name in choices.kitchens})
    if role is Role.KITCHEN and kitchen is None:
        errors.append(_("Kitchen: a kitchen operator works at one kitchen; choose it"))
    sponsor = _choice(raw.get("sponsor_id"), {i for i, _name in choices.sponsors})
    if role is Role.SPONSOR and sponsor is None:
        errors.append(_("Bapak asuh: a sponsor's account belongs to one bapak asuh; choose it"))
    # A partner's institution is optional: without one the account reads figures only.
    institution = _choice(raw.get("institution_id"), {i for i, _name in choices.institutions})
    language_code = raw.get("language") if raw.get("language") in LANGUAGES else "id"
    if errors or role is None:
        return AccountForm(None, errors)
    change = UserChange(
        full_name=full_name,
        role=role,
        puskesmas_id=puskesmas if role in {Role.NUTRITIONIST, *AREA_ROLES} else None,
        posyandu_id=_posyandu_of(role, puskesmas, posyandu),
        language=language_code or "id",
        is_active=bool(raw.get("is_active")),
        kitchen_id=kitchen if role is Role.KITCHEN else None,
        sponsor_id=sponsor if role is Role.SPONSOR else None,
        institution_id=institution if role is Role.PARTNER else None,
    )
    return AccountForm(change, [])


def _posyandu_of(role: Role, puskesmas: int | None, posyandu: int | None) -> int | None:
    """The posyandu an account keeps: a kader's, or a bidan's or TPK's without a
    puskesmas (the puskesmas' working area is the wider one)."""
    if role is Role.KADER or (role in AREA_ROLES and puskesmas is None):
        return posyandu
    return None


def _choice(value: str | None, allowed: set[int]) -> int | None:
    return int(value) if value and value.isdigit() and int(value) in allowed else None


def _password_problem(password: str, language: Language) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            translations(language)
            .gettext("Password: use at least {minimum} characters")
            .format(minimum=MIN_PASSWORD_LENGTH)
        )
    return None


def _page(
    request: Request,
    current: Viewer,
    template: str,
    status: int = 200,
    **values: object,
) -> HTMLResponse:
    context = {"request": request, "viewer": current, "csrf": csrf_token(request), **values}
    return HTMLResponse(render(current.language, template, context), status_code=status)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """Every account with its role, area and state."""
    choices = _choices(request, connection, current)
    return _page(
        request,
        current,
        "users.html",
        users=list_accounts(connection, current.scope),
        puskesmas=dict(choices.puskesmas),
        posyandu={c.place.id: c.label for c in choices.posyandu},
        kitchens=dict(choices.kitchens),
        sponsors=dict(choices.sponsors),
        institutions=dict(choices.institutions),
    )


def _form_page(
    request: Request,
    current: Viewer,
    choices: Choices,
    raw: dict[str, str],
    errors: list[str],
    user: UserInfo | None,
    status: int = 200,
) -> HTMLResponse:
    return _page(
        request,
        current,
        "user_form.html",
        status,
        choices=choices,
        raw=raw,
        errors=errors,
        user=user,
        roles=list(Role),
        minimum=MIN_PASSWORD_LENGTH,
        own=user is not None and user.id == current.user.id,
    )


@router.get("/users/new", response_class=HTMLResponse)
def new_user_form(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The form for a new account."""
    raw = {"language": "id", "is_active": "1"}
    return _form_page(request, current, _choices(request, connection, current), raw, [], None)


@router.post("/users/new", dependencies=[Depends(csrf_protected)])
def new_user(request: Request, connection: Db, current: CurrentViewer, raw: Typed) -> Response:
    """Create the account (audited), then list the accounts."""
    choices = _choices(request, connection, current)
    _ = translations(current.language).gettext
    raw["is_active"] = "1"
    form = _read(raw, choices, current.language)
    errors = list(form.errors)
    username = raw.get("username", "").strip()
    if (
        not username
        or len(username) > USERNAME_LENGTH
        or any(c.isspace() for c in username)
        or has_control_characters(username)
    ):
        errors.insert(0, _("Username: use 1 to 50 characters without spaces"))
    elif username_taken(connection, current.scope, username):
        errors.insert(
            0, _("Username: '{username}' is taken; choose another one").format(username=username)
        )
    problem = _password_problem(raw.get("password", ""), current.language)
    if problem:
        errors.append(problem)
    if errors or form.change is None:
        raw["password"] = ""
        return _form_page(request, current, choices, raw, errors, None, 422)
    change = form.change
    new = NewUser(
        username,
        change.full_name,
        change.role,
        raw["password"],
        change.puskesmas_id,
        change.posyandu_id,
        change.language,
        change.kitchen_id,
        change.sponsor_id,
        change.institution_id,
    )
    create_account(connection, current.scope, current.user, new)
    return RedirectResponse("/users", status_code=303)


def _account(connection: Connection, current: Viewer, user_id: int) -> UserInfo:
    """The account (administrators only; else, or when there is none, 404)."""
    return account(connection, current.scope, user_id)


def _typed(user: UserInfo) -> dict[str, str]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "puskesmas_id": str(user.puskesmas_id or ""),
        "posyandu_id": str(user.posyandu_id or ""),
        "kitchen_id": str(user.kitchen_id or ""),
        "sponsor_id": str(user.sponsor_id or ""),
        "institution_id": str(user.institution_id or ""),
        "language": user.language,
        "is_active": "1" if user.is_active else "",
    }


@router.get("/users/{user_id}", response_class=HTMLResponse)
def user_form(
    request: Request, connection: Db, current: CurrentViewer, user_id: Id
) -> HTMLResponse:
    """Change an account, or set a new password for it."""
    user = _account(connection, current, user_id)
    choices = _choices(request, connection, current)
    return _form_page(request, current, choices, _typed(user), [], user)


@router.post("/users/{user_id}", dependencies=[Depends(csrf_protected)])
def user_update(
    request: Request, connection: Db, current: CurrentViewer, user_id: Id, raw: Typed
) -> Response:
    """Store the account's new role, area, name, language or state (audited)."""
    user = _account(connection, current, user_id)
    choices = _choices(request, connection, current)
    form = _read(raw, choices, current.language)
    errors = list(form.errors)
    change = form.change
    own = change is not None and user.id == current.user.id
    if own and change is not None and (not change.is_active or change.role is not Role.ADMIN):
        _ = translations(current.language).gettext
        errors.append(
            _(
                "You cannot deactivate your own account or give up your own administrator "
                "role; ask another administrator"
            )
        )
    if errors or change is None:
        raw["username"] = user.username
        return _form_page(request, current, choices, raw, errors, user, 422)
    update_account(connection, current.scope, current.user, user, change)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/password", dependencies=[Depends(csrf_protected)])
def user_password(
    request: Request, connection: Db, current: CurrentViewer, user_id: Id, raw: Typed
) -> Response:
    """Set a new password (the audit row says that it changed, never what it is)."""
    user = _account(connection, current, user_id)
    problem = _password_problem(raw.get("password", ""), current.language)
    if problem:
        choices = _choices(request, connection, current)
        return _form_page(request, current, choices, _typed(user), [problem], user, 422)
    changed = set_account_password(connection, current.scope, current.user, user, raw["password"])
    if changed is not None and user.id == current.user.id:
        keep_signed_in(request.session, changed)  # the administrator's other sessions end
    return RedirectResponse("/users", status_code=303)
