"""Sign in, sign out and the language switch."""

import logging
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.db.engine import begin_write
from tumbuh.db.users import (
    authenticate,
    recent_failures,
    record_login_attempt,
    rehash_if_needed,
    set_language,
)
from tumbuh.i18n import Language, translations
from tumbuh.web.deps import LANGUAGE_KEY, USER_KEY, Db, csrf_protected, request_language
from tumbuh.web.security import (
    FAILURE_WINDOW,
    MAX_FAILURES_PER_IP,
    MAX_FAILURES_PER_USERNAME,
    client_address,
    csrf_token,
)
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
    """Check the password, within the rate limit; on success start a fresh session."""
    gettext = translations(request_language(request)).gettext
    now = datetime.now(UTC)
    address = client_address(request)
    # No stored username holds a control character; replaced, such a name is looked up
    # (and its failed attempt counted) like any unknown one, even on PostgreSQL.
    username = without_control_characters(username.strip(), "\ufffd")
    failures = recent_failures(connection, username, address, now, FAILURE_WINDOW)
    if failures.username >= MAX_FAILURES_PER_USERNAME or failures.ip_address >= MAX_FAILURES_PER_IP:
        connection.rollback()
        logger.warning("login refused by the rate limit for address %s", address)
        message = gettext(
            "Too many failed sign-in attempts. Wait {minutes} minutes, then try again, or ask "
            "the administrator to check your account."
        ).format(minutes=int(FAILURE_WINDOW.total_seconds() // 60))
        return _login_page(request, error=message, username=username, status=429)
    user = authenticate(connection, username, password)
    # Written after the slow hash check: a write transaction (on SQLite, the database's
    # one write lock) is held only for these two short statements.
    begin_write(connection)
    record_login_attempt(connection, username, address, now, succeeded=user is not None)
    if user is not None:
        rehash_if_needed(connection, user.id, password)
    connection.commit()
    if user is None:
        message = gettext(
            "The username or password is wrong. Check both (capital letters count) and try again."
        )
        return _login_page(request, error=message, username=username, status=401)
    language = request.session.get(LANGUAGE_KEY)
    request.session.clear()  # a new session on sign-in (no session fixation)
    request.session[USER_KEY] = user.id
    request.session[LANGUAGE_KEY] = language or user.language
    return RedirectResponse(_safe_next(next_url), status_code=303)


@router.post("/logout", dependencies=[Depends(csrf_protected)])
def logout(request: Request) -> Response:
    """End the session."""
    language = request.session.get(LANGUAGE_KEY)
    request.session.clear()
    if language:
        request.session[LANGUAGE_KEY] = language
    return RedirectResponse("/login", status_code=303)


@router.post("/language", dependencies=[Depends(csrf_protected)])
def choose_language(
    request: Request,
    connection: Db,
    language: Annotated[Language, Form()],
    next_url: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> Response:
    """Switch the interface language; remembered for the session and the signed-in user."""
    request.session[LANGUAGE_KEY] = language.value
    user_id = request.session.get(USER_KEY)
    if isinstance(user_id, int):
        begin_write(connection)
        set_language(connection, user_id, language.value)
        connection.commit()
    return RedirectResponse(_safe_next(next_url), status_code=303)
