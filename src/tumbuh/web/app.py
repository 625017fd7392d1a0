"""``create_app(settings)``: the FastAPI application, its middleware and its one error
handler. Nothing happens at import time; ``tumbuh serve`` calls :func:`app_from_environment`.
"""

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette import types as asgi
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from tumbuh import __version__, safe_logs
from tumbuh.config import Settings, load_settings
from tumbuh.errors import ConfigError, InputError, TumbuhError
from tumbuh.i18n import translations
from tumbuh.usecases import database
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.transactions import RETRY_AFTER_SECONDS, OperationalError, busy
from tumbuh.web import api
from tumbuh.web.accounts import audit, sign_in, users
from tumbuh.web.aks import pages as aks_pages
from tumbuh.web.aksi import pages as aksi_pages
from tumbuh.web.asuh import asuhan_pages, money_pages, sponsor
from tumbuh.web.asuh import pages as asuh_pages
from tumbuh.web.cases import pages as cases_pages
from tumbuh.web.catin import pages as catin_pages
from tumbuh.web.children import pages as children_pages
from tumbuh.web.deps import (
    SPONSOR_HOME,
    CsrfRejected,
    NotFound,
    SignInRequired,
    SponsorHome,
    WebState,
    request_language,
    web_state,
)
from tumbuh.web.eppgbm import export, runs
from tumbuh.web.eppgbm import pages as import_pages
from tumbuh.web.eppgbm.desk import ImportDesk, Sweeper
from tumbuh.web.eppgbm.pages import IMPORT_BUSY_MESSAGE
from tumbuh.web.families import pages as family_pages
from tumbuh.web.families import upload as family_upload
from tumbuh.web.indicators import pages as indicator_pages
from tumbuh.web.indicators import panel as indicator_panel
from tumbuh.web.kitchens import pages as kitchen_pages
from tumbuh.web.kitchens import servings as serving_pages
from tumbuh.web.partners import actions as action_pages
from tumbuh.web.partners import institutions as partner_pages
from tumbuh.web.partners import meetings as meeting_pages
from tumbuh.web.pmt import bumil as pmt_bumil
from tumbuh.web.pmt import bumil_upload as pmt_bumil_upload
from tumbuh.web.pmt import outcomes as pmt_outcomes
from tumbuh.web.pmt import pages as pmt_pages
from tumbuh.web.pmt import public as pmt_public
from tumbuh.web.pmt import register as pmt_register
from tumbuh.web.pregnancies import pages as pregnancy_pages
from tumbuh.web.pregnancies import visits as pregnancy_visits
from tumbuh.web.reporting import pages as report_pages
from tumbuh.web.reporting.files import SemesterReports
from tumbuh.web.security import NO_STORE, SECURITY_HEADERS, session_secret
from tumbuh.web.sessions import utc_now
from tumbuh.web.surveillance import api as surveillance_api
from tumbuh.web.surveillance import areas
from tumbuh.web.surveillance import lists as list_pages
from tumbuh.web.surveillance import pages as surveillance_pages
from tumbuh.web.surveillance.figures import FiguresCache
from tumbuh.web.templating import render
from tumbuh.web.upload_guard import UploadGuard
from tumbuh.web.work_lists import pages as work_list_pages

logger = logging.getLogger(__name__)
SESSION_COOKIE = "tumbuh_session"
# The warm-up counts the whole city, as an administrator sees it.
_CITY_SCOPE = Scope(Role.ADMIN, None, None, True, True, True, True, True)
# Connections beyond one per request thread: the warm-up, the semester report builder and
# the import pages' checks, which open their own.
BACKGROUND_CONNECTIONS = 10


