"""Correcting and removing a pregnancy's visits (docs/pregnancies.md, "Correcting a
visit"): ``/pregnancies/{id}/visits/{visit}`` (an ANC visit) and
``/pregnancies/{id}/kf/{visit}`` (a KF visit) show the visit's form filled in, save the
correction, and remove the visit once the box that confirms it is ticked."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.i18n import translations
from tumbuh.usecases import pregnancies, pregnancy_visits
from tumbuh.usecases.access import OutOfScope
from tumbuh.usecases.pregnancy_input import FieldError, read_visit, text
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
CONFIRM = "confirm_delete"


async def _raw(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(value) for key, value in form.items() if key != "csrf_token"}


def _form(
    request: Request,
    connection: Db,
    current: Viewer,
    ids: tuple[int, int],
    kind: str,
    change: tuple[dict[str, str] | None, FieldError | None] = (None, None),
) -> HTMLResponse:
    """The visit's form: ``kind`` "anc" or "kf"; ``change`` the values typed and the error."""
    raw, error = change
    page = pregnancies.pregnancy_page(connection, current.scope, ids[0], today=date.today())
    visits = page.visits if kind == "anc" else page.kf_visits
    visit = next((v for v in visits if v.id == ids[1]), None)
    if visit is None:
        raise OutOfScope(ids[1])
    message = None if error is None else error.translated(translations(current.language).gettext)
    values = {
        "request": request,
        "viewer": current,
        "csrf": csrf_token(request),
        "summary": page.summary,
        "kind": kind,
        "visit": visit,
        "raw": raw,
        "error": message,
    }
    body = render(current.language, "pregnancy_visit.html", values)
    return HTMLResponse(body, status_code=422 if error else 200)


@router.get("/pregnancies/{pregnancy_id}/visits/{visit_id}", response_class=HTMLResponse)
def anc_visit_form(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> HTMLResponse:
    """An ANC visit's form, filled in, with the box and button that remove it."""
    return _form(request, connection, current, (pregnancy_id, visit_id), "anc")


@router.post(
    "/pregnancies/{pregnancy_id}/visits/{visit_id}", dependencies=[Depends(csrf_protected)]
)
async def correct_anc_visit(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> Response:
    """Save the corrected ANC visit; back to the pregnancy."""
    raw = await _raw(request)
    ids = (pregnancy_id, visit_id)
    try:
        visit = read_visit(raw, date.today())
        pregnancy_visits.correct_visit(connection, current.user, current.scope, ids, visit)
    except FieldError as error:
        return _form(request, connection, current, ids, "anc", (raw, error))
    return RedirectResponse(f"/pregnancies/{pregnancy_id}", status_code=303)


def _unconfirmed() -> FieldError:
    return FieldError("{field}: tick the box to confirm the removal", field=CONFIRM)


@router.post(
    "/pregnancies/{pregnancy_id}/visits/{visit_id}/delete", dependencies=[Depends(csrf_protected)]
)
async def remove_anc_visit(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> Response:
    """Remove the ANC visit once confirmed; back to the pregnancy."""
    raw = await _raw(request)
    ids = (pregnancy_id, visit_id)
    if raw.get(CONFIRM) != "1":
        return _form(request, connection, current, ids, "anc", (None, _unconfirmed()))
    pregnancy_visits.remove_visit(connection, current.user, current.scope, ids)
    return RedirectResponse(f"/pregnancies/{pregnancy_id}", status_code=303)


@router.get("/pregnancies/{pregnancy_id}/kf/{visit_id}", response_class=HTMLResponse)
def kf_visit_form(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> HTMLResponse:
    """A KF visit's form, filled in, with the box and button that remove it."""
    return _form(request, connection, current, (pregnancy_id, visit_id), "kf")


@router.post("/pregnancies/{pregnancy_id}/kf/{visit_id}", dependencies=[Depends(csrf_protected)])
async def correct_kf_visit(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> Response:
    """Save the corrected KF visit (day and note); back to the pregnancy."""
    raw = await _raw(request)
    ids = (pregnancy_id, visit_id)
    try:
        visit = read_visit(raw, date.today())
        note = text(raw, "note", limit=500)
        pregnancy_visits.correct_kf_visit(
            connection, current.user, current.scope, ids, visit.visited_on, note
        )
    except FieldError as error:
        return _form(request, connection, current, ids, "kf", (raw, error))
    return RedirectResponse(f"/pregnancies/{pregnancy_id}", status_code=303)


@router.post(
    "/pregnancies/{pregnancy_id}/kf/{visit_id}/delete", dependencies=[Depends(csrf_protected)]
)
async def remove_kf_visit(
    request: Request, connection: Db, current: CurrentViewer, pregnancy_id: Id, visit_id: Id
) -> Response:
    """Remove the KF visit once confirmed; back to the pregnancy."""
    raw = await _raw(request)
    ids = (pregnancy_id, visit_id)
    if raw.get(CONFIRM) != "1":
        return _form(request, connection, current, ids, "kf", (None, _unconfirmed()))
    pregnancy_visits.remove_kf_visit(connection, current.user, current.scope, ids)
    return RedirectResponse(f"/pregnancies/{pregnancy_id}", status_code=303)
