"""Request dependencies: the database connection, the signed-in user and their scope,
the language, and the CSRF check. Routes declare what they need; nothing else reads the
session."""

from collections.abc import AsyncIterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Annotated

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine

from tumbuh.config import Settings
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.i18n import Language
from tumbuh.usecases.access import Role, Scope, UserInfo, scope_for
from tumbuh.usecases.transactions import begin_request
from tumbuh.web import sessions
from tumbuh.web.eppgbm.desk import ImportDesk
from tumbuh.web.reporting.files import SemesterReports
from tumbuh.web.security import CSRF_FIELD, CSRF_HEADER, csrf_matches
from tumbuh.web.sessions import Limits, request_time, session_user
from tumbuh.web.surveillance.figures import FiguresCache

USER_KEY = sessions.USER_KEY  # "user_id": the signed-in user's id in the session
LANGUAGE_KEY = sessions.LANGUAGE_KEY


class SignInRequired(Exception):  # noqa: N818 - a signal to the handler, not an error
    """No valid session: pages redirect to the login page, the API answers 401."""


class CsrfRejected(Exception):  # noqa: N818
    """A state-changing request without this session's CSRF token (403)."""


class NotFound(Exception):  # noqa: N818
    """Nothing to show here for this user: absent, or outside their scope (404)."""


class SponsorHome(Exception):  # noqa: N818 - a signal to the handler
    """A sponsor opened the home page: their own page is theirs (a redirect)."""


SPONSOR_HOME = "/asuh/mine"


@dataclass(frozen=True)
class WebState:
    """What the application keeps between requests."""

    settings: Settings
    engine: Engine
    figures: FiguresCache
    kbm: KbmTable
    imports: ImportDesk  # checked uploads waiting for confirmation
    reports: SemesterReports  # semester reports built in the background


@dataclass(frozen=True)
class Viewer:
    """The signed-in user, their scope and language."""

    user: UserInfo
    scope: Scope
    language: Language


def web_state(request: Request) -> WebState:
    """The application's state (set by ``create_app``)."""
    state: WebState = request.app.state.tumbuh
    return state


async def db(request: Request) -> AsyncIterator[Connection]:
    """The one connection of a request (every dependency and the route share it; writes
    open their own transaction on it).

    At most ``TUMBUH_WEB_THREADS`` requests hold a connection at a time (the slots of
    ``create_app``'s lifespan; the pool has as many): the others wait here, on the event
    loop, holding neither a thread nor a connection. Without the slots, a request could
    hold a thread while it waits for a connection held by a request that waits for a
    thread (FastAPI runs each sync dependency and the route on a new thread)."""
    slots: CapacityLimiter | None = getattr(request.app.state, "request_slots", None)
    async with slots or nullcontext():
        connection = await run_in_threadpool(web_state(request).engine.connect)
        try:
            yield connection
        finally:  # shielded, and its own limiter: a connection always goes back at once
            with CancelScope(shield=True):
                await to_thread.run_sync(connection.close, limiter=CapacityLimiter(1))


Db = Annotated[Connection, Depends(db)]


def records_changed(request: Request) -> None:
    """Let the cached figures know that a use case changed the records (the use case
    committed its own transaction: :mod:`tumbuh.usecases.transactions`)."""
    web_state(request).figures.changed()


def request_language(request: Request, user: UserInfo | None = None) -> Language:
    """The session's choice, else the user's stored one, else the configured default."""
    chosen = request.session.get(LANGUAGE_KEY) or (user.language if user else None)
    if chosen in ("id", "en"):
        return Language(chosen)
    return Language(web_state(request).settings.language)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def signed_in_user(request: Request, connection: Connection) -> UserInfo | None:
    """The user of this request's session if it passes every check
    (:func:`tumbuh.web.sessions.session_user`), else None."""
    limits = Limits.of(web_state(request).settings)
    return session_user(request.session, connection, limits, request_time(request))


def _viewer(request: Request, connection: Connection, *, sponsor: bool) -> Viewer:
    user = signed_in_user(request, connection)
    if user is None:
        raise SignInRequired
    if (user.role is Role.SPONSOR) != sponsor:
        if user.role is Role.SPONSOR and request.url.path == "/":
            raise SponsorHome
        raise NotFound
    scope = scope_for(connection, user)
    # A read ends the checks' transaction (the route starts its own); a write begins its
    # write transaction now.
    begin_request(connection, writes=request.method not in SAFE_METHODS)
    return Viewer(user, scope, request_language(request, user))


def viewer(request: Request, connection: Db) -> Viewer:
    """The signed-in, active user of a session that has not ended; else
    :class:`SignInRequired`. A sponsor reaches none of these pages (404; the home page
    sends them to their own, :class:`SponsorHome`): their pages take
    :func:`sponsor_viewer` (docs/security.md, "Sponsors")."""
    return _viewer(request, connection, sponsor=False)


def sponsor_viewer(request: Request, connection: Db) -> Viewer:
    """The signed-in sponsor (any other user: 404), for the sponsor's own pages."""
    return _viewer(request, connection, sponsor=True)


CurrentViewer = Annotated[Viewer, Depends(viewer)]
SponsorViewer = Annotated[Viewer, Depends(sponsor_viewer)]


async def csrf_protected(request: Request) -> None:
    """Refuse a state-changing request whose CSRF token is missing or wrong."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not csrf_matches(request, sent):
        raise CsrfRejected
