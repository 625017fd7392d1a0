"""The kitchens' pages: the list (``/kitchens``) with the monthly report's download, one
kitchen with its funding lines (``/kitchens/{id}``), and the forms that add and change
them (docs/kitchens.md, docs/web.md)."""

import io
import logging
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumbuh.growth.kitchens import read_funding, read_kitchen
from tumbuh.reports.pmt_report import write_pmt_report
from tumbuh.usecases import kitchens
from tumbuh.usecases.pmt_report import pmt_month
from tumbuh.web.deps import CurrentViewer, Db, Viewer, csrf_protected, web_state
from tumbuh.web.kitchens.forms import (
    XLSX,
    context,
    errors_text,
    funding_fields,
    kitchen_fields,
    kitchen_typed,
)
from tumbuh.web.surveillance.areas import MAX_ID
from tumbuh.web.surveillance.pages import MonthQuery, parse_month
from tumbuh.web.templating import render

logger = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/kitchens", response_class=HTMLResponse)
def kitchens_page(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The kitchens of the user's area, with the monthly report's download."""
    listed = kitchens.kitchen_list(connection, current.scope)
    month = f"{date.today():%Y-%m}"
    values = context(request, current, listed=listed, month=month)
    return HTMLResponse(render(current.language, "kitchens.html", values))


@router.get("/kitchens/report")
def report_download(connection: Db, current: CurrentViewer, month: MonthQuery = None) -> Response:
    """The month's PMT report of the kitchens of the user's area, as .xlsx."""
    period = parse_month(month or f"{date.today():%Y-%m}")
    found = pmt_month(connection, current.scope, period, date.today())
    buffer = io.BytesIO()
    write_pmt_report(found, buffer, language=current.language)
    logger.info("PMT report %s by user %d", period.label, current.user.id)
    name = f"laporan-pmt-dapur-{period.label}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)


def _form_page(
    request: Request,
    connection: Db,
    current: Viewer,
    raw: dict[str, str],
    errors: list[str],
    kitchen_id: int | None = None,
) -> HTMLResponse:
    city = web_state(request).settings.city_code
    choices = kitchens.kelurahan_choices(connection, current.scope, city)
    values = context(
        request, current, raw=raw, errors=errors, choices=choices, kitchen_id=kitchen_id
    )
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "kitchen_form.html", values), status_code=status)


@router.get("/kitchens/new", response_class=HTMLResponse)
def new_kitchen_form(request: Request, connection: Db, current: CurrentViewer) -> HTMLResponse:
    """The form for a new kitchen (roles that change kitchens)."""
    raw = {"weekdays": "1,2,3,4,5", "active": "true"}
    return _form_page(request, connection, current, raw, [])


@router.post("/kitchens/new", dependencies=[Depends(csrf_protected)])
async def new_kitchen(request: Request, connection: Db, current: CurrentViewer) -> Response:
    """Add the kitchen (audited), then show it; 422 with the errors."""
    raw = kitchen_fields(await request.form())
    kitchen, errors = read_kitchen(raw)
    if kitchen is not None:
        city = web_state(request).settings.city_code
        saved = kitchens.create_kitchen(
            connection, current.scope, current.user, kitchen, city_code=city
        )
        if saved.kitchen_id is not None:
            return RedirectResponse(f"/kitchens/{saved.kitchen_id}", status_code=303)
        errors = saved.errors
    return _form_page(request, connection, current, raw, errors_text(errors, current))


def _kitchen_page(
    request: Request,
    connection: Db,
    current: Viewer,
    kitchen_id: int,
    raw: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> HTMLResponse:
    view = kitchens.find_kitchen(connection, current.scope, kitchen_id, date.today())
    values = context(request, current, view=view, raw=raw or {}, errors=errors or [])
    status = 422 if errors else 200
    return HTMLResponse(render(current.language, "kitchen.html", values), status_code=status)


@router.get("/kitchens/{kitchen_id}", response_class=HTMLResponse)
def kitchen_page(
    request: Request, connection: Db, current: CurrentViewer, kitchen_id: Id
) -> HTMLResponse:
    """One kitchen: its details, schedule and funding lines, with links to its log."""
    return _kitchen_page(request, connection, current, kitchen_id)


@router.get("/kitchens/{kitchen_id}/edit", response_class=HTMLResponse)
def edit_kitchen_form(
    request: Request, connection: Db, current: CurrentViewer, kitchen_id: Id
) -> HTMLResponse:
    """The kitchen's edit form (roles that change kitchens of its kelurahan)."""
    view = kitchens.find_kitchen(connection, current.scope, kitchen_id, date.today())
    if not view.may_edit:
        raise kitchens.NotAllowed
    return _form_page(request, connection, current, kitchen_typed(view.kitchen), [], kitchen_id)


@router.post("/kitchens/{kitchen_id}/edit", dependencies=[Depends(csrf_protected)])
async def edit_kitchen(
    request: Request, connection: Db, current: CurrentViewer, kitchen_id: Id
) -> Response:
    """Store the kitchen's new values (audited), then show it; 422 with the errors."""
    raw = kitchen_fields(await request.form())
    kitchen, errors = read_kitchen(raw)
    if kitchen is not None:
        city = web_state(request).settings.city_code
        errors = kitchens.update_kitchen(
            connection, current.scope, current.user, kitchen_id, kitchen, city_code=city
        )
        if not errors:
            return RedirectResponse(f"/kitchens/{kitchen_id}", status_code=303)
    texts = errors_text(errors, current)
    return _form_page(request, connection, current, raw, texts, kitchen_id)


@router.post("/kitchens/{kitchen_id}/funding", dependencies=[Depends(csrf_protected)])
async def add_funding(
    request: Request, connection: Db, current: CurrentViewer, kitchen_id: Id
) -> Response:
    """Add a funding line (audited), then show the kitchen; 422 with the errors."""
    raw = funding_fields(await request.form())
    line, errors = read_funding(raw)
    if line is None:
        texts = errors_text(errors, current)
        return _kitchen_page(request, connection, current, kitchen_id, raw, texts)
    kitchens.add_funding(connection, current.scope, current.user, kitchen_id, line)
    return RedirectResponse(f"/kitchens/{kitchen_id}#funding", status_code=303)


@router.post(
    "/kitchens/{kitchen_id}/funding/{funding_id}/delete", dependencies=[Depends(csrf_protected)]
)
def remove_funding(
    connection: Db, current: CurrentViewer, kitchen_id: Id, funding_id: Id
) -> Response:
    """Remove a funding line (audited), then show the kitchen."""
    kitchens.remove_funding(connection, current.scope, current.user, kitchen_id, funding_id)
    return RedirectResponse(f"/kitchens/{kitchen_id}#funding", status_code=303)


@router.get("/kitchen")
def own_kitchen(current: CurrentViewer) -> Response:
    """A kitchen operator's own serving log (their home page); others go to the list."""
    kitchen_id = current.scope.kitchen_id
    if kitchen_id is None:
        return RedirectResponse("/kitchens", status_code=303)
    return RedirectResponse(f"/kitchens/{kitchen_id}/servings", status_code=303)
