"""The pregnancies of the user's area (``/pregnancies``), the registration form
(``/pregnancies/new``) and one pregnancy (``/pregnancies/{id}``) with the forms of an ANC
visit, the birth and a KF visit (docs/pregnancies.md)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.episode_labels import EXIT_NAMES
from tumbuh.i18n import translations
from tumbuh.usecases import pregnancies
from tumbuh.usecases.pregnancy_input import (
    FieldError,
    read_birth,
    read_pregnancy,
    read_visit,
    text,
    whole,
)
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {"request": request, "viewer": current, "csrf": csrf_token(request), **values}


async def _raw(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items() if key != "csrf_token"}


def _message(error: FieldError, current: Viewer) -> str:
    return error.translated(translations(current.language).gettext)


@router.get("/pregnancies", response_class=HTMLResponse)
def pregnancies_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The pregnancies of the user's area: open ones first."""
    listed = pregnancies.pregnancy_list(connection, current.scope, today=date.today())
    values = _context(request, current, listed=listed, ttd_course=pregnancies.TTD_COURSE)
    return HTMLResponse(render(current.language, "pregnancies.html", values))


def _form(
    request: Request, connection: Db, current: Viewer, raw: dict[str, str], error: str | None
) -> HTMLResponse:
    choices = pregnancies.posyandu_choices(connection, current.scope)
    values = _context(request, current, raw=raw, error=error, choices=choices)
    page = render(current.language, "pregnancy_form.html", values)
    return HTMLResponse(page, status_code=422 if error else 200)


@router.get("/pregnancies/new", response_class=HTMLResponse)
def new_pregnancy_form(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The registration form."""
    return _form(request, connection, current, {"k1_on": date.today().isoformat()}, None)


@router.post("/pregnancies/new", dependencies=[Depends(csrf_protected)])
async def new_pregnancy(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Register the pregnancy and show it; 422 with the error."""
    raw = await _raw(request)
    try:
        new = read_pregnancy(raw, date.today())
        found = pregnancies.register_pregnancy(
            connection, current.user, current.scope, new, today=date.today()
        )
    except FieldError as error:
        return _form(request, connection, current, raw, _message(error, current))
    return RedirectResponse(f"/pregnancies/{found}", status_code=303)


def _page(
    request: Request,
    connection: Db,
    current: Viewer,
    pregnancy_id: int,
    error: str | None = None,
) -> HTMLResponse:
    page = pregnancies.pregnancy_page(connection, current.scope, pregnancy_id, today=date.today())
    values = _context(
        request,
        current,
        page=page,
        error=error,
        today=date.today().isoformat(),
        ttd_course=pregnancies.TTD_COURSE,
        exit_names=EXIT_NAMES,
    )
    body = render(current.language, "pregnancy.html", values)
    return HTMLResponse(body, status_code=422 if error else 200)


@router.get("/pregnancies/{pregnancy_id}", response_class=HTMLResponse)
def pregnancy_page(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id
) -> HTMLResponse:
    """One pregnancy with its visits, births and the forms to add to them."""
    return _page(request, connection, current, pregnancy_id)


@router.post("/pregnancies/{pregnancy_id}/visits", dependencies=[Depends(csrf_protected)])
async def add_visit(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id
) -> Response:
    """Record an ANC visit; back to the pregnancy."""
    raw = await _raw(request)
    try:
        visit = read_visit(raw, date.today())
        pregnancies.record_visit(connection, current.user, current.scope, pregnancy_id, visit)
    except FieldError as error:
        return _page(request, connection, current, pregnancy_id, _message(error, current))
    return RedirectResponse(f"/pregnancies/{pregnancy_id}", status_code=303)


@router.post("/pregnancies/{pregnancy_id}/end", dependencies=[Depends(csrf_protected)])
async def end_pregnancy(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id
) -> Response:
    """Record the end of the pregnancy (and the child born); back to the pregnancy."""
    raw = await _raw(request)
    try:
        birth = read_birth(raw, date.today())
        pregnancies.record_birth(connection, current.user, current.scope, pregnancy_id, birth)
    except FieldError as error:
        return _page(request, connection, current, pregnancy_id, _message(error, current))
    return RedirectResponse(f"/pregnancies/{pregnancy_id}", status_code=303)


@router.post("/pregnancies/{pregnancy_id}/kf", dependencies=[Depends(csrf_protected)])
async def add_kf_visit(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id
) -> Response:
    """Record a post-partum (KF) visit; back to the pregnancy."""
    raw = await _raw(request)
    try:
        number = whole(raw, "visit_number", (1, 4)) or 1
        visit = read_visit(raw, date.today())
        note = text(raw, "note", limit=500)
        pregnancies.record_kf_visit(
            connection, current.user, current.scope, pregnancy_id, number, visit.visited_on, note
        )
    except FieldError as error:
        return _page(request, connection, current, pregnancy_id, _message(error, current))
    return RedirectResponse(f"/pregnancies/{pregnancy_id}", status_code=303)