class SecurityHeaders:
    """Adds the security headers of :mod:`tumbuh.web.security` to every response."""

    def __init__(self, app: asgi.ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: asgi.Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                for name, value in SECURITY_HEADERS.items():
                    headers.append((name.lower().encode(), value.encode()))
                if not scope["path"].startswith("/static/") and not any(
                    key.lower() == b"cache-control" for key, _value in headers
                ):
                    headers.append((b"cache-control", NO_STORE.encode()))
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """The web application for ``settings`` (an engine may be passed, e.g. by tests)."""
    safe_logs.install()  # no personal data in any log line, uvicorn's included
    own_engine = engine is None
    engine = engine or database.web_engine(
        settings.database_url,
        settings.web_threads,
        BACKGROUND_CONNECTIONS,
        settings.db_pool_timeout_seconds,
    )
    kbm = database.load_kbm_table(settings.kbm_table_file)
    state = WebState(
        settings,
        engine,
        FiguresCache(settings.city_code),
        kbm,
        ImportDesk(engine, settings),
        SemesterReports(engine, settings),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # One setting for the threads that run requests, the requests that hold a database
        # connection at once (deps.db) and the pool's connections: none waits for another.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        app.state.request_slots = anyio.CapacityLimiter(settings.web_threads)
        threading.Thread(target=_warm, args=(state,), daemon=True).start()
        sweeper = Sweeper(state.imports).start()  # expired uploads go, even with no new one
        yield
        sweeper.stop()
        if own_engine:
            engine.dispose()

    app = FastAPI(
        title="Tumbuh",
        version=__version__,
        description="Stunting figures, children and measurements of one kota, scoped to the "
        "signed-in user's area. Sign in at /login; the API uses the same session cookie, and "
        "requests that change data send the X-CSRF-Token header.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.tumbuh = state
    app.state.clock = utc_now  # tests set another (sessions' idle and absolute expiry)
    app.add_middleware(UploadGuard, max_file_bytes=settings.import_max_file_mb * 1024 * 1024)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_hours * 3600,  # the session's own times decide earlier
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    static = resources.files("tumbuh.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    pages = (sign_in, areas, work_list_pages, children_pages, surveillance_pages, list_pages)
    others = (import_pages, runs, export, cases_pages, report_pages, audit, users, aks_pages)
    kitchen = (kitchen_pages, serving_pages)
    pmt = (
        pmt_register,
        pmt_outcomes,
        pmt_bumil,
        pmt_bumil_upload,
        pmt_pages,
        pmt_public,
    )  # /pmt/episodes before /{id}
    asuh = (asuh_pages, money_pages, asuhan_pages, sponsor)
    mothers = (pregnancy_pages, pregnancy_visits, catin_pages)
    maternal = (*mothers, family_upload, family_pages, indicator_panel, indicator_pages)
    tpps = (aksi_pages, partner_pages, action_pages, meeting_pages)
    for module in (*pages, *others, *kitchen, *pmt, *asuh, *maternal, *tpps, api, surveillance_api):
        app.include_router(module.router)
    _add_handlers(app)
    return app


def _warm(state: WebState) -> None:
    """Count the rounds once at start-up, so the first dashboard is as fast as the rest."""
    try:
        with database.connected(state.engine) as connection:
            figures = state.figures.snapshot(connection)
            for item in figures.rounds:
                figures.figure(figures.places.city, _CITY_SCOPE, item)
            latest, _ = figures.latest_two()
            if latest is not None:
                figures.quality(figures.places.city, latest)
    except Exception:  # a cold cache is only slower; the request path reports real errors
        logger.warning("could not warm the figures cache", exc_info=True)


def _page(request: Request, status: int, title: str, message: str) -> Response:
    language = request_language(request)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    html = render(
        language,
        "error.html",
        {"request": request, "title": title, "message": message, "viewer": None},
    )
    return HTMLResponse(html, status_code=status)


def _gettext(request: Request) -> Callable[[str], str]:
    return translations(request_language(request)).gettext


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, _error: SignInRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": _gettext(request)("Sign in first.")}, status_code=401)
        return RedirectResponse("/login?next=" + request.url.path, status_code=303)

    @app.exception_handler(SponsorHome)
    async def sponsor_home(_request: Request, _error: SponsorHome) -> Response:
        return RedirectResponse(SPONSOR_HOME, status_code=303)

    @app.exception_handler(CsrfRejected)
    async def csrf(request: Request, _error: CsrfRejected) -> Response:
        _ = _gettext(request)
        message = _(
            "The form has expired or did not come from this page. Reload the page and try again."
        )
        return _page(request, 403, _("Request refused"), message)

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, _error: NotAllowed) -> Response:
        _ = _gettext(request)
        message = _("Your role does not do this; ask the puskesmas nutrition officer.")
        return _page(request, 403, _("Request refused"), message)

    @app.exception_handler(NotFound)
    @app.exception_handler(OutOfScope)
    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, error: Exception) -> Response:
        _ = _gettext(request)
        status = error.status_code if isinstance(error, StarletteHTTPException) else 404
        if status == 404:
            message = _("This page does not exist or is outside your area.")
            return _page(request, 404, _("Not found"), message)
        detail = error.detail if isinstance(error, StarletteHTTPException) else ""
        return _page(request, status, _("Request refused"), str(detail or status))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_errors(error)}, status_code=422)
        _ = _gettext(request)
        message = _("Some values in the request are not valid; go back and check them.")
        return _page(request, 422, _("Request refused"), message)

    @app.exception_handler(TumbuhError)
    async def tumbuh_error(request: Request, error: TumbuhError) -> Response:
        gettext = translations(request_language(request)).gettext
        status = 400 if isinstance(error, InputError) else 500
        if isinstance(error, ConfigError):
            logger.error("configuration error: %s", error)
        return _page(request, status, gettext("Cannot continue"), error.translated(gettext))

    @app.exception_handler(Exception)
    async def bug(request: Request, _error: Exception) -> Response:
        # The traceback is logged without personal data (safe_logs.install in create_app),
        # here and where uvicorn logs the same error again after this handler.
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        _ = _gettext(request)
        message = _(
            "Sorry, something went wrong inside Tumbuh (not your fault). The error has been "
            "logged; please tell the administrator."
        )
        return _page(request, 500, _("Something went wrong"), message)

    @app.exception_handler(OperationalError)
    async def database_busy(request: Request, error: OperationalError) -> Response:
        """A write that could not get its lock in time (an import holds it): 503 and
        Retry-After, never 500 (docs/security.md, section 6)."""
        if not busy(error):
            return await bug(request, error)
        logger.warning("database busy on %s %s: answered 503", request.method, request.url.path)
        _ = _gettext(request)
        response = _page(request, 503, _("Database busy"), _busy_message(request))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _busy_message(request: Request) -> str:
    """Why a write waited in vain: a second import, an import running, or other writers."""
    _ = _gettext(request)
    path = request.url.path
    if path.startswith("/import/") and path.endswith("/confirm"):
        return _(IMPORT_BUSY_MESSAGE)
    if database.import_running(web_state(request).engine):
        return _(
            "An import is being written to the database, so nothing was saved. Go back and "
            "send it again in a minute."
        )
    return _(
        "The database is busy with other changes, so nothing was saved. Go back and send it "
        "again in a minute."
    )


def jsonable_errors(error: RequestValidationError) -> list[dict[str, object]]:
    """Validation errors without the input values (they may be personal data)."""
    return [
        {"loc": list(item.get("loc", ())), "msg": str(item.get("msg", ""))}
        for item in error.errors()
    ]


def app_from_environment() -> FastAPI:
    """The application for the ``TUMBUH_*`` settings (uvicorn's factory)."""
    return create_app(load_settings())
