"""The partner institutions' pages (``/partners``): the list and the forms that add and
change them, for the TPPS (docs/tpps.md, docs/web.md)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.growth.partners import INSTITUTION_FIELDS, read_institution
from tumbuh.growth.tpps import InstitutionKind
from tumbuh.usecases import institutions
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.partners.forms import context, errors_text, fields
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.templating import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/partners", response_class=HTMLResponse)
def partners_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """Every partner institution, active or not (the TPPS)."""
    listed = institutions.institution_list(connection, current.scope)
    return HTMLResponse(
        render(current.language, "partners.html", context(request, current, listed=listed))
    )


def _form_page(
    request: Request,
    connection: Db,
    current: Viewer,
    raw: dict[str, str],
    errors: list[str],
    institution_id: int | None = None,
) -> HTMLResponse:
    regions = institutions.region_choices(connection, web_state(request).settings.city_code)
    values = context(
        request,
        current,
        raw=raw,
        errors=errors,
        regions=regions,
        kinds=list(InstitutionKind),
        institution_id=institution_id,
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "partner_form.html", values), status_code=status)


@router.get("/partners/new", response_class=HTMLResponse)
def new_partner_form(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The form for a new institution."""
    institutions.require_tpps(current.scope)
    return _form_page(request, connection, current, {"active": "true"}, [])


@router.post("/partners/new", dependencies=[Depends(csrf_protected)])
async def new_partner(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Add the institution (audited), then list them; 422 with the errors."""
    form = await request.form()
    raw = fields(form, INSTITUTION_FIELDS)
    raw["active"] = "true"
    typed, errors = read_institution(raw)
    if typed is not None:
        city = web_state(request).settings.city_code
        saved = institutions.create_institution(
            connection, current.scope, current.user, typed, city_code=city
        )
        if saved.institution_id is not None:
            return RedirectResponse("/partners", status_code=303)
        errors = saved.errors
    return _form_page(request, connection, current, raw, errors_text(errors, current))


@router.get("/partners/{institution_id}", response_class=HTMLResponse)
def edit_partner_form(
    request: Request, connection: Db, current: CurrentViewer, institution_id: Id
) -> HTMLResponse:
    """The institution's edit form (deactivating included)."""
    found = institutions.find_institution(connection, current.scope, institution_id)
    raw = {
        "name": found.name,
        "short_name": found.short_name or "",
        "kind": found.kind.value,
        "region": found.region_code or "",
        "active": "true" if found.active else "false",
    }
    return _form_page(request, connection, current, raw, [], institution_id)


@router.post("/partners/{institution_id}", dependencies=[Depends(csrf_protected)])
async def edit_partner(
    request: Request, connection: Db, current: CurrentViewer, institution_id: Id
) -> Response:
    """Store the institution's new values (audited), then list them; 422 with the errors."""
    form = await request.form()
    raw = fields(form, INSTITUTION_FIELDS)
    raw["active"] = "true" if form.get("active") else "false"
    typed, errors = read_institution(raw)
    if typed is not None:
        city = web_state(request).settings.city_code
        errors = institutions.update_institution_of(
            connection, current.scope, current.user, institution_id, typed, city_code=city
        )
        if not errors:
            return RedirectResponse("/partners", status_code=303)
    texts = errors_text(errors, current)
    return _form_page(request, connection, current, raw, texts, institution_id)
