"""The families of the user's area (``/families``: cards for a phone, filtered by
kelurahan, "at risk only" and "not visited lately") and one family (``/families/{id}``)
with its KRS criteria, people and TPK visits, and the forms of a visit and of the
criteria (docs/families.md)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.errors import NamedFieldError
from tumbuh.i18n import translations
from tumbuh.usecases import families
from tumbuh.usecases.access import OutOfScope
from tumbuh.usecases.family_input import read_criteria, read_filter, read_tpk_visit
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected
from tumbuh.web.security import csrf_token
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Text = Annotated[str, Query(max_length=20)]
PageQuery = Annotated[int, Query(ge=1, le=100_000)]
ACTIONS = families.ACTIONS


def _context(request: Request, current: Viewer, **values: object) -> dict[str, object]:
    return {"request": request, "viewer": current, "csrf": csrf_token(request), **values}


def _message(error: NamedFieldError, current: Viewer) -> str:
    return error.translated(translations(current.language).gettext)


@router.get("/families", response_class=HTMLResponse)
def families_page(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    kelurahan: Text = "",
    at_risk: Text = "",
    not_visited_days: Text = "",
    page: PageQuery = 1,
) -> HTMLResponse:
    """The families of the user's area: those at risk first, the longest unvisited first."""
    raw = {"kelurahan": kelurahan, "at_risk": at_risk, "not_visited_days": not_visited_days}
    error = None
    try:
        wanted = read_filter(raw)
        listed = families.family_list(
            connection, current.scope, wanted, today=date.today(), page=page
        )
    except NamedFieldError as problem:
        error = _message(problem, current)
        listed = families.family_list(
            connection, current.scope, families.FamilyFilter(), today=date.today()
        )
        raw = {}
    values = _context(request, current, listed=listed, raw=raw, error=error)
    return HTMLResponse(
        render(current.language, "families.html", values), status_code=422 if error else 200
    )


def _page(
    request: Request,
    connection: Db,
    current: Viewer,
    family_id: int,
    error: str | None = None,
    raw: dict[str, str] | None = None,
) -> HTMLResponse:
    page = families.family_page(
        connection, current.scope, current.user.id, family_id, today=date.today()
    )
    values = _context(
        request,
        current,
        page=page,
        error=error,
        raw=raw or {},
        actions=ACTIONS,
        today=date.today().isoformat(),
    )
    body = render(current.language, "family.html", values)
    return HTMLResponse(body, status_code=422 if error else 200)


@router.get("/families/{family_id}", response_class=HTMLResponse)
def family_page(
    request: Request, connection: Db, current: CurrentViewer, family_id: Id
) -> HTMLResponse:
    """One family with its criteria, people, visits and the forms to add to them."""
    return _page(request, connection, current, family_id)


async def _form(request: Request) -> tuple[dict[str, str], list[str]]:
    form = await request.form()
    raw = {k: str(v) for k, v in form.items() if k not in {"csrf_token", "actions"}}
    return raw, [str(v) for v in form.getlist("actions")]


@router.post("/families/{family_id}/visits", dependencies=[Depends(csrf_protected)])
async def add_visit(
    request: Request, connection: Db, current: CurrentViewer, family_id: Id
) -> Response:
    """Record a TPK visit; back to the family."""
    raw, ticked = await _form(request)
    try:
        visit = read_tpk_visit(raw, ticked, date.today())
        families.record_visit(connection, current.user, current.scope, family_id, visit)
    except NamedFieldError as error:
        raw["actions"] = " ".join(ticked)
        return _page(request, connection, current, family_id, _message(error, current), raw)
    return RedirectResponse(f"/families/{family_id}#visits", status_code=303)


@router.post("/families/{family_id}/criteria", dependencies=[Depends(csrf_protected)])
async def change_criteria(
    request: Request, connection: Db, current: CurrentViewer, family_id: Id
) -> Response:
    """Update the family's KRS criteria; back to the family."""
    raw, _ = await _form(request)
    try:
        criteria = read_criteria(raw, date.today())
        families.update_criteria(
            connection, current.user, current.scope, family_id, criteria, today=date.today()
        )
    except NamedFieldError as error:
        return _page(request, connection, current, family_id, _message(error, current))
    return RedirectResponse(f"/families/{family_id}", status_code=303)


def _edit_form(
    request: Request,
    connection: Db,
    current: Viewer,
    family_id: int,
    visit_id: int,
    error: str | None = None,
) -> HTMLResponse:
    page = families.family_page(
        connection, current.scope, current.user.id, family_id, today=date.today()
    )
    visit = next((v for v in page.visits if v.id == visit_id and v.editable), None)
    if visit is None:  # not this family's, or not this user's to change
        raise OutOfScope(visit_id)
    values = _context(
        request, current, page=page, visit=visit, error=error, actions=ACTIONS, raw={}
    )
    body = render(current.language, "family_visit.html", values)
    return HTMLResponse(body, status_code=422 if error else 200)


@router.get("/families/{family_id}/visits/{visit_id}", response_class=HTMLResponse)
def edit_visit_form(
    request: Request, connection: Db, current: CurrentViewer, family_id: Id, visit_id: Id
) -> HTMLResponse:
    """The form to change a visit (its recorder, a nutritionist or an administrator)."""
    return _edit_form(request, connection, current, family_id, visit_id)


@router.post("/families/{family_id}/visits/{visit_id}", dependencies=[Depends(csrf_protected)])
async def edit_visit(
    request: Request, connection: Db, current: CurrentViewer, family_id: Id, visit_id: Id
) -> Response:
    """Change a visit; back to the family."""
    raw, ticked = await _form(request)
    try:
        visit = read_tpk_visit(raw, ticked, date.today())
        families.edit_visit(connection, current.user, current.scope, family_id, visit_id, visit)
    except NamedFieldError as error:
        message = _message(error, current)
        return _edit_form(request, connection, current, family_id, visit_id, message)
    return RedirectResponse(f"/families/{family_id}#visits", status_code=303)


@router.post(
    "/families/{family_id}/visits/{visit_id}/delete", dependencies=[Depends(csrf_protected)]
)
def delete_visit(connection: Db, current: CurrentViewer, family_id: Id, visit_id: Id) -> Response:
    """Remove a visit; back to the family."""
    families.delete_visit(connection, current.user, current.scope, family_id, visit_id)
    return RedirectResponse(f"/families/{family_id}#visits", status_code=303)
