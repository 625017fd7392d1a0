"""Sign in (throttled per account), sign out (recorded, so the session ends everywhere) and
the language switch."""

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.i18n import Language, translations
from tumbuh.usecases.users import (
    Attempt,
    LoginHistory,
    authenticated,
    check_sign_in,
    record_sign_in,
    refuse_sign_in,
    remember_language,
)
from tumbuh.web.deps import (
    LANGUAGE_KEY,
    Db,
    csrf_protected,
    request_language,
    signed_in_user,
    web_state,
)
from tumbuh.web.security import (
    ADDRESS_WINDOW,
    LOGIN_WRITE_WAIT_MS,
    THROTTLE_WINDOWS,
    account_wait,
    address_refused,
    client_address,
    csrf_token,
)
from tumbuh.web.sessions import forget, record_sign_out, request_time, start_session
from tumbuh.web.templating import render
from tumbuh.web.text_input import without_control_characters

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send users to another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _login_page(
    request: Request, *, error: str | None = None, username: str = "", status: int = 200
) -> HTMLResponse:
    language = request_language(request)
    html = render(
        language,
        "login.html",
        {
            "request": request,
            "viewer": None,
            "csrf": csrf_token(request),
            "error": error,
            "username": username,
            "next": _safe_next(request.query_params.get("next")),
        },
    )
    return HTMLResponse(html, status_code=status)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    """The sign-in form."""
    return _login_page(request)


@router.post("/login", dependencies=[Depends(csrf_protected)])
def login(
    request: Request,
    connection: Db,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> Response:
    """Check the password unless the throttle says wait; on success start a new session.

    Only reads are needed: the attempt is recorded if the database is free within a
    second, else skipped (a busy SQLite during an import must not refuse a correct
    password), and a wrong password is 401 either way."""
    now = request_time(request)
    address = client_address(request, web_state(request).settings.trusted_proxies)
    # No stored username holds a control character; replaced, such a name is looked up
    # (and its failed attempt counted) like any unknown one, even on PostgreSQL.
    username = without_control_characters(username.strip(), "\ufffd")
    history = check_sign_in(connection, username, address, now, THROTTLE_WINDOWS)
    refusal = _throttled(request, history, now)
    if refusal is not None:
        refuse_sign_in(connection)
        return _login_page(request, error=refusal, username=username, status=429)
    user = authenticated(connection, username, password)
    attempt = Attempt(username, address, now, user.id if user is not None else None)
    if not record_sign_in(connection, attempt, password, wait_ms=LOGIN_WRITE_WAIT_MS):
        logger.warning("sign-in attempt not recorded: the database is busy")
    if user is None:
        message = _gettext(request)(
            "The username or password is wrong. Check both (capital letters count) and try again."
        )
        return _login_page(request, error=message, username=username, status=401)
    start_session(request.session, user, now)
    return RedirectResponse(_safe_next(next_url), status_code=303)


def _gettext(request: Request) -> Callable[[str], str]:
    return translations(request_language(request)).gettext


def _throttled(request: Request, history: LoginHistory, now: datetime) -> str | None:
    """The message refusing this attempt unchecked, or None when the password is checked."""
    wait = account_wait(history, now)
    if wait > timedelta(0):
        logger.warning("sign-in refused: the account waits %d s after failures", wait.seconds)
        return _gettext(request)(
            "Too many failed sign-in attempts for this username. Wait {minutes} minutes, "
            "then try again, or ask the administrator to check your account."
        ).format(minutes=math.ceil(wait.total_seconds() / 60))
    if address_refused(history):
        logger.warning("sign-in refused: too many failures from this client address")
        return _gettext(request)(
            "Too many failed sign-in attempts from this network. Wait {minutes} minutes, then "
            "try again, or ask the administrator."
        ).format(minutes=int(ADDRESS_WINDOW.total_seconds() // 60))
    return None


@router.post("/logout", dependencies=[Depends(csrf_protected)])
def logout(request: Request, connection: Db) -> Response:
    """End the session: recorded as ended, so a copy of its cookie is refused too."""
    user = signed_in_user(request, connection)
    if user is not None:
        now = request_time(request)
        if not record_sign_out(request.session, connection, user, now):
            return _busy_sign_out(request)
    forget(request.session)
    return RedirectResponse("/login", status_code=303)


def _busy_sign_out(request: Request) -> Response:
    """The database stayed busy (an import on SQLite): the session stays, so that signing
    out again works; it must not seem to have ended while a copy could still be used."""
    _ = _gettext(request)
    message = _(
        "Signing out could not be recorded because the database is busy (an import may be "
        "running). You are still signed in: wait a minute, then click Sign out again."
    )
    html = render(
        request_language(request),
        "error.html",
        {"request": request, "title": _("Please try again"), "message": message, "viewer": None},
    )
    return HTMLResponse(html, status_code=503, headers={"Retry-After": "60"})


@router.post("/language", dependencies=[Depends(csrf_protected)])
def choose_language(
    request: Request,
    connection: Db,
    language: Annotated[Language, Form()],
    next_url: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> Response:
    """Switch the interface language; remembered for the session and, unless the database
    is busy (then the session's choice is enough), for the signed-in user."""
    request.session[LANGUAGE_KEY] = language.value
    user = signed_in_user(request, connection)
    if user is not None:
        remember_language(connection, user.id, language.value)
    return RedirectResponse(_safe_next(next_url), status_code=303)
