"""The catin of the user's area (``/catin``, with its filters and the upload of an Elsimil
or KUA list), the registration form (``/catin/new``) and one catin (``/catin/{id}``)
with the forms of the screening, the follow-up and the edit (docs/catin.md)."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.errors import TumbuhError
from tumbuh.i18n import translations
from tumbuh.usecases import catin, catin_import
from tumbuh.usecases.catin_input import (
    CatinFieldError,
    read_follow_up,
    read_person,
    read_screening,
)
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID)]


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {"request": request, "viewer": current, "csrf": csrf_token(request), **values}


def _city(request: Request) -> str:
    return web_state(request).settings.city_code


async def _raw(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v) for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def _message(error: CatinFieldError, current: Viewer) -> str:
    return error.translated(translations(current.language).gettext)


def read_filter(at_risk: str, unscreened: str, month: str) -> catin.CatinFilter:
    """The list's filters from the query (a month that is not ``YYYY-MM`` is ignored)."""
    wedding_month = None
    try:
        wedding_month = date.fromisoformat(f"{month}-01") if month else None
    except ValueError:
        wedding_month = None
    return catin.CatinFilter(at_risk == "1", unscreened == "1", wedding_month)


def _list(
    request: Request,
    connection: Db,
    current: Viewer,
    report: tuple[str, list[str]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    q = request.query_params
    chosen = read_filter(q.get("at_risk", ""), q.get("unscreened", ""), q.get("month", ""))
    listed = catin.catin_list(connection, current.scope, _city(request), chosen, today=date.today())
    values = _context(
        request,
        current,
        listed=listed,
        chosen=chosen,
        month=q.get("month", ""),
        may_write=current.scope.role in catin.WRITERS,
        report=report,
    )
    return HTMLResponse(render(current.language, "catin_list.html", values), status_code=status)


@router.get("/catin", response_class=HTMLResponse)
def catin_list_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The catin of the user's area, the next weddings first; filters in the query."""
    return _list(request, connection, current)


@router.post("/catin/import", dependencies=[Depends(csrf_protected)])
async def catin_upload(
    request: Request, connection: Db, current: CurrentViewer, file: UploadFile
) -> Response:
    """Import an Elsimil/KUA list of catin (all rows or none); the report on the list."""
    name = Path(file.filename or "catin.xlsx").name
    gettext = translations(current.language).gettext
    with tempfile.TemporaryDirectory(prefix="tumbuh-catin-") as folder:
        path = Path(folder) / ("upload" + Path(name).suffix.lower()[:8])
        with path.open("wb") as out:
            while chunk := await file.read(1 << 20):
                out.write(chunk)
        try:
            result = catin_import.import_catin(
                connection,
                current.user,
                current.scope,
                path,
                settings=web_state(request).settings,
                name=name,
            )
        except TumbuhError as error:  # a file over a limit, another import running
            refused = (name, [error.translated(gettext)])
            return _list(request, connection, current, report=refused, status=422)
    if result.imported:
        return RedirectResponse(f"/catin?imported={result.added}", status_code=303)
    report = (result.name, [p.translated(gettext) for p in result.problems])
    return _list(request, connection, current, report=report, status=422)


def _form(
    request: Request,
    connection: Db,
    current: Viewer,
    raw: dict[str, str],
    error: str | None,
    catin_id: int | None = None,
) -> HTMLResponse:
    choices = catin.kelurahan_choices(connection, current.scope, _city(request))
    values = _context(request, current, raw=raw, error=error, choices=choices, catin_id=catin_id)
    page = render(current.language, "catin_form.html", values)
    return HTMLResponse(page, status_code=422 if error else 200)


@router.get("/catin/new", response_class=HTMLResponse)
def new_catin_form(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The registration form."""
    raw = {"registered_on": date.today().isoformat()}
    return _form(request, connection, current, raw, None)


@router.post("/catin/new", dependencies=[Depends(csrf_protected)])
async def new_catin(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Register the catin and show them; 422 with the error."""
    raw = await _raw(request)
    try:
        person = read_person(raw, date.today())
        found = catin.register_catin(connection, current.user, current.scope, person)
    except CatinFieldError as error:
        return _form(request, connection, current, raw, _message(error, current))
    return RedirectResponse(f"/catin/{found}", status_code=303)


def _page(
    request: Request, connection: Db, current: Viewer, catin_id: int, error: str | None = None
) -> HTMLResponse:
    page = catin.catin_page(connection, current.scope, catin_id, _city(request))
    values = _context(
        request,
        current,
        s=page,
        error=error,
        today=date.today().isoformat(),
        may_write=current.scope.role in catin.WRITERS,
    )
    body = render(current.language, "catin.html", values)
    return HTMLResponse(body, status_code=422 if error else 200)


@router.get("/catin/{catin_id}", response_class=HTMLResponse)
def catin_page(
    request: Request, connection: Db, current: CurrentViewer, catin_id: Id
) -> HTMLResponse:
    """One catin with the screening, the flags, the follow-up and the forms."""
    return _page(request, connection, current, catin_id)


@router.post("/catin/{catin_id}/screening", dependencies=[Depends(csrf_protected)])
async def screening(
    request: Request, connection: Db, current: CurrentViewer, catin_id: Id
) -> Response:
    """Record the screening; back to the catin."""
    raw = await _raw(request)
    try:
        found = read_screening(raw, date.today())
        catin.record_screening(connection, current.user, current.scope, catin_id, found)
    except CatinFieldError as error:
        return _page(request, connection, current, catin_id, _message(error, current))
    return RedirectResponse(f"/catin/{catin_id}", status_code=303)


@router.post("/catin/{catin_id}/follow-up", dependencies=[Depends(csrf_protected)])
async def follow_up(
    request: Request, connection: Db, current: CurrentViewer, catin_id: Id
) -> Response:
    """Record the follow-up given; back to the catin."""
    raw = await _raw(request)
    try:
        given = read_follow_up(raw, date.today())
        catin.record_follow_up(connection, current.user, current.scope, catin_id, given)
    except CatinFieldError as error:
        return _page(request, connection, current, catin_id, _message(error, current))
    return RedirectResponse(f"/catin/{catin_id}", status_code=303)


@router.get("/catin/{catin_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, connection: Db, current: CurrentViewer, catin_id: Id
) -> HTMLResponse:
    """The registration form, filled in."""
    s = catin.catin_page(connection, current.scope, catin_id, _city(request))
    raw = {
        "nik": s.nik or "",
        "name": s.name,
        "sex": s.sex.value,
        "birth_date": s.birth_date.isoformat() if s.birth_date else "",
        "kelurahan_code": s.kelurahan_code,
        "wedding_planned_on": s.wedding_planned_on.isoformat() if s.wedding_planned_on else "",
        "registered_on": s.registered_on.isoformat(),
    }
    return _form(request, connection, current, raw, None, catin_id)


@router.post("/catin/{catin_id}/edit", dependencies=[Depends(csrf_protected)])
async def edit(request: Request, connection: Db, current: CurrentViewer, catin_id: Id) -> Response:
    """Save the edit; back to the catin."""
    raw = await _raw(request)
    try:
        person = read_person(raw, date.today())
        catin.edit_catin(connection, current.user, current.scope, catin_id, person)
    except CatinFieldError as error:
        return _form(request, connection, current, raw, _message(error, current), catin_id)
    return RedirectResponse(f"/catin/{catin_id}", status_code=303)
